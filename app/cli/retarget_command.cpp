#include "retarget_command.h"

#include "avatar_argument.h"
#include "exit_codes.h"
#include "terminal_text.h"
#include "face_finder_arguments.h"
#include "number_argument.h"
#include "progress_bar.h"

#include "avatar/rig_mapping.h"
#include "common/arkit.h"
#include "common/output_plan.h"
#include "export/generic_csv.h"
#include "export/live_link_csv.h"
#include "fbx/fbx_writer.h"
#include "retarget/retargeter.h"
#include "training_commands.h"

#ifdef FA_LEARNT_SOLVERS
#include "animator/video_solvers.h"
#endif

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QTextStream>

namespace fa::cli {
namespace {

struct Arguments
{
    RetargetOptions retarget;
    QString solver = QStringLiteral("landmarks");
    QString modelPath;
    QString avatarPath;
    QString csvPath;
    QString csvFormat = QStringLiteral("live-link");
    QString fbxPath;
    bool quiet = false;
};

// Parses the command line into `args`; returns an error text, empty when all is well.
QString parseArguments(const QStringList &arguments, Arguments *args, bool *helpShown)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Retarget the face in VIDEO onto an avatar and export the animation. The landmark solver drives an avatar's "
        "ARKit blendshapes; the freeavatar solver drives any rig through a trained animator model "
        "(freeavatar train rig-decoder)."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("VIDEO"), QStringLiteral("Video of the actor (any format FFmpeg reads)."));
    const QCommandLineOption avatar(QStringLiteral("avatar"),
        QStringLiteral("Avatar with ARKit blendshapes (glTF/GLB, FBX). Default: the built-in mannequin head."), QStringLiteral("AVATAR"));
    const QCommandLineOption solver(QStringLiteral("solver"),
        QStringLiteral("Solver: landmarks (default; no training) or freeavatar (the learnt solver; needs --model)."),
        QStringLiteral("NAME"), QStringLiteral("landmarks"));
    const QCommandLineOption model(QStringLiteral("model"),
        QStringLiteral("freeavatar: the animator model, a rig-decoder run folder trained for --avatar."),
        QStringLiteral("ANIMATOR_RUN"));
    const QCommandLineOption smooth(QStringLiteral("smooth"),
        QStringLiteral("Curve smoothing: butterworth (zero-phase, default), one-euro or none."),
        QStringLiteral("METHOD"), QStringLiteral("butterworth"));
    const QCommandLineOption neutral(QStringLiteral("neutral-frame"),
        QStringLiteral("Video frame number (0-based) showing the actor's neutral face. Default: automatic."), QStringLiteral("N"));
    const QCommandLineOption start(QStringLiteral("start"), QStringLiteral("Start time in seconds."), QStringLiteral("S"));
    const QCommandLineOption end(QStringLiteral("end"), QStringLiteral("End time in seconds."), QStringLiteral("S"));
    const QCommandLineOption csv(QStringLiteral("csv"), QStringLiteral("Write the curves as CSV."), QStringLiteral("OUT.csv"));
    const QCommandLineOption csvFormat(QStringLiteral("csv-format"),
        QStringLiteral("CSV flavour: live-link (Live Link Face, ARKit names; default) or generic (frame, time, face_found, one column per avatar control)."),
        QStringLiteral("FORMAT"), QStringLiteral("live-link"));
    const QCommandLineOption fbx(QStringLiteral("fbx"), QStringLiteral("Write the avatar with its blendshape animation as binary FBX."), QStringLiteral("OUT.fbx"));
    const FaceFinderArguments faceFinder(FaceFinderArguments::Scope::Detector);
    const QCommandLineOption quiet(QStringLiteral("quiet"), QStringLiteral("No progress bar."));
    parser.addOptions({avatar, solver, model, smooth, neutral, start, end, csv, csvFormat, fbx});
    parser.addOptions(faceFinder.options());
    parser.addOption(quiet);

