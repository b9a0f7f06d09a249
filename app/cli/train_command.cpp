// freeavatar train mae|triplet|renderer|rig-decoder ...
#include "train_command.h"

#include "exit_codes.h"
#include "terminal_text.h"
#include "common/output_plan.h"
#include "face_finder_arguments.h"
#include "progress_bar.h"

#include "training/checkpoint.h"
#include "training/training_config.h"
#include "training/training_data.h"
#include "training/training_presets.h"
#include "training/training_run.h"

#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTextStream>

#include <atomic>
#include <csignal>
#include <cmath>
#include <unistd.h>

namespace fa::cli {
namespace {

std::atomic_bool g_stopRequested{false};

extern "C" void onTrainInterrupt(int)
{
    g_stopRequested.store(true);
    // A second Ctrl+C ends the program at once (the default action).
    std::signal(SIGINT, SIG_DFL);
    static const char message[] = "\nfreeavatar train: stopping after the current step (Ctrl+C again to abort)\n";
    [[maybe_unused]] const auto written = ::write(2, message, sizeof(message) - 1);
}

struct Arguments
{
    TrainingConfig config;
    QString runDir;
    bool resume = false;
    bool quiet = false;
    /// Keys the command line sets (compared with the stored config on --resume); "*" = all
    /// (--config).
    QStringList given;
};

void printError(const QString &message)
{
    QTextStream(stderr) << "freeavatar train: " << terminalText(message) << Qt::endl;
}

QString absolute(const QString &path)
{
    return path.isEmpty() ? path : QFileInfo(path).absoluteFilePath();
}

QString keysHelp()
{
    QString text = QStringLiteral("\nConfiguration keys (--set key=value, or in --config FILE.yaml):\n");
    QStringList line;
    for (const QString &key : TrainingConfig::keys()) {
        if (key == QLatin1String("kind") || key == QLatin1String("preset"))
            continue;
        line << key;
        if (line.join(QStringLiteral(", ")).size() > 70) {
            text += QStringLiteral("  ") + line.join(QStringLiteral(", ")) + QStringLiteral(",\n");
            line.clear();
        }
    }
    text += QStringLiteral("  ") + line.join(QStringLiteral(", ")) + QLatin1Char('\n');
    text += QStringLiteral("A run folder's config.yaml lists every key with its value and unit.\n");
    return text;
}

// Parses the command line; returns an error text, empty when all is well.
QString parseArguments(const QStringList &arguments, Arguments *args, bool *helpShown)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Train the expression encoder: 'mae' pre-trains a ViT as a masked autoencoder on face crops; 'triplet' "
        "fine-tunes it with a 16-d head on expression-comparison triplets. 'renderer' trains an avatar's neural "
        "renderer (rig -> image) on a render set made by 'freeavatar render-dataset'. 'rig-decoder' trains one rig "
        "decoder for several avatars through a frozen encoder (--encoder) and their frozen neural renderers "
        "(--avatar AVATAR:RENDERER_RUN, repeatable): the learnt FreeAvatar animator. The run folder gets config.yaml, "
        "metrics.jsonl, model.pt (a state dict Python's torch.load reads) and checkpoints/. Ctrl+C stops after "
        "the current step with a checkpoint; --resume continues it."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("KIND"), QStringLiteral("mae, triplet, renderer or rig-decoder"));
    const QCommandLineOption preset(QStringLiteral("preset"),
        QStringLiteral("Defaults: tiny (ViT-Ti/16, for CPUs), small (ViT-S/16) or vit-b (ViT-B/16, the paper's); "
                       "renderer: tiny (64 px, narrow, for CPUs) or paper (256 px, the reference's); rig-decoder: "
                       "tiny (for CPUs) or paper (the reference's). Default: tiny."),
        QStringLiteral("NAME"));
    const QCommandLineOption config(QStringLiteral("config"),
        QStringLiteral("YAML file of configuration keys (a run folder's config.yaml works); keys it lacks come from "
                       "its preset, else --preset."), QStringLiteral("FILE.yaml"));
    const QCommandLineOption set(QStringLiteral("set"), QStringLiteral("Sets one configuration key (repeatable), e.g. --set lr=0.001."),
                                 QStringLiteral("KEY=VALUE"));
    const QCommandLineOption data(QStringLiteral("data"),
        QStringLiteral("Training data (repeatable; more paths may follow it): mae: projects, image folders, videos; "
                       "triplet: a project, a triplet CSV (reference or FEC, images in --set image_dir=DIR) or a "
                       "folder of images named by emotion (subject01_happy.png); renderer: one render set folder; "
                       "rig-decoder: videos (faces with landmark-solver rig targets), image folders and projects."),
        QStringLiteral("PATH"));
    const QCommandLineOption validation(QStringLiteral("validation"),
        QStringLiteral("Held-out data of the same kind, evaluated with the eval transform (repeatable)."), QStringLiteral("PATH"));
    const QCommandLineOption init(QStringLiteral("init"),
        QStringLiteral("Start from a run folder's weights or a .pth/.pt state dict (e.g. MAE's mae_pretrain_vit_base.pth); "
                       "a triplet run takes a MAE run's encoder."), QStringLiteral("RUN_DIR"));
    const QCommandLineOption steps(QStringLiteral("steps"), QStringLiteral("Optimizer steps."), QStringLiteral("N"));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("Run folder (created; with --resume: the run to continue)."),
                                 QStringLiteral("RUN_DIR"));
    const QCommandLineOption resume(QStringLiteral("resume"),
        QStringLiteral("Continue the run in --out from its newest checkpoint (other options, if given, must match it)."));
    const QCommandLineOption quiet(QStringLiteral("quiet"), QStringLiteral("No progress bar."));
    const QCommandLineOption encoder(QStringLiteral("encoder"),
        QStringLiteral("rig-decoder: the triplet run whose encoder reads the faces (frozen)."), QStringLiteral("RUN_DIR"));
    const QCommandLineOption avatar(QStringLiteral("avatar"),
        QStringLiteral("rig-decoder: an avatar (a file, or 'mannequin') and its renderer run, AVATAR:RENDERER_RUN "
                       "(repeatable; one identity row each, in order)."), QStringLiteral("AVATAR:RUN"));
    const FaceFinderArguments faceFinder;
    parser.addOptions({preset, config, set, data, validation, init, steps, out, resume, quiet, encoder, avatar});
    parser.addOptions(faceFinder.options());

    if (!parser.parse(arguments))
        return parser.errorText();
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText() << keysHelp();
        *helpShown = true;
        return QString();
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return QStringLiteral("expected the kind, mae, triplet, renderer or rig-decoder (see freeavatar train --help)");
    const QString kind = positional.first();
    if (!isTrainingKind(kind))
        return QStringLiteral("unknown kind '%1' (mae, triplet, renderer or rig-decoder)").arg(kind);
    if (kind != QLatin1String("rig-decoder") && (parser.isSet(encoder) || parser.isSet(avatar)))
        return QStringLiteral("--encoder and --avatar are for rig-decoder runs");
    args->runDir = absolute(parser.value(out));
    if (args->runDir.isEmpty())
        return QStringLiteral("--out RUN_DIR is required");
    args->resume = parser.isSet(resume);
    args->quiet = parser.isSet(quiet);
    if (parser.isSet(config))
        args->given << QStringLiteral("*");
    if (parser.isSet(preset))
        args->given << QStringLiteral("preset");
    for (const QString &assignment : parser.values(set))
        args->given << assignment.section(QLatin1Char('='), 0, 0).trimmed();
    if (parser.isSet(data))
        args->given << QStringLiteral("data");
    if (parser.isSet(validation))
        args->given << QStringLiteral("validation");
    if (parser.isSet(init))
        args->given << QStringLiteral("init");
    if (parser.isSet(steps))
        args->given << QStringLiteral("steps");
    if (parser.isSet(encoder))
        args->given << QStringLiteral("encoder");
    if (parser.isSet(avatar))
        args->given << QStringLiteral("avatars");
    const QList<QPair<QString, QString>> finderSettings = faceFinder.configSettings(parser);
    for (const auto &setting : finderSettings)
        args->given << setting.first;

    QString error;
    const QString presetName = parser.isSet(preset) ? parser.value(preset) : QStringLiteral("tiny");
    const std::optional<TrainingConfig> base = trainingPreset(kind, presetName, &error);
    if (!base)
        return QStringLiteral("--preset: ") + error;
    TrainingConfig c = *base;
    if (parser.isSet(config)) {
        const std::optional<TrainingConfig> fromFile = TrainingConfig::fromYamlFile(parser.value(config), &error, &c);
        if (!fromFile)
            return error;
        c = *fromFile;
    }
    for (const QString &assignment : parser.values(set)) {
        const int eq = assignment.indexOf(QLatin1Char('='));
        if (eq <= 0)
            return QStringLiteral("--set: expected KEY=VALUE, got '%1'").arg(assignment);
        if (!c.set(assignment.left(eq), assignment.mid(eq + 1), &error))
            return QStringLiteral("--set ") + error;
    }
    // The face finder flags: checked under their own names, then kept as configuration keys.
    FaceFinderOptions checked = faceLoadOptions(c).faces;
    const QString finderError = faceFinder.apply(parser, &checked);
    if (!finderError.isEmpty())
        return finderError;
    for (const auto &setting : finderSettings)
        if (!c.set(setting.first, setting.second, &error))
            return error;
    // --data a b c: QCommandLineParser takes 'a' as the option's value and the others as
    // positional arguments after the kind.
    QStringList dataPaths = parser.values(data) + positional.mid(1);
    if (!dataPaths.isEmpty())
        c.data = dataPaths;
    if (!positional.mid(1).isEmpty() && !parser.isSet(data))
        return QStringLiteral("unexpected argument '%1' (data paths follow --data)").arg(positional.at(1));
    if (parser.isSet(validation))
        c.validation = parser.values(validation);
    if (parser.isSet(init))
        c.init = parser.value(init);
    if (parser.isSet(encoder))
        c.encoder = parser.value(encoder);
    if (parser.isSet(avatar))
        c.avatars = parser.values(avatar);
    if (parser.isSet(steps)) {
        bool ok = false;
        const qlonglong n = parser.value(steps).toLongLong(&ok);
        if (!ok || n < 1)
            return QStringLiteral("--steps: '%1' is not a positive number of steps").arg(parser.value(steps));
        c.steps = n;
    }
    // Paths are stored absolute: the run folder's config.yaml works from any folder.
    for (QString &path : c.data)
        path = absolute(path);
    for (QString &path : c.validation)
        path = absolute(path);
    c.init = absolute(c.init);
    c.encoder = absolute(c.encoder);
    for (QString &spec : c.avatars) {
        QString avatarPath, rendererRun;
        if (!splitAvatarSpec(spec, &avatarPath, &rendererRun))
            return QStringLiteral("--avatar: '%1' is not AVATAR:RENDERER_RUN").arg(spec);
        if (avatarPath.compare(QLatin1String("mannequin"), Qt::CaseInsensitive) != 0)
            avatarPath = absolute(avatarPath);
        spec = avatarPath + QLatin1Char(':') + absolute(rendererRun);
    }
    c.imageDir = absolute(c.imageDir);
    c.yunetModel = absolute(c.yunetModel);
    OutputPlan outputs;
    for (const QString &path : c.data + c.validation + QStringList{c.init, c.encoder, c.imageDir, c.yunetModel})
        outputs.addInput(path);
    for (const QString &spec : std::as_const(c.avatars)) {
        QString avatarPath, rendererRun;
        splitAvatarSpec(spec, &avatarPath, &rendererRun);
        outputs.addInput(avatarPath);
        outputs.addInput(rendererRun);
    }
    outputs.addOutputFolder(args->runDir, QStringLiteral("--out"));
    if (const QString problem = outputs.check(); !problem.isEmpty())
        return problem;
    if (!args->resume && !parser.isSet(steps) && !parser.isSet(config))
        return QStringLiteral("--steps N is required");
    if (!c.validate(&error))
        return error;
    args->config = c;
    return QString();
}

