// The annotator's view when things go wrong, under xvfb-run: a crop file deleted behind the
// studio's back, a judgment the database refuses, a queue that cannot be topped up. Nothing
// the annotator answered is lost, and the view says what happened.
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

/// SQL that makes every INSERT into `table` fail with an SQLITE_ERROR (a trigger writing to a
/// table that is gone), not a constraint error, which the session would take for "judged
/// elsewhere".
QString refuseInserts(const char *table)
{
    return QStringLiteral("CREATE TABLE refused_by_the_test(x); CREATE TRIGGER refuse BEFORE INSERT ON %1 "
                          "BEGIN INSERT INTO refused_by_the_test VALUES(1); END; DROP TABLE refused_by_the_test")
        .arg(QLatin1String(table));
}

} // namespace

class TestLabellingFailures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void missingCropCanBeSkipped();
    void failedCommitLosesNothing();
    void failedRefillKeepsTheAnswer();
    void onlyPaintedTripletsAreAnswered();

private:
    QString freshDir(const char *name) { return fa::test::outputDir() + QLatin1Char('/') + QLatin1String(name); }
};

// A held key (auto-repeat) or keys typed before the next triplet is painted answer nothing
// more: one press, one judgment, on the triplet the annotator saw.
void TestLabellingFailures::onlyPaintedTripletsAreAnswered()
{
    QString error;
    auto project = fa::test::makeLabelProject(freshDir("typed-ahead"), 12, 20, &error);
    QVERIFY2(project, qPrintable(error));
    LabellingView view;
    view.resize(1000, 500);
    view.show();
    QVERIFY(view.start(project.get(), QStringLiteral("ann"), &error));
    QVERIFY(waitPainted(view));
    const qint64 seen = view.currentTripletId();
    auto send = [&](int key, bool autoRepeat) {
        QKeyEvent press(QEvent::KeyPress, key, Qt::NoModifier, QString(QChar(key)), autoRepeat);
        QApplication::sendEvent(&view, &press);
    };
    send(Qt::Key_2, false);
    send(Qt::Key_2, true);   // held down
    send(Qt::Key_3, false);  // typed before the next triplet was painted
    send(Qt::Key_Space, false);
    const std::vector<fa::JudgmentRecord> judgments = project->judgments().all();
    QCOMPARE(int(judgments.size()), 1);
    QCOMPARE(judgments[0].tripletId, seen);
    QCOMPARE(judgments[0].choice, 2);
    QVERIFY(waitPainted(view));
    send(Qt::Key_Backspace, true); // a held Backspace does not undo the sitting
    QCOMPARE(int(project->judgments().all().size()), 1);
}

void TestLabellingFailures::missingCropCanBeSkipped()
{
    QString error;
    auto project = fa::test::makeLabelProject(freshDir("missing"), 12, 30, &error);
    QVERIFY2(project, qPrintable(error));
    const std::optional<fa::FaceRecord> face = project->faces().face(1);
    QVERIFY(face);
    const QString cropPath = project->absolutePath(face->cropPath);
    QVERIFY(QFile::remove(cropPath));

    LabellingView view;
    view.resize(1000, 500);
    view.show();
    QVERIFY(view.start(project.get(), QStringLiteral("ann"), &error));
    int index = -1;
    for (int i = 0; i < 30 && index < 0; ++i) {
        QVERIFY(waitPainted(view));
        const auto current = view.session()->current();
        for (int k = 0; k < 3; ++k)
            index = current->faceIds[size_t(k)] == 1 ? k : index;
        if (index < 0)
            QTest::keyClick(&view, Qt::Key_1);
    }
    QVERIFY(index >= 0);
    const fa::ui::TripletCanvas::Tile &tile = view.canvas()->tile(index);
    QVERIFY(tile.image.isNull());
    QVERIFY2(tile.error.contains(cropPath) && tile.error.contains(QStringLiteral("not found")), qPrintable(tile.error));
    QVERIFY(!view.canvas()->tile((index + 1) % 3).image.isNull());

    const qint64 id = view.currentTripletId();
    const size_t before = project->judgments().all().size();
    QTest::keyClick(&view, Qt::Key_1);
    QCOMPARE(project->judgments().all().size(), before);
    QCOMPARE(view.currentTripletId(), id);
    QVERIFY(!view.errorText().isEmpty());
    QTest::keyClick(&view, Qt::Key_S);
    QCOMPARE(project->judgments().all().size(), before + 1);
    QCOMPARE(project->judgments().all().back().tripletId, id);
    QVERIFY(project->judgments().all().back().isSkip());
    QVERIFY(view.currentTripletId() != id);
}

