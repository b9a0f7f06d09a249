// freeavatar project import DIR FILE_OR_FOLDER... [--every N] [--keep-duplicates]
//     [--detector dlib|yunet --yunet-model FILE] [--min-face PX] [--tilt-search] [--all-faces]
#include "exit_codes.h"
#include "face_finder_arguments.h"
#include "progress_bar.h"
#include "project_subcommands.h"

#include "project/project.h"
#include "projectio/face_importer.h"

#include <QElapsedTimer>
#include <QTextStream>

#include <atomic>
#include <csignal>

namespace fa::cli {
namespace {

// Ctrl-C stops the import between two frames; faces added so far stay in the project.
std::atomic_bool g_interrupted{false};

extern "C" void onInterrupt(int)
{
    g_interrupted.store(true);
}

} // namespace

int runProjectImport(const QStringList &arguments)
{
    const QString name = QStringLiteral("import");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Import the faces of images and videos into the project in DIR: every face of each image at or above the "
        "minimum size (several faces of one photo become the identities NAME#1, NAME#2, ...), and the largest face "
        "of every Nth video frame (or every face, --all-faces), aligned on the eyes and cropped to 224x224. Files "
        "already in the project are skipped. One line per file says what was found. Exit status 2 when a file "
        "could not be read; the rest is imported all the same (a photo without a face is not an error)."));
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("Project folder."));
    parser.addPositionalArgument(QStringLiteral("FILE_OR_FOLDER"),
        QStringLiteral("Images (.png .jpg .jpeg .bmp .webp .tif .tiff), videos (.mp4 .mov .avi .mkv .webm .m4v) or folders of them (recursive)."),
        QStringLiteral("FILE_OR_FOLDER..."));
    const QCommandLineOption every(QStringLiteral("every"), QStringLiteral("Scan every Nth video frame (default 10)."),
                                   QStringLiteral("N"), QStringLiteral("10"));
    const QCommandLineOption keep(QStringLiteral("keep-duplicates"),
        QStringLiteral("Keep faces that look like one kept before from the same file (near-duplicate frames)."));
    const QCommandLineOption quiet(QStringLiteral("quiet"), QStringLiteral("No progress bar."));
    const FaceFinderArguments faceFinder;
    parser.addOptions({every, keep, quiet});
    parser.addOptions(faceFinder.options());
    const Parsed parsed = parseProjectArguments(parser, arguments, name, 2, -1);
    if (parsed != Parsed::Ok)
        return parsed == Parsed::Help ? ExitSuccess : ExitBadInput;

    FaceImportOptions options;
    bool ok = false;
    options.everyNthFrame = parser.value(every).toInt(&ok);
    if (!ok || options.everyNthFrame < 1) {
        printProjectError(name, QStringLiteral("--every: '%1' is not a whole number >= 1").arg(parser.value(every)));
        return ExitBadInput;
    }
    options.dropNearDuplicates = !parser.isSet(keep);
    const QString finderError = faceFinder.apply(parser, &options.faces);
    if (!finderError.isEmpty()) {
        printProjectError(name, finderError);
        return ExitBadInput;
    }
    QStringList paths = parser.positionalArguments();
    const std::unique_ptr<Project> project = openProjectOrReport(paths.takeFirst(), name);
    if (!project)
        return ExitBadInput;

    ProgressBar bar;
    QElapsedTimer timer;
    timer.start();
    const bool showProgress = !parser.isSet(quiet);
    std::signal(SIGINT, onInterrupt);
    QString error;
    const std::optional<FaceImportReport> report = FaceImporter(options).run(
        *project, paths,
        [&](double fraction, const QString &status) {
            if (showProgress)
                bar.updateFraction(fraction, status, timer.nsecsElapsed() / 1e9);
        },
        &g_interrupted, &error);
    std::signal(SIGINT, SIG_DFL);
    if (showProgress)
        bar.finish();
    if (!report) {
        printProjectError(name, error);
        return ExitBadInput;
    }
    QTextStream out(stdout);
    for (const FileImportReport &file : report->files)
        if (file.problem.isEmpty())
            out << "  " << file.line() << '\n';
    out << "Detector:  " << options.faces.description() << '\n'
        << "Files:     " << report->filesImported << " imported, " << report->filesAlreadyInProject
        << " already in the project, " << report->problems.size() << " with problems\n"
        << "Frames:    " << report->framesScanned << " scanned, " << report->framesWithoutFace << " without a face\n"
        << "Faces:     " << report->facesAdded << " added, " << report->nearDuplicatesDropped
        << " near duplicates dropped, " << report->facesTooSmall << " too small; the project has "
        << project->faces().faceCount() << '\n'
        << "Speed:     " << QString::number(report->seconds > 0 ? report->framesScanned / report->seconds : 0.0, 'f', 1)
        << " frames/s, " << QString::number(report->seconds > 0 ? report->facesAdded / report->seconds : 0.0, 'f', 1)
        << " faces/s (" << QString::number(report->seconds, 'f', 2) << " s)\n";
    out.flush();
    if (report->cancelled)
        printProjectError(name, QStringLiteral("interrupted; the faces added so far are kept"));
    for (const QString &warning : report->warnings)
        printProjectError(name, QStringLiteral("warning: ") + warning);
    for (const QString &problem : report->problems)
        printProjectError(name, problem);
    return report->problems.isEmpty() && !report->cancelled ? ExitSuccess : ExitBadInput;
}

} // namespace fa::cli
