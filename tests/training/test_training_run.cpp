// TrainingRun on real data, CPU, tiny free sizes: MAE learns on video crops, triplet fine-tuning
// overfits a small Yale triplet set, trains from a project's judgments and from a FEC CSV, exact resume, NaN stop, cancellation, changed data,
// --init from a MAE run, samples.
#include "../projectio/judged_project.h"
#include "dataset/fec_triplet_csv.h"
#include "nn/state_dict.h"
#include "training/checkpoint.h"
#include "training/metrics_log.h"
#include "training/training_run.h"

#include "test_files.h"
#include "training_test_configs.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QtTest>

#include <torch/torch.h>

#include <cmath>

using fa::TrainingConfig;
using fa::TrainingMetrics;
using fa::TrainingRun;

namespace {

QString freshDir(const QString &name)
{
    const QString dir = fa::test::outputDir() + QLatin1Char('/') + name;
    QDir(dir).removeRecursively();
    return dir;
}

struct RunResult
{
    TrainingRun::Outcome outcome = TrainingRun::Outcome::Failed;
    QString error;
    std::vector<TrainingMetrics> metrics;
    double seconds = 0;
};

/// Runs `run`, stopping once `stopAtStep` steps are done (-1: never).
RunResult runToEnd(TrainingRun &run, qint64 stopAtStep = -1, fa::TrainingCallbacks callbacks = {})
{
    RunResult result;
    callbacks.metricsLogged = [&](const TrainingMetrics &m) { result.metrics.push_back(m); };
    callbacks.stopRequested = [&] { return stopAtStep >= 0 && run.step() >= stopAtStep; };
    QElapsedTimer clock;
    clock.start();
    result.outcome = run.run(callbacks, &result.error);
    result.seconds = clock.elapsed() / 1000.0;
    return result;
}

double meanLoss(const std::vector<TrainingMetrics> &m, std::size_t from, std::size_t count)
{
    double sum = 0;
    for (std::size_t i = from; i < from + count; ++i)
        sum += m[i].loss;
    return sum / double(count);
}

/// Largest absolute difference between two state dicts (inf when keys or shapes differ).
double maxDifference(const QString &a, const QString &b)
{
    std::string error;
    const auto x = fa::nn::loadStateDict(a.toStdString(), &error);
    const auto y = fa::nn::loadStateDict(b.toStdString(), &error);
    if (!x || !y || x->size() != y->size())
        return INFINITY;
    double worst = 0;
    for (std::size_t i = 0; i < x->size(); ++i) {
        if ((*x)[i].first != (*y)[i].first || !(*x)[i].second.sizes().equals((*y)[i].second.sizes()))
            return INFINITY;
        worst = std::max(worst, ((*x)[i].second - (*y)[i].second).abs().max().item<double>());
    }
    return worst;
}

TrainingConfig tripletOverfitConfig()
{
    TrainingConfig c = fa::test::tinyConfig(QStringLiteral("triplet"));
    // 32 TWO_CLASS triplets from the Yale faces (category + identity from the file names).
    c.data = QStringList{fa::test::dataPath(QStringLiteral("images/yale_faces"))};
    c.categoryTriplets = 32;
    c.validation = c.data; // the same triplets, through the eval transform
    c.batchSize = 8;
    c.optimizer = QStringLiteral("adamw");
    c.lr = 3e-3;
    c.weightDecay = 0;
    c.schedule = QStringLiteral("cosine");
    c.warmupFraction = 0.05;
    // Overfitting a fixed set: the training views are the validation views (eval transform).
    c.augmentation = false;
    c.logEvery = 10;
    c.evalEvery = 40;
    return c;
}

} // namespace

class TestTrainingRun : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void maeLossDecreasesOnVideoCrops();
    void tripletOverfitsSmallSet();
    void tripletTrainsFromSource_data();
    void tripletTrainsFromSource();
    void resumeIsExact_data();
    void resumeIsExact();
    void nanLossStopsKeepingLastCheckpoint();
    void cancelWritesResumableCheckpoint();
    void resumeRefusesChangedData();
    void initFromMaeRun();
    void createRefusesBadInput_data();
    void createRefusesBadInput();

