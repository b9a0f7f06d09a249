// fa::JobManager with a small test job (test_job.h): queue order and one job at a time, cancel
// (queued and running), pause/resume between steps, failures kept visible with their error,
// persistence in the project's jobs table, interrupted jobs on reopen (and not those another live
// manager owns), the non-blocking stopAll(), remove, and the queue model.

#include "jobs/job_list_model.h"
#include "jobs/job_manager.h"
#include "jobs/job_store.h"
#include "project/project.h"
#include "test_files.h"
#include "test_job.h"

#include <QDir>
#include <QFileInfo>
#include <QLockFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

using namespace fa;
using fa::test::TestJob;

namespace {

QString freshProject(const QString &name)
{
    const QString dir = QDir(test::outputDir()).filePath(name);
    QDir(dir).removeRecursively();
    QString error;
    if (!Project::create(dir, &error))
        qWarning("%s", qPrintable(error));
    return dir;
}

std::optional<JobRecord> storedJob(const QString &projectDir, qint64 id)
{
    QString error;
    std::unique_ptr<Project> project = Project::open(projectDir, &error);
    if (!project)
        return std::nullopt;
    return JobStore(*project).job(id);
}

std::unique_ptr<JobManager> openManager(const QString &dir)
{
    auto manager = std::make_unique<JobManager>();
    manager->setJobFactory(TestJob::factory());
    QString error;
    if (!manager->openProject(dir, &error)) {
        qWarning("%s", qPrintable(error));
        return nullptr;
    }
    return manager;
}

} // namespace

class TestJobManager : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void runsQueueInOrderOneAtATime();
    void cancelQueuedAndRunning();
    void pauseAndResume();
    void failureStaysVisible();
    void unknownKindIsRefused();
    void interruptedOnReopen();
    void liveJobOfAnotherManagerIsNotInterrupted();
    void closingInterruptsAndResumeContinues();
    void stopAllDoesNotWait();
    void removeKeepsRunFolder();
    void modelShowsJobs();
};

void TestJobManager::runsQueueInOrderOneAtATime()
{
    const QString dir = freshProject(QStringLiteral("order"));
    auto manager = openManager(dir);
    QVERIFY(manager);
    QList<qint64> started;
    connect(manager.get(), &JobManager::jobStarted, this, [&started](Job *job) { started.append(job->id()); });
    TestJob::mostAtOnce() = 0;
    QString error;
    QList<qint64> ids;
    for (int i = 0; i < 3; ++i) {
        const auto id = manager->enqueue(QStringLiteral("test"), QStringLiteral("job %1").arg(i),
                                         TestJob::yaml(15, 5), 15, &error);
        QVERIFY2(id, qPrintable(error));
        ids.append(*id);
    }
    QCOMPARE(manager->job(ids[0])->state(), JobState::Running);
    QCOMPARE(manager->job(ids[1])->state(), JobState::Queued);
    QCOMPARE(manager->job(ids[2])->state(), JobState::Queued);
    QTRY_VERIFY_WITH_TIMEOUT(manager->job(ids[2])->state() == JobState::Finished, 20000);
    QCOMPARE(started, ids);
    QCOMPARE(TestJob::mostAtOnce().load(), 1);
    for (qint64 id : ids) {
        QCOMPARE(manager->job(id)->step(), 15);
        QCOMPARE(manager->job(id)->progress(), 1.0);
        const auto stored = storedJob(dir, id);
        QVERIFY(stored);
        QCOMPARE(stored->state, JobState::Finished);
        QCOMPARE(stored->step, 15);
        QCOMPARE(stored->totalSteps, 15);
        QVERIFY(stored->runDirectory.startsWith(QLatin1String("runs/test-")));
    }
    // Distinct run folders under <project>/runs, relative in the table.
    QVERIFY(manager->job(ids[0])->record().runDirectory != manager->job(ids[1])->record().runDirectory);
    QVERIFY(QFileInfo(QDir(dir).filePath(manager->job(ids[1])->record().runDirectory)).isDir());
}

