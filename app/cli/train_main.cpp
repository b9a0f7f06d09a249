// freeavatar-train: the commands of freeavatar that need LibTorch (train, eval-triplets, embed,
// retarget --solver freeavatar), with
// LibTorch. `freeavatar train ...` runs it in its own place; it can also be run directly.
#include "exit_codes.h"
#include "library_output.h"
#include "retarget_command.h"
#include "train_command.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QTextStream>

#include <cstring>
#include <exception>
#include <memory>

int main(int argc, char *argv[])
{
    fa::cli::quietLibraryOutput();
    // eval-retarget renders the avatar with OpenGL: a QGuiApplication when there is a display.
    const bool gui = argc > 1 && std::strcmp(argv[1], "eval-retarget") == 0
                     && (!qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
                         || !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"));
    std::unique_ptr<QCoreApplication> application =
        gui ? std::make_unique<QGuiApplication>(argc, argv) : std::make_unique<QCoreApplication>(argc, argv);
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
        if (command == QLatin1String("eval-encoder"))
            return fa::cli::runEvalEncoder(arguments);
        if (command == QLatin1String("eval-retarget"))
            return fa::cli::runEvalRetarget(arguments);
        if (command == QLatin1String("retarget"))
            return fa::cli::runRetarget(arguments); // --solver freeavatar
    } catch (const std::exception &e) {
        err << "freeavatar: internal error: " << e.what() << '\n';
        return fa::cli::ExitFailure;
    }
    err << "freeavatar-train: unknown command '" << command << "' (train, eval-triplets, eval-encoder, eval-retarget, embed or retarget)\n";
    return fa::cli::ExitBadInput;
}
