// The project store: create/open, schema version, bad folders and damaged files, faces and
// crops, judgments with undo, gold answers, leases between two connections.

#include "project/project.h"
#include "project/project_schema.h"
#include "project/sqlite_connection.h"
#include "project_fixture.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTest>

#include <unistd.h>

using namespace fa;

class TestProjectStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createAndReopen();
    void createRefusesExistingProject();
    void openErrors_data();
    void openErrors();
    void readOnlyFolder();
    void newerSchemaIsRefused();
    void judgmentsRecordRetractAndCount();
    void goldAnswers();
    void leasesKeepSessionsApart();
};

void TestProjectStore::createAndReopen()
{
    const QString dir = test::freshDir(QStringLiteral("reopen"));
    QString error;
    {
        std::unique_ptr<Project> project = test::yaleProject(dir, 6, &error);
        QVERIFY2(project, qPrintable(error));
        QCOMPARE(project->faces().faceCount(), 6);
        FaceRecord first = project->faces().faces().front();
        QVERIFY(project->faces().setEmbedding(first.id, {0.5f, -0.25f, 1.0f}, &error));
        QCOMPARE(project->judgmentsPerTriplet(), 3);
        QVERIFY(project->setJudgmentsPerTriplet(5, &error));
        QVERIFY(!project->setJudgmentsPerTriplet(7, &error));
        QVERIFY(error.contains(QLatin1String("1 to 6")));
    }
    std::unique_ptr<Project> project = Project::open(dir, &error);
    QVERIFY2(project, qPrintable(error));
    QCOMPARE(project->judgmentsPerTriplet(), 5);
    const std::vector<FaceRecord> faces = project->faces().faces();
    QCOMPARE(int(faces.size()), 6);
    QCOMPARE(faces[0].embedding, (std::vector<float>{0.5f, -0.25f, 1.0f}));
    QCOMPARE(faces[0].category, QStringLiteral("happy"));
    QCOMPARE(faces[0].identity, QStringLiteral("subject01"));
    for (const FaceRecord &face : faces) {
        QVERIFY(QFileInfo(project->absolutePath(face.cropPath)).size() > 1000);
        QVERIFY(face.cropPath.startsWith(QLatin1String("crops/")));
    }
    const std::vector<SourceRecord> sources = project->faces().sources();
    QCOMPARE(int(sources.size()), 6);
    QVERIFY(project->faces().sourceByHash(sources[2].contentHash).has_value());
    QCOMPARE(ProjectSchema::version(project->connection()), ProjectSchema::currentVersion());
    QCOMPARE(project->connection().queryInt(QStringLiteral("PRAGMA foreign_keys")), 1);
}

void TestProjectStore::createRefusesExistingProject()
{
    const QString dir = test::freshDir(QStringLiteral("twice"));
    QString error;
    QVERIFY(Project::create(dir, &error));
    QVERIFY(!Project::create(dir, &error));
    QVERIFY2(error.contains(QLatin1String("already holds a project")), qPrintable(error));
}

void TestProjectStore::openErrors_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing folder") << "missing" << "no such folder";
    QTest::newRow("not a project") << "empty" << "not a FreeAvatar project";
    QTest::newRow("text as database") << "text" << "damaged or not a database";
    QTest::newRow("truncated database") << "truncated" << "damaged";
    QTest::newRow("garbled pages") << "garbled" << "damaged";
    // Issue 16: a file where the folder belongs; a 0-byte database, which SQLite would open as
    // a new empty project although crops/ holds faces.
    QTest::newRow("file, not a folder") << "file" << "is a regular file, not a folder";
    QTest::newRow("0-byte database") << "zero" << "is empty (0 bytes)";
}

void TestProjectStore::openErrors()
{
    QFETCH(QString, kind);
    QFETCH(QString, expected);
    const QString dir = test::freshDir(QStringLiteral("bad-") + kind);
    const QString database = dir + QStringLiteral("/project.sqlite");
    QString error;
    if (kind == QLatin1String("empty")) {
        QDir().mkpath(dir);
    } else if (kind == QLatin1String("file")) {
        QVERIFY(test::writeFile(dir, "a file\n"));
    } else if (kind == QLatin1String("zero")) {
        QDir().mkpath(dir + QStringLiteral("/crops"));
        QVERIFY(test::writeFile(dir + QStringLiteral("/crops/1.jpg"), "face"));
        QVERIFY(test::writeFile(database, QByteArray()));
    } else if (kind == QLatin1String("text")) {
        QDir().mkpath(dir);
        QVERIFY(test::writeFile(database, "this is not a database\n"));
    } else if (kind != QLatin1String("missing")) {
        {
            std::unique_ptr<Project> project = test::yaleProject(dir, 30, &error);
            QVERIFY2(project, qPrintable(error));
        } // closing checkpoints the WAL into project.sqlite
        QByteArray bytes = test::readFile(database);
        QVERIFY(bytes.size() > 8192);
        if (kind == QLatin1String("truncated"))
            bytes.truncate(bytes.size() / 2);
        else
            for (qsizetype i = 4096; i < bytes.size(); i += 7) // every page after the first
                bytes[i] = char(0xA5);
        QVERIFY(test::writeFile(database, bytes));
    }
    const QByteArray before = test::readFile(database);
    std::unique_ptr<Project> project = Project::open(dir, &error);
    QVERIFY(!project);
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY2(error.contains(QFileInfo(dir).fileName()), qPrintable(error));
    QVERIFY(!error.contains(QLatin1Char('\n')));
    QCOMPARE(test::readFile(database), before); // opening never rewrites a damaged file
}