void TestJobManager::cancelQueuedAndRunning()
{
    const QString dir = freshProject(QStringLiteral("cancel"));
    auto manager = openManager(dir);
    QVERIFY(manager);
    QString error;
    const auto first = manager->enqueue(QStringLiteral("test"), QStringLiteral("long"), TestJob::yaml(100000, 2),
                                        100000, &error);
    const auto second = manager->enqueue(QStringLiteral("test"), QStringLiteral("queued"), TestJob::yaml(5, 1), 5,
                                         &error);
    QVERIFY(first && second);
    QVERIFY(manager->cancel(*second, &error));
    QCOMPARE(manager->job(*second)->state(), JobState::Cancelled); // at once: it never ran
    QTRY_VERIFY(manager->job(*first)->step() >= 3);
    QSignalSpy finished(manager.get(), &JobManager::jobFinished);
    QVERIFY(manager->cancel(*first, &error));
    QTRY_COMPARE(manager->job(*first)->state(), JobState::Cancelled);
    QCOMPARE(finished.count(), 1);
    QVERIFY(!manager->cancel(*first, &error)); // nothing left to cancel
    QVERIFY(error.contains(QLatin1String("nothing to cancel")));
    QCOMPARE(storedJob(dir, *first)->state, JobState::Cancelled);
    QCOMPARE(storedJob(dir, *second)->state, JobState::Cancelled);
    QVERIFY(!manager->hasActiveJobs());
    // The cancelled job was never started afterwards.
    QVERIFY(!QFileInfo::exists(manager->job(*second)->runDirectory() + QStringLiteral("/started.txt")));
}

void TestJobManager::pauseAndResume()
{
    const QString dir = freshProject(QStringLiteral("pause"));
    auto manager = openManager(dir);
    QVERIFY(manager);
    QString error;
    const auto id = manager->enqueue(QStringLiteral("test"), QStringLiteral("pausable"), TestJob::yaml(400, 5), 400,
                                     &error);
    QVERIFY2(id, qPrintable(error));
    Job *job = manager->job(*id);
    QTRY_VERIFY(job->step() >= 2);
    QVERIFY(manager->pause(*id, &error));
    QTRY_COMPARE(job->state(), JobState::Paused);
    QCOMPARE(storedJob(dir, *id)->state, JobState::Paused);
    const qint64 pausedAt = job->step();
    QTest::qWait(300); // ~60 steps' time: none may run while paused
    QCOMPARE(job->step(), pausedAt);
    QVERIFY(!manager->pause(*id, &error)); // not running
    QVERIFY(manager->resume(*id, &error));
    QTRY_COMPARE(job->state(), JobState::Running);
    QTRY_VERIFY(job->step() > pausedAt);
    // Cancel while paused wakes the worker.
    QVERIFY(manager->pause(*id, &error));
    QTRY_COMPARE(job->state(), JobState::Paused);
    QVERIFY(manager->cancel(*id, &error));
    QTRY_COMPARE(job->state(), JobState::Cancelled);
    QVERIFY(job->step() < 400);
}

void TestJobManager::failureStaysVisible()
{
    const QString dir = freshProject(QStringLiteral("failure"));
    auto manager = openManager(dir);
    QVERIFY(manager);
    QString error;
    const auto bad = manager->enqueue(QStringLiteral("test"), QStringLiteral("fails"), TestJob::yaml(20, 2, 7), 20,
                                      &error);
    const auto good = manager->enqueue(QStringLiteral("test"), QStringLiteral("after"), TestJob::yaml(5, 2), 5,
                                       &error);
    QVERIFY(bad && good);
    QTRY_COMPARE(manager->job(*good)->state(), JobState::Finished); // the queue goes on
    Job *failed = manager->job(*bad);
    QCOMPARE(failed->state(), JobState::Failed);
    QCOMPARE(failed->error(), QStringLiteral("test failure at step 7"));
    QCOMPARE(failed->step(), 6);
    QCOMPARE(manager->model()->rowCount(), 2);
    const int row = manager->model()->rowOf(*bad);
    QCOMPARE(manager->model()->index(row, JobListModel::ErrorColumn).data().toString(),
             QStringLiteral("test failure at step 7"));
    QCOMPARE(manager->model()->index(row, JobListModel::StateColumn).data().toString(), QStringLiteral("Failed"));
    const auto stored = storedJob(dir, *bad);
    QCOMPARE(stored->state, JobState::Failed);
    QCOMPARE(stored->error, QStringLiteral("test failure at step 7"));
    // Reopened, it is still there with its error.
    manager.reset();
    manager = openManager(dir);
    QCOMPARE(manager->job(*bad)->state(), JobState::Failed);
    QCOMPARE(manager->job(*bad)->error(), QStringLiteral("test failure at step 7"));
}

