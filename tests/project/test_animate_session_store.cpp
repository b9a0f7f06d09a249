// The project's Animate sessions (table animate_sessions, schema migration 3) and
// fa::AnimateSessionStore: every field round-trips (large blobs too), paths are kept relative
// inside the project folder and absolute elsewhere, the list is most recent first, rows are
// updated and removed, missing rows are errors, and a version-2 project migrates keeping its jobs.

#include "project/project.h"
#include "project/project_schema.h"
#include "project/sqlite_statement.h"
#include "project_fixture.h"

#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTest>

using namespace fa;

namespace {

QStringList columnsOf(Project &project, const QString &table)
{
    SqliteStatement q = project.connection().prepare(QStringLiteral("PRAGMA table_info(%1)").arg(table));
    QStringList names;
    while (q.step() == SqliteStatement::Step::Row)
        names.append(q.columnText(1));
    return names;
}

// What the table holds for a session's video/avatar path, before the store resolves it.
QString storedColumn(Project &project, qint64 id, const QString &column)
{
    SqliteStatement q = project.connection().prepare(
        QStringLiteral("SELECT %1 FROM animate_sessions WHERE id = ?").arg(column));
    q.bind(1, id);
    return q.step() == SqliteStatement::Step::Row ? q.columnText(0) : QStringLiteral("<no row>");
}

QByteArray randomBytes(int size, quint32 seed)
{
    QRandomGenerator generator(seed);
    QByteArray bytes(size, Qt::Uninitialized);
    generator.fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
    return bytes;
}

AnimateSessionRecord sampleRecord(const QString &name, const QString &videoPath)
{
    AnimateSessionRecord r;
    r.name = name;
    r.videoPath = videoPath;
    r.avatarPath = QStringLiteral("/avatars/facecap.glb");
    r.neutralFrame = 42;
    r.measurements = QByteArrayLiteral("FAMS measurements");
    r.animation = QByteArrayLiteral("curves");
    r.viewState = QByteArrayLiteral("{\"currentFrame\":12}");
    return r;
}

// A project whose clock the test sets (createdAt/updatedAt are the project's clock).
struct ClockedProject
{
    std::unique_ptr<Project> project;
    std::shared_ptr<qint64> now = std::make_shared<qint64>(1'000'000);

    explicit ClockedProject(std::unique_ptr<Project> p) : project(std::move(p))
    {
        if (project) {
            std::shared_ptr<qint64> clock = now;
            project->setClock([clock] { return *clock; });
        }
    }
};

} // namespace

class TestAnimateSessionStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void newProjectHasTable();
    void roundTripEveryField();
    void saveUpdatesExistingRow();
    void paths_data();
    void paths();
    void projectMovesWithItsVideos();
    void listIsMostRecentFirst();
    void remove();
    void missingIdsAreErrors();
    void versionTwoProjectMigrates();
};

void TestAnimateSessionStore::newProjectHasTable()
{
    QString error;
    std::unique_ptr<Project> project = Project::create(test::freshDir(QStringLiteral("new")), &error);
    QVERIFY2(project, qPrintable(error));
    QCOMPARE(ProjectSchema::currentVersion(), 3);
    QCOMPARE(ProjectSchema::version(project->connection()), 3);
    QCOMPARE(columnsOf(*project, QStringLiteral("animate_sessions")),
             (QStringList{QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("video_path"),
                          QStringLiteral("avatar_path"), QStringLiteral("solver"), QStringLiteral("neutral_frame"),
                          QStringLiteral("measurements"), QStringLiteral("animation"), QStringLiteral("view_state"),
                          QStringLiteral("created_at"), QStringLiteral("updated_at")}));
    QVERIFY(columnsOf(*project, QStringLiteral("jobs")).contains(QStringLiteral("run_dir")));
    QVERIFY(project->animateSessions().list(&error).empty());
    QVERIFY(error.isEmpty());
}

