// The annotator's view, under xvfb-run: keys and clicks commit judgments to the project's
// database, undo retracts them, a reopened project serves only unjudged triplets, two
// annotators never hold the same triplet until a lease runs out.
#include "label/labelling_view.h"
#include "label/triplet_canvas.h"
#include "label_test_project.h"
#include "project/labelling_session.h"
#include "test_files.h"

#include <QSignalSpy>
#include <QtTest>

using fa::ui::LabellingView;

namespace {

bool waitPainted(const LabellingView &view)
{
    return QTest::qWaitFor([&] { return view.currentTripletId() > 0
                                        && view.paintedTripletId() == view.currentTripletId(); }, 10000);
}

/// The standing judgments as (triplet, choice) pairs, oldest first.
QList<QPair<qint64, int>> standing(fa::Project &project)
{
    QList<QPair<qint64, int>> result;
    for (const fa::JudgmentRecord &j : project.judgments().all())
        result.append({j.tripletId, j.choice});
    return result;
}

} // namespace

class TestLabellingView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void labelsSkipsAndUndoes();
    void reopenServesOnlyUnjudged();
    void twoAnnotatorsNeverShareATriplet();
    void expiredLeaseIsServedAgain();

private:
    QString freshDir(const char *name) { return fa::test::outputDir() + QLatin1Char('/') + QLatin1String(name); }
};

void TestLabellingView::labelsSkipsAndUndoes()
{
    QString error;
    auto project = fa::test::makeLabelProject(freshDir("keys"), 20, 40, &error);
    QVERIFY2(project, qPrintable(error));
    LabellingView view;
    view.resize(1200, 600);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY2(view.start(project.get(), QStringLiteral("ann"), &error), qPrintable(error));
    QSignalSpy recorded(&view, &LabellingView::judgmentRecorded);

    QList<QPair<qint64, int>> expected;
    for (int i = 0; i < 20; ++i) {
        QVERIFY(waitPainted(view));
        const qint64 id = view.currentTripletId();
        const int choice = 1 + i % 3;
        const Qt::KeyboardModifiers modifiers = i % 4 == 3 ? Qt::KeypadModifier : Qt::NoModifier;
        QTest::keyClick(&view, Qt::Key(Qt::Key_1 + choice - 1), modifiers);
        expected.append({id, choice});
        QCOMPARE(standing(*project), expected);
        QCOMPARE(recorded.last().at(0).toLongLong(), id);
        QCOMPARE(recorded.last().at(1).toInt(), choice);
        QVERIFY(view.currentTripletId() != id);
    }
    const std::vector<fa::JudgmentRecord> all = project->judgments().all();
    for (const fa::JudgmentRecord &j : all) {
        QCOMPARE(j.annotator, QStringLiteral("ann"));
        QVERIFY(j.durationMs >= 0);
    }

    // Skips: S and Space record choice 0.
    for (Qt::Key key : {Qt::Key_S, Qt::Key_Space}) {
        QVERIFY(waitPainted(view));
        expected.append({view.currentTripletId(), fa::JudgmentRecord::kSkip});
        QTest::keyClick(&view, key);
        QCOMPARE(standing(*project), expected);
    }

    // Backspace undoes the skip: that triplet is shown again, and relabelled.
    QVERIFY(waitPainted(view));
    const qint64 skipped = expected.last().first;
    QTest::keyClick(&view, Qt::Key_Backspace);
    expected.removeLast();
    QCOMPARE(standing(*project), expected);
    QCOMPARE(view.currentTripletId(), skipped);
    QVERIFY(waitPainted(view));
    QTest::keyClick(&view, Qt::Key_3);
    expected.append({skipped, 3});
    QCOMPARE(standing(*project), expected);

    // Ctrl+Z twice goes back two judgments; the retracted rows are kept, marked.
    QTest::keyClick(&view, Qt::Key_Z, Qt::ControlModifier);
    QTest::keyClick(&view, Qt::Key_Z, Qt::ControlModifier);
    const qint64 earlier = expected.at(expected.size() - 2).first;
    expected.removeLast();
    expected.removeLast();
    QCOMPARE(standing(*project), expected);
    QCOMPARE(view.currentTripletId(), earlier);
    QCOMPARE(int(project->judgments().all(true).size()), int(expected.size()) + 3);

    // A click on the middle crop chooses 2.
    QVERIFY(waitPainted(view));
    QTest::mouseClick(view.canvas(), Qt::LeftButton, {}, view.canvas()->tileRect(1).center());
    expected.append({earlier, 2});
    QCOMPARE(standing(*project), expected);
}