void TestJobManager::unknownKindIsRefused()
{
    const QString dir = freshProject(QStringLiteral("unknown"));
    auto manager = openManager(dir);
    QVERIFY(manager);
    QString error;
    QVERIFY(!manager->enqueue(QStringLiteral("bake"), QStringLiteral("cake"), QString(), 0, &error));
    QVERIFY2(error.contains(QLatin1String("unknown job kind \"bake\"")), qPrintable(error));
    QCOMPARE(manager->model()->rowCount(), 0);
    QVERIFY(JobStore(*Project::open(dir, &error)).all().empty());

    // A row of a kind this build cannot run is listed and fails with a clear error when resumed.
    {
        std::unique_ptr<Project> project = Project::open(dir, &error);
        JobRecord record;
        record.kind = QStringLiteral("bake");
        record.title = QStringLiteral("old");
        record.runDirectory = QStringLiteral("runs/old");
        record.state = JobState::Interrupted;
        QVERIFY(JobStore(*project).add(record, &error));
    }
    manager = openManager(dir);
    QCOMPARE(manager->model()->rowCount(), 1);
    Job *job = manager->jobs().front();
    QVERIFY(manager->resume(job->id(), &error));
    QTRY_COMPARE(job->state(), JobState::Failed);
    QVERIFY2(job->error().contains(QLatin1String("unknown job kind \"bake\"")), qPrintable(job->error()));
}

void TestJobManager::interruptedOnReopen()
{
    // A studio that crashed left a job 'running' (and one 'queued', one 'paused') with no lock held.
    const QString dir = freshProject(QStringLiteral("crashed"));
    QString error;
    QList<qint64> ids;
    {
        std::unique_ptr<Project> project = Project::open(dir, &error);
        QVERIFY2(project, qPrintable(error));
        JobStore store(*project);
        for (JobState state : {JobState::Running, JobState::Queued, JobState::Paused, JobState::Finished}) {
            JobRecord record;
            record.kind = QStringLiteral("test");
            record.title = jobStateName(state);
            record.runDirectory = QStringLiteral("runs/") + jobStateName(state);
            record.configYaml = TestJob::yaml(30, 2);
            record.state = state;
            record.step = state == JobState::Running ? 12 : 0;
            record.totalSteps = 30;
            const auto id = store.add(record, &error);
            QVERIFY2(id, qPrintable(error));
            ids.append(*id);
        }
    }
    // The crashed studio's lock file is still there: its PID is dead, so it is stale. (Made from a
    // real lock file of this process, with a dead process's PID in place of ours.)
    {
        const QString probePath = QDir(dir).filePath(QStringLiteral("probe.lock"));
        QLockFile probe(probePath);
        QVERIFY(probe.tryLock(0));
        QList<QByteArray> lines = test::readFile(probePath).split('\n');
        probe.unlock();
        QProcess child;
        child.start(QStringLiteral("true"), QStringList());
        QVERIFY(child.waitForStarted(5000));
        const qint64 deadPid = child.processId();
        QVERIFY(child.waitForFinished(5000));
        lines[0] = QByteArray::number(deadPid);
        QVERIFY(QDir(dir).mkpath(QStringLiteral("runs")));
        QVERIFY(test::writeFile(QDir(dir).filePath(QStringLiteral("runs/running.lock")), lines.join('\n')));
    }
    auto manager = openManager(dir);
    QVERIFY(manager);
    QCOMPARE(manager->job(ids[0])->state(), JobState::Interrupted);
    QCOMPARE(manager->job(ids[1])->state(), JobState::Interrupted);
    QCOMPARE(manager->job(ids[2])->state(), JobState::Interrupted);
    QCOMPARE(manager->job(ids[3])->state(), JobState::Finished);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(storedJob(dir, ids[i])->state, JobState::Interrupted);
    QVERIFY(!manager->hasActiveJobs()); // nothing starts by itself

    // Resumed, the job continues from its recorded step.
    QVERIFY2(manager->resume(ids[0], &error), qPrintable(error));
    QTRY_COMPARE(manager->job(ids[0])->state(), JobState::Finished);
    QCOMPARE(test::readFile(manager->job(ids[0])->runDirectory() + QStringLiteral("/started.txt")),
             QByteArray("12\n"));
    QVERIFY(!manager->resume(ids[3], &error)); // finished: nothing to resume
    QVERIFY(error.contains(QLatin1String("cannot be resumed")));
}