private:
    QString m_maeRun; ///< written by maeLossDecreasesOnVideoCrops, used by initFromMaeRun
    QString m_yaleSubset; ///< the faces of 5 Yale subjects (29 images): quicker to load
};

void TestTrainingRun::initTestCase()
{
    QVERIFY2(QFile::exists(fa::test::dataPath(QStringLiteral("videos/liveportrait_d3.mp4"))), "shared data missing");
    qInfo("torch threads: %d", torch::get_num_threads());
    m_yaleSubset = freshDir(QStringLiteral("yale-subset"));
    QVERIFY(QDir().mkpath(m_yaleSubset));
    const QDir yale(fa::test::dataPath(QStringLiteral("images/yale_faces")));
    for (const QString &file : yale.entryList({QStringLiteral("subject0[1-5]_*.png")}, QDir::Files, QDir::Name))
        QVERIFY(QFile::copy(yale.absoluteFilePath(file), m_yaleSubset + QLatin1Char('/') + file));
    QVERIFY(QDir(m_yaleSubset).entryList(QDir::Files).size() >= 25);
}

void TestTrainingRun::maeLossDecreasesOnVideoCrops()
{
    TrainingConfig c = fa::test::tinyMaeConfig();
    c.steps = 100;
    c.sampleEvery = 50;
    c.validation = QStringList{fa::test::dataPath(QStringLiteral("videos/liveportrait_d6.mp4"))};
    c.evalEvery = 50;
    m_maeRun = freshDir(QStringLiteral("mae"));
    QString error;
    std::unique_ptr<TrainingRun> run = TrainingRun::create(c, m_maeRun, &error);
    QVERIFY2(run, qPrintable(error));
    QVERIFY2(run->prepare({}, &error), qPrintable(error));
    QVERIFY(run->trainingItemCount() > 20);
    QVERIFY(run->validationItemCount() > 20);
    QVERIFY(run->deviceDescription().startsWith(QStringLiteral("CPU")));

    std::vector<fa::TrainingSamples> samples;
    fa::TrainingCallbacks callbacks;
    callbacks.samplesReady = [&](const fa::TrainingSamples &s) { samples.push_back(s); };
    const RunResult result = runToEnd(*run, -1, callbacks);
    QVERIFY2(result.outcome == TrainingRun::Outcome::Finished, qPrintable(result.error));
    QCOMPARE(result.metrics.size(), std::size_t(100));
    const double first = meanLoss(result.metrics, 0, 5);
    const double last = meanLoss(result.metrics, 95, 5);
    QVERIFY(result.metrics[49].validationLoss && result.metrics[99].validationLoss);
    qInfo("MAE 100 steps: loss first 5 %.4f, last 5 %.4f (ratio %.3f); %.1f s, %.1f images/s, loader wait %.3f, "
          "val loss at 50 %.4f, at 100 %.4f",
          first, last, last / first, result.seconds, result.metrics.back().imagesPerSecond,
          result.metrics.back().loaderWaitFraction, *result.metrics[49].validationLoss, *result.metrics[99].validationLoss);
    QVERIFY2(last < 0.8 * first, qPrintable(QStringLiteral("first %1 last %2").arg(first).arg(last)));
    // Validation loss (eval transform, fixed masks) at the evaluation steps only.
    QVERIFY(*result.metrics[99].validationLoss > 0 && std::isfinite(*result.metrics[99].validationLoss));
    QVERIFY(!result.metrics[10].validationLoss);

    // The run folder: config.yaml (round trip), metrics.jsonl (every step), model.pt.
    const std::optional<TrainingConfig> stored = TrainingConfig::fromYamlFile(m_maeRun + QStringLiteral("/config.yaml"), &error);
    QVERIFY2(stored, qPrintable(error));
    QVERIFY(*stored == c);
    const std::vector<TrainingMetrics> logged = fa::MetricsLog::readFile(m_maeRun + QStringLiteral("/metrics.jsonl"));
    QCOMPARE(logged.size(), std::size_t(100));
    QCOMPARE(logged.back().step, qint64(100));
    QCOMPARE(logged[3].loss, result.metrics[3].loss);
    QVERIFY(logged.back().learningRate < logged[10].learningRate); // cosine
    QCOMPARE(logged[0].learningRate, 0.0); // warm-up starts at 0 (MAE)
    const auto checkpoints = fa::listCheckpoints(m_maeRun);
    QCOMPARE(checkpoints.size(), std::size_t(1));
    QCOMPARE(checkpoints.back().step, qint64(100));
    QCOMPARE(maxDifference(m_maeRun + QStringLiteral("/model.pt"), checkpoints.back().directory + QStringLiteral("/model.pt")), 0.0);
    std::string why;
    const auto dict = fa::nn::loadStateDict((m_maeRun + QStringLiteral("/model.pt")).toStdString(), &why);
    QVERIFY2(dict, why.c_str());
    QCOMPARE(QString::fromStdString(dict->front().first), QStringLiteral("cls_token"));

    // Samples: reconstructions (masked input, prediction, target) at 50 and 100.
    QCOMPARE(samples.size(), std::size_t(2));
    QCOMPARE(samples[1].step, qint64(100));
    QCOMPARE(samples[1].reconstructions.size(), std::size_t(4));
    const fa::ReconstructionSample &r = samples[1].reconstructions[0];
    QCOMPARE(r.target.size(), QSize(64, 64));
    QCOMPARE(r.masked.size(), QSize(64, 64));
    QCOMPARE(r.prediction.size(), QSize(64, 64));
    QVERIFY(r.masked != r.target);
    QVERIFY(r.prediction != r.target);
}