    if (!parser.parse(arguments))
        return parser.errorText();
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        *helpShown = true;
        return QString();
    }
    if (parser.positionalArguments().size() != 1)
        return QStringLiteral("expected one VIDEO (see freeavatar retarget --help)");
    args->retarget.videoPath = parser.positionalArguments().first();
    args->avatarPath = parser.value(avatar);
    args->solver = parser.value(solver);
    if (args->solver != QLatin1String("landmarks") && args->solver != QLatin1String("freeavatar"))
        return QStringLiteral("--solver: unknown solver '%1' (landmarks or freeavatar)").arg(args->solver);
    args->modelPath = parser.value(model);
    if (args->solver == QLatin1String("freeavatar") && args->modelPath.isEmpty())
        return QStringLiteral("--solver freeavatar needs --model ANIMATOR_RUN (a rig-decoder run folder)");
    if (args->solver == QLatin1String("landmarks") && !args->modelPath.isEmpty())
        return QStringLiteral("--model is for --solver freeavatar");
    const std::optional<SmoothingMethod> method = smoothingMethodFromString(parser.value(smooth));
    if (!method)
        return QStringLiteral("--smooth: unknown method '%1' (one-euro, butterworth or none)").arg(parser.value(smooth));
    args->retarget.smoothing.method = *method;
    bool ok = true;
    if (parser.isSet(neutral)) {
        args->retarget.neutralFrame = parser.value(neutral).toLongLong(&ok);
        if (!ok || args->retarget.neutralFrame < 0)
            return QStringLiteral("--neutral-frame: '%1' is not a frame number").arg(parser.value(neutral));
    }
    if (parser.isSet(start)) {
        const std::optional<double> seconds = finiteNumber(parser.value(start));
        args->retarget.startSeconds = seconds.value_or(-1);
        if (!seconds || *seconds < 0)
            return QStringLiteral("--start: '%1' is not a time in seconds").arg(parser.value(start));
    }
    if (parser.isSet(end)) {
        const std::optional<double> seconds = finiteNumber(parser.value(end));
        args->retarget.endSeconds = seconds.value_or(0);
        if (!seconds || *seconds <= 0)
            return QStringLiteral("--end: '%1' is not a time in seconds").arg(parser.value(end));
    }
    args->csvPath = parser.value(csv);
    args->csvFormat = parser.value(csvFormat);
    if (args->csvFormat != QLatin1String("live-link") && args->csvFormat != QLatin1String("generic"))
        return QStringLiteral("--csv-format: unknown format '%1' (live-link or generic)").arg(args->csvFormat);
    args->fbxPath = parser.value(fbx);
    OutputPlan outputs;
    outputs.addInput(args->retarget.videoPath);
    outputs.addInput(args->avatarPath);
    outputs.addInput(args->modelPath);
    outputs.addOutputFile(args->csvPath, QStringLiteral("--csv"));
    outputs.addOutputFile(args->fbxPath, QStringLiteral("--fbx"));
    if (const QString problem = outputs.check(); !problem.isEmpty())
        return problem;
    for (const QString &out : {args->csvPath, args->fbxPath})
        if (!out.isEmpty() && !QFileInfo(QFileInfo(out).absolutePath()).isDir())
            return QStringLiteral("%1: the folder %2 does not exist").arg(out, QFileInfo(out).absolutePath());
    FaceFinderOptions finder;
    const QString finderError = faceFinder.apply(parser, &finder);
    if (!finderError.isEmpty())
        return finderError;
    args->retarget.detector = finder.detectorOptions();
    args->retarget.keepLandmarks = false; // curves only: an hour of video stays within 300 MB
    args->quiet = parser.isSet(quiet);
    return QString();
}


/// The landmark solver's ARKit -> avatar mapping, for the summary.
void printMapping(QTextStream &out, const RigMapping &mapping, int controls)
{
    out << "Mapped:    " << mapping.mappedCount() << " of " << controls
        << " avatar controls driven by ARKit blendshapes\n";
    if (!mapping.unmappedControls().isEmpty())
        out << "Unmapped:  " << mapping.unmappedControls().size() << " controls stay at 0: "
            << mapping.unmappedControls().mid(0, 10).join(QStringLiteral(", "))
            << (mapping.unmappedControls().size() > 10 ? QStringLiteral(", ...") : QString()) << '\n';
    if (!mapping.missingArkitShapes().isEmpty())
        out << "Missing:   the avatar lacks " << mapping.missingArkitShapes().size() << " ARKit shapes: "
            << mapping.missingArkitShapes().mid(0, 10).join(QStringLiteral(", "))
            << (mapping.missingArkitShapes().size() > 10 ? QStringLiteral(", ...") : QString()) << '\n';
}

} // namespace