void TestAnimateSessionStore::roundTripEveryField()
{
    const QString dir = test::freshDir(QStringLiteral("roundtrip"));
    QString error;
    AnimateSessionRecord record;
    record.name = QStringLiteral("Take 3 – smile → facecap");
    record.videoPath = QDir(dir).filePath(QStringLiteral("videos/take 3.mp4"));
    record.avatarPath = QStringLiteral("/opt/avatars/Männchen.fbx");
    record.solver = QStringLiteral("landmark");
    record.neutralFrame = 1234567890123;
    record.measurements = randomBytes(24 << 20, 1); // a long take's measurements: 24 MB
    record.animation = randomBytes(8 << 20, 2);
    record.viewState = QByteArrayLiteral("{\"visible\":[\"jawOpen\"],\"colour\":{\"jawOpen\":\"#ff8800\"}}");
    record.createdAt = 777;
    qint64 id = 0;
    {
        ClockedProject p(Project::create(dir, &error));
        QVERIFY2(p.project, qPrintable(error));
        *p.now = 5000;
        id = p.project->animateSessions().save(record, &error);
        QVERIFY2(id > 0, qPrintable(error));
    }
    // Read back by a fresh connection.
    std::unique_ptr<Project> project = Project::open(dir, &error);
    QVERIFY2(project, qPrintable(error));
    const std::optional<AnimateSessionRecord> back = project->animateSessions().load(id, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->id, id);
    QCOMPARE(back->name, record.name);
    QCOMPARE(back->videoPath, record.videoPath);
    QCOMPARE(back->avatarPath, record.avatarPath);
    QCOMPARE(back->solver, record.solver);
    QCOMPARE(back->neutralFrame, record.neutralFrame);
    QVERIFY(back->measurements == record.measurements);
    QVERIFY(back->animation == record.animation);
    QCOMPARE(back->viewState, record.viewState);
    QCOMPARE(back->createdAt, qint64(777)); // given: kept
    QCOMPARE(back->updatedAt, qint64(5000));

    // Defaults: automatic neutral, no avatar, no blobs; createdAt = now when not given.
    AnimateSessionRecord bare;
    bare.name = QStringLiteral("bare");
    bare.videoPath = QStringLiteral("/videos/a.mp4");
    const qint64 bareId = project->animateSessions().save(bare, &error);
    QVERIFY2(bareId > id, qPrintable(error));
    const std::optional<AnimateSessionRecord> bareBack = project->animateSessions().load(bareId, &error);
    QVERIFY2(bareBack, qPrintable(error));
    QCOMPARE(bareBack->neutralFrame, qint64(-1));
    QCOMPARE(bareBack->solver, QStringLiteral("landmark"));
    QVERIFY(bareBack->avatarPath.isEmpty());
    QVERIFY(bareBack->measurements.isEmpty() && bareBack->animation.isEmpty() && bareBack->viewState.isEmpty());
    QVERIFY(bareBack->createdAt > 0);
    QCOMPARE(bareBack->createdAt, bareBack->updatedAt);
}

void TestAnimateSessionStore::saveUpdatesExistingRow()
{
    QString error;
    ClockedProject p(Project::create(test::freshDir(QStringLiteral("update")), &error));
    QVERIFY2(p.project, qPrintable(error));
    AnimateSessionStore &store = p.project->animateSessions();
    *p.now = 1000;
    AnimateSessionRecord record = sampleRecord(QStringLiteral("first"), QStringLiteral("/videos/a.mp4"));
    record.id = store.save(record, &error);
    QVERIFY2(record.id > 0, qPrintable(error));

    *p.now = 2000;
    record.name = QStringLiteral("renamed");
    record.neutralFrame = -1;
    record.animation = QByteArrayLiteral("edited curves");
    record.avatarPath.clear();
    record.createdAt = 1; // ignored on update: the stored creation time stays
    QCOMPARE(store.save(record, &error), record.id);
    const std::optional<AnimateSessionRecord> back = store.load(record.id, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->name, QStringLiteral("renamed"));
    QCOMPARE(back->neutralFrame, qint64(-1));
    QCOMPARE(back->animation, QByteArrayLiteral("edited curves"));
    QCOMPARE(back->measurements, record.measurements);
    QVERIFY(back->avatarPath.isEmpty());
    QCOMPARE(back->createdAt, qint64(1000));
    QCOMPARE(back->updatedAt, qint64(2000));
    QCOMPARE(int(store.list(&error).size()), 1);
}