void TestTrainingRun::tripletOverfitsSmallSet()
{
    TrainingConfig c = tripletOverfitConfig();
    c.steps = 80;
    c.sampleEvery = 80;
    const QString dir = freshDir(QStringLiteral("triplet-overfit"));
    QString error;
    std::unique_ptr<TrainingRun> run = TrainingRun::create(c, dir, &error);
    QVERIFY2(run, qPrintable(error));
    std::vector<fa::TrainingSamples> samples;
    fa::TrainingCallbacks callbacks;
    callbacks.samplesReady = [&](const fa::TrainingSamples &s) { samples.push_back(s); };
    const RunResult result = runToEnd(*run, -1, callbacks);
    QVERIFY2(result.outcome == TrainingRun::Outcome::Finished, qPrintable(result.error));
    QCOMPARE(run->trainingItemCount(), qint64(32));
    std::vector<double> accuracies;
    for (const TrainingMetrics &m : result.metrics)
        if (m.validationAccuracy)
            accuracies.push_back(*m.validationAccuracy);
    QCOMPARE(accuracies.size(), std::size_t(2)); // steps 40, 80
    qInfo("triplet 80 steps on 32 Yale triplets: loss first %.4f last %.4f; validation accuracy %.3f at 40, %.3f at 80; "
          "%.1f s, %.1f images/s",
          result.metrics.front().loss, result.metrics.back().loss, accuracies[0], accuracies[1],
          result.seconds, result.metrics.back().imagesPerSecond);
    QVERIFY2(accuracies.back() >= 0.9, qPrintable(QString::number(accuracies.back())));
    const TrainingMetrics &last = result.metrics.back();
    QCOMPARE(last.validationAccuracyByType.size(), std::size_t(1));
    QCOMPARE(last.validationAccuracyByType.begin()->first, QStringLiteral("two_class"));
    QVERIFY(last.loss < result.metrics.front().loss);

    // Nearest-neighbour samples: 4 queries x 4 neighbours, nearest first.
    QCOMPARE(samples.size(), std::size_t(1));
    QCOMPARE(samples[0].neighbours.size(), std::size_t(4));
    for (const fa::NeighbourSample &n : samples[0].neighbours) {
        QCOMPARE(n.neighbours.size(), std::size_t(4));
        QCOMPARE(n.query.size(), QSize(64, 64));
        QVERIFY(std::is_sorted(n.distances.begin(), n.distances.end()));
        QVERIFY(n.distances.front() >= 0 && n.distances.back() <= 2.0 + 1e-6);
    }
}

