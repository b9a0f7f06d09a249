// freeavatar project import-fec DIR FILE.csv --images DIR
#include "exit_codes.h"
#include "common/file_kind.h"
#include "project_subcommands.h"

#include "project/project.h"
#include "projectio/fec_importer.h"

#include <QFileInfo>
#include <QTextStream>

namespace fa::cli {

int runProjectImportFec(const QStringList &arguments)
{
    const QString name = QStringLiteral("import-fec");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Import triplets and judgments in Google FEC's CSV format (28 columns, no header) whose images are local "
        "files. http(s) URLs map to IMAGES/<file name>, relative paths to IMAGES/<path>; file:// URLs and absolute "
        "paths are used as they are. Rows with a missing image are skipped and counted."));
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("Project folder."));
    parser.addPositionalArgument(QStringLiteral("FILE.csv"), QStringLiteral("FEC-format CSV."));
    const QCommandLineOption images(QStringLiteral("images"), QStringLiteral("Folder of the images (required)."),
                                    QStringLiteral("DIR"));
    parser.addOption(images);
    const Parsed parsed = parseProjectArguments(parser, arguments, name, 2, 2);
    if (parsed != Parsed::Ok)
        return parsed == Parsed::Help ? ExitSuccess : ExitBadInput;
    FecImportOptions options;
    options.imagesDirectory = parser.value(images);
    if (options.imagesDirectory.isEmpty()) {
        printProjectError(name, QStringLiteral("--images DIR is required"));
        return ExitBadInput;
    }
    if (!QFileInfo(options.imagesDirectory).isDir()) {
        printProjectError(name, folderProblem(options.imagesDirectory));
        return ExitBadInput;
    }
    const std::unique_ptr<Project> project = openProjectOrReport(parser.positionalArguments().at(0), name);
    if (!project)
        return ExitBadInput;
    QString error;
    const std::optional<FecImportReport> report = FecImporter::run(*project, parser.positionalArguments().at(1), options, &error);
    if (!report) {
        printProjectError(name, error);
        return ExitBadInput;
    }
    QTextStream out(stdout);
    out << "Rows:      " << report->rowsRead << " read, " << report->rowsSkipped << " skipped for a missing image\n"
        << "Faces:     " << report->facesAdded << " added, " << report->facesReused << " already in the project ("
        << report->sourcesAdded << " new images)\n"
        << "Triplets:  " << report->tripletsAdded << " added, " << report->tripletsAlreadyInProject << " already in the project\n"
        << "Judgments: " << report->judgmentsAdded << " added by " << report->annotatorsUsed << " annotators, "
        << report->judgmentsAlreadyInProject << " already in the project\n";
    if (report->missingImageCount > 0) {
        out << "Missing:   " << report->missingImageCount << " images, e.g.\n";
        for (const QString &missing : report->missingImages)
            out << "  " << missing << '\n';
    }
    return ExitSuccess;
}

} // namespace fa::cli