void TestJobManager::liveJobOfAnotherManagerIsNotInterrupted()
{
    const QString dir = freshProject(QStringLiteral("two-managers"));
    auto first = openManager(dir);
    QVERIFY(first);
    QString error;
    const auto id = first->enqueue(QStringLiteral("test"), QStringLiteral("live"), TestJob::yaml(100000, 2), 100000,
                                   &error);
    QVERIFY(id);
    QTRY_VERIFY(first->job(*id)->step() > 0);

    auto second = openManager(dir); // another studio on the same project
    QVERIFY(second);
    QCOMPARE(second->job(*id)->state(), JobState::Running);
    QVERIFY(second->isForeign(*id));
    QVERIFY(!second->cancel(*id, &error));
    QVERIFY(!second->remove(*id, &error));
    QVERIFY(!second->hasActiveJobs());
    QCOMPARE(storedJob(dir, *id)->state, JobState::Running);

    QVERIFY(first->cancel(*id, &error));
    QTRY_COMPARE(first->job(*id)->state(), JobState::Cancelled);
}

void TestJobManager::closingInterruptsAndResumeContinues()
{
    const QString dir = freshProject(QStringLiteral("closing"));
    qint64 running = 0;
    qint64 queued = 0;
    qint64 stepAtClose = 0;
    {
        auto manager = openManager(dir);
        QVERIFY(manager);
        QString error;
        running = *manager->enqueue(QStringLiteral("test"), QStringLiteral("running"), TestJob::yaml(100000, 2),
                                    100000, &error);
        queued = *manager->enqueue(QStringLiteral("test"), QStringLiteral("queued"), TestJob::yaml(10, 1), 10, &error);
        QTRY_VERIFY(manager->job(running)->step() >= 5);
        manager->closeProject(); // the studio closes: stop, wait, record
        QVERIFY(!manager->isOpen());
        QCOMPARE(manager->model()->rowCount(), 0);
    }
    std::optional<JobRecord> stored = storedJob(dir, running);
    QCOMPARE(stored->state, JobState::Interrupted);
    stepAtClose = stored->step;
    QVERIFY(stepAtClose >= 5);
    QCOMPARE(storedJob(dir, queued)->state, JobState::Interrupted);
    QVERIFY(!QFileInfo::exists(QDir(dir).filePath(stored->runDirectory + QStringLiteral(".lock"))));

    auto manager = openManager(dir);
    QCOMPARE(manager->job(running)->state(), JobState::Interrupted);
    QString error;
    QVERIFY(manager->resume(queued, &error));
    QTRY_COMPARE(manager->job(queued)->state(), JobState::Finished);
}