int runRetarget(const QStringList &arguments)
{
    QTextStream err(stderr);
    QTextStream out(stdout);
    Arguments args;
    bool helpShown = false;
    const QString usageError = parseArguments(arguments, &args, &helpShown);
    if (helpShown)
        return ExitSuccess;
    if (!usageError.isEmpty()) {
        err << "freeavatar retarget: " << terminalText(usageError) << Qt::endl;
        return ExitBadInput;
    }

#ifndef FA_LEARNT_SOLVERS
    // The learnt solver needs LibTorch: freeavatar-train runs it in this process's place.
    if (args.solver != QLatin1String("landmarks"))
        return runTrainingCommand(QStringLiteral("retarget"), arguments.mid(1));
#endif

    QString error;
    const std::unique_ptr<Avatar> avatar = loadAvatarArgument(args.avatarPath, QStringLiteral("animate"), &error);
    if (!avatar) {
        err << "freeavatar retarget: " << terminalText(error) << Qt::endl;
        return ExitBadInput;
    }
#ifdef FA_LEARNT_SOLVERS
    VideoSolverRequest request;
    request.solver = args.solver;
    request.model = args.modelPath;
    request.avatar = args.avatarPath;
    const std::unique_ptr<VideoSolver> solver = makeVideoSolver(request, &error);
    if (!solver) {
        err << "freeavatar retarget: " << terminalText(error) << Qt::endl;
        return ExitBadInput;
    }
#else
    const std::unique_ptr<VideoSolver> solver = std::make_unique<Retargeter>();
#endif
    const RigMapping mapping = RigMapping::fromArkit(avatar->rig());
    if (solver->solvesArkit() && mapping.mappedCount() == 0) {
        err << "freeavatar retarget: " << (args.avatarPath.isEmpty() ? avatar->name : args.avatarPath)
            << ": none of its " << avatar->rig().controlCount()
            << " morph targets is an ARKit blendshape, so the landmark solver cannot drive it" << Qt::endl;
        return ExitBadInput;
    }

    ProgressBar bar;
    VideoSolver &retargeter = *solver;
    const bool ok = retargeter.run(args.retarget, [&](const RetargetProgress &p) {
        if (!args.quiet)
            bar.update(p.framesDone, p.framesTotal, p.elapsedSeconds);
        return true;
    });
    if (!args.quiet)
        bar.finish();
    if (!ok) {
        err << "freeavatar retarget: " << terminalText(retargeter.errorString()) << Qt::endl;
        return ExitBadInput;
    }
    if (!retargeter.warningString().isEmpty())
        err << "freeavatar retarget: warning: " << terminalText(retargeter.warningString()) << Qt::endl;

    // The landmark solver's ARKit curves are mapped onto the avatar; the learnt solver's curves
    // are the avatar's own controls already (its Live Link CSV keeps the ARKit-named ones).
    const AnimationClip &solvedClip = retargeter.clip();
    const AnimationClip avatarClip = retargeter.solvesArkit() ? mapping.apply(solvedClip) : solvedClip;
    const AnimationClip &arkitClip = retargeter.solvesArkit() ? solvedClip : avatarClip;
    QStringList written;
    if (!args.csvPath.isEmpty()) {
        const bool generic = args.csvFormat == QLatin1String("generic");
        if (!generic && !retargeter.solvesArkit() && mapping.mappedCount() == 0) {
            err << "freeavatar retarget: " << args.csvPath << ": the avatar has no ARKit controls for a Live Link "
                << "Face CSV; use --csv-format generic" << Qt::endl;
            return ExitBadInput;
        }
        const bool wrote = generic ? GenericCsv::write(args.csvPath, avatarClip, &error)
                                   : LiveLinkCsv::write(args.csvPath, arkitClip, &error);
        if (!wrote) {
            err << "freeavatar retarget: " << terminalText(error) << Qt::endl;
            return ExitBadInput;
        }
        written << QStringLiteral("%1 (%2 CSV)").arg(args.csvPath, generic ? QStringLiteral("generic") : QStringLiteral("Live Link Face"));
    }
    if (!args.fbxPath.isEmpty()) {
        FbxWriter writer;
        if (!writer.write(args.fbxPath, *avatar, avatarClip)) {
            err << "freeavatar retarget: " << terminalText(writer.errorString()) << Qt::endl;
            return ExitBadInput;
        }
        written << QStringLiteral("%1 (binary FBX)").arg(args.fbxPath);
    }

    const int frames = arkitClip.frameCount();
    const int faces = arkitClip.faceFoundCount();
    out << "Video:     " << args.retarget.videoPath << '\n'
        << "Avatar:    " << (args.avatarPath.isEmpty() || !QFileInfo(args.avatarPath).isFile() ? QStringLiteral("built-in mannequin head") : args.avatarPath) << '\n'
        << "Solver:    " << retargeter.name() << (args.modelPath.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(args.modelPath)) << '\n'
        << "Frames:    " << frames << " (" << faces << " with a face, "
        << QString::number(frames > 0 ? 100.0 * faces / frames : 0.0, 'f', 1) << " %)\n"
        << "Speed:     " << QString::number(retargeter.elapsedSeconds() > 0 ? frames / retargeter.elapsedSeconds() : 0.0, 'f', 1)
        << " frames/s (" << QString::number(retargeter.elapsedSeconds(), 'f', 2) << " s, of which "
        << QString::number(retargeter.setupSeconds(), 'f', 2) << " s loading the video and models)\n";
    if (!retargeter.solvesArkit())
        out << "Driven:    " << (avatarClip.controlCount() - arkit::rotationChannelNames().size())
            << " avatar controls, by the rig decoder\n";
    else
        printMapping(out, mapping, avatar->rig().controlCount());
    for (const QString &file : written)
        out << "Wrote:     " << file << '\n';
    if (written.isEmpty())
        out << "Wrote:     nothing (give --csv and/or --fbx)\n";
    return ExitSuccess;
}

} // namespace fa::cli
