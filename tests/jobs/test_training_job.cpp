// fa::TrainingJob through fa::JobManager on real faces (a project built from the Yale images):
// the factory refuses configurations that are not valid, a run whose data is missing fails with
// the path named, a run interrupted by the studio closing resumes from its checkpoint after the
// project is reopened and finishes, and the samples folder round-trips.

#include "jobs/job_manager.h"
#include "jobs/job_store.h"
#include "jobs/training_job.h"
#include "jobs/training_samples_folder.h"
#include "label_test_project.h"
#include "project/project.h"
#include "test_files.h"
#include "training/checkpoint.h"
#include "training/metrics_log.h"
#include "training/training_presets.h"

#include <QSignalSpy>
#include <QTest>

using namespace fa;

namespace {

TrainingConfig tinyMae(const QString &data)
{
    TrainingConfig c = *trainingPreset(QStringLiteral("mae"), QStringLiteral("tiny"));
    c.imageSize = 64;
    c.patchSize = 8;
    c.embedDim = 64;
    c.depth = 2;
    c.numHeads = 4;
    c.decoderEmbedDim = 32;
    c.decoderDepth = 1;
    c.decoderNumHeads = 4;
    c.batchSize = 8;
    c.logEvery = 1;
    c.workers = 1;
    c.device = QStringLiteral("cpu");
    c.seed = 7;
    c.lr = 1e-3;
    c.sampleEvery = 0;
    c.data = QStringList{data};
    return c;
}

QImage solid(QColor color, int size = 16)
{
    QImage image(size, size, QImage::Format_RGB32);
    image.fill(color);
    return image;
}

} // namespace

class TestTrainingJob : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void factoryRefusesBadConfigurations_data();
    void factoryRefusesBadConfigurations();
    void missingDataFailsNamingIt();
    void interruptedRunResumesAfterReopen();
    void samplesFolderRoundTrip();

private:
    QString m_project;
};

void TestTrainingJob::initTestCase()
{
    m_project = test::outputDir() + QStringLiteral("/project");
    QString error;
    QVERIFY2(test::makeLabelProject(m_project, 16, 5, &error), qPrintable(error));
}

void TestTrainingJob::factoryRefusesBadConfigurations_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown kind") << "bake" << "kind: mae\n" << "unknown job kind \"bake\"";
    QTest::newRow("kind mismatch") << "triplet" << "kind: mae\npreset: tiny\n" << "the configuration is for a mae run, not triplet";
    QTest::newRow("bad value") << "mae" << "kind: mae\npreset: tiny\nsteps: many\n" << "steps";
    QTest::newRow("bad sizes") << "mae" << "kind: mae\npreset: tiny\nimage_size: 60\npatch_size: 16\n"
                               << "image_size: 60 is not a multiple of patch_size 16";
}

