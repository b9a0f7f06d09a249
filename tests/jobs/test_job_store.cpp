// The project's jobs table (schema migration 2) and fa::JobStore: a new project has it, a project
// reopened keeps its jobs, every column round-trips, states are checked by the table.

#include "jobs/job_store.h"
#include "project/project.h"
#include "project/project_schema.h"
#include "project/sqlite_statement.h"
#include "test_files.h"

#include <QDir>
#include <QTest>

using namespace fa;

namespace {

QString freshDir(const QString &name)
{
    const QString dir = QDir(test::outputDir()).filePath(name);
    QDir(dir).removeRecursively();
    return dir;
}

QStringList columnsOf(Project &project, const QString &table)
{
    SqliteStatement q = project.connection().prepare(QStringLiteral("PRAGMA table_info(%1)").arg(table));
    QStringList names;
    while (q.step() == SqliteStatement::Step::Row)
        names.append(q.columnText(1));
    return names;
}

JobRecord sampleRecord(const QString &title)
{
    JobRecord r;
    r.kind = QStringLiteral("mae");
    r.title = title;
    r.runDirectory = QStringLiteral("runs/") + title;
    r.configYaml = QStringLiteral("kind: mae\npreset: tiny\nsteps: 100\n");
    r.totalSteps = 100;
    return r;
}

} // namespace

class TestJobStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void newProjectHasJobsTable();
    void projectFromBeforeStillOpens();
    void roundTrip();
    void states_data();
    void states();
    void unknownStateIsRefused();
    void missingRowsAreErrors();
};

void TestJobStore::newProjectHasJobsTable()
{
    QString error;
    std::unique_ptr<Project> project = Project::create(freshDir(QStringLiteral("new")), &error);
    QVERIFY2(project, qPrintable(error));
    QVERIFY(ProjectSchema::currentVersion() >= 2); // 2 added the jobs; later versions keep them
    QCOMPARE(ProjectSchema::version(project->connection()), ProjectSchema::currentVersion());
    QCOMPARE(columnsOf(*project, QStringLiteral("jobs")),
             (QStringList{QStringLiteral("id"), QStringLiteral("kind"), QStringLiteral("title"),
                          QStringLiteral("run_dir"), QStringLiteral("config_yaml"), QStringLiteral("state"),
                          QStringLiteral("error"), QStringLiteral("created_at"), QStringLiteral("updated_at"),
                          QStringLiteral("step"), QStringLiteral("total_steps")}));
    // Schema 1's tables are untouched by migration 2.
    QCOMPARE(columnsOf(*project, QStringLiteral("faces")).size(), 15);
    QVERIFY(columnsOf(*project, QStringLiteral("leases")).contains(QStringLiteral("annotator_id")));
    QVERIFY(JobStore(*project).all().empty());
}

void TestJobStore::projectFromBeforeStillOpens()
{
    // A project with labelling data, closed and reopened by this build: opens, keeps its data,
    // and its jobs persist across the reopen.
    const QString dir = freshDir(QStringLiteral("reopen"));
    QString error;
    qint64 jobId = 0;
    {
        std::unique_ptr<Project> project = Project::create(dir, &error);
        QVERIFY2(project, qPrintable(error));
        QVERIFY(project->setJudgmentsPerTriplet(4, &error));
        JobStore store(*project);
        const auto id = store.add(sampleRecord(QStringLiteral("first")), &error);
        QVERIFY2(id, qPrintable(error));
        jobId = *id;
    }
    std::unique_ptr<Project> project = Project::open(dir, &error);
    QVERIFY2(project, qPrintable(error));
    QCOMPARE(ProjectSchema::version(project->connection()), ProjectSchema::currentVersion());
    QCOMPARE(project->judgmentsPerTriplet(), 4);
    const std::vector<JobRecord> jobs = JobStore(*project).all();
    QCOMPARE(int(jobs.size()), 1);
    QCOMPARE(jobs[0].id, jobId);
    QCOMPARE(jobs[0].title, QStringLiteral("first"));
    SqliteStatement check = project->connection().prepare(QStringLiteral("PRAGMA integrity_check"));
    QCOMPARE(check.step(), SqliteStatement::Step::Row);
    QCOMPARE(check.columnText(0), QStringLiteral("ok"));
}

