// The kill test: a child program labels a project through LabellingView and is killed with
// SIGKILL at random points. Every judgment it reported as committed must stand in the
// database, the database must pass PRAGMA integrity_check, and the project must open again.
#include "label_test_project.h"
#include "project/labelling_session.h"
#include "test_files.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QtTest>

class TestLabellingKill : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void killedChildLosesNoCommittedJudgment_data();
    void killedChildLosesNoCommittedJudgment();

private:
    QString m_dir;
};

void TestLabellingKill::initTestCase()
{
    m_dir = fa::test::outputDir() + QStringLiteral("/kill");
    QString error;
    auto project = fa::test::makeLabelProject(m_dir, 30, 120, &error);
    QVERIFY2(project, qPrintable(error));
}

void TestLabellingKill::killedChildLosesNoCommittedJudgment_data()
{
    QTest::addColumn<QString>("annotator");
    QTest::addColumn<int>("killAfter");
    QRandomGenerator *random = QRandomGenerator::global();
    for (int round = 0; round < 4; ++round) {
        const int lines = random->bounded(5, 41);
        const QString name = QStringLiteral("killed-%1").arg(round);
        QTest::newRow(qPrintable(QStringLiteral("%1 after %2 lines").arg(name).arg(lines))) << name << lines;
    }
}

void TestLabellingKill::killedChildLosesNoCommittedJudgment()
{
    QFETCH(QString, annotator);
    QFETCH(int, killAfter);

    QProcess child;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    child.setProcessEnvironment(environment);
    child.setProcessChannelMode(QProcess::SeparateChannels);
    child.start(QStringLiteral(FA_LABEL_CHILD), {m_dir, annotator});
    QVERIFY2(child.waitForStarted(), qPrintable(child.errorString()));

    QByteArray output;
    const auto lineCount = [&] { return output.count('\n'); };
    while (lineCount() < killAfter && child.waitForReadyRead(30000))
        output += child.readAllStandardOutput();
    QVERIFY2(lineCount() >= killAfter,
             qPrintable(QStringLiteral("the child stopped early: ") + QString::fromUtf8(child.readAllStandardError())));
    child.kill();
    QVERIFY(child.waitForFinished(10000));
    output += child.readAllStandardOutput();

    // The last reported event of each triplet; only complete lines count.
    QHash<qint64, bool> committed;
    const QList<QByteArray> lines = output.left(output.lastIndexOf('\n')).split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> words = line.split(' ');
        QCOMPARE(words.size(), 2);
        QVERIFY2(words[0] == "committed" || words[0] == "undone", line.constData());
        committed[words[1].toLongLong()] = words[0] == "committed";
    }

    QString error;
    std::unique_ptr<fa::Project> project = fa::Project::open(m_dir, &error);
    QVERIFY2(project, qPrintable(error));
    QCOMPARE(fa::test::integrityCheck(*project), QStringLiteral("ok"));
    QSet<qint64> standing;
    for (const fa::JudgmentRecord &j : project->judgments().all()) {
        if (j.annotator == annotator)
            standing.insert(j.tripletId);
    }
    int checked = 0;
    for (auto it = committed.cbegin(); it != committed.cend(); ++it) {
        if (it.value()) {
            QVERIFY2(standing.contains(it.key()), qPrintable(QStringLiteral("triplet %1 lost").arg(it.key())));
            ++checked;
        }
    }
    QVERIFY(checked > 0);

    // The project works normally: the same annotator is served a triplet not judged yet.
    fa::LabellingSession session(*project, annotator);
    QVERIFY2(session.start(), qPrintable(session.errorString()));
    QVERIFY(session.current());
    QVERIFY(!standing.contains(session.current()->id));
}

QTEST_MAIN(TestLabellingKill)
#include "test_labelling_kill.moc"