void TestAnimateSessionStore::paths_data()
{
    QTest::addColumn<QString>("given");    // "<project>" stands for the project folder
    QTest::addColumn<QString>("stored");   // what the table holds ("<project>" expanded)
    QTest::addColumn<QString>("returned"); // what load() gives back
    const QString p = QStringLiteral("<project>");
    QTest::newRow("inside") << p + QStringLiteral("/videos/take1.mp4") << QStringLiteral("videos/take1.mp4")
                            << p + QStringLiteral("/videos/take1.mp4");
    QTest::newRow("inside, top level") << p + QStringLiteral("/take.mov") << QStringLiteral("take.mov")
                                       << p + QStringLiteral("/take.mov");
    QTest::newRow("inside via ..") << p + QStringLiteral("/crops/../videos/./t.mp4") << QStringLiteral("videos/t.mp4")
                                   << p + QStringLiteral("/videos/t.mp4");
    QTest::newRow("outside") << QStringLiteral("/data/videos/take1.mp4") << QStringLiteral("/data/videos/take1.mp4")
                             << QStringLiteral("/data/videos/take1.mp4");
    QTest::newRow("sibling with the same prefix")
        << p + QStringLiteral("-other/v.mp4") << p + QStringLiteral("-other/v.mp4") << p + QStringLiteral("-other/v.mp4");
    QTest::newRow("parent folder") << p + QStringLiteral("/../v.mp4") << QStringLiteral("<parent>/v.mp4")
                                   << QStringLiteral("<parent>/v.mp4");
    QTest::newRow("empty") << QString() << QString() << QString();
}

void TestAnimateSessionStore::paths()
{
    QFETCH(QString, given);
    QFETCH(QString, stored);
    QFETCH(QString, returned);
    const QString dir = QDir::cleanPath(QDir(test::freshDir(QStringLiteral("paths"))).absolutePath());
    const QString parent = QFileInfo(dir).path();
    auto expand = [&](QString s) {
        return s.replace(QStringLiteral("<project>"), dir).replace(QStringLiteral("<parent>"), parent);
    };
    QString error;
    std::unique_ptr<Project> project = Project::create(dir, &error);
    QVERIFY2(project, qPrintable(error));
    AnimateSessionRecord record = sampleRecord(QStringLiteral("s"), expand(given));
    record.avatarPath = expand(given);
    const qint64 id = project->animateSessions().save(record, &error);
    QVERIFY2(id > 0, qPrintable(error));
    QCOMPARE(storedColumn(*project, id, QStringLiteral("video_path")), expand(stored));
    QCOMPARE(storedColumn(*project, id, QStringLiteral("avatar_path")), expand(stored));
    const std::optional<AnimateSessionRecord> back = project->animateSessions().load(id, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->videoPath, expand(returned));
    QCOMPARE(back->avatarPath, expand(returned));
    QCOMPARE(project->animateSessions().list(&error).front().videoPath, expand(returned));
}

