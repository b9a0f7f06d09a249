// Triplet accuracy (definition on hand-built embeddings), evaluation of a trained run (equal to
// the run's own validation), embeddings of images and videos, project embeddings for sampling.
#include "project/project.h"
#include "project/triplet_sampler.h"
#include "projectio/face_importer.h"
#include "training/checkpoint.h"
#include "training/embedding.h"
#include "training/embedding_table.h"
#include "training/encoder_inference.h"
#include "training/project_embeddings.h"
#include "training/training_data.h"
#include "training/training_run.h"
#include "training/triplet_evaluation.h"

#include "test_files.h"
#include "training_test_configs.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <torch/torch.h>

#include <cmath>

using fa::TripletType;

namespace {

QString freshDir(const QString &name)
{
    const QString dir = fa::test::outputDir() + QLatin1Char('/') + name;
    QDir(dir).removeRecursively();
    return dir;
}

const qsizetype kTriplets = 24;
const std::uint64_t kSeed = 11;

fa::TrainingConfig yaleTripletConfig()
{
    fa::TrainingConfig c = fa::test::tinyConfig(QStringLiteral("triplet"));
    c.data = QStringList{fa::test::dataPath(QStringLiteral("images/yale_faces"))};
    c.validation = c.data;
    c.categoryTriplets = kTriplets;
    c.seed = kSeed;
    c.batchSize = 8;
    c.optimizer = QStringLiteral("adamw");
    c.lr = 3e-3;
    c.weightDecay = 0;
    c.augmentation = false;
    c.steps = 30;
    c.logEvery = 10;
    c.evalEvery = 30;
    return c;
}

} // namespace

class TestTripletEvaluation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void accuracyDefinition();
    void reportJson();
    void evaluationMatchesValidation();
    void embedderRefusesBadRuns();
    void embedImageAndVideo();
    void projectEmbeddingsForSampling();

private:
    QString m_run;
    double m_validationAccuracy = -1;
};

void TestTripletEvaluation::initTestCase()
{
    // A small triplet run on Yale category triplets, validated on the same triplets.
    m_run = freshDir(QStringLiteral("run"));
    QString error;
    std::unique_ptr<fa::TrainingRun> run = fa::TrainingRun::create(yaleTripletConfig(), m_run, &error);
    QVERIFY2(run, qPrintable(error));
    fa::TrainingCallbacks callbacks;
    callbacks.metricsLogged = [&](const fa::TrainingMetrics &m) {
        if (m.validationAccuracy)
            m_validationAccuracy = *m.validationAccuracy;
    };
    QVERIFY2(run->run(callbacks, &error) == fa::TrainingRun::Outcome::Finished, qPrintable(error));
    QVERIFY(m_validationAccuracy >= 0);
}