void TestJobStore::roundTrip()
{
    QString error;
    std::unique_ptr<Project> project = Project::create(freshDir(QStringLiteral("roundtrip")), &error);
    QVERIFY2(project, qPrintable(error));
    qint64 clock = 1'700'000'000'000;
    project->setClock([&clock] { return clock; });
    JobStore store(*project);

    JobRecord record = sampleRecord(QStringLiteral("mae-tiny"));
    record.title = QStringLiteral("MAE tiny — 100 steps"); // not ASCII on purpose
    const auto id = store.add(record, &error);
    QVERIFY2(id, qPrintable(error));
    std::optional<JobRecord> read = store.job(*id);
    QVERIFY(read);
    QCOMPARE(read->id, *id);
    QCOMPARE(read->kind, record.kind);
    QCOMPARE(read->title, record.title);
    QCOMPARE(read->runDirectory, record.runDirectory);
    QCOMPARE(read->configYaml, record.configYaml);
    QCOMPARE(read->state, JobState::Queued);
    QCOMPARE(read->error, QString());
    QCOMPARE(read->createdAtMs, clock);
    QCOMPARE(read->updatedAtMs, clock);
    QCOMPARE(read->step, 0);
    QCOMPARE(read->totalSteps, 100);

    clock += 5000;
    QVERIFY2(store.setStep(*id, 40, 100, &error), qPrintable(error));
    clock += 5000;
    QVERIFY2(store.setState(*id, JobState::Failed, QStringLiteral("loss is NaN at step 41"), &error),
             qPrintable(error));
    read = store.job(*id);
    QCOMPARE(read->step, 40);
    QCOMPARE(read->state, JobState::Failed);
    QCOMPARE(read->error, QStringLiteral("loss is NaN at step 41"));
    QCOMPARE(read->createdAtMs, clock - 10000);
    QCOMPARE(read->updatedAtMs, clock);

    JobRecord changed = *read;
    changed.state = JobState::Interrupted;
    changed.error.clear();
    changed.step = 50;
    changed.totalSteps = 200;
    changed.configYaml = QStringLiteral("kind: mae\nsteps: 200\n");
    QVERIFY2(store.update(changed, &error), qPrintable(error));
    read = store.job(*id);
    QCOMPARE(read->state, JobState::Interrupted);
    QCOMPARE(read->error, QString());
    QCOMPARE(read->step, 50);
    QCOMPARE(read->totalSteps, 200);
    QCOMPARE(read->configYaml, changed.configYaml);

    const auto second = store.add(sampleRecord(QStringLiteral("second")), &error);
    QVERIFY(second);
    const std::vector<JobRecord> all = store.all();
    QCOMPARE(int(all.size()), 2);
    QCOMPARE(all[0].id, *id);
    QCOMPARE(all[1].id, *second);
    QVERIFY2(store.remove(*id, &error), qPrintable(error));
    QCOMPARE(int(store.all().size()), 1);
    QVERIFY(!store.job(*id));
}

void TestJobStore::states_data()
{
    QTest::addColumn<int>("state");
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("active");
    QTest::addColumn<bool>("resumable");
    QTest::newRow("queued") << int(JobState::Queued) << QStringLiteral("queued") << false << false;
    QTest::newRow("running") << int(JobState::Running) << QStringLiteral("running") << true << false;
    QTest::newRow("paused") << int(JobState::Paused) << QStringLiteral("paused") << true << false;
    QTest::newRow("finished") << int(JobState::Finished) << QStringLiteral("finished") << false << false;
    QTest::newRow("failed") << int(JobState::Failed) << QStringLiteral("failed") << false << true;
    QTest::newRow("cancelled") << int(JobState::Cancelled) << QStringLiteral("cancelled") << false << true;
    QTest::newRow("interrupted") << int(JobState::Interrupted) << QStringLiteral("interrupted") << false << true;
}

void TestJobStore::states()
{
    QFETCH(int, state);
    QFETCH(QString, name);
    QFETCH(bool, active);
    QFETCH(bool, resumable);
    const JobState s = JobState(state);
    QCOMPARE(jobStateName(s), name);
    QCOMPARE(jobStateFromName(name), std::optional<JobState>(s));
    QCOMPARE(jobStateIsActive(s), active);
    QCOMPARE(jobStateIsResumable(s), resumable);

    // The table accepts the name and reads it back.
    QString error;
    std::unique_ptr<Project> project = Project::create(freshDir(QStringLiteral("state-") + name), &error);
    QVERIFY2(project, qPrintable(error));
    JobStore store(*project);
    JobRecord record = sampleRecord(name);
    record.state = s;
    const auto id = store.add(record, &error);
    QVERIFY2(id, qPrintable(error));
    QCOMPARE(store.job(*id)->state, s);
    SqliteStatement q = project->connection().prepare(QStringLiteral("SELECT state FROM jobs WHERE id = ?"));
    q.bind(1, *id);
    QCOMPARE(q.step(), SqliteStatement::Step::Row);
    QCOMPARE(q.columnText(0), name);
}

void TestJobStore::unknownStateIsRefused()
{
    QString error;
    std::unique_ptr<Project> project = Project::create(freshDir(QStringLiteral("check")), &error);
    QVERIFY2(project, qPrintable(error));
    QVERIFY(!project->connection().exec(QStringLiteral(
        "INSERT INTO jobs(kind, title, run_dir, state, created_at, updated_at) "
        "VALUES('mae', 't', 'runs/t', 'exploded', 0, 0)")));
    QVERIFY(!jobStateFromName(QStringLiteral("exploded")));
}

void TestJobStore::missingRowsAreErrors()
{
    QString error;
    std::unique_ptr<Project> project = Project::create(freshDir(QStringLiteral("missing")), &error);
    QVERIFY2(project, qPrintable(error));
    JobStore store(*project);
    QVERIFY(!store.setState(42, JobState::Failed, QString(), &error));
    QVERIFY2(error.contains(QLatin1String("no job 42")) && error.contains(QLatin1String("project.sqlite")),
             qPrintable(error));
    error.clear();
    QVERIFY(!store.setStep(42, 1, 2, &error));
    QVERIFY(!error.isEmpty());
    error.clear();
    QVERIFY(!store.remove(42, &error));
    QVERIFY(!error.isEmpty());
    JobRecord record = sampleRecord(QStringLiteral("x"));
    record.id = 42;
    QVERIFY(!store.update(record, &error));
    // A record without a title or run folder is refused by the table (NOT NULL).
    JobRecord empty;
    QVERIFY(!store.add(empty, &error));
}

QTEST_GUILESS_MAIN(TestJobStore)
#include "test_job_store.moc"