// A project folder moved (or copied to another machine) with its videos inside still finds
// them; a video outside keeps its absolute path.
void TestAnimateSessionStore::projectMovesWithItsVideos()
{
    const QString before = test::freshDir(QStringLiteral("moved-before"));
    const QString after = test::freshDir(QStringLiteral("moved-after"));
    QString error;
    qint64 inside = 0, outside = 0;
    {
        std::unique_ptr<Project> project = Project::create(before, &error);
        QVERIFY2(project, qPrintable(error));
        inside = project->animateSessions().save(
            sampleRecord(QStringLiteral("inside"), QDir(before).filePath(QStringLiteral("videos/a.mp4"))), &error);
        outside = project->animateSessions().save(
            sampleRecord(QStringLiteral("outside"), QStringLiteral(FA_TEST_DATA_DIR "/videos/liveportrait_d3.mp4")),
            &error);
        QVERIFY2(inside > 0 && outside > 0, qPrintable(error));
    }
    QVERIFY(QDir(after).removeRecursively());
    QVERIFY(QDir().rename(before, after));
    std::unique_ptr<Project> project = Project::open(after, &error);
    QVERIFY2(project, qPrintable(error));
    QCOMPARE(project->animateSessions().load(inside, &error)->videoPath,
             QDir::cleanPath(QDir(after).absoluteFilePath(QStringLiteral("videos/a.mp4"))));
    QCOMPARE(project->animateSessions().load(outside, &error)->videoPath,
             QDir::cleanPath(QStringLiteral(FA_TEST_DATA_DIR "/videos/liveportrait_d3.mp4")));
}

