// The rig decoder trained for two avatars (the mannequin head and facecap) through a frozen tiny
// encoder and their frozen tiny neural renderers, on a shared video's faces with landmark-solver
// targets (CPU; the fixture is made with the command line, under xvfb for the renders): the run
// folder is a self-contained animator model (animator.json, model.pt), the held-out scores are
// logged per avatar, training lowers the loss, a resume repeats the uninterrupted losses, and bad
// avatars, renderers and encoders are refused with one line naming them.
#include "nn/rig_decoder.h"
#include "nn/state_dict.h"
#include "animator/animator_model.h"
#include "animator/retarget_evaluator.h"
#include "avatar/mannequin_head.h"
#include "animator/video_solvers.h"
#include "common/arkit.h"
#include "training/animator_run_info.h"
#include "training/encoder_diagnosis.h"
#include "training/training_metrics.h"
#include "training/training_presets.h"
#include "training/training_run.h"

#include "test_files.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <torch/torch.h>

using fa::TrainingConfig;
using fa::TrainingMetrics;
using fa::TrainingRun;

namespace {

QString freshDir(const QString &name)
{
    const QString dir = fa::test::outputDir() + QStringLiteral("/rig_decoder/") + name;
    QDir(dir).removeRecursively();
    return dir;
}

QString facecapPath()
{
    return fa::test::dataPath(QStringLiteral("avatars/facecap/facecap_decoded.glb"));
}

/// Runs `freeavatar ARGS`; the output (stdout + stderr) in `output`.
int cli(const QStringList &arguments, QString *output, int timeoutMs = 600000)
{
    QProcess process;
    process.start(QStringLiteral(FA_BIN_DIR "/freeavatar"), arguments);
    if (!process.waitForFinished(timeoutMs))
        return -1;
    *output = QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError());
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

struct Outcome
{
    TrainingRun::Outcome outcome = TrainingRun::Outcome::Failed;
    QString error;
    std::vector<TrainingMetrics> metrics;
};

Outcome runTo(TrainingRun &run, qint64 stopAt = -1)
{
    Outcome out;
    fa::TrainingCallbacks callbacks;
    callbacks.metricsLogged = [&](const TrainingMetrics &m) { out.metrics.push_back(m); };
    callbacks.stopRequested = [&] { return stopAt >= 0 && run.step() >= stopAt; };
    out.outcome = run.run(callbacks, &out.error);
    return out;
}

} // namespace

class TestRigDecoderTraining : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void trainsAnAnimatorModelForTwoAvatars();
    void resumeEqualsUninterrupted();
    void refusesMismatchedRuns_data();
    void refusesMismatchedRuns();
    void commandLine();
    void learntSolverRetargetsBothAvatars();
    void learntSolverRefusesBadModels_data();
    void learntSolverRefusesBadModels();
    void distanceSummary_data();
    void distanceSummary();
    void evaluatorKnowsTheAnswerOnTheAvatarsOwnRenders();
    void evalRetargetCommand();
    void ridgeProbeKnowsALinearTarget();
    void evalEncoderCommand();

private:
    TrainingConfig decoderConfig(qint64 steps) const;

    QString m_trained; ///< the animator model of trainsAnAnimatorModelForTwoAvatars

    QString m_encoder;
    QString m_mannequinRenderer;
    QString m_facecapRenderer;
};

