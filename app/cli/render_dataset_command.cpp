#include "render_dataset_command.h"

#include "avatar_argument.h"
#include "exit_codes.h"
#include "terminal_text.h"
#include "common/output_plan.h"
#include "progress_bar.h"

#include "renderset/real_rig_curves.h"
#include "renderset/render_dataset_writer.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QGuiApplication>
#include <QTextStream>

#include <cstring>

namespace fa::cli {
namespace {

const char kNeedsOpenGl[] = "render-dataset needs OpenGL: run it under xvfb-run or on a desktop";

struct Arguments
{
    QString avatarPath;
    QString outDir;
    qsizetype count = 0;
    int size = 256;
    quint64 seed = 0;
    QStringList rigSources;
    bool quiet = false;
};

QString parseArguments(const QStringList &arguments, Arguments *args, bool *helpShown)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Render a training set for an avatar's neural renderer: rig vectors sampled for its controls (5 % neutral, "
        "45 % sparse random, 20 % left/right-symmetric, 30 % real curves with noise when --rigs-from is given, "
        "else that share is sparse) and their images, framed like the face crops (eyes 0.25 of the side apart "
        "at 0.34 of its height). Writes DIR/images/000000.png..., DIR/rigs.csv and DIR/dataset.json."));
    parser.addHelpOption();
    const QCommandLineOption avatar(QStringLiteral("avatar"),
        QStringLiteral("Avatar with blendshapes (glTF/GLB, FBX). Default: the built-in mannequin head."), QStringLiteral("AVATAR"));
    const QCommandLineOption count(QStringLiteral("count"), QStringLiteral("Number of images (required)."), QStringLiteral("N"));
    const QCommandLineOption out(QStringLiteral("out"),
        QStringLiteral("Output folder (required): new, empty, or a set of the identical request (rendered again)."), QStringLiteral("DIR"));
    const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Image side in pixels (default 256)."),
                                  QStringLiteral("PIXELS"), QStringLiteral("256"));
    const QCommandLineOption rigsFrom(QStringLiteral("rigs-from"),
        QStringLiteral("Real rig curves: videos (landmark solver, as 'freeavatar retarget') or Live Link Face / generic CSV "
                       "files; repeat the option or list several files after it."), QStringLiteral("VIDEO_OR_CSV"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Random seed (default 0)."), QStringLiteral("S"),
                                  QStringLiteral("0"));
    const QCommandLineOption quiet(QStringLiteral("quiet"), QStringLiteral("No progress bar."));
    parser.addOptions({avatar, count, out, size, rigsFrom, seed, quiet});
    parser.addPositionalArgument(QStringLiteral("[VIDEO_OR_CSV...]"), QStringLiteral("More files for --rigs-from."));
    if (!parser.parse(arguments))
        return parser.errorText();
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        *helpShown = true;
        return QString();
    }
    args->avatarPath = parser.value(avatar);
    bool ok = false;
    if (!parser.isSet(count))
        return QStringLiteral("--count N is required");
    args->count = parser.value(count).toLongLong(&ok);
    if (!ok || args->count <= 0)
        return QStringLiteral("--count: '%1' is not a positive number").arg(parser.value(count));
    if (!parser.isSet(out) || parser.value(out).isEmpty())
        return QStringLiteral("--out DIR is required");
    args->outDir = parser.value(out);
    args->size = parser.value(size).toInt(&ok);
    if (!ok || args->size < 16 || args->size > 4096)
        return QStringLiteral("--size: '%1' is not an image side in [16, 4096]").arg(parser.value(size));
    args->seed = parser.value(seed).toULongLong(&ok);
    if (!ok)
        return QStringLiteral("--seed: '%1' is not a non-negative integer").arg(parser.value(seed));
    args->rigSources = parser.values(rigsFrom);
    if (!parser.positionalArguments().isEmpty()) {
        if (!parser.isSet(rigsFrom))
            return QStringLiteral("unexpected argument '%1' (files of real rig curves follow --rigs-from)")
                .arg(parser.positionalArguments().first());
        args->rigSources << parser.positionalArguments();
    }
    for (const QString &source : std::as_const(args->rigSources))
        if (!QFileInfo(source).isFile())
            return QStringLiteral("%1: no such file").arg(source);
    OutputPlan outputs;
    outputs.addInput(args->avatarPath);
    for (const QString &source : std::as_const(args->rigSources))
        outputs.addInput(source);
    outputs.addOutputFolder(args->outDir, QStringLiteral("--out"));
    if (const QString problem = outputs.check(); !problem.isEmpty())
        return problem;
    args->quiet = parser.isSet(quiet);
    return QString();
}


} // namespace