// Hand-built 2-d embeddings: correct iff d(a,p) < d(a,n) and d(a,p) < d(p,n); ties are wrong.
void TestTripletEvaluation::accuracyDefinition()
{
    std::vector<fa::FaceCropItem> items(15);
    for (std::size_t i = 0; i < items.size(); ++i)
        items[i].key = QByteArray::number(qulonglong(i));
    std::vector<fa::TripletItem> triplets;
    auto add = [&](TripletType type) {
        fa::TripletItem t;
        const qsizetype base = qsizetype(3 * triplets.size());
        t.faces = {base, base + 1, base + 2};
        t.type = type;
        triplets.push_back(t);
    };
    // Embeddings of anchor, positive, negative per triplet.
    const std::vector<std::array<std::array<float, 2>, 3>> points = {
        {{{0, 0}, {0.1f, 0}, {1, 0}}},   // two-class: correct
        {{{0, 0}, {1, 0}, {0.1f, 0}}},   // two-class: negative closer to the anchor: wrong
        {{{0, 0}, {1, 0}, {-1, 0}}},     // one-class: d(a,p) == d(a,n): a tie is wrong
        {{{0, 0}, {1, 0}, {1.5f, 0}}},   // three-class: d(a,p) < d(a,n) but d(p,n) smaller: wrong
        {{{0, 0}, {0, 0.5f}, {0, -1}}},  // one-class: correct
    };
    add(TripletType::TwoClass);
    add(TripletType::TwoClass);
    add(TripletType::OneClass);
    add(TripletType::ThreeClass);
    add(TripletType::OneClass);
    torch::Tensor embeddings = torch::zeros({15, 2});
    for (std::size_t t = 0; t < points.size(); ++t)
        for (int j = 0; j < 3; ++j)
            for (int k = 0; k < 2; ++k)
                embeddings[int64_t(3 * t + j)][k] = points[t][j][k];
    const fa::TripletDataset dataset(fa::FaceCropDataset(items), triplets);
    const fa::TripletAccuracyReport report = fa::tripletAccuracy(dataset, embeddings);
    QCOMPARE(report.overall.correct, qint64(2));
    QCOMPARE(report.overall.total, qint64(5));
    QCOMPARE(report.accuracy(), 0.4);
    QCOMPARE(report.byType.at(TripletType::OneClass).correct, qint64(1));
    QCOMPARE(report.byType.at(TripletType::OneClass).total, qint64(2));
    QCOMPARE(report.byType.at(TripletType::TwoClass).correct, qint64(1));
    QCOMPARE(report.byType.at(TripletType::TwoClass).total, qint64(2));
    QCOMPARE(report.byType.at(TripletType::ThreeClass).correct, qint64(0));
    QCOMPARE(report.byType.at(TripletType::ThreeClass).accuracy(), 0.0);

    // Empty: no division by zero.
    const fa::TripletAccuracyReport empty = fa::tripletAccuracy(fa::TripletDataset(), torch::zeros({0, 2}));
    QCOMPARE(empty.overall.total, qint64(0));
    QVERIFY(std::isnan(empty.accuracy()));
}

void TestTripletEvaluation::reportJson()
{
    fa::TripletAccuracyReport report;
    report.overall = {3, 4};
    report.byType[TripletType::TwoClass] = {3, 4};
    report.byType[TripletType::OneClass] = {0, 0};
    const QJsonObject o = QJsonDocument::fromJson(report.toJson()).object();
    QCOMPARE(o.value(QStringLiteral("accuracy")).toDouble(), 0.75);
    QCOMPARE(o.value(QStringLiteral("correct")).toInt(), 3);
    QCOMPARE(o.value(QStringLiteral("total")).toInt(), 4);
    const QJsonObject types = o.value(QStringLiteral("by_type")).toObject();
    QCOMPARE(types.value(QStringLiteral("two_class")).toObject().value(QStringLiteral("accuracy")).toDouble(), 0.75);
    QVERIFY(types.value(QStringLiteral("one_class")).toObject().value(QStringLiteral("accuracy")).isNull());
    QCOMPARE(fa::tripletTypeKey(TripletType::ThreeClass), QStringLiteral("three_class"));
}

// eval-triplets on the run folder (and on its checkpoint folder) gives the accuracy the run
// logged as validation: same triplets, same eval transform, same weights.
void TestTripletEvaluation::evaluationMatchesValidation()
{
    QString error;
    const std::optional<fa::TripletDataset> triplets = fa::loadTrainingTriplets(
        {fa::test::dataPath(QStringLiteral("images/yale_faces"))}, QString(), kTriplets, kSeed, {}, &error);
    QVERIFY2(triplets, qPrintable(error));
    QCOMPARE(triplets->size(), kTriplets);
    double lastFraction = 0;
    const std::optional<fa::TripletAccuracyReport> report =
        fa::evaluateTriplets(m_run, *triplets, QStringLiteral("cpu"), [&](double f) { lastFraction = f; }, nullptr, &error);
    QVERIFY2(report, qPrintable(error));
    qInfo("30-step run on %lld Yale triplets: evaluation accuracy %.3f, logged validation accuracy %.3f",
          static_cast<long long>(kTriplets), report->accuracy(), m_validationAccuracy);
    QCOMPARE(report->overall.total, qint64(kTriplets));
    QCOMPARE(report->accuracy(), m_validationAccuracy);
    QCOMPARE(report->byType.size(), std::size_t(1));
    QCOMPARE(report->byType.begin()->first, TripletType::TwoClass);
    QCOMPARE(lastFraction, 1.0);

    const std::vector<fa::CheckpointInfo> checkpoints = fa::listCheckpoints(m_run);
    QVERIFY(!checkpoints.empty());
    const auto fromCheckpoint = fa::evaluateTriplets(checkpoints.back().directory, *triplets, QStringLiteral("cpu"), {},
                                                     nullptr, &error);
    QVERIFY2(fromCheckpoint, qPrintable(error));
    QCOMPARE(fromCheckpoint->overall.correct, report->overall.correct);
}