void TestRigDecoderTraining::initTestCase()
{
    torch::set_num_threads(2);
    QString output;
    // Render sets and tiny renderers of both avatars.
    const QString mannequinSet = freshDir(QStringLiteral("set_mannequin"));
    const QString facecapSet = freshDir(QStringLiteral("set_facecap"));
    QVERIFY2(cli({QStringLiteral("render-dataset"), QStringLiteral("--count"), QStringLiteral("300"), QStringLiteral("--size"),
                  QStringLiteral("64"), QStringLiteral("--seed"), QStringLiteral("1"), QStringLiteral("--out"), mannequinSet},
                 &output) == 0, qPrintable(output));
    QVERIFY2(cli({QStringLiteral("render-dataset"), QStringLiteral("--avatar"), facecapPath(), QStringLiteral("--count"),
                  QStringLiteral("300"), QStringLiteral("--size"), QStringLiteral("64"), QStringLiteral("--seed"),
                  QStringLiteral("2"), QStringLiteral("--out"), facecapSet}, &output) == 0, qPrintable(output));
    m_mannequinRenderer = freshDir(QStringLiteral("renderer_mannequin"));
    m_facecapRenderer = freshDir(QStringLiteral("renderer_facecap"));
    for (const auto &[set, run] : {std::pair{mannequinSet, m_mannequinRenderer}, std::pair{facecapSet, m_facecapRenderer}})
        QVERIFY2(cli({QStringLiteral("train"), QStringLiteral("renderer"), QStringLiteral("--data"), set, QStringLiteral("--steps"),
                      QStringLiteral("40"), QStringLiteral("--set"), QStringLiteral("renderer_width=8"), QStringLiteral("--out"),
                      run, QStringLiteral("--quiet")}, &output) == 0, qPrintable(output));
    // A tiny encoder: a few triplet steps on the Yale faces (its weights need not be good: the
    // decoder's mechanics are under test here).
    m_encoder = freshDir(QStringLiteral("encoder"));
    QVERIFY2(cli({QStringLiteral("train"), QStringLiteral("triplet"), QStringLiteral("--data"),
                  fa::test::dataPath(QStringLiteral("images/yale_faces")), QStringLiteral("--steps"), QStringLiteral("3"),
                  QStringLiteral("--set"), QStringLiteral("image_size=64"), QStringLiteral("--set"), QStringLiteral("patch_size=8"),
                  QStringLiteral("--set"), QStringLiteral("embed_dim=64"), QStringLiteral("--set"), QStringLiteral("depth=2"),
                  QStringLiteral("--set"), QStringLiteral("num_heads=4"), QStringLiteral("--set"),
                  QStringLiteral("category_triplets=32"), QStringLiteral("--set"), QStringLiteral("batch_size=8"),
                  QStringLiteral("--out"), m_encoder, QStringLiteral("--quiet")}, &output) == 0, qPrintable(output));
}

TrainingConfig TestRigDecoderTraining::decoderConfig(qint64 steps) const
{
    TrainingConfig c = *fa::trainingPreset(QStringLiteral("rig-decoder"), QStringLiteral("tiny"));
    c.encoder = m_encoder;
    c.avatars = {QStringLiteral("mannequin:") + m_mannequinRenderer, facecapPath() + QLatin1Char(':') + m_facecapRenderer};
    c.data = {fa::test::dataPath(QStringLiteral("videos/liveportrait_d3.mp4"))};
    c.videoFrameStep = 6;
    c.steps = steps;
    c.batchSize = 6;
    c.logEvery = 5;
    c.evalEvery = 10;
    c.checkpointEvery = 100000;
    c.device = QStringLiteral("cpu");
    c.seed = 3;
    return c;
}