// Triplet fine-tuning straight from the two other triplet sources a user names with --data: a
// project (its majority-judged triplets) and a FEC CSV (faces cut from the images by their
// boxes), each also as validation data, so accuracy per type is reported.
void TestTrainingRun::tripletTrainsFromSource_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<qint64>("triplets");
    QTest::addColumn<QStringList>("types");
    QTest::newRow("project") << QStringLiteral("project") << qint64(4)
                             << QStringList{QStringLiteral("one_class"), QStringLiteral("three_class"),
                                            QStringLiteral("two_class")};
    QTest::newRow("fec") << QStringLiteral("fec") << qint64(3)
                         << QStringList{QStringLiteral("three_class"), QStringLiteral("two_class")};
}

void TestTrainingRun::tripletTrainsFromSource()
{
    QFETCH(QString, source);
    QFETCH(qint64, triplets);
    QFETCH(QStringList, types);
    const QString dataDir = freshDir(QStringLiteral("source-") + source);
    QVERIFY(QDir().mkpath(dataDir));
    TrainingConfig c = fa::test::tinyConfig(QStringLiteral("triplet"));
    QString error;
    fa::test::JudgedProject judged;
    if (source == QLatin1String("project")) {
        QVERIFY2(fa::test::buildJudgedProject(dataDir + QStringLiteral("/project"), &judged, &error), qPrintable(error));
        c.data = QStringList{judged.project->directory()};
    } else {
        // Yale faces of subjects 01-05 (m_yaleSubset), one URL as FEC gives them; the fourth
        // row has no majority and is skipped.
        auto face = [](const char *file, float l, float r, float t, float b) {
            return fa::FecFace{QLatin1String(file), l, r, t, b};
        };
        auto votes = [](std::initializer_list<int> choices) {
            std::vector<fa::FecAnnotation> a;
            for (int choice : choices)
                a.push_back({QStringLiteral("rater%1").arg(a.size() + 1), choice});
            return a;
        };
        std::vector<fa::FecTripletRow> rows(4);
        rows[0].faces = {face("https://example.org/f/subject01_happy.png", 0.2f, 0.8f, 0.1f, 0.9f),
                         face("subject02_happy.png", 0.2f, 0.8f, 0.1f, 0.9f), face("subject03_sad.png", 0, 1, 0, 1)};
        rows[0].type = fa::TripletType::TwoClass;
        rows[0].annotations = votes({3, 3, 3});
        rows[1].faces = {face("subject04_sleepy.png", 0, 1, 0, 1), face("subject05_surprised.png", 0, 1, 0, 1),
                         face("subject01_sleepy.png", 0, 1, 0, 1)};
        rows[1].type = fa::TripletType::ThreeClass;
        rows[1].annotations = votes({2, 2, 1});
        rows[2].faces = {face("subject02_sad.png", 0, 1, 0, 1), face("subject03_happy.png", 0, 1, 0, 1),
                         face("subject05_sad.png", 0, 1, 0, 1)};
        rows[2].type = fa::TripletType::TwoClass;
        rows[2].annotations = votes({2, 2, 2, 1, 2, 3});
        rows[3].faces = rows[2].faces;
        rows[3].annotations = votes({1, 2, 3});
        const QString csv = dataDir + QStringLiteral("/fec.csv");
        QVERIFY2(fa::FecTripletCsv::writeFile(csv, rows, &error), qPrintable(error));
        c.data = QStringList{csv};
        c.imageDir = m_yaleSubset;
    }
    c.validation = c.data;
    c.batchSize = 4;
    c.steps = 6;
    c.evalEvery = 6;
    c.checkpointEvery = 3;
    const QString dir = freshDir(QStringLiteral("triplet-from-") + source);
    std::unique_ptr<TrainingRun> run = TrainingRun::create(c, dir, &error);
    QVERIFY2(run, qPrintable(error));
    const RunResult result = runToEnd(*run);
    QVERIFY2(result.outcome == TrainingRun::Outcome::Finished, qPrintable(result.error));
    QCOMPARE(run->trainingItemCount(), triplets);
    QCOMPARE(run->validationItemCount(), triplets);
    QCOMPARE(result.metrics.size(), std::size_t(6));
    for (const TrainingMetrics &m : result.metrics)
        QVERIFY(std::isfinite(m.loss) && m.loss >= 0);
    const TrainingMetrics &last = result.metrics.back();
    QVERIFY(last.validationAccuracy);
    QStringList reported;
    for (const auto &[type, accuracy] : last.validationAccuracyByType) {
        reported.append(type);
        QVERIFY(accuracy >= 0 && accuracy <= 1);
    }
    QCOMPARE(reported, types);
    QVERIFY(QFileInfo::exists(dir + QStringLiteral("/model.pt")));
    const std::vector<fa::CheckpointInfo> checkpoints = fa::listCheckpoints(dir);
    QCOMPARE(checkpoints.size(), std::size_t(2));
    QCOMPARE(checkpoints.back().step, qint64(6));
    std::string loadError;
    QVERIFY2(fa::nn::loadStateDict((dir + QStringLiteral("/model.pt")).toStdString(), &loadError), loadError.c_str());
}

