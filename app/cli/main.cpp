// freeavatar: FreeAvatar Studio's command-line tool.
#include "exit_codes.h"
#include "library_output.h"
#include "info_command.h"
#include "project_command.h"
#include "render_dataset_command.h"
#include "retarget_command.h"
#include "training_commands.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QTextStream>

#include <exception>
#include <memory>

namespace {

const char kUsage[] =
    "usage: freeavatar COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  retarget VIDEO [--avatar AVATAR] [--solver landmarks|freeavatar --model ANIMATOR_RUN]\n"
    "           [--smooth one-euro|butterworth|none] [--neutral-frame N] [--start S] [--end S]\n"
    "           [--csv OUT.csv] [--fbx OUT.fbx]\n"
    "           video of an actor -> blendshape animation on an avatar\n"
    "  info FILE   what the studio sees in a video or an avatar\n"
    "  project SUBCOMMAND DIR ...   expression-comparison projects:\n"
    "           create DIR | import DIR FILE_OR_FOLDER... | sample DIR --count N |\n"
    "           stats DIR [--json] | export DIR --format reference|fec|folder --out PATH |\n"
    "           import-fec DIR FILE.csv --images DIR   (see 'freeavatar project --help')\n"
    "  train mae|triplet --preset tiny|small|vit-b [--config FILE.yaml] [--set key=value ...]\n"
    "           --data PROJECT_OR_FOLDER_OR_VIDEO... [--init RUN_DIR|CHECKPOINT_DIR|FILE.pth] --steps N --out RUN_DIR [--resume]\n"
    "           MAE pre-training / triplet fine-tuning of the expression encoder\n"
    "  train renderer --preset tiny|paper --data RENDER_DIR --steps N --out RUN_DIR [--resume]\n"
    "           neural renderer of an avatar (rig -> image) trained on its render set\n"
    "  train rig-decoder --encoder RUN_DIR --avatar AVATAR:RENDERER_RUN... --data VIDEO_OR_FOLDER...\n"
    "           --steps N --out RUN_DIR [--resume]\n"
    "           one rig decoder for several avatars (the learnt animator, retarget --solver freeavatar)\n"
    "  eval-triplets --checkpoint RUN_DIR --triplets CSV_OR_PROJECT [--json]\n"
    "           triplet prediction accuracy of a trained encoder, overall and per type\n"
    "  eval-retarget VIDEO [--avatar AVATAR] [--solver landmarks|freeavatar --model RUN] --encoder RUN [--json]\n"
    "           expression distance between the actor and the avatar's renders of the solved rigs (needs OpenGL)\n"
    "  eval-encoder --checkpoint RUN_DIR --data VIDEO VIDEO... [--json]\n"
    "           how much of an encoder's space is expression rather than identity (probes)\n"
    "  embed IMAGE_OR_VIDEO --checkpoint RUN_DIR --out FILE.csv\n"
    "           16-d expression embedding of every face\n"
    "  render-dataset [--avatar AVATAR] --count N --out DIR [--size 256] [--rigs-from VIDEO_OR_CSV...] [--seed S]\n"
    "           images of an avatar for sampled rigs, framed like the face crops (needs OpenGL)\n"
    "\n"
    "Run 'freeavatar COMMAND --help' for a command's options.\n";

} // namespace

int main(int argc, char *argv[])
{
    fa::cli::quietLibraryOutput();
    // render-dataset draws with OpenGL and needs a QGuiApplication; every other command (and
    // render-dataset without a display, which then says so) runs without a GUI.
    std::unique_ptr<QCoreApplication> app;
    if (fa::cli::renderDatasetNeedsGui(argc, argv))
        app = std::make_unique<QGuiApplication>(argc, argv);
    else
        app = std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("freeavatar"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FA_VERSION));
    QStringList arguments = QCoreApplication::arguments();
    QTextStream err(stderr);
    if (arguments.size() < 2) {
        err << kUsage;
        return fa::cli::ExitBadInput;
    }
    const QString command = arguments.takeAt(1);
    if (fa::cli::trainingCommands().contains(command))
        return fa::cli::runTrainingCommand(command, arguments.mid(1));
    // QCommandLineParser expects the program name first: "freeavatar retarget ...".
    arguments[0] += QLatin1Char(' ') + command;
    try {
        if (command == QLatin1String("retarget"))
            return fa::cli::runRetarget(arguments);
        if (command == QLatin1String("info"))
            return fa::cli::runInfo(arguments);
        if (command == QLatin1String("project"))
            return fa::cli::runProject(arguments);
        if (command == QLatin1String("render-dataset"))
            return fa::cli::runRenderDataset(arguments);
        if (command == QLatin1String("--help") || command == QLatin1String("-h") || command == QLatin1String("help")) {
            QTextStream(stdout) << kUsage;
            return fa::cli::ExitSuccess;
        }
        if (command == QLatin1String("--version")) {
            QTextStream(stdout) << "freeavatar " << FA_VERSION << '\n';
            return fa::cli::ExitSuccess;
        }
    } catch (const std::exception &e) {
        // core reports errors by value; anything thrown here is a bug, reported, not a crash.
        err << "freeavatar: internal error: " << e.what() << '\n';
        return fa::cli::ExitFailure;
    }
    err << "freeavatar: unknown command '" << command << "'\n\n" << kUsage;
    return fa::cli::ExitBadInput;
}