void TestJobManager::stopAllDoesNotWait()
{
    const QString dir = freshProject(QStringLiteral("stop-all"));
    auto manager = openManager(dir);
    QVERIFY(manager);
    QString error;
    // Steps of 300 ms: stopAll() must return long before the step ends.
    const auto slow = manager->enqueue(QStringLiteral("test"), QStringLiteral("slow"), TestJob::yaml(1000, 300),
                                       1000, &error);
    const auto next = manager->enqueue(QStringLiteral("test"), QStringLiteral("next"), TestJob::yaml(3, 1), 3, &error);
    QVERIFY(slow && next);
    QTRY_COMPARE(manager->job(*slow)->state(), JobState::Running);
    QSignalSpy stopped(manager.get(), &JobManager::allStopped);
    manager->stopAll();
    QCOMPARE(stopped.count(), 0);            // returned at once: the worker is mid-step
    QVERIFY(manager->hasActiveJobs());
    QCOMPARE(manager->job(*next)->state(), JobState::Interrupted);
    QTRY_COMPARE(stopped.count(), 1);
    QCOMPARE(manager->job(*slow)->state(), JobState::Interrupted);
    QCOMPARE(storedJob(dir, *slow)->state, JobState::Interrupted);
    QCOMPARE(storedJob(dir, *next)->state, JobState::Interrupted);
}

void TestJobManager::removeKeepsRunFolder()
{
    const QString dir = freshProject(QStringLiteral("remove"));
    auto manager = openManager(dir);
    QVERIFY(manager);
    QString error;
    const auto done = manager->enqueue(QStringLiteral("test"), QStringLiteral("done"), TestJob::yaml(3, 1), 3, &error);
    QTRY_COMPARE(manager->job(*done)->state(), JobState::Finished);
    const auto busy = manager->enqueue(QStringLiteral("test"), QStringLiteral("busy"), TestJob::yaml(100000, 2),
                                       100000, &error);
    QTRY_COMPARE(manager->job(*busy)->state(), JobState::Running);
    QVERIFY(!manager->remove(*busy, &error));
    QVERIFY(error.contains(QLatin1String("cancel it first")));
    const QString runDir = manager->job(*done)->runDirectory();
    QSignalSpy removed(manager.get(), &JobManager::jobRemoved);
    QVERIFY2(manager->remove(*done, &error), qPrintable(error));
    QCOMPARE(removed.count(), 1);
    QVERIFY(!manager->job(*done));
    QVERIFY(!storedJob(dir, *done));
    QVERIFY(QFileInfo(runDir + QStringLiteral("/started.txt")).isFile());
    QCOMPARE(manager->model()->rowCount(), 1);
    manager->cancel(*busy);
    QTRY_COMPARE(manager->job(*busy)->state(), JobState::Cancelled);
}

void TestJobManager::modelShowsJobs()
{
    const QString dir = freshProject(QStringLiteral("model"));
    auto manager = openManager(dir);
    QVERIFY(manager);
    JobListModel *model = manager->model();
    QCOMPARE(model->columnCount(), int(JobListModel::ColumnCount));
    QString error;
    const auto id = manager->enqueue(QStringLiteral("test"), QStringLiteral("shown"), TestJob::yaml(50, 4), 50, &error);
    QVERIFY(id);
    QCOMPARE(model->rowCount(), 1);
    QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
    QTRY_COMPARE(manager->job(*id)->state(), JobState::Finished);
    QVERIFY(changed.count() >= 2);
    QVERIFY(changed.count() < 50 + 10); // progress reaches the model throttled, not per step only
    const QModelIndex title = model->index(0, JobListModel::TitleColumn);
    QCOMPARE(title.data().toString(), QStringLiteral("shown"));
    QCOMPARE(title.data(JobListModel::JobIdRole).toLongLong(), *id);
    QCOMPARE(title.data(JobListModel::StateRole).toInt(), int(JobState::Finished));
    QCOMPARE(model->index(0, JobListModel::ProgressColumn).data(JobListModel::ProgressRole).toDouble(), 1.0);
    QCOMPARE(model->index(0, JobListModel::ProgressColumn).data().toString(), QStringLiteral("100 %"));
    QCOMPARE(model->index(0, JobListModel::StepColumn).data().toString(), QStringLiteral("50 / 50"));
    QCOMPARE(model->index(0, JobListModel::ErrorColumn).data().toString(), QString());
    QCOMPARE(model->headerData(JobListModel::StateColumn, Qt::Horizontal).toString(), QStringLiteral("State"));
}

QTEST_GUILESS_MAIN(TestJobManager)
#include "test_job_manager.moc"