void TestAnimateSessionStore::listIsMostRecentFirst()
{
    QString error;
    ClockedProject p(Project::create(test::freshDir(QStringLiteral("list")), &error));
    QVERIFY2(p.project, qPrintable(error));
    AnimateSessionStore &store = p.project->animateSessions();
    std::vector<qint64> ids;
    for (int i = 0; i < 4; ++i) {
        *p.now = 1000 * (i + 1);
        AnimateSessionRecord r = sampleRecord(QStringLiteral("s%1").arg(i), QStringLiteral("/v%1.mp4").arg(i));
        r.measurements = randomBytes(1 << 20, quint32(i));
        ids.push_back(store.save(r, &error));
        QVERIFY2(ids.back() > 0, qPrintable(error));
    }
    // s0 saved again last; s2 and s3 share a time stamp (ties: newest id first).
    *p.now = 9000;
    AnimateSessionRecord again = *store.load(ids[0], &error);
    QCOMPARE(store.save(again, &error), ids[0]);
    *p.now = 8000;
    AnimateSessionRecord s2 = *store.load(ids[2], &error);
    QCOMPARE(store.save(s2, &error), ids[2]);
    AnimateSessionRecord s3 = *store.load(ids[3], &error);
    QCOMPARE(store.save(s3, &error), ids[3]);

    const std::vector<AnimateSessionRecord> list = store.list(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(int(list.size()), 4);
    QCOMPARE(list[0].id, ids[0]);
    QCOMPARE(list[1].id, ids[3]);
    QCOMPARE(list[2].id, ids[2]);
    QCOMPARE(list[3].id, ids[1]);
    QCOMPARE(list[0].name, QStringLiteral("s0"));
    QCOMPARE(list[0].videoPath, QStringLiteral("/v0.mp4"));
    QCOMPARE(list[0].avatarPath, QStringLiteral("/avatars/facecap.glb"));
    QCOMPARE(list[0].neutralFrame, qint64(42));
    QCOMPARE(list[0].createdAt, qint64(1000));
    QCOMPARE(list[0].updatedAt, qint64(9000));
    for (const AnimateSessionRecord &r : list) // the listing leaves the blobs out
        QVERIFY(r.measurements.isEmpty() && r.animation.isEmpty() && r.viewState.isEmpty());
}

void TestAnimateSessionStore::remove()
{
    QString error;
    std::unique_ptr<Project> project = Project::create(test::freshDir(QStringLiteral("remove")), &error);
    QVERIFY2(project, qPrintable(error));
    AnimateSessionStore &store = project->animateSessions();
    const qint64 a = store.save(sampleRecord(QStringLiteral("a"), QStringLiteral("/a.mp4")), &error);
    const qint64 b = store.save(sampleRecord(QStringLiteral("b"), QStringLiteral("/b.mp4")), &error);
    QVERIFY2(a > 0 && b > 0, qPrintable(error));
    QVERIFY2(store.remove(a, &error), qPrintable(error));
    const std::vector<AnimateSessionRecord> list = store.list(&error);
    QCOMPARE(int(list.size()), 1);
    QCOMPARE(list[0].id, b);
    QVERIFY(!store.load(a, &error));
    QVERIFY(!store.remove(a, &error));
    QVERIFY(store.load(b, &error));
}

void TestAnimateSessionStore::missingIdsAreErrors()
{
    QString error;
    std::unique_ptr<Project> project = Project::create(test::freshDir(QStringLiteral("missing")), &error);
    QVERIFY2(project, qPrintable(error));
    AnimateSessionStore &store = project->animateSessions();
    const QString expected = project->databasePath() + QStringLiteral(": no animate session 99");

    QVERIFY(!store.load(99, &error));
    QCOMPARE(error, expected);
    error.clear();
    QVERIFY(!store.remove(99, &error));
    QCOMPARE(error, expected);
    error.clear();
    AnimateSessionRecord record = sampleRecord(QStringLiteral("ghost"), QStringLiteral("/g.mp4"));
    record.id = 99; // an update of a row that is not there inserts nothing
    QCOMPARE(store.save(record, &error), qint64(0));
    QCOMPARE(error, expected);
    QVERIFY(store.list(&error).empty());
}

// A project written by the previous build (schema 2: labelling data and training jobs, no
// animate_sessions) opens, migrates to 3 and keeps everything. The version-2 file is made by
// removing what migration 3 adds and setting user_version back to 2.
void TestAnimateSessionStore::versionTwoProjectMigrates()
{
    const QString dir = test::freshDir(QStringLiteral("v2"));
    QString error;
    {
        std::unique_ptr<Project> project = test::yaleProject(dir, 3, &error);
        QVERIFY2(project, qPrintable(error));
        QVERIFY(project->setJudgmentsPerTriplet(4, &error));
        SqliteConnection &db = project->connection();
        QVERIFY(db.exec(QStringLiteral(
            "INSERT INTO jobs(kind, title, run_dir, config_yaml, state, created_at, updated_at, step, total_steps) "
            "VALUES('mae', 'pretrain', 'runs/pretrain', 'kind: mae', 'finished', 1, 2, 100, 100)")));
        QVERIFY(db.exec(QStringLiteral("DROP TABLE animate_sessions")));
        QVERIFY(db.exec(QStringLiteral("PRAGMA user_version = 2")));
        QCOMPARE(ProjectSchema::version(db), 2);
    }
    std::unique_ptr<Project> project = Project::open(dir, &error);
    QVERIFY2(project, qPrintable(error));
    QCOMPARE(ProjectSchema::version(project->connection()), 3);
    QCOMPARE(project->judgmentsPerTriplet(), 4);
    QCOMPARE(project->faces().faceCount(), qint64(3));
    SqliteStatement job = project->connection().prepare(
        QStringLiteral("SELECT title, run_dir, state, step FROM jobs"));
    QCOMPARE(job.step(), SqliteStatement::Step::Row);
    QCOMPARE(job.columnText(0), QStringLiteral("pretrain"));
    QCOMPARE(job.columnText(1), QStringLiteral("runs/pretrain"));
    QCOMPARE(job.columnText(2), QStringLiteral("finished"));
    QCOMPARE(job.columnInt(3), qint64(100));
    QCOMPARE(job.step(), SqliteStatement::Step::Done);
    QCOMPARE(columnsOf(*project, QStringLiteral("animate_sessions")).size(), 11);
    QVERIFY(project->animateSessions().list(&error).empty());
    const qint64 id = project->animateSessions().save(sampleRecord(QStringLiteral("new"), QStringLiteral("/n.mp4")), &error);
    QVERIFY2(id > 0, qPrintable(error));
    SqliteStatement check = project->connection().prepare(QStringLiteral("PRAGMA integrity_check"));
    QCOMPARE(check.step(), SqliteStatement::Step::Row);
    QCOMPARE(check.columnText(0), QStringLiteral("ok"));
}

QTEST_GUILESS_MAIN(TestAnimateSessionStore)
#include "test_animate_session_store.moc"