void TestProjectStore::readOnlyFolder()
{
    const QString dir = test::freshDir(QStringLiteral("read-only"));
    QString error;
    QVERIFY(Project::create(dir, &error));
    // root ignores permission bits; an immutable folder refuses even root.
    const bool immutable = QProcess::execute(QStringLiteral("chattr"), {QStringLiteral("+i"), dir}) == 0;
    if (!immutable) {
        if (geteuid() == 0)
            QSKIP("running as root without chattr: cannot make a read-only folder");
        QFile::setPermissions(dir, QFile::ReadOwner | QFile::ExeOwner);
    }
    std::unique_ptr<Project> project = Project::open(dir, &error);
    if (immutable)
        QProcess::execute(QStringLiteral("chattr"), {QStringLiteral("-i"), dir});
    else
        QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QVERIFY(!project);
    QVERIFY2(error.contains(QLatin1String("read-only")), qPrintable(error));
}

void TestProjectStore::newerSchemaIsRefused()
{
    const QString dir = test::freshDir(QStringLiteral("newer"));
    QString error;
    QVERIFY(Project::create(dir, &error));
    {
        SqliteConnection raw;
        QVERIFY(raw.open(dir + QStringLiteral("/project.sqlite"), false));
        QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version = %1").arg(ProjectSchema::currentVersion() + 1)));
    }
    QVERIFY(!Project::open(dir, &error));
    QVERIFY2(error.contains(QLatin1String("newer FreeAvatar Studio")), qPrintable(error));
}

void TestProjectStore::judgmentsRecordRetractAndCount()
{
    QString error;
    std::unique_ptr<Project> project = test::yaleProject(test::freshDir(QStringLiteral("judgments")), 6, &error);
    QVERIFY2(project, qPrintable(error));
    const std::vector<FaceRecord> faces = project->faces().faces();
    std::vector<TripletRecord> triplets(2);
    triplets[0].faceIds = {faces[0].id, faces[1].id, faces[2].id};
    triplets[1].faceIds = {faces[3].id, faces[4].id, faces[5].id};
    QVERIFY(project->triplets().add(triplets, &error));
    QVERIFY(triplets[0].id > 0 && triplets[1].id > triplets[0].id);

    JudgmentStore &store = project->judgments();
    const qint64 ann = *store.annotatorId(QStringLiteral(" ann "), &error);
    const qint64 bob = *store.annotatorId(QStringLiteral("bob"), &error);
    QCOMPARE(*store.annotatorId(QStringLiteral("ann"), &error), ann);
    QVERIFY(!store.annotatorId(QStringLiteral("  "), &error));

    auto judge = [&](qint64 triplet, qint64 annotator, int choice, bool *already = nullptr) {
        JudgmentRecord j;
        j.tripletId = triplet;
        j.annotatorId = annotator;
        j.choice = choice;
        j.durationMs = 900;
        return store.record(j, &error, already);
    };
    const std::optional<qint64> first = judge(triplets[0].id, ann, 2);
    QVERIFY2(first, qPrintable(error));
    bool already = false;
    QVERIFY(!judge(triplets[0].id, ann, 3, &already));
    QVERIFY(already);
    QVERIFY(!judge(triplets[0].id, ann, 4));
    QVERIFY(judge(triplets[1].id, ann, JudgmentRecord::kSkip));
    QVERIFY(judge(triplets[0].id, bob, 2));
    QCOMPARE(store.count(), 3);
    QCOMPARE(store.count(false), 2);
    QCOMPARE(store.doneBy(ann), 2);
    QCOMPARE(store.remainingFor(ann), 0);
    QCOMPARE(store.remainingFor(bob), 1);

    QVERIFY(store.retract(*first, &error));
    QVERIFY(!store.retract(*first, &error)); // already retracted
    QCOMPARE(store.remainingFor(ann), 1);
    QVERIFY(judge(triplets[0].id, ann, 1)); // relabel after undo
    const std::vector<JudgmentRecord> standing = store.all();
    QCOMPARE(int(standing.size()), 3);
    QCOMPARE(int(store.all(true).size()), 4); // the retracted one is kept
    QCOMPARE(standing.back().choice, 1);
    QCOMPARE(standing.back().annotator, QStringLiteral("ann"));
    QCOMPARE(standing.back().durationMs, 900);

    // Bulk: one new judgment and one that stands already (ann on triplet 0).
    const qint64 cy = *store.annotatorId(QStringLiteral("cy"), &error);
    JudgmentRecord bulkNew, bulkOld;
    bulkNew.tripletId = triplets[1].id;
    bulkNew.annotatorId = cy;
    bulkNew.choice = 3;
    bulkOld.tripletId = triplets[0].id;
    bulkOld.annotatorId = ann;
    bulkOld.choice = 2;
    int added = -1, present = -1;
    QVERIFY2(store.recordBatch({bulkNew, bulkOld}, &added, &present, &error), qPrintable(error));
    QCOMPARE(added, 1);
    QCOMPARE(present, 1);
    QCOMPARE(int(store.all().size()), 4);
    QCOMPARE(store.all().back().choice, 3);

    QVERIFY(project->setJudgmentsPerTriplet(2, &error));
    QCOMPARE(store.completeTriplets(), 1);
    QCOMPARE(store.annotatorNames(), (QStringList{QStringLiteral("ann"), QStringLiteral("bob"), QStringLiteral("cy")}));
}