void TestTrainingRun::resumeIsExact_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("mae") << QStringLiteral("mae");
    QTest::newRow("triplet") << QStringLiteral("triplet");
}

// N steps uninterrupted, or k steps, stop, resume (a new TrainingRun) to N: the per-step losses
// after k and the final weights must be the same.
void TestTrainingRun::resumeIsExact()
{
    QFETCH(QString, kind);
    TrainingConfig c;
    if (kind == QLatin1String("mae")) {
        c = fa::test::tinyMaeConfig();
    } else {
        c = tripletOverfitConfig();
        c.data = QStringList{m_yaleSubset};
        c.validation.clear();
        c.evalEvery = 0;
        c.logEvery = 1;
        c.optimizer = QStringLiteral("sgd"); // momentum buffers must survive the resume
        c.lr = 0.01;
        c.augmentation = true;                // and the augmentation must not depend on it
        c.randAugmentOps = 2;
        c.randomErasing = 0.25;
        c.cropScaleMin = 0.08;
    }
    c.steps = 12;
    c.checkpointEvery = 4;
    const qint64 k = 5;
    QString error;
    const QString whole = freshDir(kind + QStringLiteral("-whole"));
    std::unique_ptr<TrainingRun> a = TrainingRun::create(c, whole, &error);
    QVERIFY2(a, qPrintable(error));
    const RunResult uninterrupted = runToEnd(*a);
    QVERIFY2(uninterrupted.outcome == TrainingRun::Outcome::Finished, qPrintable(uninterrupted.error));
    a.reset();

    const QString split = freshDir(kind + QStringLiteral("-split"));
    std::unique_ptr<TrainingRun> b = TrainingRun::create(c, split, &error);
    QVERIFY2(b, qPrintable(error));
    const RunResult before = runToEnd(*b, k);
    QVERIFY2(before.outcome == TrainingRun::Outcome::Stopped, qPrintable(before.error));
    QCOMPARE(b->step(), k);
    b.reset();
    std::unique_ptr<TrainingRun> resumed = TrainingRun::resume(split, &error);
    QVERIFY2(resumed, qPrintable(error));
    QCOMPARE(resumed->step(), k);
    const RunResult after = runToEnd(*resumed);
    QVERIFY2(after.outcome == TrainingRun::Outcome::Finished, qPrintable(after.error));
    QCOMPARE(after.metrics.size(), std::size_t(c.steps - k));

    double worst = 0;
    for (std::size_t i = 0; i < after.metrics.size(); ++i) {
        const TrainingMetrics &u = uninterrupted.metrics[std::size_t(k) + i];
        QCOMPARE(after.metrics[i].step, u.step);
        worst = std::max(worst, std::abs(after.metrics[i].loss - u.loss));
    }
    const double weights = maxDifference(whole + QStringLiteral("/model.pt"), split + QStringLiteral("/model.pt"));
    qInfo("%s resume at step %lld of %lld: max |loss difference| %.3g over the remaining steps, max |weight "
          "difference| %.3g", qPrintable(kind), static_cast<long long>(k), static_cast<long long>(c.steps), worst, weights);
    QVERIFY2(worst <= 1e-7, qPrintable(QString::number(worst)));
    QVERIFY2(weights <= 1e-7, qPrintable(QString::number(weights)));
    // metrics.jsonl of the split run holds each step once.
    const std::vector<TrainingMetrics> logged = fa::MetricsLog::readFile(split + QStringLiteral("/metrics.jsonl"));
    QCOMPARE(logged.size(), std::size_t(c.steps));
    for (std::size_t i = 0; i < logged.size(); ++i)
        QCOMPARE(logged[i].step, qint64(i + 1));
    // While a run is open its folder is locked; once closed, a finished run cannot be resumed.
    QVERIFY(!TrainingRun::resume(split, &error));
    QVERIFY2(error.contains(QStringLiteral("is in use by another training process")), qPrintable(error));
    resumed.reset();
    QVERIFY(!TrainingRun::resume(split, &error));
    QVERIFY2(error.contains(QStringLiteral("the run is complete (step 12 of 12)")), qPrintable(error));
}

