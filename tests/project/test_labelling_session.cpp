// LabellingSession: serving, answering, skipping, undo and relabel, K judgments from distinct
// annotators, nearest-completion-first order, two sessions never holding the same triplet.

#include "project/labelling_session.h"
#include "project/project.h"
#include "project/triplet_sampler.h"
#include "project_fixture.h"

#include <QTest>

#include <set>

using namespace fa;

namespace {

std::set<qint64> heldBy(const LabellingSession &session)
{
    std::set<qint64> ids;
    if (session.current())
        ids.insert(session.current()->id);
    for (const TripletRecord &t : session.upcoming())
        ids.insert(t.id);
    return ids;
}

/// (triplet, choice) of every standing judgment of one annotator, oldest first.
std::vector<std::pair<qint64, int>> answersOf(Project &project, const QString &annotator)
{
    std::vector<std::pair<qint64, int>> result;
    for (const JudgmentRecord &j : project.judgments().all())
        if (j.annotator == annotator)
            result.emplace_back(j.tripletId, j.choice);
    return result;
}

} // namespace

class TestLabellingSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void answerSkipUndoRelabel();
    void distinctAnnotatorsUpToK();
    void nearestCompletionFirst();
    void twoSessionsNeverShareATriplet();
    void lostLeasesLeaveTheQueue();

private:
    std::unique_ptr<Project> freshProject(const QString &name, int triplets);
    QString m_error;
};

void TestLabellingSession::initTestCase()
{
    QVERIFY(QFileInfo::exists(test::dataPath(QStringLiteral("images/yale_faces"))));
}

std::unique_ptr<Project> TestLabellingSession::freshProject(const QString &name, int triplets)
{
    std::unique_ptr<Project> project = test::yaleProject(test::freshDir(name), 18, &m_error);
    if (!project)
        return nullptr;
    TripletSampler::Options options;
    options.count = triplets;
    options.seed = 7;
    if (!TripletSampler::sample(*project, options, &m_error))
        return nullptr;
    return project;
}

void TestLabellingSession::answerSkipUndoRelabel()
{
    std::unique_ptr<Project> project = freshProject(QStringLiteral("undo"), 6);
    QVERIFY2(project, qPrintable(m_error));
    LabellingSession session(*project, QStringLiteral("ann"), 3);
    QVERIFY2(session.start(), qPrintable(session.errorString()));
    QCOMPARE(session.remainingCount(), 6);
    QCOMPARE(int(session.upcoming().size()), 2);

    const qint64 t1 = session.current()->id;
    QVERIFY(session.record(2, 800));
    const qint64 t2 = session.current()->id;
    QVERIFY(t2 != t1);
    QVERIFY(session.skip(300));
    const qint64 t3 = session.current()->id;
    QVERIFY(session.record(3, 700));
    QVERIFY(!session.record(4, 1));
    QCOMPARE(answersOf(*project, QStringLiteral("ann")),
             (std::vector<std::pair<qint64, int>>{{t1, 2}, {t2, 0}, {t3, 3}}));
    QCOMPARE(session.doneCount(), 3);
    QCOMPARE(session.remainingCount(), 3);
    QCOMPARE(session.sessionCount(), 3);

    QVERIFY(session.undo()); // t3 back
    QCOMPARE(session.current()->id, t3);
    QCOMPARE(answersOf(*project, QStringLiteral("ann")),
             (std::vector<std::pair<qint64, int>>{{t1, 2}, {t2, 0}}));
    QVERIFY(session.undo()); // the skip of t2 back
    QCOMPARE(session.current()->id, t2);
    QCOMPARE(int(session.upcoming().size()), 2);
    QCOMPARE(session.upcoming().front().id, t3);
    QVERIFY(session.record(1, 500)); // relabel t2
    QCOMPARE(session.current()->id, t3);
    QVERIFY(session.record(1, 400)); // relabel t3
    QCOMPARE(answersOf(*project, QStringLiteral("ann")),
             (std::vector<std::pair<qint64, int>>{{t1, 2}, {t2, 1}, {t3, 1}}));
    QCOMPARE(int(project->judgments().all(true).size()), 5); // two retracted rows kept

    while (session.current())
        QVERIFY(session.record(1, 100));
    QCOMPARE(session.remainingCount(), 0);
    QCOMPARE(session.doneCount(), 6);
    QVERIFY(session.undo());
    QVERIFY(session.current().has_value());
}