void TestProjectStore::goldAnswers()
{
    QString error;
    std::unique_ptr<Project> project = test::yaleProject(test::freshDir(QStringLiteral("gold")), 3, &error);
    QVERIFY2(project, qPrintable(error));
    const std::vector<FaceRecord> faces = project->faces().faces();
    std::vector<TripletRecord> triplets(1);
    triplets[0].faceIds = {faces[0].id, faces[1].id, faces[2].id};
    QVERIFY(project->triplets().add(triplets, &error, {3}));
    QCOMPARE(project->triplets().goldAnswers(), (std::map<qint64, int>{{triplets[0].id, 3}}));
    QVERIFY(project->triplets().setGoldAnswer(triplets[0].id, 1, &error));
    QVERIFY(!project->triplets().setGoldAnswer(triplets[0].id, 0, &error));
    QCOMPARE(project->triplets().goldAnswers().at(triplets[0].id), 1);
    // A triplet must hold three distinct faces.
    std::vector<TripletRecord> bad(1);
    bad[0].faceIds = {faces[0].id, faces[0].id, faces[2].id};
    QVERIFY(!project->triplets().add(bad, &error));
    QVERIFY2(error.contains(QLatin1String("CHECK constraint")), qPrintable(error));
    QCOMPARE(project->triplets().count(), 1);
}

void TestProjectStore::leasesKeepSessionsApart()
{
    const QString dir = test::freshDir(QStringLiteral("leases"));
    QString error;
    std::unique_ptr<Project> first = test::yaleProject(dir, 9, &error);
    QVERIFY2(first, qPrintable(error));
    const std::vector<FaceRecord> faces = first->faces().faces();
    std::vector<TripletRecord> triplets(3);
    for (int i = 0; i < 3; ++i)
        triplets[size_t(i)].faceIds = {faces[size_t(3 * i)].id, faces[size_t(3 * i + 1)].id, faces[size_t(3 * i + 2)].id};
    QVERIFY(first->triplets().add(triplets, &error));
    std::unique_ptr<Project> second = Project::open(dir, &error); // another connection
    QVERIFY2(second, qPrintable(error));
    qint64 now = 1'000'000;
    first->setClock([&now] { return now; });
    second->setClock([&now] { return now; });

    const qint64 ann = *first->judgments().annotatorId(QStringLiteral("ann"), &error);
    const qint64 bob = *second->judgments().annotatorId(QStringLiteral("bob"), &error);
    const std::vector<qint64> held = first->judgments().lease(QStringLiteral("A"), ann, 2, {}, &error);
    QCOMPARE(held, (std::vector<qint64>{triplets[0].id, triplets[1].id}));
    QCOMPARE(second->judgments().lease(QStringLiteral("B"), bob, 3, {}, &error),
             (std::vector<qint64>{triplets[2].id}));
    now += qint64(first->leaseSeconds()) * 1000 - 1; // still running
    QVERIFY(second->judgments().lease(QStringLiteral("B"), bob, 3, {triplets[2].id}, &error).empty());
    now += 2; // expired
    QCOMPARE(second->judgments().lease(QStringLiteral("B"), bob, 3, {triplets[2].id}, &error),
             (std::vector<qint64>{triplets[0].id, triplets[1].id}));
    // A cannot renew what B took over; releasing B frees them.
    std::vector<qint64> lost;
    QVERIFY(first->judgments().renewLeases(QStringLiteral("A"), ann, held, &error, &lost));
    QCOMPARE(lost, held);
    // B's own first lease (triplet 3) has run out by now, so only that one comes back to A.
    QCOMPARE(first->judgments().lease(QStringLiteral("A"), ann, 3, {}, &error),
             (std::vector<qint64>{triplets[2].id}));
    QVERIFY(second->judgments().releaseLeases(QStringLiteral("B"), &error));
    QCOMPARE(first->judgments().lease(QStringLiteral("A"), ann, 3, {}, &error).size(), size_t(3));
}

QTEST_GUILESS_MAIN(TestProjectStore)
#include "test_project_store.moc"