void TestTrainingRun::nanLossStopsKeepingLastCheckpoint()
{
    TrainingConfig c = fa::test::tinyMaeConfig();
    c.steps = 20;
    c.lr = 1e30; // diverges at once
    c.warmupFraction = 0;
    c.schedule = QStringLiteral("constant");
    c.checkpointEvery = 1;
    c.keepCheckpoints = 0;
    const QString dir = freshDir(QStringLiteral("nan"));
    QString error;
    std::unique_ptr<TrainingRun> run = TrainingRun::create(c, dir, &error);
    QVERIFY2(run, qPrintable(error));
    const RunResult result = runToEnd(*run);
    QVERIFY(result.outcome == TrainingRun::Outcome::Failed);
    qInfo("lr 1e30: %s", qPrintable(result.error));
    QVERIFY2(QRegularExpression(QStringLiteral("^step (\\d+): (loss is NaN|loss is infinite|the weights are not finite)"))
                 .match(result.error).hasMatch(), qPrintable(result.error));
    const auto checkpoints = fa::listCheckpoints(dir);
    QVERIFY(!checkpoints.empty());
    const qint64 failedStep = result.error.section(QLatin1Char(' '), 1, 1).section(QLatin1Char(':'), 0, 0).toLongLong();
    QCOMPARE(checkpoints.back().step, failedStep - 1);
    QCOMPARE(run->step(), failedStep - 1);
    // RUN_DIR/model.pt is the last good checkpoint's, and finite.
    QCOMPARE(maxDifference(dir + QStringLiteral("/model.pt"), checkpoints.back().directory + QStringLiteral("/model.pt")), 0.0);
    QVERIFY(std::isfinite(maxDifference(dir + QStringLiteral("/model.pt"), dir + QStringLiteral("/model.pt"))));
    QVERIFY(fa::test::readFile(dir + QStringLiteral("/run.log")).contains("failed: step"));
}

