// freeavatar-train: the training commands of freeavatar (train, eval-triplets, embed), with
// LibTorch. `freeavatar train ...` runs it in its own place; it can also be run directly.
#include "exit_codes.h"
#include "train_command.h"

#include <QCoreApplication>
#include <QTextStream>

#include <exception>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("freeavatar"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FA_VERSION));
    QStringList arguments = QCoreApplication::arguments();
    QTextStream err(stderr);
    if (arguments.size() < 2) {
        err << "usage: freeavatar-train train|eval-triplets|embed ARGS (see 'freeavatar --help')\n";
        return fa::cli::ExitBadInput;
    }
    const QString command = arguments.takeAt(1);
    // Messages and help name the command as the user typed it: "freeavatar train ...".
    arguments[0] = QStringLiteral("freeavatar ") + command;
    try {
        if (command == QLatin1String("train"))
            return fa::cli::runTrain(arguments);
        if (command == QLatin1String("eval-triplets"))
            return fa::cli::runEvalTriplets(arguments);
        if (command == QLatin1String("embed"))
            return fa::cli::runEmbed(arguments);
    } catch (const std::exception &e) {
        err << "freeavatar: internal error: " << e.what() << '\n';
        return fa::cli::ExitFailure;
    }
    err << "freeavatar-train: unknown command '" << command << "' (train, eval-triplets or embed)\n";
    return fa::cli::ExitBadInput;
}