void TestRigDecoderTraining::trainsAnAnimatorModelForTwoAvatars()
{
    const QString dir = freshDir(QStringLiteral("train"));
    QString error;
    const TrainingConfig config = decoderConfig(60);
    QVERIFY2(config.validate(&error), qPrintable(error));
    std::unique_ptr<TrainingRun> run = TrainingRun::create(config, dir, &error);
    QVERIFY2(run, qPrintable(error));
    const Outcome out = runTo(*run);
    QVERIFY2(out.outcome == TrainingRun::Outcome::Finished, qPrintable(out.error));
    QVERIFY(out.metrics.size() >= 2);
    const TrainingMetrics &first = out.metrics.front();
    const TrainingMetrics &last = out.metrics.back();
    qInfo("loss %.4f at step %lld, %.4f at step %lld; held-out loss %.4f", first.loss, first.step, last.loss, last.step,
          last.validationLoss.value_or(-1));
    for (const auto &[key, value] : last.avatarScores)
        qInfo("  %s %.4f", qPrintable(key), value);
    QVERIFY(std::isfinite(last.loss));
    QVERIFY(last.loss < first.loss);
    QVERIFY(last.validationLoss.has_value());
    // Per avatar: real held-out frames against their landmark targets, held-out renders, and the
    // expression distance.
    for (const QString &avatar : {QStringLiteral("Mannequin"), QStringLiteral("facecap_decoded")}) {
        bool found = false;
        for (const auto &[key, value] : last.avatarScores)
            found = found || (key.endsWith(QLatin1Char(':') + avatar) && std::isfinite(value));
        QVERIFY2(found, qPrintable(avatar));
    }
    QVERIFY(last.avatarScores.count(QStringLiteral("rig_mse:Mannequin")));
    QVERIFY(last.avatarScores.count(QStringLiteral("render_rig_mse:Mannequin")));
    QVERIFY(last.avatarScores.count(QStringLiteral("embedding_distance:Mannequin")));

    // The run folder alone describes the model: avatars in identity order with their rigs, the
    // encoder and renderers by path and fingerprint; model.pt loads into a decoder of its sizes.
    const std::optional<fa::AnimatorRunInfo> info = fa::AnimatorRunInfo::read(dir, &error);
    QVERIFY2(info, qPrintable(error));
    QCOMPARE(int(info->avatars.size()), 2);
    QCOMPARE(info->avatars[0].avatarPath, QString());
    QCOMPARE(info->avatars[1].identity, 1);
    QVERIFY(info->avatars[1].avatarPath.endsWith(QStringLiteral("facecap_decoded.glb")));
    QVERIFY(info->encoderFingerprint.startsWith(QStringLiteral("sha256:")));
    QCOMPARE(info->featureSize, 64);
    int nMax = 0;
    for (const fa::AnimatorAvatar &avatar : info->avatars)
        nMax = std::max(nMax, int(avatar.controls.size()));
    QCOMPARE(info->rigSize, nMax);
    QVERIFY(info->findAvatar(QStringLiteral("mannequin")) == &info->avatars[0]);
    QVERIFY(info->findAvatar(facecapPath()) == &info->avatars[1]);
    QVERIFY(info->findAvatar(QStringLiteral("/no/such/avatar.glb")) == nullptr);
    fa::nn::RigDecoder decoder(fa::nn::RigDecoderOptions(info->featureSize, info->rigSize)
                                   .identities(info->identityRows)
                                   .hiddenSize(info->hiddenSize)
                                   .blocks(info->blocks));
    std::string problem;
    const auto dict = fa::nn::loadStateDict((dir + QStringLiteral("/model.pt")).toStdString(), &problem);
    QVERIFY2(dict, problem.c_str());
    fa::nn::LoadReport report;
    QVERIFY2(fa::nn::loadStateDictInto(*decoder, *dict, {}, &report, &problem), problem.c_str());
    QVERIFY(report.missing.empty() && report.unexpected.empty());
    m_trained = dir;
}

void TestRigDecoderTraining::resumeEqualsUninterrupted()
{
    TrainingConfig config = decoderConfig(12);
    config.logEvery = 2;
    config.evalEvery = 6;
    QString error;
    std::unique_ptr<TrainingRun> straight = TrainingRun::create(config, freshDir(QStringLiteral("straight")), &error);
    QVERIFY2(straight, qPrintable(error));
    const Outcome a = runTo(*straight);
    QVERIFY2(a.outcome == TrainingRun::Outcome::Finished, qPrintable(a.error));

    const QString resumedDir = freshDir(QStringLiteral("resumed"));
    std::unique_ptr<TrainingRun> first = TrainingRun::create(config, resumedDir, &error);
    QVERIFY2(first, qPrintable(error));
    const Outcome b1 = runTo(*first, 6);
    QCOMPARE(int(b1.outcome), int(TrainingRun::Outcome::Stopped));
    first.reset();
    std::unique_ptr<TrainingRun> second = TrainingRun::resume(resumedDir, &error);
    QVERIFY2(second, qPrintable(error));
    QCOMPARE(second->step(), qint64(6));
    const Outcome b2 = runTo(*second);
    QVERIFY2(b2.outcome == TrainingRun::Outcome::Finished, qPrintable(b2.error));
    std::vector<TrainingMetrics> resumed = b1.metrics;
    resumed.insert(resumed.end(), b2.metrics.begin(), b2.metrics.end());
    QCOMPARE(resumed.size(), a.metrics.size());
    for (std::size_t i = 0; i < a.metrics.size(); ++i) {
        QCOMPARE(resumed[i].step, a.metrics[i].step);
        QCOMPARE(resumed[i].loss, a.metrics[i].loss);
        QCOMPARE(resumed[i].avatarScores, a.metrics[i].avatarScores);
    }
}