void TestTrainingRun::cancelWritesResumableCheckpoint()
{
    TrainingConfig c = fa::test::tinyMaeConfig();
    c.steps = 30;
    c.checkpointEvery = 100; // only the one the stop writes (and the last)
    const QString dir = freshDir(QStringLiteral("cancel"));
    QString error;
    std::unique_ptr<TrainingRun> run = TrainingRun::create(c, dir, &error);
    QVERIFY2(run, qPrintable(error));
    int pauses = 0;
    fa::TrainingCallbacks callbacks;
    callbacks.pausePoint = [&] { ++pauses; };
    qint64 checkpointStep = -1;
    callbacks.checkpointWritten = [&](qint64 step, const QString &) { checkpointStep = step; };
    const RunResult stopped = runToEnd(*run, 3, callbacks);
    QVERIFY2(stopped.outcome == TrainingRun::Outcome::Stopped, qPrintable(stopped.error));
    QCOMPARE(checkpointStep, qint64(3));
    QCOMPARE(pauses, 4);
    QCOMPARE(fa::listCheckpoints(dir).back().step, qint64(3));
    QVERIFY(QFile::exists(dir + QStringLiteral("/model.pt")));
    run.reset();

    std::unique_ptr<TrainingRun> resumed = TrainingRun::resume(dir, &error);
    QVERIFY2(resumed, qPrintable(error));
    QCOMPARE(resumed->step(), qint64(3));
    const RunResult rest = runToEnd(*resumed);
    QVERIFY2(rest.outcome == TrainingRun::Outcome::Finished, qPrintable(rest.error));
    QCOMPARE(rest.metrics.front().step, qint64(4));
    QCOMPARE(rest.metrics.back().step, qint64(30));
    QVERIFY(rest.metrics.back().elapsedSeconds > stopped.metrics.back().elapsedSeconds);
}

void TestTrainingRun::resumeRefusesChangedData()
{
    // A folder of 12 Yale faces, one removed after the stop.
    const QString data = freshDir(QStringLiteral("changing-data"));
    QVERIFY(QDir().mkpath(data));
    const QStringList files = QDir(fa::test::dataPath(QStringLiteral("images/yale_faces"))).entryList({QStringLiteral("*.png")}, QDir::Files, QDir::Name);
    for (int i = 0; i < 12; ++i)
        QVERIFY(QFile::copy(fa::test::dataPath(QStringLiteral("images/yale_faces/")) + files[i], data + QLatin1Char('/') + files[i]));
    TrainingConfig c = fa::test::tinyConfig(QStringLiteral("mae"));
    c.data = QStringList{data};
    c.lr = 1e-3;
    c.steps = 10;
    const QString dir = freshDir(QStringLiteral("changed"));
    QString error;
    std::unique_ptr<TrainingRun> run = TrainingRun::create(c, dir, &error);
    QVERIFY2(run, qPrintable(error));
    QVERIFY(runToEnd(*run, 2).outcome == TrainingRun::Outcome::Stopped);
    run.reset();
    QVERIFY(QFile::remove(data + QLatin1Char('/') + files[5]));
    std::unique_ptr<TrainingRun> resumed = TrainingRun::resume(dir, &error);
    QVERIFY2(resumed, qPrintable(error));
    QVERIFY(!resumed->prepare({}, &error));
    QVERIFY2(error.contains(QStringLiteral("the training data changed since the checkpoint of step 2")), qPrintable(error));
    // run() reports the same as a failure.
    QString runError;
    QVERIFY(resumed->run({}, &runError) == TrainingRun::Outcome::Failed);
    QVERIFY2(runError.contains(QStringLiteral("the training data changed")), qPrintable(runError));
}

