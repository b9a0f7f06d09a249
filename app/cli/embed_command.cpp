// freeavatar embed IMAGE_OR_VIDEO --checkpoint RUN_DIR --out FILE.csv
#include "train_command.h"

#include "exit_codes.h"
#include "terminal_text.h"
#include "common/output_plan.h"
#include "face_finder_arguments.h"
#include "progress_bar.h"

#include "training/embedding.h"
#include "training/embedding_table.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTextStream>

namespace fa::cli {
namespace {

void printError(const QString &message)
{
    QTextStream(stderr) << "freeavatar embed: " << terminalText(message) << Qt::endl;
}

} // namespace

int runEmbed(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Expression embeddings of the faces in an image or video, from a triplet run's encoder: one CSV row per face "
        "(every face of an image; the largest face of each video frame, or every face with --all-faces), header "
        "source,frame,time_s,face,box_x,box_y,box_w,box_h,e0,...,e15. Faces are found and cropped as the project "
        "importer does (same detector options, aligned on the eyes)."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("IMAGE_OR_VIDEO"), QStringLiteral("Image or video file."));
    const QCommandLineOption checkpoint(QStringLiteral("checkpoint"),
        QStringLiteral("Triplet run folder, or one of its checkpoints/step-N folders."), QStringLiteral("RUN_DIR"));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("CSV file to write (atomically)."), QStringLiteral("FILE"));
    const QCommandLineOption frameStep(QStringLiteral("frame-step"),
        QStringLiteral("Videos: embed every Nth frame (default 1: every frame)."), QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption device(QStringLiteral("device"), QStringLiteral("auto (default), cpu or cuda."),
                                    QStringLiteral("DEVICE"), QStringLiteral("auto"));
    const QCommandLineOption quiet(QStringLiteral("quiet"), QStringLiteral("No progress bar."));
    const FaceFinderArguments faceFinder;
    parser.addOptions({checkpoint, out, frameStep, device, quiet});
    parser.addOptions(faceFinder.options());
    if (!parser.parse(arguments)) {
        printError(parser.errorText());
        return ExitBadInput;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return ExitSuccess;
    }
    if (parser.positionalArguments().size() != 1) {
        printError(QStringLiteral("expected one IMAGE_OR_VIDEO (see freeavatar embed --help)"));
        return ExitBadInput;
    }
    if (!parser.isSet(checkpoint) || !parser.isSet(out)) {
        printError(QStringLiteral("--checkpoint RUN_DIR and --out FILE are required"));
        return ExitBadInput;
    }
    bool ok = false;
    const int step = parser.value(frameStep).toInt(&ok);
    if (!ok || step < 1) {
        printError(QStringLiteral("--frame-step: '%1' is not a positive number").arg(parser.value(frameStep)));
        return ExitBadInput;
    }
    FaceFinderOptions faces;
    const QString finderError = faceFinder.apply(parser, &faces);
    if (!finderError.isEmpty()) {
        printError(finderError);
        return ExitBadInput;
    }
    const QString input = QFileInfo(parser.positionalArguments().first()).absoluteFilePath();
    const QString output = parser.value(out);
    OutputPlan outputs;
    outputs.addInput(input);
    outputs.addInput(parser.value(checkpoint));
    outputs.addOutputFile(output, QStringLiteral("--out"));
    if (const QString problem = outputs.check(); !problem.isEmpty()) {
        printError(problem);
        return ExitBadInput;
    }
    if (!QFileInfo(QFileInfo(output).absolutePath()).isDir()) {
        printError(QStringLiteral("%1: the folder %2 does not exist").arg(output, QFileInfo(output).absolutePath()));
        return ExitBadInput;
    }

    QString error;
    std::unique_ptr<ExpressionEmbedder> embedder = ExpressionEmbedder::load(parser.value(checkpoint), parser.value(device), &error);
    if (!embedder) {
        printError(error);
        return ExitBadInput;
    }
    ProgressBar bar;
    QElapsedTimer clock;
    clock.start();
    const bool showProgress = !parser.isSet(quiet);
    FileImportReport found;
    const std::optional<std::vector<FaceEmbeddingRow>> rows = embedFacesInFile(
        *embedder, input, step, faces,
        [&](double f) { if (showProgress) bar.updateFraction(f, QFileInfo(input).fileName(), clock.elapsed() / 1000.0); },
        nullptr, &error, &found);
    if (showProgress)
        bar.finish();
    if (!rows) {
        printError(error);
        return ExitBadInput;
    }
    if (!writeEmbeddingCsv(output, *rows, embedder->embeddingSize(), &error)) {
        printError(error);
        return ExitBadInput;
    }
    QTextStream(stdout) << "Input:     " << input << '\n'
                        << "Found:     " << found.line() << '\n'
                        << "Detector:  " << faces.description() << '\n'
                        << "Faces:     " << rows->size() << " embedded (" << embedder->embeddingSize() << "-d)\n"
                        << "Device:    " << embedder->deviceDescription() << '\n'
                        << "Wrote:     " << output << '\n';
    return ExitSuccess;
}

} // namespace fa::cli
