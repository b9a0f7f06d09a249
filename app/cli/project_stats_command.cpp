// freeavatar project stats DIR [--json]
#include "exit_codes.h"
#include "project_subcommands.h"

#include "project/project.h"
#include "projectio/project_statistics.h"

#include <QJsonDocument>
#include <QTextStream>

#include <cmath>

namespace fa::cli {
namespace {

QString percent(double fraction)
{
    return std::isfinite(fraction) ? QString::number(100.0 * fraction, 'f', 1) + QStringLiteral(" %") : QStringLiteral("n/a");
}

void printText(const Project &project, const ProjectStatistics &s)
{
    QTextStream out(stdout);
    out << "Project:   " << project.directory() << '\n'
        << "Sources:   " << s.sources << '\n'
        << "Faces:     " << s.faces << '\n'
        << "Triplets:  " << s.triplets << " (" << s.completeTriplets << " complete with " << s.judgmentsPerTriplet
        << " judgments)\n"
        << "Judgments: " << s.judgments << " (and " << s.skips << " skips)\n"
        << "Kappa:     Fleiss' kappa "
        << (std::isfinite(s.agreement.fleissKappa) ? QString::number(s.agreement.fleissKappa, 'f', 3) : QStringLiteral("n/a"))
        << " over " << s.agreement.kappaTriplets << " triplets with >= 2 judgments; "
        << s.agreement.lowAgreement.size() << " without a majority\n"
        << "Annotators: " << s.annotators.size() << '\n';
    for (const QString &name : s.annotators) {
        AnnotatorAgreement a;
        for (const AnnotatorAgreement &candidate : s.agreement.annotators)
            if (candidate.annotator == name)
                a = candidate;
        out << "  " << name.leftJustified(16) << ' ' << QString::number(a.judgments).rightJustified(6)
            << " judgments, agrees with the majority " << percent(a.majorityAgreement) << ", gold "
            << percent(a.goldAccuracy) << " (" << a.goldJudged << " gold)\n";
    }
}

} // namespace

int runProjectStats(const QStringList &arguments)
{
    const QString name = QStringLiteral("stats");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Show the faces, triplets and judgments of the project in DIR, Fleiss' kappa and each annotator's agreement "
        "with the others' majority and with the gold answers."));
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("Project folder."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON (fractions in [0,1], null when undefined)."));
    parser.addOption(json);
    const Parsed parsed = parseProjectArguments(parser, arguments, name, 1, 1);
    if (parsed != Parsed::Ok)
        return parsed == Parsed::Help ? ExitSuccess : ExitBadInput;
    const std::unique_ptr<Project> project = openProjectOrReport(parser.positionalArguments().first(), name);
    if (!project)
        return ExitBadInput;
    QString error;
    const std::optional<ProjectStatistics> statistics = computeProjectStatistics(*project, &error);
    if (!statistics) {
        printProjectError(name, error);
        return ExitBadInput;
    }
    if (parser.isSet(json))
        QTextStream(stdout) << QJsonDocument(projectStatisticsToJson(*statistics)).toJson(QJsonDocument::Indented);
    else
        printText(*project, *statistics);
    return ExitSuccess;
}

} // namespace fa::cli