void TestRigDecoderTraining::refusesMismatchedRuns_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("expected");
    QTest::newRow("renderer of another avatar") << QStringLiteral("avatar") << QStringLiteral("a renderer of the mannequin head, not of");
    QTest::newRow("renderer run as encoder") << QStringLiteral("encoder") << QStringLiteral("a renderer run, not an expression encoder");
    QTest::newRow("encoder run as renderer") << QStringLiteral("renderer") << QStringLiteral("a triplet run, not a neural renderer");
    QTest::newRow("no such renderer run") << QStringLiteral("missing") << QStringLiteral("no such folder");
    QTest::newRow("avatar twice") << QStringLiteral("twice") << QStringLiteral("given twice");
}

void TestRigDecoderTraining::refusesMismatchedRuns()
{
    QFETCH(QString, what);
    QFETCH(QString, expected);
    TrainingConfig config = decoderConfig(2);
    if (what == QLatin1String("avatar"))
        config.avatars = {facecapPath() + QLatin1Char(':') + m_mannequinRenderer};
    else if (what == QLatin1String("encoder"))
        config.encoder = m_mannequinRenderer;
    else if (what == QLatin1String("renderer"))
        config.avatars = {QStringLiteral("mannequin:") + m_encoder};
    else if (what == QLatin1String("missing"))
        config.avatars = {QStringLiteral("mannequin:/no/such/run")};
    else
        config.avatars = {QStringLiteral("mannequin:") + m_mannequinRenderer, QStringLiteral("mannequin:") + m_mannequinRenderer};
    QString error;
    std::unique_ptr<TrainingRun> run = TrainingRun::create(config, freshDir(QStringLiteral("refused")), &error);
    QVERIFY2(run, qPrintable(error));
    const Outcome out = runTo(*run);
    QCOMPARE(int(out.outcome), int(TrainingRun::Outcome::Failed));
    QVERIFY2(out.error.contains(expected), qPrintable(out.error));
    QVERIFY2(!out.error.contains(QLatin1Char('\n')), qPrintable(out.error));
}

void TestRigDecoderTraining::commandLine()
{
    const QString dir = freshDir(QStringLiteral("cli"));
    QString output;
    const int code = cli({QStringLiteral("train"), QStringLiteral("rig-decoder"), QStringLiteral("--encoder"), m_encoder,
                          QStringLiteral("--avatar"), QStringLiteral("mannequin:") + m_mannequinRenderer,
                          QStringLiteral("--avatar"), facecapPath() + QLatin1Char(':') + m_facecapRenderer,
                          QStringLiteral("--data"), fa::test::dataPath(QStringLiteral("videos/liveportrait_d3.mp4")),
                          QStringLiteral("--set"), QStringLiteral("video_frame_step=12"), QStringLiteral("--set"),
                          QStringLiteral("eval_every=4"), QStringLiteral("--steps"), QStringLiteral("4"),
                          QStringLiteral("--out"), dir, QStringLiteral("--quiet")}, &output);
    QVERIFY2(code == 0, qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("rig-decoder, preset tiny, 2 avatars")), qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("Held out:  Mannequin, rig_mse")), qPrintable(output));
    QVERIFY(QFileInfo::exists(dir + QStringLiteral("/animator.json")));
    // A malformed --avatar: exit 2 with one line.
    const int bad = cli({QStringLiteral("train"), QStringLiteral("rig-decoder"), QStringLiteral("--encoder"), m_encoder,
                         QStringLiteral("--avatar"), m_mannequinRenderer.section(QLatin1Char('/'), -1),
                         QStringLiteral("--steps"), QStringLiteral("4"), QStringLiteral("--out"),
                         freshDir(QStringLiteral("cli_bad"))}, &output);
    QCOMPARE(bad, 2);
    QVERIFY2(output.contains(QStringLiteral("is not AVATAR:RENDERER_RUN")), qPrintable(output));
}