void TestTripletEvaluation::embedderRefusesBadRuns()
{
    QString error;
    QVERIFY(!fa::ExpressionEmbedder::load(QStringLiteral("/no/such/run"), QStringLiteral("cpu"), &error));
    QCOMPARE(error, QStringLiteral("/no/such/run: no such folder (expected a training run folder)"));

    const QString empty = freshDir(QStringLiteral("empty"));
    QVERIFY(QDir().mkpath(empty));
    QVERIFY(!fa::ExpressionEmbedder::load(empty, QStringLiteral("cpu"), &error));
    QVERIFY2(error.endsWith(QStringLiteral("not a training run (config.yaml is missing)")), qPrintable(error));

    // A MAE run has no expression head.
    const QString mae = freshDir(QStringLiteral("mae"));
    QVERIFY(QDir().mkpath(mae));
    QVERIFY(fa::test::tinyMaeConfig().writeYamlFile(mae + QStringLiteral("/config.yaml"), &error));
    QVERIFY(fa::test::writeFile(mae + QStringLiteral("/model.pt"), "x"));
    QVERIFY(!fa::ExpressionEmbedder::load(mae, QStringLiteral("cpu"), &error));
    QVERIFY2(error.contains(QStringLiteral("a mae run has no expression head")), qPrintable(error));

    // Weights that do not belong to the config.
    const QString mismatch = freshDir(QStringLiteral("mismatch"));
    QVERIFY(QDir().mkpath(mismatch));
    fa::TrainingConfig wider = yaleTripletConfig();
    wider.embedDim = 128;
    QVERIFY(wider.writeYamlFile(mismatch + QStringLiteral("/config.yaml"), &error));
    QVERIFY(QFile::copy(m_run + QStringLiteral("/model.pt"), mismatch + QStringLiteral("/model.pt")));
    QVERIFY(!fa::ExpressionEmbedder::load(mismatch, QStringLiteral("cpu"), &error));
    QVERIFY2(error.startsWith(mismatch + QStringLiteral("/model.pt: ")), qPrintable(error));
}

void TestTripletEvaluation::embedImageAndVideo()
{
    QString error;
    std::unique_ptr<fa::ExpressionEmbedder> embedder = fa::ExpressionEmbedder::load(m_run, QStringLiteral("cpu"), &error);
    QVERIFY2(embedder, qPrintable(error));
    QCOMPARE(embedder->embeddingSize(), 16);

    const QString image = fa::test::dataPath(QStringLiteral("images/yale_faces/subject01_happy.png"));
    auto rows = fa::embedFacesInFile(*embedder, image, 1, {}, {}, nullptr, &error);
    QVERIFY2(rows, qPrintable(error));
    QCOMPARE(rows->size(), std::size_t(1));
    QCOMPARE(rows->front().frame, qint64(0));
    double norm = 0;
    for (float v : rows->front().embedding)
        norm += double(v) * v;
    QVERIFY(std::abs(std::sqrt(norm) - 1.0) < 1e-5);

    // Video: every 30th frame of liveportrait_d3 (354 frames, a face in each).
    const QString video = fa::test::dataPath(QStringLiteral("videos/liveportrait_d3.mp4"));
    rows = fa::embedFacesInFile(*embedder, video, 30, {}, {}, nullptr, &error);
    QVERIFY2(rows, qPrintable(error));
    QCOMPARE(rows->size(), std::size_t(12));
    QCOMPARE(rows->at(1).frame, qint64(30));
    QVERIFY(rows->at(1).timeSeconds > 0.9 && rows->at(1).timeSeconds < 1.3);
    QVERIFY(rows->at(0).embedding != rows->at(11).embedding);

    const QString csv = fa::test::outputDir() + QStringLiteral("/d3.csv");
    QVERIFY2(fa::writeEmbeddingCsv(csv, *rows, 16, &error), qPrintable(error));
    const QList<QByteArray> lines = fa::test::readFile(csv).trimmed().split('\n');
    QCOMPARE(lines.size(), 13);
    QCOMPARE(lines[0].trimmed(), QByteArray("source,frame,time_s,face,box_x,box_y,box_w,box_h,"
                                            "e0,e1,e2,e3,e4,e5,e6,e7,e8,e9,e10,e11,e12,e13,e14,e15"));
    QCOMPARE(lines[2].split(',').size(), 24);
    QCOMPARE(lines[2].split(',')[1], QByteArray("30"));
    QCOMPARE(lines[2].split(',')[3], QByteArray("0"));
    QCOMPARE(lines[2].split(',')[6].toDouble(), std::round(rows->at(1).box.width() * 100) / 100);
    QCOMPARE(lines[2].split(',')[8].toFloat(), rows->at(1).embedding[0]);

    // A group photo: one row per face, each its own box.
    const QString group = fa::test::dataPath(QStringLiteral("images/pexels_expressions/group.jpeg"));
    fa::FileImportReport found;
    rows = fa::embedFacesInFile(*embedder, group, 1, {}, {}, nullptr, &error, &found);
    QVERIFY2(rows, qPrintable(error));
    QVERIFY2(rows->size() >= 3, qPrintable(found.line()));
    QCOMPARE(found.facesFound, int(rows->size()));
    for (std::size_t i = 0; i < rows->size(); ++i) {
        QCOMPARE(rows->at(i).face, int(i));
        for (std::size_t j = 0; j < i; ++j)
            QVERIFY(!rows->at(i).box.intersects(rows->at(j).box));
    }

    // A file that is no image or video.
    QVERIFY(!fa::embedFacesInFile(*embedder, csv, 1, {}, {}, nullptr, &error));
    QVERIFY2(error.startsWith(csv + QStringLiteral(": ")), qPrintable(error));
}