void TestTrainingJob::factoryRefusesBadConfigurations()
{
    QFETCH(QString, kind);
    QFETCH(QString, yaml);
    QFETCH(QString, expected);
    JobManager manager;
    QString error;
    QVERIFY2(manager.openProject(m_project, &error), qPrintable(error));
    const size_t before = manager.jobs().size();
    QVERIFY(!manager.enqueue(kind, QStringLiteral("bad"), yaml, 10, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QCOMPARE(manager.jobs().size(), before);
}

void TestTrainingJob::missingDataFailsNamingIt()
{
    JobManager manager;
    QString error;
    QVERIFY2(manager.openProject(m_project, &error), qPrintable(error));
    const QString missing = test::outputDir() + QStringLiteral("/missing-folder");
    const TrainingConfig config = tinyMae(missing);
    const auto id = manager.enqueue(config.kind, TrainingJob::titleFor(config), QString::fromUtf8(config.toYaml()),
                                    config.steps, &error);
    QVERIFY2(id, qPrintable(error));
    Job *job = manager.job(*id);
    QTRY_COMPARE_WITH_TIMEOUT(job->state(), JobState::Failed, 30000);
    QVERIFY2(job->error().contains(QLatin1String("missing-folder")), qPrintable(job->error()));
    std::unique_ptr<Project> project = Project::open(m_project, &error);
    QCOMPARE(JobStore(*project).job(*id)->error, job->error());
}

void TestTrainingJob::interruptedRunResumesAfterReopen()
{
    TrainingConfig config = tinyMae(m_project);
    config.steps = 60;
    config.checkpointEvery = 10;
    config.sampleEvery = 20;
    qint64 id = 0;
    QString runDir;
    qint64 stoppedAt = 0;
    QString error;
    {
        JobManager manager;
        QVERIFY2(manager.openProject(m_project, &error), qPrintable(error));
        const auto enqueued = manager.enqueue(config.kind, TrainingJob::titleFor(config),
                                              QString::fromUtf8(config.toYaml()), config.steps, &error);
        QVERIFY2(enqueued, qPrintable(error));
        id = *enqueued;
        auto *job = qobject_cast<TrainingJob *>(manager.job(id));
        QVERIFY(job);
        QCOMPARE(job->title(), QStringLiteral("MAE tiny, 60 steps"));
        QSignalSpy metrics(job, &TrainingJob::metricsLogged);
        QSignalSpy checkpoints(job, &TrainingJob::checkpointWritten);
        QSignalSpy device(job, &TrainingJob::deviceKnown);
        QTRY_VERIFY_WITH_TIMEOUT(job->step() >= 15, 60000);
        QVERIFY(metrics.count() >= 10);
        QVERIFY(checkpoints.count() >= 1);
        QCOMPARE(device.count(), 1);
        QVERIFY(job->deviceDescription().startsWith(QLatin1String("CPU")));
        QCOMPARE(qsizetype(job->metrics().size()), metrics.count());
        runDir = job->runDirectory();
        manager.closeProject(); // the studio closes mid-run: stop after the step, wait, record
        stoppedAt = fa::listCheckpoints(runDir).back().step;
        QVERIFY(stoppedAt >= 15 && stoppedAt < 60);
    }
    std::unique_ptr<Project> project = Project::open(m_project, &error);
    std::optional<JobRecord> stored = JobStore(*project).job(id);
    QCOMPARE(stored->state, JobState::Interrupted);
    QCOMPARE(stored->step, stoppedAt);

    JobManager manager;
    QVERIFY2(manager.openProject(m_project, &error), qPrintable(error));
    Job *job = manager.job(id);
    QCOMPARE(job->state(), JobState::Interrupted);
    QVERIFY2(manager.resume(id, &error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(job->state() != JobState::Running && job->state() != JobState::Queued, 60000);
    QVERIFY2(job->state() == JobState::Finished, qPrintable(job->error()));
    QCOMPARE(job->step(), 60);
    // metrics.jsonl: every step once, in order, across the interruption.
    const std::vector<TrainingMetrics> logged = MetricsLog::readFile(runDir + QStringLiteral("/metrics.jsonl"));
    QCOMPARE(int(logged.size()), 60);
    for (size_t i = 0; i < logged.size(); ++i)
        QCOMPARE(logged[i].step, qint64(i + 1));
    // The first job object's points up to the stop plus the resumed one's: the file's.
    auto *training = qobject_cast<TrainingJob *>(job);
    QCOMPARE(training->metrics().front().step, stoppedAt + 1);
    QCOMPARE(training->metrics().back().step, 60);
    // Reconstruction samples were written for the dashboard (steps 20, 40, 60).
    const std::vector<qint64> sampleSteps = TrainingSamplesFolder::steps(runDir);
    QVERIFY2(sampleSteps.size() >= 2, qPrintable(QString::number(sampleSteps.size())));
    QCOMPARE(sampleSteps.back(), 60);
    const std::optional<TrainingSamples> samples = TrainingSamplesFolder::read(runDir, 60, &error);
    QVERIFY2(samples, qPrintable(error));
    QVERIFY(!samples->reconstructions.empty());
    QCOMPARE(samples->reconstructions.front().target.width(), 64);
    QVERIFY(QFileInfo(runDir + QStringLiteral("/model.pt")).size() > 1000);
}

void TestTrainingJob::samplesFolderRoundTrip()
{
    const QString runDir = test::outputDir() + QStringLiteral("/samples-run");
    QDir(runDir).removeRecursively();
    TrainingSamples samples;
    samples.step = 120;
    samples.reconstructions.push_back({solid(Qt::gray), solid(Qt::red), solid(Qt::green)});
    samples.reconstructions.push_back({solid(Qt::black), solid(Qt::blue), solid(Qt::white)});
    NeighbourSample n;
    n.query = solid(Qt::yellow);
    n.neighbours = {solid(Qt::cyan), solid(Qt::magenta)};
    n.distances = {0.125, 0.5};
    samples.neighbours.push_back(n);
    samples.renders.push_back({solid(Qt::darkRed), solid(Qt::darkGreen), solid(Qt::darkBlue)});
    QString error;
    QVERIFY2(TrainingSamplesFolder::write(runDir, samples, &error), qPrintable(error));
    samples.step = 7;
    QVERIFY2(TrainingSamplesFolder::write(runDir, samples, &error), qPrintable(error));
    QCOMPARE(TrainingSamplesFolder::steps(runDir), (std::vector<qint64>{7, 120}));
    const std::optional<TrainingSamples> read = TrainingSamplesFolder::read(runDir, 120, &error);
    QVERIFY2(read, qPrintable(error));
    QCOMPARE(read->step, 120);
    QCOMPARE(int(read->reconstructions.size()), 2);
    QCOMPARE(read->reconstructions[1].prediction.pixelColor(3, 3), QColor(Qt::blue));
    QCOMPARE(read->reconstructions[0].target.pixelColor(0, 0), QColor(Qt::green));
    QCOMPARE(int(read->neighbours.size()), 1);
    QCOMPARE(int(read->neighbours[0].neighbours.size()), 2);
    QCOMPARE(read->neighbours[0].neighbours[1].pixelColor(1, 1), QColor(Qt::magenta));
    QCOMPARE(read->neighbours[0].distances, (std::vector<double>{0.125, 0.5}));
    QCOMPARE(int(read->renders.size()), 1);
    QCOMPARE(read->renders[0].real.pixelColor(2, 2), QColor(Qt::darkRed));
    QCOMPARE(read->renders[0].neural.pixelColor(2, 2), QColor(Qt::darkGreen));
    QCOMPARE(read->renders[0].difference.pixelColor(2, 2), QColor(Qt::darkBlue));
    QVERIFY(!TrainingSamplesFolder::read(runDir, 5, &error));
    QVERIFY2(error.contains(QLatin1String("no samples of step 5")), qPrintable(error));
    // No temporary folder is left behind.
    QCOMPARE(QDir(TrainingSamplesFolder::directory(runDir)).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(), 2);
}

QTEST_GUILESS_MAIN(TestTrainingJob)
#include "test_training_job.moc"