bool renderDatasetNeedsGui(int argc, char *argv[])
{
    if (argc < 2 || std::strcmp(argv[1], "render-dataset") != 0)
        return false;
    for (int i = 2; i < argc; ++i)
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0 || std::strcmp(argv[i], "-?") == 0)
            return false;
#if defined(Q_OS_LINUX) || defined(Q_OS_FREEBSD)
    return !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") || !qEnvironmentVariableIsEmpty("DISPLAY")
        || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
#else
    return true;
#endif
}

int runRenderDataset(const QStringList &arguments)
{
    QTextStream err(stderr);
    QTextStream out(stdout);
    Arguments args;
    bool helpShown = false;
    const QString usageError = parseArguments(arguments, &args, &helpShown);
    if (helpShown)
        return ExitSuccess;
    if (!usageError.isEmpty()) {
        err << "freeavatar render-dataset: " << terminalText(usageError) << Qt::endl;
        return ExitBadInput;
    }
    QString error;
    std::shared_ptr<const Avatar> avatar = loadAvatarArgument(args.avatarPath, QStringLiteral("render"), &error);
    if (!avatar) {
        err << "freeavatar render-dataset: " << terminalText(error) << Qt::endl;
        return ExitBadInput;
    }
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance())) {
        err << "freeavatar: " << kNeedsOpenGl << Qt::endl;
        return ExitFailure;
    }

    RenderDatasetRequest request;
    request.avatar = avatar;
    request.avatarPath = args.avatarPath;
    request.outputDirectory = args.outDir;
    request.count = args.count;
    request.size = args.size;
    request.seed = args.seed;
    if (!args.rigSources.isEmpty()) {
        ProgressBar bar;
        QElapsedTimer timer;
        timer.start();
        const std::optional<std::vector<std::vector<float>>> frames = RealRigCurves::load(
            args.rigSources, avatar->rig(),
            [&](double fraction, const QString &file) {
                if (!args.quiet)
                    bar.updateFraction(fraction, QFileInfo(file).fileName(), timer.elapsed() / 1000.0);
                return true;
            },
            &error);
        if (!args.quiet)
            bar.finish();
        if (!frames) {
            err << "freeavatar render-dataset: " << terminalText(error) << Qt::endl;
            return ExitBadInput;
        }
        request.realFrames = *frames;
        for (const QString &source : std::as_const(args.rigSources))
            request.realSources << QFileInfo(source).absoluteFilePath();
    }

    ProgressBar bar;
    QElapsedTimer timer;
    timer.start();
    RenderDatasetWriter writer;
    const bool ok = writer.write(request, [&](double fraction) {
        if (!args.quiet)
            bar.update(qint64(std::llround(fraction * double(args.count))), args.count, timer.elapsed() / 1000.0);
    });
    if (!args.quiet)
        bar.finish();
    if (!ok) {
        switch (writer.failure()) {
        case RenderDatasetWriter::Failure::OpenGL:
            err << "freeavatar: " << kNeedsOpenGl << " (" << terminalText(writer.errorString()) << ')' << Qt::endl;
            return ExitFailure;
        case RenderDatasetWriter::Failure::BadInput:
            err << "freeavatar render-dataset: " << terminalText(writer.errorString()) << Qt::endl;
            return ExitBadInput;
        default:
            err << "freeavatar render-dataset: " << terminalText(writer.errorString()) << Qt::endl;
            return ExitFailure;
        }
    }
    out << "Avatar:    " << (args.avatarPath.isEmpty() ? QStringLiteral("built-in mannequin head") : args.avatarPath)
        << " (" << avatar->rig().controlCount() << " controls)\n"
        << "Images:    " << writer.imagesWritten() << " of " << args.size << "x" << args.size << " in " << args.outDir << '\n'
        << "Renderer:  " << writer.glRenderer() << '\n'
        << "Speed:     " << QString::number(writer.imagesPerSecond(), 'f', 1) << " images/s ("
        << QString::number(writer.elapsedSeconds(), 'f', 2) << " s)\n";
    if (!request.realFrames.empty())
        out << "Real rigs: " << request.realFrames.size() << " frames from " << args.rigSources.size() << " files\n";
    return ExitSuccess;
}

} // namespace fa::cli