/// The keys given on the command line whose values differ from the stored run's.
QStringList differences(const TrainingConfig &stored, const TrainingConfig &given, const QStringList &keys)
{
    QStringList out;
    for (const QString &key : TrainingConfig::keys()) {
        if (!keys.contains(key) && !keys.contains(QStringLiteral("*")))
            continue;
        if (stored.value(key) != given.value(key))
            out << QStringLiteral("%1 %2 (the run has %3)").arg(key, given.value(key), stored.value(key));
    }
    return out;
}

QString formatLoss(double loss)
{
    return std::isfinite(loss) ? QString::number(loss, 'g', 4) : QStringLiteral("nan");
}

} // namespace

int runTrain(const QStringList &arguments)
{
    QTextStream out(stdout);
    Arguments args;
    bool helpShown = false;
    const QString usageError = parseArguments(arguments, &args, &helpShown);
    if (helpShown)
        return ExitSuccess;
    if (!usageError.isEmpty()) {
        printError(usageError);
        return ExitBadInput;
    }

    QString error;
    std::unique_ptr<TrainingRun> run;
    if (args.resume) {
        run = TrainingRun::resume(args.runDir, &error);
        if (!run) {
            printError(error);
            return ExitBadInput;
        }
        if (run->config().kind != args.config.kind) {
            printError(QStringLiteral("%1: it holds a %2 run, not %3").arg(args.runDir, run->config().kind, args.config.kind));
            return ExitBadInput;
        }
        const QStringList changed = differences(run->config(), args.config, args.given);
        if (!changed.isEmpty()) {
            printError(QStringLiteral("%1: --resume continues the run as configured; these differ: %2")
                           .arg(args.runDir, changed.join(QStringLiteral("; "))));
            return ExitBadInput;
        }
    } else {
        run = TrainingRun::create(args.config, args.runDir, &error);
        if (!run) {
            printError(error);
            return ExitBadInput;
        }
    }

    ProgressBar bar;
    QElapsedTimer clock;
    clock.start();
    auto showProgress = [&](double fraction, const QString &status) {
        if (!args.quiet)
            bar.updateFraction(fraction, status, clock.elapsed() / 1000.0);
    };
    // Ctrl+C from here on: while loading it cancels the load, while training it stops after
    // the current step with a checkpoint.
    g_stopRequested.store(false);
    std::signal(SIGINT, onTrainInterrupt);
    if (!run->prepare(showProgress, &error, &g_stopRequested)) {
        std::signal(SIGINT, SIG_DFL);
        if (!args.quiet)
            bar.finish();
        if (g_stopRequested.load()) {
            out << "Stopped:   while loading the data (nothing trained yet)\n";
            return ExitInterrupted;
        }
        printError(error);
        return ExitBadInput;
    }
    if (!args.quiet)
        bar.finish();
    const TrainingConfig &config = run->config();
    out << "Run:       " << run->runDir() << (args.resume ? QStringLiteral(" (resumed at step %1)").arg(run->step()) : QString()) << '\n';
    if (config.isRenderer())
        out << "Training:  renderer, preset " << config.preset << ", " << config.rendererSize << " px, width "
            << config.rendererWidth << "; " << run->trainingItemCount() << " rigs, held out " << run->validationItemCount();
    else if (config.isRigDecoder())
        out << "Training:  rig-decoder, preset " << config.preset << ", " << config.avatars.size() << " avatars; "
            << run->trainingItemCount() << " faces and renders, held out " << run->validationItemCount();
    else
        out << "Training:  " << config.kind << ", preset " << config.preset << ", ViT " << config.embedDim << " wide, "
            << config.depth << " deep, " << config.imageSize << " px; " << run->trainingItemCount()
            << (config.isMae() ? " face crops" : " triplets");
    if (!config.isRenderer() && !config.isRigDecoder() && run->validationItemCount() > 0)
        out << ", validation " << run->validationItemCount();
    out << '\n' << "Device:    " << run->deviceDescription() << '\n';
    if (!run->initReport().isEmpty())
        out << "Init:      " << config.init << " (" << run->initReport() << ")\n";
    out.flush();

    ProgressBar stepBar;
    QElapsedTimer stepClock;
    stepClock.start();
    TrainingMetrics last;
    bool logged = false;
    TrainingCallbacks callbacks;
    callbacks.metricsLogged = [&](const TrainingMetrics &m) {
        last = m;
        logged = true;
    };
    callbacks.progress = [&](double fraction, const QString &status) {
        if (!args.quiet)
            stepBar.updateFraction(fraction, status, stepClock.elapsed() / 1000.0);
    };
    callbacks.stopRequested = [] { return g_stopRequested.load(); };
    const TrainingRun::Outcome outcome = run->run(callbacks, &error);
    std::signal(SIGINT, SIG_DFL);
    if (!args.quiet)
        stepBar.finish();

    if (logged) {
        out << "Step:      " << last.step << " of " << last.totalSteps << ", loss " << formatLoss(last.loss)
            << ", " << QString::number(last.imagesPerSecond, 'f', 1) << " images/s";
        if (last.validationAccuracy)
            out << ", validation accuracy " << QString::number(100.0 * *last.validationAccuracy, 'f', 1) << " %";
        if (last.validationLoss)
            out << ", validation loss " << formatLoss(*last.validationLoss);
        if (last.validationPsnr)
            out << ", held-out PSNR " << QString::number(*last.validationPsnr, 'f', 2) << " dB, L1 "
                << QString::number(last.validationL1.value_or(0), 'f', 4);
        out << '\n';
        for (const auto &[key, value] : last.avatarScores)
            out << "Held out:  " << key.section(QLatin1Char(':'), 1) << ", " << key.section(QLatin1Char(':'), 0, 0)
                << ' ' << QString::number(value, 'g', 4) << '\n';
    }
    const std::vector<CheckpointInfo> checkpoints = listCheckpoints(run->runDir());
    if (!checkpoints.empty())
        out << "Weights:   " << QDir(run->runDir()).absoluteFilePath(QStringLiteral("model.pt")) << " (step "
            << checkpoints.back().step << ")\n";
    switch (outcome) {
    case TrainingRun::Outcome::Finished:
        return ExitSuccess;
    case TrainingRun::Outcome::Stopped:
        out << "Stopped:   at step " << run->step() << "; continue with: freeavatar train " << config.kind
            << " --resume --out " << run->runDir() << '\n';
        return ExitInterrupted;
    case TrainingRun::Outcome::Failed:
        break;
    }
    printError(error);
    return ExitFailure;
}

} // namespace fa::cli