void TestRigDecoderTraining::learntSolverRetargetsBothAvatars()
{
    QVERIFY2(!m_trained.isEmpty(), "needs trainsAnAnimatorModelForTwoAvatars");
    const QString video = fa::test::dataPath(QStringLiteral("videos/liveportrait_d3.mp4"));
    QString error;
    for (const QString &avatar : {QStringLiteral("mannequin"), facecapPath()}) {
        // Through the solver interface, as the Animate workspace picks it.
        fa::VideoSolverRequest request;
        request.solver = QStringLiteral("freeavatar");
        request.model = m_trained;
        request.avatar = avatar;
        request.device = QStringLiteral("cpu");
        std::unique_ptr<fa::VideoSolver> solver = fa::makeVideoSolver(request, &error);
        QVERIFY2(solver, qPrintable(error));
        QVERIFY(!solver->solvesArkit());
        fa::RetargetOptions options;
        options.videoPath = video;
        options.endSeconds = 3.0;
        QVERIFY2(solver->run(options), qPrintable(solver->errorString()));
        const fa::AnimationClip &clip = solver->clip();
        const std::optional<fa::AnimatorRunInfo> info = fa::AnimatorRunInfo::read(m_trained, &error);
        const fa::AnimatorAvatar *driven = info->findAvatar(avatar);
        QVERIFY(driven);
        QCOMPARE(clip.controlNames(), driven->controls + fa::arkit::rotationChannelNames());
        QVERIFY(clip.frameCount() >= 85);
        QVERIFY(clip.faceFoundCount() >= clip.frameCount() * 9 / 10);
        // Rig values in [0, 1] that follow the face (not one constant row).
        double spread = 0;
        for (int c = 0; c < driven->controls.size(); ++c) {
            const std::vector<float> curve = clip.channel(c);
            const auto [low, high] = std::minmax_element(curve.begin(), curve.end());
            QVERIFY(*low >= 0.0f && *high <= 1.0f);
            spread = std::max(spread, double(*high - *low));
        }
        QVERIFY2(spread > 1e-3, qPrintable(QString::number(spread)));
        // And from the command line, with the generic CSV of the avatar's controls.
        const QString csv = fa::test::outputDir() + QStringLiteral("/rig_decoder/solved.csv");
        QString output;
        QVERIFY2(cli({QStringLiteral("retarget"), video, QStringLiteral("--solver"), QStringLiteral("freeavatar"),
                      QStringLiteral("--model"), m_trained, QStringLiteral("--avatar"), avatar, QStringLiteral("--end"),
                      QStringLiteral("2"), QStringLiteral("--csv"), csv, QStringLiteral("--csv-format"),
                      QStringLiteral("generic"), QStringLiteral("--quiet")}, &output) == 0, qPrintable(output));
        QVERIFY2(output.contains(QStringLiteral("Solver:    freeavatar")), qPrintable(output));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString header = QString::fromUtf8(file.readLine()).trimmed();
        QVERIFY2(header.contains(driven->controls.first()), qPrintable(header));
    }
}

void TestRigDecoderTraining::learntSolverRefusesBadModels_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("expected");
    QTest::newRow("avatar it was not trained for") << QStringLiteral("avatar") << QStringLiteral("trained for Mannequin, facecap_decoded");
    QTest::newRow("renderer run gone") << QStringLiteral("renderer") << QStringLiteral("the neural renderer of Mannequin is missing");
    QTest::newRow("encoder of another width") << QStringLiteral("width") << QStringLiteral("is 64 wide; the decoder reads 32-wide features");
    QTest::newRow("not an animator model") << QStringLiteral("kind") << QStringLiteral("not an animator model");
    QTest::newRow("no model") << QStringLiteral("nomodel") << QStringLiteral("needs --model");
}

