// freeavatar project export DIR --format reference|fec|folder --out PATH
#include "exit_codes.h"
#include "common/output_plan.h"
#include "project_subcommands.h"

#include "project/project.h"
#include "projectio/project_exporter.h"

#include <QTextStream>

namespace fa::cli {

int runProjectExport(const QStringList &arguments)
{
    const QString name = QStringLiteral("export");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Export the judged triplets of the project in DIR.\n"
        "  reference: anchor,positive,negative,type CSV of the triplets with a majority (>= 2 votes, more than half);\n"
        "             paths relative to DIR (give the trainer DIR as its image folder)\n"
        "  fec:       Google FEC's 28-column CSV of every judged triplet; crop paths relative to DIR\n"
        "  folder:    PATH/images/, triplets.csv (reference), fec.csv, faces.csv; paths relative to PATH"));
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("Project folder."));
    const QCommandLineOption format(QStringLiteral("format"), QStringLiteral("reference, fec or folder (required)."),
                                    QStringLiteral("FORMAT"));
    const QCommandLineOption out(QStringLiteral("out"),
        QStringLiteral("The CSV file to write, or for folder a new, empty or previously exported folder (required)."),
        QStringLiteral("PATH"));
    parser.addOptions({format, out});
    const Parsed parsed = parseProjectArguments(parser, arguments, name, 1, 1);
    if (parsed != Parsed::Ok)
        return parsed == Parsed::Help ? ExitSuccess : ExitBadInput;
    const std::optional<ProjectExporter::Format> chosen = ProjectExporter::formatFromName(parser.value(format));
    if (!chosen) {
        printProjectError(name, parser.isSet(format)
                                    ? QStringLiteral("--format: unknown format '%1' (reference, fec or folder)").arg(parser.value(format))
                                    : QStringLiteral("--format reference|fec|folder is required"));
        return ExitBadInput;
    }
    if (parser.value(out).isEmpty()) {
        printProjectError(name, QStringLiteral("--out PATH is required"));
        return ExitBadInput;
    }
    OutputPlan outputs;
    outputs.addProject(parser.positionalArguments().first());
    if (*chosen == ProjectExporter::Format::Folder)
        outputs.addOutputFolder(parser.value(out), QStringLiteral("--out"));
    else
        outputs.addOutputFile(parser.value(out), QStringLiteral("--out"));
    if (const QString problem = outputs.check(); !problem.isEmpty()) {
        printProjectError(name, problem);
        return ExitBadInput;
    }
    const std::unique_ptr<Project> project = openProjectOrReport(parser.positionalArguments().first(), name);
    if (!project)
        return ExitBadInput;
    QString error;
    const std::optional<ProjectExportReport> report = ProjectExporter::run(*project, *chosen, parser.value(out), &error);
    if (!report) {
        printProjectError(name, error);
        return ExitBadInput;
    }
    QTextStream text(stdout);
    if (*chosen != ProjectExporter::Format::Fec)
        text << "Reference: " << report->referenceRows << " triplets with a majority; " << report->tripletsWithoutMajority
             << " judged triplets without one left out\n";
    if (*chosen != ProjectExporter::Format::Reference)
        text << "FEC:       " << report->fecRows << " judged triplets\n";
    if (*chosen == ProjectExporter::Format::Folder)
        text << "Images:    " << report->facesListed << " faces (" << report->imagesWritten << " files written)\n";
    text << "Unjudged:  " << report->tripletsWithoutJudgments << " triplets not exported\n";
    for (const QString &file : report->filesWritten)
        text << "Wrote:     " << file << '\n';
    return ExitSuccess;
}

} // namespace fa::cli