void TestLabellingFailures::failedCommitLosesNothing()
{
    const QString dir = freshDir("failing");
    QString error;
    auto project = fa::test::makeLabelProject(dir, 9, 10, &error);
    QVERIFY2(project, qPrintable(error));
    auto other = fa::Project::open(dir, &error);
    QVERIFY(other);
    LabellingView view;
    view.resize(1000, 500);
    view.show();
    QSignalSpy failed(&view, &LabellingView::commitFailed);
    QVERIFY(view.start(project.get(), QStringLiteral("ann"), &error));
    QVERIFY(waitPainted(view));
    QTest::keyClick(&view, Qt::Key_2);
    QVERIFY(waitPainted(view));
    const qint64 id = view.currentTripletId();

    // Another connection makes every new judgment fail.
    QVERIFY(other->connection().exec(refuseInserts("judgments")));
    QTest::keyClick(&view, Qt::Key_3);
    QCOMPARE(failed.count(), 1);
    QVERIFY2(view.errorText().contains(QStringLiteral("refused_by_the_test")), qPrintable(view.errorText()));
    QCOMPARE(view.currentTripletId(), id);

    // Once the database accepts judgments again, the same key press records the same answer.
    // (The count is read after the trigger is gone: SQLite reloads a connection's schema when it
    // reads, not when a prepare fails against the stale one.)
    QVERIFY(other->connection().exec(QStringLiteral("DROP TRIGGER refuse")));
    QCOMPARE(int(project->judgments().all().size()), 1);
    QTest::keyClick(&view, Qt::Key_3);
    QVERIFY2(view.errorText().isEmpty(), qPrintable(view.errorText()));
    QCOMPARE(int(project->judgments().all().size()), 2);
    QCOMPARE(project->judgments().all().back().tripletId, id);
    QCOMPARE(project->judgments().all().back().choice, 3);
}

void TestLabellingFailures::failedRefillKeepsTheAnswer()
{
    const QString dir = freshDir("refill");
    QString error;
    auto project = fa::test::makeLabelProject(dir, 9, 10, &error);
    QVERIFY2(project, qPrintable(error));
    auto other = fa::Project::open(dir, &error);
    QVERIFY(other);
    LabellingView view;
    view.resize(1000, 500);
    view.show();
    QSignalSpy recorded(&view, &LabellingView::judgmentRecorded);
    QSignalSpy failed(&view, &LabellingView::commitFailed);
    QVERIFY(view.start(project.get(), QStringLiteral("ann"), &error));
    QVERIFY(waitPainted(view));
    const qint64 id = view.currentTripletId();

    // The judgment commits, then taking the next lease fails: the answer stands and the view
    // goes on with the triplets it already holds.
    QVERIFY(other->connection().exec(refuseInserts("leases")));
    QTest::keyClick(&view, Qt::Key_2);
    QCOMPARE(int(project->judgments().all().size()), 1);
    QCOMPARE(project->judgments().all().front().tripletId, id);
    QCOMPARE(recorded.count(), 1);
    QCOMPARE(failed.count(), 1);
    QVERIFY2(view.errorText().contains(QStringLiteral("was saved")), qPrintable(view.errorText()));
    QVERIFY(view.currentTripletId() > 0);
    QVERIFY(view.currentTripletId() != id);

    QVERIFY(other->connection().exec(QStringLiteral("DROP TRIGGER refuse")));
    QCOMPARE(int(project->judgments().all().size()), 1); // (reads the schema again)
    QVERIFY(waitPainted(view));
    QTest::keyClick(&view, Qt::Key_1);
    QCOMPARE(int(project->judgments().all().size()), 2);
    QVERIFY(view.errorText().isEmpty());
}

QTEST_MAIN(TestLabellingFailures)
#include "test_labelling_failures.moc"