void TestRigDecoderTraining::learntSolverRefusesBadModels()
{
    QFETCH(QString, what);
    QFETCH(QString, expected);
    QVERIFY2(!m_trained.isEmpty(), "needs trainsAnAnimatorModelForTwoAvatars");
    // A copy of the trained model, edited.
    const QString model = freshDir(QStringLiteral("bad_model"));
    QVERIFY(QDir().mkpath(model));
    QVERIFY(QFile::copy(m_trained + QStringLiteral("/model.pt"), model + QStringLiteral("/model.pt")));
    QFile source(m_trained + QStringLiteral("/animator.json"));
    QVERIFY(source.open(QIODevice::ReadOnly));
    QString json = QString::fromUtf8(source.readAll());
    QString avatar = QStringLiteral("mannequin");
    QString modelArgument = model;
    if (what == QLatin1String("avatar"))
        avatar = fa::test::dataPath(QStringLiteral("avatars/robot_expressive/RobotExpressive.glb"));
    else if (what == QLatin1String("renderer"))
        json.replace(m_mannequinRenderer, QStringLiteral("/no/such/renderer"));
    else if (what == QLatin1String("width"))
        json.replace(QStringLiteral("\"feature_size\": 64"), QStringLiteral("\"feature_size\": 32"));
    else if (what == QLatin1String("kind"))
        modelArgument = m_mannequinRenderer;
    else
        modelArgument.clear();
    QFile edited(model + QStringLiteral("/animator.json"));
    QVERIFY(edited.open(QIODevice::WriteOnly));
    edited.write(json.toUtf8());
    edited.close();
    QStringList arguments{QStringLiteral("retarget"), fa::test::dataPath(QStringLiteral("videos/liveportrait_d3.mp4")),
                          QStringLiteral("--solver"), QStringLiteral("freeavatar"), QStringLiteral("--avatar"), avatar,
                          QStringLiteral("--end"), QStringLiteral("1"), QStringLiteral("--quiet")};
    if (!modelArgument.isEmpty())
        arguments << QStringLiteral("--model") << modelArgument;
    QString output;
    QCOMPARE(cli(arguments, &output), 2);
    QVERIFY2(output.contains(expected), qPrintable(output));
    QCOMPARE(output.trimmed().count(QLatin1Char('\n')), 0);
}

void TestRigDecoderTraining::distanceSummary_data()
{
    QTest::addColumn<QList<double>>("values");
    QTest::addColumn<double>("mean");
    QTest::addColumn<double>("median");
    QTest::addColumn<double>("p90");
    // numpy.percentile's linear interpolation.
    QTest::newRow("one") << QList<double>{0.5} << 0.5 << 0.5 << 0.5;
    QTest::newRow("two") << QList<double>{1.0, 0.0} << 0.5 << 0.5 << 0.9;
    QTest::newRow("eleven") << QList<double>{10, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9} << 5.0 << 5.0 << 9.0;
    QTest::newRow("four") << QList<double>{4, 1, 3, 2} << 2.5 << 2.5 << 3.7;
}

void TestRigDecoderTraining::distanceSummary()
{
    QFETCH(QList<double>, values);
    QFETCH(double, mean);
    QFETCH(double, median);
    QFETCH(double, p90);
    const fa::DistanceSummary s = fa::DistanceSummary::of(std::vector<double>(values.begin(), values.end()));
    QCOMPARE(s.count, int(values.size()));
    QVERIFY(std::abs(s.mean - mean) < 1e-12);
    QVERIFY(std::abs(s.median - median) < 1e-12);
    QVERIFY(std::abs(s.p90 - p90) < 1e-12);
    QCOMPARE(fa::DistanceSummary::of({}).count, 0);
}