void TestLabellingView::reopenServesOnlyUnjudged()
{
    const QString dir = freshDir("reopen");
    QString error;
    auto project = fa::test::makeLabelProject(dir, 12, 15, &error);
    QVERIFY2(project, qPrintable(error));
    QSet<qint64> judged;
    {
        LabellingView view;
        view.resize(1000, 500);
        view.show();
        QVERIFY(view.start(project.get(), QStringLiteral("ann"), &error));
        for (int i = 0; i < 6; ++i) {
            QVERIFY(waitPainted(view));
            judged.insert(view.currentTripletId());
            QTest::keyClick(&view, i == 2 ? Qt::Key_S : Qt::Key_2);
        }
    }
    project.reset();
    project = fa::Project::open(dir, &error);
    QVERIFY2(project, qPrintable(error));
    QCOMPARE(int(project->judgments().all().size()), 6);

    LabellingView view;
    view.resize(1000, 500);
    view.show();
    QSignalSpy finished(&view, &LabellingView::finished);
    QVERIFY(view.start(project.get(), QStringLiteral("ann"), &error));
    QSet<qint64> served;
    while (view.currentTripletId() > 0) {
        QVERIFY(waitPainted(view));
        const qint64 id = view.currentTripletId();
        QVERIFY2(!judged.contains(id), "a judged triplet was served again");
        QVERIFY(!served.contains(id));
        served.insert(id);
        QTest::keyClick(&view, Qt::Key_1);
    }
    QCOMPARE(finished.count(), 1);
    QCOMPARE(served.size() + judged.size(), 15);
    QCOMPARE(int(project->judgments().all().size()), 15);
}

void TestLabellingView::twoAnnotatorsNeverShareATriplet()
{
    const QString dir = freshDir("two");
    QString error;
    auto projectA = fa::test::makeLabelProject(dir, 12, 20, &error);
    QVERIFY2(projectA, qPrintable(error));
    auto projectB = fa::Project::open(dir, &error);
    QVERIFY2(projectB, qPrintable(error));
    LabellingView a, b;
    for (LabellingView *view : {&a, &b}) {
        view->resize(900, 400);
        view->show();
    }
    QVERIFY(a.start(projectA.get(), QStringLiteral("ann"), &error));
    QVERIFY(b.start(projectB.get(), QStringLiteral("bob"), &error));
    const auto held = [](const LabellingView &view) {
        QSet<qint64> ids;
        if (const auto current = view.session()->current())
            ids.insert(current->id);
        for (const fa::TripletRecord &t : view.session()->upcoming())
            ids.insert(t.id);
        return ids;
    };
    for (int steps = 0; steps < 200; ++steps) {
        QVERIFY(!held(a).intersects(held(b)));
        QVERIFY(a.currentTripletId() == 0 || a.currentTripletId() != b.currentTripletId());
        LabellingView &view = steps % 3 == 0 ? b : a;
        if (view.currentTripletId() == 0)
            view.reload(); // what its retry timer does: the other's reservations may be gone
        if (view.currentTripletId() > 0) {
            QVERIFY(waitPainted(view));
            QTest::keyClick(&view, Qt::Key_1);
        }
        if (a.currentTripletId() == 0 && b.currentTripletId() == 0) {
            a.reload();
            b.reload();
            if (a.currentTripletId() == 0 && b.currentTripletId() == 0)
                break;
        }
    }
    QCOMPARE(a.currentTripletId(), 0);
    QCOMPARE(b.currentTripletId(), 0);
    QCOMPARE(int(projectA->judgments().all().size()), 40); // each annotator judged all 20
}

void TestLabellingView::expiredLeaseIsServedAgain()
{
    const QString dir = freshDir("lease");
    QString error;
    auto projectA = fa::test::makeLabelProject(dir, 9, 4, &error);
    QVERIFY2(projectA, qPrintable(error));
    auto projectB = fa::Project::open(dir, &error);
    QVERIFY2(projectB, qPrintable(error));
    LabellingView a, b;
    QVERIFY(a.start(projectA.get(), QStringLiteral("ann"), &error)); // holds all four triplets
    QSignalSpy finished(&b, &LabellingView::finished);
    QVERIFY(b.start(projectB.get(), QStringLiteral("bob"), &error));
    QCOMPARE(b.currentTripletId(), 0);
    QCOMPARE(finished.count(), 1);
    b.reload(); // what its retry timer does: still nothing, and finished() is not repeated
    QCOMPARE(b.currentTripletId(), 0);
    QCOMPARE(finished.count(), 1);

    const qint64 later = projectB->nowMs() + (projectB->leaseSeconds() + 1) * 1000LL;
    projectB->setClock([later] { return later; });
    b.reload();
    QVERIFY(b.currentTripletId() > 0);
    QVERIFY(a.currentTripletId() > 0);
    QSet<qint64> heldByA{a.currentTripletId()};
    for (const fa::TripletRecord &t : a.session()->upcoming())
        heldByA.insert(t.id);
    QVERIFY(heldByA.contains(b.currentTripletId()));
}

QTEST_MAIN(TestLabellingView)
#include "test_labelling_view.moc"
