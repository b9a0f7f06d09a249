// freeavatar eval-retarget VIDEO --avatar AVATAR --solver landmarks|freeavatar [--model RUN] --encoder RUN [--json]
#include "train_command.h"

#include "avatar_argument.h"
#include "exit_codes.h"
#include "terminal_text.h"
#include "number_argument.h"
#include "progress_bar.h"

#include "animator/retarget_evaluator.h"
#include "animator/video_solvers.h"
#include "avatar/rig_mapping.h"
#include "face/face_cropper.h"
#include "projectio/face_crop_geometry.h"
#include "retarget/video_measurer.h"

#include <QCommandLineParser>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

namespace fa::cli {
namespace {

void printError(const QString &message)
{
    QTextStream(stderr) << "freeavatar eval-retarget: " << terminalText(message) << Qt::endl;
}

QJsonObject summaryJson(const DistanceSummary &s)
{
    return QJsonObject{{QStringLiteral("frames"), s.count}, {QStringLiteral("mean"), s.mean},
                       {QStringLiteral("median"), s.median}, {QStringLiteral("p90"), s.p90}};
}

QString summaryLine(const DistanceSummary &s)
{
    return QStringLiteral("mean %1, median %2, p90 %3")
        .arg(s.mean, 0, 'f', 4).arg(s.median, 0, 'f', 4).arg(s.p90, 0, 'f', 4);
}

} // namespace

int runEvalRetarget(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "How well a solver keeps the actor's expression on an avatar: per frame, the distance in an expression "
        "encoder's 16-d space between the actor's face crop and the avatar's real render (the studio's renderer) of "
        "the solved rig; mean, median and 90th percentile, and the same for the avatar's neutral rig as the floor "
        "reference. Lower is better; a solver should stay well under the neutral rig's figures."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("VIDEO"), QStringLiteral("Video of the actor."));
    const QCommandLineOption avatar(QStringLiteral("avatar"),
        QStringLiteral("Avatar file, or 'mannequin' (default: the built-in mannequin head)."), QStringLiteral("AVATAR"));
    const QCommandLineOption solver(QStringLiteral("solver"), QStringLiteral("landmarks (default) or freeavatar."),
                                    QStringLiteral("NAME"), QStringLiteral("landmarks"));
    const QCommandLineOption model(QStringLiteral("model"), QStringLiteral("freeavatar: the animator model (rig-decoder run)."),
                                   QStringLiteral("RUN"));
    const QCommandLineOption encoder(QStringLiteral("encoder"),
        QStringLiteral("The triplet run whose encoder measures the distances."), QStringLiteral("RUN"));
    const QCommandLineOption frameStep(QStringLiteral("frame-step"),
        QStringLiteral("Evaluate every Nth frame (default 1)."), QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption start(QStringLiteral("start"), QStringLiteral("Start time in seconds."), QStringLiteral("S"));
    const QCommandLineOption end(QStringLiteral("end"), QStringLiteral("End time in seconds."), QStringLiteral("S"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print one JSON object instead of the table."));
    const QCommandLineOption device(QStringLiteral("device"), QStringLiteral("auto (default), cpu or cuda."),
                                    QStringLiteral("DEVICE"), QStringLiteral("auto"));
    const QCommandLineOption quiet(QStringLiteral("quiet"), QStringLiteral("No progress bar."));
    parser.addOptions({avatar, solver, model, encoder, frameStep, start, end, json, device, quiet});
    if (!parser.parse(arguments)) {
        printError(parser.errorText());
        return ExitBadInput;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return ExitSuccess;
    }
    if (parser.positionalArguments().size() != 1) {
        printError(QStringLiteral("expected one VIDEO (see freeavatar eval-retarget --help)"));
        return ExitBadInput;
    }
    if (!parser.isSet(encoder)) {
        printError(QStringLiteral("--encoder RUN is required (the triplet run that measures the distances)"));
        return ExitBadInput;
    }
    RetargetOptions options;
    options.videoPath = parser.positionalArguments().first();
    bool ok = true;
    const int step = parser.value(frameStep).toInt(&ok);
    if (!ok || step < 1) {
        printError(QStringLiteral("--frame-step: '%1' is not a positive number").arg(parser.value(frameStep)));
        return ExitBadInput;
    }
    for (const auto &[option, target] : {std::pair{&start, &options.startSeconds}, std::pair{&end, &options.endSeconds}}) {
        if (!parser.isSet(*option))
            continue;
        const std::optional<double> seconds = finiteNumber(parser.value(*option));
        *target = seconds.value_or(-1);
        if (!seconds || *seconds < 0) {
            printError(QStringLiteral("--%1: '%2' is not a time in seconds").arg(option->names().first(), parser.value(*option)));
            return ExitBadInput;
        }
    }

    QString error;
    std::shared_ptr<const Avatar> figure = loadAvatarArgument(parser.value(avatar), QStringLiteral("animate"), &error);
    if (!figure) {
        printError(error);
        return ExitBadInput;
    }
    VideoSolverRequest request;
    request.solver = parser.value(solver);
    request.model = parser.value(model);
    request.avatar = parser.value(avatar);
    request.device = parser.value(device);
    std::unique_ptr<VideoSolver> videoSolver = makeVideoSolver(request, &error);
    if (!videoSolver) {
        printError(error);
        return ExitBadInput;
    }
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance())) {
        printError(QStringLiteral("eval-retarget renders the avatar with OpenGL: run it under xvfb-run or on a desktop"));
        return ExitBadInput;
    }
    std::unique_ptr<RetargetEvaluator> evaluator = RetargetEvaluator::create(parser.value(encoder), figure, parser.value(device), &error);
    if (!evaluator) {
        printError(error);
        return ExitBadInput;
    }

    // 1. Solve the video; its curves as rows of the avatar's rig.
    ProgressBar bar;
    const bool showProgress = !parser.isSet(quiet) && !parser.isSet(json);
    auto progress = [&](const RetargetProgress &p) {
        if (showProgress)
            bar.update(p.framesDone, 2 * p.framesTotal, p.elapsedSeconds);
        return true;
    };
    if (!videoSolver->run(options, progress)) {
        if (showProgress)
            bar.finish();
        printError(videoSolver->errorString());
        return ExitBadInput;
    }
    const AnimationClip clip = videoSolver->solvesArkit() ? RigMapping::fromArkit(figure->rig()).apply(videoSolver->clip())
                                                          : videoSolver->clip();
    std::vector<int> column;
    for (const QString &name : figure->rig().names())
        column.push_back(clip.controlIndex(name));

    // 2. The actor's face crops, decoded again (the solver keeps none), each against its rig.
    const FaceCropper cropper(FaceCropper::framingOptions(FaceCropper::Framing::WholeFace, 224));
    std::vector<cv::Mat> crops;
    std::vector<std::vector<float>> rigs;
    std::vector<double> solved, neutral;
    QString evalError;
    int measured = 0;
    auto flush = [&]() {
        const bool done = evaluator->distances(crops, rigs, &solved, &neutral, &evalError);
        crops.clear();
        rigs.clear();
        return done;
    };
    bool evaluating = true;
    auto onImage = [&](const FrameMeasurement &frame, const cv::Mat &image) {
        const int f = measured++;
        cv::Point2f left, right;
        if (!evaluating || f % step != 0 || f >= clip.frameCount() || !clip.faceFound(f)
            || !eyeCentres(frame.landmarks, &left, &right))
            return;
        cv::Mat crop = cropper.crop(image, left, right);
        if (crop.empty())
            return;
        std::vector<float> rig(column.size(), 0.0f);
        for (std::size_t c = 0; c < column.size(); ++c)
            rig[c] = column[c] >= 0 ? clip.value(f, column[c]) : 0.0f;
        crops.push_back(std::move(crop));
        rigs.push_back(std::move(rig));
        if (crops.size() >= 16)
            evaluating = flush();
    };
    VideoMeasurer measurer;
    const bool measuredOk = measurer.measure(
        options,
        [&](const FrameMeasurement &, const RetargetProgress &p) {
            if (showProgress)
                bar.update(p.framesTotal + p.framesDone, 2 * p.framesTotal, p.elapsedSeconds);
            return evaluating;
        },
        {}, onImage);
    if (evaluating)
        evaluating = flush();
    if (showProgress)
        bar.finish();
    if (!evaluating) {
        printError(evalError);
        return ExitFailure;
    }
    if (!measuredOk) {
        printError(measurer.errorString());
        return ExitBadInput;
    }
    if (solved.empty()) {
        printError(QStringLiteral("%1: no frame with a face to evaluate").arg(options.videoPath));
        return ExitBadInput;
    }
    const DistanceSummary solvedSummary = DistanceSummary::of(solved);
    const DistanceSummary neutralSummary = DistanceSummary::of(neutral);
    QTextStream out(stdout);
    if (parser.isSet(json)) {
        const QJsonObject o{{QStringLiteral("video"), options.videoPath},
                            {QStringLiteral("avatar"), parser.value(avatar)},
                            {QStringLiteral("solver"), videoSolver->name()},
                            {QStringLiteral("encoder"), parser.value(encoder)},
                            {QStringLiteral("solved"), summaryJson(solvedSummary)},
                            {QStringLiteral("neutral"), summaryJson(neutralSummary)}};
        out << QJsonDocument(o).toJson(QJsonDocument::Compact) << '\n';
        return ExitSuccess;
    }
    out << "Video:     " << options.videoPath << '\n'
        << "Solver:    " << videoSolver->name() << '\n'
        << "Frames:    " << solvedSummary.count << " evaluated (every " << step << ")\n"
        << "Solved:    " << summaryLine(solvedSummary) << '\n'
        << "Neutral:   " << summaryLine(neutralSummary) << " (the floor reference)\n";
    return ExitSuccess;
}

} // namespace fa::cli