void TestRigDecoderTraining::evaluatorKnowsTheAnswerOnTheAvatarsOwnRenders()
{
    // The "actor" is the avatar itself: its renders of known rigs. Evaluated against the same
    // rigs the distance is 0; against the neutral rig and against other rigs it is not.
    std::shared_ptr<const fa::Avatar> head(fa::createMannequinHead());
    QString error;
    std::unique_ptr<fa::RetargetEvaluator> evaluator =
        fa::RetargetEvaluator::create(m_encoder, head, QStringLiteral("cpu"), &error);
    QVERIFY2(evaluator, qPrintable(error));
    const int n = head->rig().controlCount();
    const int jaw = head->rig().indexOf(QStringLiteral("jawOpen"));
    const int blink = head->rig().indexOf(QStringLiteral("eyeBlinkLeft"));
    QVERIFY(jaw >= 0 && blink >= 0);
    std::vector<std::vector<float>> rigs(3, std::vector<float>(std::size_t(n), 0.0f));
    rigs[0][std::size_t(jaw)] = 1.0f;
    rigs[1][std::size_t(blink)] = 1.0f;
    rigs[2][std::size_t(jaw)] = 0.6f;
    rigs[2][std::size_t(blink)] = 0.6f;
    std::vector<cv::Mat> actor;
    for (const auto &rig : rigs) {
        actor.push_back(evaluator->render(rig));
        QVERIFY(!actor.back().empty());
        QCOMPARE(actor.back().cols, 224);
    }
    std::vector<double> solved, neutral;
    QVERIFY2(evaluator->distances(actor, rigs, &solved, &neutral, &error), qPrintable(error));
    QCOMPARE(int(solved.size()), 3);
    std::vector<double> wrong, unused;
    const std::vector<std::vector<float>> shifted{rigs[1], rigs[2], rigs[0]};
    QVERIFY2(evaluator->distances(actor, shifted, &wrong, &unused, &error), qPrintable(error));
    for (std::size_t i = 0; i < solved.size(); ++i) {
        qInfo("rig %zu: own rig %.6f, neutral %.4f, another rig %.4f", i, solved[i], neutral[i], wrong[i]);
        QVERIFY(solved[i] < 1e-6);
        QVERIFY(neutral[i] > 1e-4);
        QVERIFY(wrong[i] > 1e-4);
    }
    QVERIFY(!evaluator->distances(actor, {}, &solved, &neutral, &error));
}

void TestRigDecoderTraining::evalRetargetCommand()
{
    QVERIFY2(!m_trained.isEmpty(), "needs trainsAnAnimatorModelForTwoAvatars");
    const QString video = fa::test::dataPath(QStringLiteral("videos/liveportrait_d3.mp4"));
    for (const QString &solver : {QStringLiteral("landmarks"), QStringLiteral("freeavatar")}) {
        QStringList arguments{QStringLiteral("eval-retarget"), video, QStringLiteral("--avatar"), facecapPath(),
                              QStringLiteral("--solver"), solver, QStringLiteral("--encoder"), m_encoder,
                              QStringLiteral("--end"), QStringLiteral("3"), QStringLiteral("--frame-step"),
                              QStringLiteral("6"), QStringLiteral("--json")};
        if (solver == QLatin1String("freeavatar"))
            arguments << QStringLiteral("--model") << m_trained;
        QString output;
        QVERIFY2(cli(arguments, &output) == 0, qPrintable(output));
        QString line; // the JSON line (Qt may add warnings on stderr)
        for (const QString &candidate : output.split(QLatin1Char('\n')))
            if (candidate.startsWith(QLatin1Char('{')))
                line = candidate;
        const QJsonObject o = QJsonDocument::fromJson(line.toUtf8()).object();
        qInfo("%s: %s", qPrintable(solver), qPrintable(line));
        QCOMPARE(o.value(QStringLiteral("solver")).toString(), solver);
        const QJsonObject solved = o.value(QStringLiteral("solved")).toObject();
        const QJsonObject neutral = o.value(QStringLiteral("neutral")).toObject();
        QVERIFY(solved.value(QStringLiteral("frames")).toInt() >= 14);
        QCOMPARE(solved.value(QStringLiteral("frames")).toInt(), neutral.value(QStringLiteral("frames")).toInt());
        for (const QJsonObject &s : {solved, neutral}) {
            QVERIFY(s.value(QStringLiteral("mean")).toDouble() > 0.0);
            QVERIFY(s.value(QStringLiteral("median")).toDouble() <= s.value(QStringLiteral("p90")).toDouble() + 1e-12);
        }
    }
    // Without --encoder: exit 2, one line.
    QString output;
    QCOMPARE(cli({QStringLiteral("eval-retarget"), video}, &output), 2);
    QVERIFY2(output.contains(QStringLiteral("--encoder RUN is required")), qPrintable(output));
}