void TestTrainingRun::initFromMaeRun()
{
    if (m_maeRun.isEmpty() || !QFile::exists(m_maeRun + QStringLiteral("/model.pt")))
        QSKIP("needs the run of maeLossDecreasesOnVideoCrops");
    TrainingConfig c = tripletOverfitConfig();
    c.data = QStringList{m_yaleSubset};
    c.init = m_maeRun;
    c.steps = 1;
    c.lr = 1e-12; // one step that changes (almost) nothing
    c.warmupFraction = 0;
    c.validation.clear();
    c.evalEvery = 0;
    c.categoryTriplets = 16;
    const QString dir = freshDir(QStringLiteral("init"));
    QString error;
    std::unique_ptr<TrainingRun> run = TrainingRun::create(c, dir, &error);
    QVERIFY2(run, qPrintable(error));
    const RunResult result = runToEnd(*run);
    QVERIFY2(result.outcome == TrainingRun::Outcome::Finished, qPrintable(result.error));
    // The run log names the keys the MAE weights lacked (the expression head) and none extra.
    const QByteArray log = fa::test::readFile(dir + QStringLiteral("/run.log"));
    QVERIFY2(log.contains("missing keys: head.weight, head.bias, fc_norm.weight, fc_norm.bias; unexpected keys: none"),
             log.constData());
    // Encoder weights are the MAE run's.
    std::string why;
    const auto mae = fa::nn::loadStateDict((m_maeRun + QStringLiteral("/model.pt")).toStdString(), &why);
    const auto triplet = fa::nn::loadStateDict((dir + QStringLiteral("/model.pt")).toStdString(), &why);
    QVERIFY2(mae && triplet, why.c_str());
    int compared = 0;
    for (const auto &[name, tensor] : *triplet) {
        for (const auto &[maeName, maeTensor] : *mae) {
            if (maeName == name && name.rfind("blocks.", 0) == 0) {
                QVERIFY2((tensor - maeTensor).abs().max().item<double>() < 1e-6, name.c_str());
                ++compared;
            }
        }
    }
    QCOMPARE(compared, 2 * 12); // 2 blocks x 12 tensors

    // A state dict that does not fit (another width) is refused with the init path named.
    TrainingConfig wide = c;
    wide.embedDim = 128;
    const QString wideDir = freshDir(QStringLiteral("init-wide"));
    std::unique_ptr<TrainingRun> bad = TrainingRun::create(wide, wideDir, &error);
    QVERIFY2(bad, qPrintable(error));
    QVERIFY(!bad->prepare({}, &error));
    QVERIFY2(error.startsWith(QStringLiteral("init: ") + m_maeRun + QStringLiteral("/model.pt: ")), qPrintable(error));
}

void TestTrainingRun::createRefusesBadInput_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no data") << "data" << "" << "no training data given (data)";
    QTest::newRow("missing data") << "data" << "/no/such/video.mp4" << "/no/such/video.mp4: no such file or folder";
    QTest::newRow("missing init") << "init" << "/no/run" << "/no/run: no such file or folder (init)";
    QTest::newRow("bad sizes") << "patch_size" << "7" << "image_size: 64 is not a multiple of patch_size 7";
}

void TestTrainingRun::createRefusesBadInput()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    TrainingConfig c = fa::test::tinyMaeConfig();
    QString error;
    QVERIFY2(c.set(key, value, &error), qPrintable(error));
    QVERIFY(!TrainingRun::create(c, freshDir(QStringLiteral("bad")), &error));
    QCOMPARE(error, expected);
    // A folder whose run never wrote a checkpoint is reused; one with a checkpoint is refused.
    const QString dir = freshDir(QStringLiteral("taken"));
    QVERIFY(TrainingRun::create(fa::test::tinyMaeConfig(), dir, &error));
    QVERIFY2(TrainingRun::create(fa::test::tinyMaeConfig(), dir, &error), qPrintable(error));
    const QString checkpoint = fa::checkpointDirectory(dir, 10);
    QVERIFY(QDir().mkpath(checkpoint));
    for (const char *file : {"model.pt", "optimizer.pt", "state.json"})
        QVERIFY(fa::test::writeFile(checkpoint + QLatin1Char('/') + QLatin1String(file), "x"));
    QVERIFY(!TrainingRun::create(fa::test::tinyMaeConfig(), dir, &error));
    QVERIFY2(error.endsWith(QStringLiteral("already holds a training run (resume it, or choose another folder)")), qPrintable(error));
    QVERIFY(!TrainingRun::resume(freshDir(QStringLiteral("nothing")), &error));
    QVERIFY2(error.endsWith(QStringLiteral("no training run here (config.yaml is missing)")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestTrainingRun)
#include "test_training_run.moc"