void TestTripletEvaluation::projectEmbeddingsForSampling()
{
    const QString dir = freshDir(QStringLiteral("project"));
    QString error;
    {
        std::unique_ptr<fa::Project> project = fa::Project::create(dir, &error);
        QVERIFY2(project, qPrintable(error));
        QStringList images;
        for (const char *name : {"subject01_happy", "subject01_sad", "subject02_happy", "subject02_surprised",
                                 "subject03_sleepy", "subject03_wink"})
            images << fa::test::dataPath(QStringLiteral("images/yale_faces/%1.png").arg(QLatin1String(name)));
        fa::FaceImporter importer;
        const auto report = importer.run(*project, images, {}, nullptr, &error);
        QVERIFY2(report, qPrintable(error));
        QCOMPARE(report->facesAdded, 6);
    }
    double lastFraction = 0;
    const std::optional<qint64> count =
        fa::computeProjectEmbeddings(dir, m_run, [&](double f) { lastFraction = f; }, nullptr, &error, QStringLiteral("cpu"));
    QVERIFY2(count, qPrintable(error));
    QCOMPARE(*count, qint64(6));
    QCOMPARE(lastFraction, 1.0);

    std::unique_ptr<fa::Project> project = fa::Project::open(dir, &error);
    QVERIFY2(project, qPrintable(error));
    for (const fa::FaceRecord &face : project->faces().faces()) {
        QCOMPARE(face.embedding.size(), std::size_t(16));
        double norm = 0;
        for (float v : face.embedding)
            norm += double(v) * v;
        QVERIFY(std::abs(std::sqrt(norm) - 1.0) < 1e-5);
    }
    // The uncertainty strategy can use them now.
    fa::TripletSampler::Options options;
    options.strategy = fa::TripletSampler::Strategy::Uncertainty;
    options.count = 3;
    options.seed = 5;
    const auto sampled = fa::TripletSampler::sample(*project, options, &error);
    QVERIFY2(sampled, qPrintable(error));
    QCOMPARE(sampled->size(), std::size_t(3));

    // A MAE run or a missing project: an error, nothing stored.
    QVERIFY(!fa::computeProjectEmbeddings(dir + QStringLiteral("-missing"), m_run, {}, nullptr, &error));
    QVERIFY(!error.isEmpty());
}

QTEST_GUILESS_MAIN(TestTripletEvaluation)
#include "test_triplet_evaluation.moc"