void TestRigDecoderTraining::ridgeProbeKnowsALinearTarget()
{
    // y = x A + b exactly: with a small penalty the probe predicts new rows almost exactly.
    torch::manual_seed(9);
    const int n = 200, d = 6, k = 2, m = 50;
    const torch::Tensor a = torch::randn({d, k}, torch::kDouble);
    const torch::Tensor x = torch::randn({n, d}, torch::kDouble) * 3 + 1;
    const torch::Tensor q = torch::randn({m, d}, torch::kDouble) * 3 + 1;
    const torch::Tensor y = x.mm(a) + 0.5;
    const torch::Tensor truth = q.mm(a) + 0.5;
    auto flat = [](const torch::Tensor &t) {
        const torch::Tensor c = t.contiguous();
        return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
    };
    const std::vector<double> predicted = fa::ridgePredict(flat(x), flat(y), n, d, k, flat(q), m, 1e-6);
    QCOMPARE(int(predicted.size()), m * k);
    const std::vector<double> expected = flat(truth);
    for (std::size_t i = 0; i < expected.size(); ++i)
        QVERIFY(std::abs(predicted[i] - expected[i]) < 1e-4);
    QVERIFY(std::abs(fa::pearson({1, 2, 3, 4}, {2, 4, 6, 8}) - 1.0) < 1e-12);
    QVERIFY(std::abs(fa::pearson({1, 2, 3, 4}, {4, 3, 2, 1}) + 1.0) < 1e-12);
    QVERIFY(std::isnan(fa::pearson({1, 1, 1}, {1, 2, 3})));
}

void TestRigDecoderTraining::evalEncoderCommand()
{
    const QString d3 = fa::test::dataPath(QStringLiteral("videos/liveportrait_d3.mp4"));
    const QString d18 = fa::test::dataPath(QStringLiteral("videos/liveportrait_d18.mp4"));
    QString output;
    QVERIFY2(cli({QStringLiteral("eval-encoder"), QStringLiteral("--checkpoint"), m_encoder, QStringLiteral("--data"), d3,
                  d18, QStringLiteral("--frame-step"), QStringLiteral("6"), QStringLiteral("--json")}, &output) == 0,
             qPrintable(output));
    QString line;
    for (const QString &candidate : output.split(QLatin1Char('\n')))
        if (candidate.startsWith(QLatin1Char('{')))
            line = candidate;
    qInfo("%s", qPrintable(line.left(600)));
    const QJsonObject o = QJsonDocument::fromJson(line.toUtf8()).object();
    QCOMPARE(o.value(QStringLiteral("videos")).toArray().size(), 2);
    QCOMPARE(o.value(QStringLiteral("identity_chance")).toDouble(), 0.5);
    for (const QString &space : {QStringLiteral("feature"), QStringLiteral("embedding")}) {
        const QJsonObject s = o.value(space).toObject();
        const double identity = s.value(QStringLiteral("identity_accuracy")).toDouble(-1);
        QVERIFY(identity >= 0.0 && identity <= 1.0);
        QVERIFY(s.value(QStringLiteral("mean_r")).isDouble());
        const double meanR = s.value(QStringLiteral("mean_r")).toDouble();
        QVERIFY(meanR >= -1.0 && meanR <= 1.0);
        QVERIFY(s.value(QStringLiteral("channel_r")).toObject().contains(QStringLiteral("jawOpen")));
        QCOMPARE(s.value(QStringLiteral("video_mean_r")).toArray().size(), 2);
    }
    QCOMPARE(o.value(QStringLiteral("feature")).toObject().value(QStringLiteral("size")).toInt(), 64);
    // One video cannot be left out: exit 2, one line.
    QCOMPARE(cli({QStringLiteral("eval-encoder"), QStringLiteral("--checkpoint"), m_encoder, QStringLiteral("--data"), d3},
                 &output), 2);
    QVERIFY2(output.contains(QStringLiteral("at least two videos")), qPrintable(output));
}

QTEST_MAIN(TestRigDecoderTraining)
#include "test_rig_decoder_training.moc"