void TestLabellingSession::distinctAnnotatorsUpToK()
{
    std::unique_ptr<Project> project = freshProject(QStringLiteral("k"), 4);
    QVERIFY2(project, qPrintable(m_error));
    QVERIFY(project->setJudgmentsPerTriplet(2, &m_error));
    for (const QString &name : {QStringLiteral("a"), QStringLiteral("b")}) {
        LabellingSession session(*project, name);
        QVERIFY(session.start());
        std::set<qint64> seen;
        while (session.current()) {
            QVERIFY(seen.insert(session.current()->id).second); // never served twice
            QVERIFY(session.record(1, 10));
        }
        QCOMPARE(int(seen.size()), 4);
    }
    LabellingSession third(*project, QStringLiteral("c"));
    QVERIFY(third.start());
    QVERIFY(!third.current()); // every triplet has its 2 judgments
    QCOMPARE(project->judgments().completeTriplets(), 4);
    // A skip does not count towards completion.
    QVERIFY(project->setJudgmentsPerTriplet(3, &m_error));
    LabellingSession skipper(*project, QStringLiteral("c"));
    QVERIFY(skipper.start());
    QVERIFY(skipper.skip(10));
    LabellingSession fourth(*project, QStringLiteral("d"));
    QVERIFY(fourth.start());
    QCOMPARE(fourth.remainingCount(), 4);
}

void TestLabellingSession::nearestCompletionFirst()
{
    std::unique_ptr<Project> project = freshProject(QStringLiteral("order"), 5);
    QVERIFY2(project, qPrintable(m_error));
    const std::vector<TripletRecord> triplets = project->triplets().all();
    const qint64 last = triplets.back().id;
    const qint64 annotator = *project->judgments().annotatorId(QStringLiteral("early"), &m_error);
    JudgmentRecord j;
    j.tripletId = last;
    j.annotatorId = annotator;
    j.choice = 2;
    QVERIFY(project->judgments().record(j, &m_error));
    LabellingSession session(*project, QStringLiteral("late"));
    QVERIFY(session.start());
    QCOMPARE(session.current()->id, last);
    QCOMPARE(session.upcoming().front().id, triplets.front().id);
}

void TestLabellingSession::twoSessionsNeverShareATriplet()
{
    std::unique_ptr<Project> a = freshProject(QStringLiteral("two"), 12);
    QVERIFY2(a, qPrintable(m_error));
    std::unique_ptr<Project> b = Project::open(a->directory(), &m_error);
    QVERIFY2(b, qPrintable(m_error));
    auto annSession = std::make_unique<LabellingSession>(*a, QStringLiteral("ann"));
    LabellingSession &ann = *annSession;
    LabellingSession bob(*b, QStringLiteral("bob"));
    QVERIFY(ann.start());
    QVERIFY(bob.start());
    for (int step = 0; step < 6; ++step) {
        const std::set<qint64> heldA = heldBy(ann), heldB = heldBy(bob);
        for (qint64 id : heldA)
            QVERIFY2(!heldB.count(id), qPrintable(QStringLiteral("triplet %1 held twice").arg(id)));
        QVERIFY(ann.record(1 + step % 3, 50));
        QVERIFY(bob.record(1 + (step + 1) % 3, 50));
    }
    // When ann's session ends its leases go, and bob is served those triplets too.
    const std::set<qint64> annHeld = heldBy(ann);
    QVERIFY(!annHeld.empty());
    annSession.reset();
    std::set<qint64> bobSaw;
    for (const auto &answer : answersOf(*b, QStringLiteral("bob")))
        bobSaw.insert(answer.first);
    while (bob.current()) {
        bobSaw.insert(bob.current()->id);
        QVERIFY(bob.record(2, 50));
    }
    QCOMPARE(int(bobSaw.size()), 12);
    for (qint64 id : annHeld)
        QVERIFY(bobSaw.count(id));
}

void TestLabellingSession::lostLeasesLeaveTheQueue()
{
    std::unique_ptr<Project> a = freshProject(QStringLiteral("lost"), 8);
    QVERIFY2(a, qPrintable(m_error));
    std::unique_ptr<Project> b = Project::open(a->directory(), &m_error);
    QVERIFY2(b, qPrintable(m_error));
    qint64 now = 5'000'000;
    a->setClock([&now] { return now; });
    b->setClock([&now] { return now; });
    LabellingSession sleeper(*a, QStringLiteral("ann"), 3);
    QVERIFY(sleeper.start());
    const std::set<qint64> before = heldBy(sleeper);
    now += qint64(a->leaseSeconds()) * 1000 + 1; // ann's machine slept past the lease
    LabellingSession awake(*b, QStringLiteral("bob"), 3);
    QVERIFY(awake.start());
    QCOMPARE(heldBy(awake), before); // bob took the expired triplets
    QVERIFY2(sleeper.renewLeases(), qPrintable(sleeper.errorString()));
    const std::set<qint64> after = heldBy(sleeper);
    QCOMPARE(int(after.size()), 3);
    for (qint64 id : after)
        QVERIFY(!before.count(id)); // ann's queue moved on to triplets nobody holds
}

QTEST_GUILESS_MAIN(TestLabellingSession)
#include "test_labelling_session.moc"
