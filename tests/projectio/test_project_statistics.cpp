// computeProjectStatistics() and its JSON on the hand-judged project of judged_project.h.
#include "judged_project.h"
#include "projectio/project_statistics.h"

#include <QJsonArray>
#include <QtTest>

class TestProjectStatistics : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void counts();
    void json();
    void emptyProject();

private:
    fa::test::JudgedProject m_judged;
};

void TestProjectStatistics::initTestCase()
{
    QString error;
    QVERIFY2(fa::test::buildJudgedProject(fa::test::outputDir() + QStringLiteral("/project"), &m_judged, &error),
             qPrintable(error));
}

// Standing non-skip judgments: 3 + 2 + 2 + 3 + 7 = 17, one skip; T1, T5, T6 complete (3 each).
void TestProjectStatistics::counts()
{
    QString error;
    const std::optional<fa::ProjectStatistics> s = fa::computeProjectStatistics(*m_judged.project, &error);
    QVERIFY2(s, qPrintable(error));
    QCOMPARE(s->sources, qint64(2));
    QCOMPARE(s->faces, qint64(5));
    QCOMPARE(s->triplets, qint64(6));
    QCOMPARE(s->judgments, qint64(17));
    QCOMPARE(s->skips, qint64(1));
    QCOMPARE(s->completeTriplets, qint64(3));
    QCOMPARE(s->judgmentsPerTriplet, 3);
    QCOMPARE(s->annotators.size(), 10);
    QCOMPARE(int(s->agreement.triplets.size()), 5);
    QCOMPARE(s->agreement.lowAgreement, std::vector<qint64>{m_judged.triplets[1]}); // T2: 1 vs 1
    QCOMPARE(s->agreement.kappaTriplets, 5);
}

void TestProjectStatistics::json()
{
    QString error;
    const std::optional<fa::ProjectStatistics> s = fa::computeProjectStatistics(*m_judged.project, &error);
    QVERIFY2(s, qPrintable(error));
    const QJsonObject json = fa::projectStatisticsToJson(*s);
    QCOMPARE(json.value(QStringLiteral("faces")).toInt(), 5);
    QCOMPARE(json.value(QStringLiteral("triplets")).toInt(), 6);
    QCOMPARE(json.value(QStringLiteral("judgments")).toInt(), 17);
    QCOMPARE(json.value(QStringLiteral("complete_triplets")).toInt(), 3);
    QCOMPARE(json.value(QStringLiteral("low_agreement_triplets")).toInt(), 1);
    QCOMPARE(json.value(QStringLiteral("fleiss_kappa")).toDouble(), s->agreement.fleissKappa);
    const QJsonArray annotators = json.value(QStringLiteral("annotators")).toArray();
    QCOMPARE(annotators.size(), 10);
    // Sorted by name: a1..a7, alice, bob, carol. The gold answer of T1 is 3: alice and bob
    // right, carol wrong; a1 judged no gold triplet (null).
    const QJsonObject alice = annotators[7].toObject(), bob = annotators[8].toObject(), carol = annotators[9].toObject();
    QCOMPARE(alice.value(QStringLiteral("name")).toString(), QStringLiteral("alice"));
    QCOMPARE(alice.value(QStringLiteral("judgments")).toInt(), 4);
    QCOMPARE(alice.value(QStringLiteral("gold_accuracy")).toDouble(), 1.0);
    QCOMPARE(bob.value(QStringLiteral("gold_accuracy")).toDouble(), 1.0);
    QCOMPARE(carol.value(QStringLiteral("gold_accuracy")).toDouble(), 0.0);
    QCOMPARE(carol.value(QStringLiteral("judgments")).toInt(), 2); // the skip does not count
    QVERIFY(annotators[0].toObject().value(QStringLiteral("gold_accuracy")).isNull());
    // a1 voted 2 on T6 like the other six: full agreement with the majority of the others.
    QCOMPARE(annotators[0].toObject().value(QStringLiteral("majority_agreement")).toDouble(), 1.0);
}

// No judgments: kappa undefined -> null in JSON, no annotators.
void TestProjectStatistics::emptyProject()
{
    const QString dir = fa::test::outputDir() + QStringLiteral("/empty");
    QDir(dir).removeRecursively();
    QString error;
    std::unique_ptr<fa::Project> project = fa::Project::create(dir, &error);
    QVERIFY2(project, qPrintable(error));
    const std::optional<fa::ProjectStatistics> s = fa::computeProjectStatistics(*project, &error);
    QVERIFY2(s, qPrintable(error));
    const QJsonObject json = fa::projectStatisticsToJson(*s);
    QVERIFY(json.value(QStringLiteral("fleiss_kappa")).isNull());
    QCOMPARE(json.value(QStringLiteral("faces")).toInt(), 0);
    QVERIFY(json.value(QStringLiteral("annotators")).toArray().isEmpty());
}

QTEST_GUILESS_MAIN(TestProjectStatistics)
#include "test_project_statistics.moc"
