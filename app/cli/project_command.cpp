#include "project_command.h"

#include "exit_codes.h"
#include "terminal_text.h"
#include "project_subcommands.h"

#include "project/project.h"

#include <QTextStream>

namespace fa::cli {
namespace {

const char kProjectUsage[] =
    "usage: freeavatar project SUBCOMMAND DIR [ARGS]\n"
    "\n"
    "An expression-comparison project is a folder with project.sqlite and crops/.\n"
    "\n"
    "subcommands:\n"
    "  create DIR                      a new, empty project\n"
    "  import DIR FILE_OR_FOLDER... [--every N] [--keep-duplicates]\n"
    "                                  faces from images and videos (every Nth frame)\n"
    "  sample DIR --count N [--gold-rate R] [--strategy random|uncertainty] [--seed S]\n"
    "                                  new triplets to label\n"
    "  stats DIR [--json]              faces, triplets, judgments, Fleiss' kappa, annotators\n"
    "  export DIR --format reference|fec|folder --out PATH\n"
    "                                  judged triplets for training or exchange\n"
    "  import-fec DIR FILE.csv --images DIR\n"
    "                                  triplets and judgments in Google FEC's CSV format\n"
    "\n"
    "Run 'freeavatar project SUBCOMMAND --help' for a subcommand's options.\n";

} // namespace

Parsed parseProjectArguments(QCommandLineParser &parser, const QStringList &arguments, const QString &name,
                             int minPositional, int maxPositional)
{
    parser.addHelpOption();
    if (!parser.parse(arguments)) {
        printProjectError(name, parser.errorText());
        return Parsed::Error;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return Parsed::Help;
    }
    const int count = int(parser.positionalArguments().size());
    if (count < minPositional || (maxPositional >= 0 && count > maxPositional)) {
        printProjectError(name, QStringLiteral("wrong number of arguments (see freeavatar project %1 --help)").arg(name));
        return Parsed::Error;
    }
    return Parsed::Ok;
}

void printProjectError(const QString &name, const QString &message)
{
    QTextStream(stderr) << "freeavatar project " << name << ": " << terminalText(message) << Qt::endl;
}

std::unique_ptr<Project> openProjectOrReport(const QString &directory, const QString &name)
{
    QString error;
    std::unique_ptr<Project> project = Project::open(directory, &error);
    if (!project)
        printProjectError(name, error);
    return project;
}

int runProjectCreate(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Create an empty expression-comparison project in DIR."));
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("Project folder (created if needed; must not hold a project)."));
    const Parsed parsed = parseProjectArguments(parser, arguments, QStringLiteral("create"), 1, 1);
    if (parsed != Parsed::Ok)
        return parsed == Parsed::Help ? ExitSuccess : ExitBadInput;
    const QString directory = parser.positionalArguments().first();
    QString error;
    if (!Project::create(directory, &error)) {
        printProjectError(QStringLiteral("create"), error);
        return ExitBadInput;
    }
    QTextStream(stdout) << "Created project " << directory << '\n';
    return ExitSuccess;
}

int runProject(const QStringList &arguments)
{
    QStringList rest = arguments;
    const QString sub = rest.size() > 1 ? rest.takeAt(1) : QString();
    if (sub.isEmpty() || sub == QLatin1String("--help") || sub == QLatin1String("-h") || sub == QLatin1String("help")) {
        (sub.isEmpty() ? QTextStream(stderr) : QTextStream(stdout)) << kProjectUsage;
        return sub.isEmpty() ? ExitBadInput : ExitSuccess;
    }
    rest[0] += QLatin1Char(' ') + sub;
    if (sub == QLatin1String("create"))
        return runProjectCreate(rest);
    if (sub == QLatin1String("import"))
        return runProjectImport(rest);
    if (sub == QLatin1String("sample"))
        return runProjectSample(rest);
    if (sub == QLatin1String("stats"))
        return runProjectStats(rest);
    if (sub == QLatin1String("export"))
        return runProjectExport(rest);
    if (sub == QLatin1String("import-fec"))
        return runProjectImportFec(rest);
    QTextStream(stderr) << "freeavatar project: unknown subcommand '" << sub << "'\n\n" << kProjectUsage;
    return ExitBadInput;
}

} // namespace fa::cli
