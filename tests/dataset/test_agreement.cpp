#include "dataset/agreement.h"

#include <QtTest>

#include <cmath>

using fa::AgreementReport;
using fa::AnnotatorAgreement;
using fa::JudgmentVote;
using fa::TripletAgreement;

using Counts = std::vector<std::vector<int>>;
Q_DECLARE_METATYPE(Counts)

namespace {

// Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories.
const Counts kWikipediaTable = {
    {0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0}, {2, 2, 8, 1, 1},
    {7, 7, 0, 0, 0},  {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2}, {6, 5, 2, 1, 0}, {0, 2, 2, 3, 7},
};

JudgmentVote vote(qint64 triplet, const char *annotator, int choice)
{
    return {triplet, QString::fromUtf8(annotator), choice};
}

// A small hand-built set (worked out on paper in the comments of leaveOneOutAndGold()).
std::vector<JudgmentVote> handBuiltVotes()
{
    return {
        vote(1, "alice", 1), vote(1, "bob", 1),   vote(1, "carol", 1), vote(1, "dave", 2),
        vote(2, "alice", 2), vote(2, "bob", 3),   vote(2, "carol", 3),
        vote(3, "alice", 1), vote(3, "bob", 2),
        vote(4, "alice", 3),
        vote(5, "alice", 1), vote(5, "bob", 2),   vote(5, "carol", 3),
        vote(6, "erin", 2),
        vote(6, "erin", 0), // not a choice: ignored
    };
}

const std::map<qint64, int> kGold = {{1, 1}, {2, 3}, {4, 2}, {99, 1}};

} // namespace

class TestAgreement : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fleissKappa_data();
    void fleissKappa();
    void wikipediaTerms();
    void ignoredSubjectsChangeNothing();
    void strictMajority_data();
    void strictMajority();
    void perTriplet();
    void leaveOneOutAndGold();
    void emptyInput();
};

void TestAgreement::fleissKappa_data()
{
    QTest::addColumn<Counts>("counts");
    QTest::addColumn<double>("kappa"); // NaN: undefined

    const double nan = std::numeric_limits<double>::quiet_NaN();
    QTest::newRow("Wikipedia example") << kWikipediaTable << 0.20993070442195522;
    QTest::newRow("perfect agreement") << Counts{{3, 0, 0}, {0, 3, 0}, {0, 0, 3}, {3, 0, 0}} << 1.0;
    // Unequal raters: P_i = 1, 0, 6/12; P-bar = 1/2; totals 3, 4, 2 of 9 -> P_e = 29/81;
    // kappa = (1/2 - 29/81) / (1 - 29/81) = 23/104.
    QTest::newRow("unequal raters") << Counts{{2, 0, 0}, {1, 1, 1}, {0, 3, 1}} << 23.0 / 104.0;
    // Two raters always disagreeing on two categories: P-bar 0, P_e 1/2 -> -1.
    QTest::newRow("systematic disagreement") << Counts{{1, 1}, {1, 1}} << -1.0;
    QTest::newRow("rows of different length") << Counts{{2}, {0, 2}} << 1.0;
    QTest::newRow("everything in one category") << Counts{{3, 0, 0}, {2, 0, 0}} << nan;
    QTest::newRow("single ratings only") << Counts{{1, 0, 0}, {0, 1, 0}} << nan;
    QTest::newRow("no subjects") << Counts{} << nan;
    QTest::newRow("negative count") << Counts{{3, -1, 0}, {0, 2, 0}} << nan;
}

void TestAgreement::fleissKappa()
{
    QFETCH(Counts, counts);
    QFETCH(double, kappa);
    const double actual = fa::fleissKappa(counts);
    if (std::isnan(kappa)) {
        QVERIFY2(std::isnan(actual), qPrintable(QString::number(actual)));
    } else {
        QVERIFY2(std::abs(actual - kappa) < 1e-9, qPrintable(QString::number(actual, 'g', 12)));
    }
}

void TestAgreement::wikipediaTerms()
{
    const fa::FleissKappaTerms terms = fa::fleissKappaTerms(kWikipediaTable);
    QCOMPARE(terms.subjects, 10);
    // The rounded figures Wikipedia prints.
    QVERIFY(std::abs(terms.meanAgreement - 0.378) < 1e-3);
    QVERIFY(std::abs(terms.chanceAgreement - 0.213) < 1e-3);
    QVERIFY(std::abs(terms.kappa - 0.210) < 1e-3);
}

void TestAgreement::ignoredSubjectsChangeNothing()
{
    const Counts base{{2, 0, 0}, {1, 1, 1}, {0, 3, 1}};
    Counts withSingles = base;
    withSingles.push_back({1, 0, 0});
    withSingles.push_back({0, 0, 0});
    const fa::FleissKappaTerms a = fa::fleissKappaTerms(base);
    const fa::FleissKappaTerms b = fa::fleissKappaTerms(withSingles);
    QCOMPARE(b.subjects, 3);
    QCOMPARE(b.meanAgreement, a.meanAgreement);
    QCOMPARE(b.chanceAgreement, a.chanceAgreement);
    QCOMPARE(b.kappa, a.kappa);
}

void TestAgreement::strictMajority_data()
{
    QTest::addColumn<int>("c1");
    QTest::addColumn<int>("c2");
    QTest::addColumn<int>("c3");
    QTest::addColumn<int>("expected"); // 0: nullopt

    QTest::newRow("3 of 3") << 3 << 0 << 0 << 1;
    QTest::newRow("2 of 3") << 0 << 2 << 1 << 2;
    QTest::newRow("2 of 2") << 0 << 0 << 2 << 3;
    QTest::newRow("4 of 6") << 1 << 4 << 1 << 2;
    QTest::newRow("3 of 6 (half)") << 3 << 2 << 1 << 0;
    QTest::newRow("1 of 1 (too few)") << 1 << 0 << 0 << 0;
    QTest::newRow("1-1 tie") << 1 << 1 << 0 << 0;
    QTest::newRow("1-1-1") << 1 << 1 << 1 << 0;
    QTest::newRow("2-2") << 2 << 2 << 0 << 0;
    QTest::newRow("none") << 0 << 0 << 0 << 0;
}

void TestAgreement::strictMajority()
{
    QFETCH(int, c1);
    QFETCH(int, c2);
    QFETCH(int, c3);
    QFETCH(int, expected);
    const std::optional<int> choice = fa::strictMajorityChoice({c1, c2, c3});
    QCOMPARE(choice.value_or(0), expected);
}

void TestAgreement::perTriplet()
{
    const AgreementReport report = fa::computeAgreement(handBuiltVotes(), kGold);
    QCOMPARE(report.triplets.size(), std::size_t(6));
    struct Expected { qint64 id; std::array<int, 3> counts; int judgments; int majority; double agreement; };
    const Expected expected[] = {
        {1, {3, 1, 0}, 4, 1, 0.75},     {2, {0, 1, 2}, 3, 3, 2.0 / 3.0}, {3, {1, 1, 0}, 2, 0, 0.5},
        {4, {0, 0, 1}, 1, 3, 1.0},      {5, {1, 1, 1}, 3, 0, 1.0 / 3.0}, {6, {0, 1, 0}, 1, 2, 1.0},
    };
    for (std::size_t i = 0; i < report.triplets.size(); ++i) {
        const TripletAgreement &t = report.triplets[i];
        QCOMPARE(t.tripletId, expected[i].id);
        QVERIFY(t.counts == expected[i].counts);
        QCOMPARE(t.judgments, expected[i].judgments);
        QCOMPARE(t.majorityChoice, expected[i].majority);
        QVERIFY(std::abs(t.agreement - expected[i].agreement) < 1e-12);
    }
    // Triplets with >= 2 votes and no strict majority: 3 (1-1) and 5 (1-1-1); not 4 or 6 (one vote).
    QCOMPARE(report.lowAgreement, (std::vector<qint64>{3, 5}));
    // Kappa over triplets 1, 2, 3, 5: P-bar = (1/2 + 1/3 + 0 + 0) / 4 = 5/24; totals 5, 4, 3 of 12
    // -> P_e = 50/144; kappa = (30/144 - 50/144) / (94/144) = -10/47.
    QCOMPARE(report.kappaTriplets, 4);
    QVERIFY2(std::abs(report.fleissKappa - (-10.0 / 47.0)) < 1e-12, qPrintable(QString::number(report.fleissKappa)));
}

void TestAgreement::leaveOneOutAndGold()
{
    const AgreementReport report = fa::computeAgreement(handBuiltVotes(), kGold);
    // alice: t1 others 1,1,2 -> 1, agrees; t2 others 3,3 -> 3, disagrees (2); t3 one other; t4 none;
    //        t5 others 2,3 tied. Gold: t1 right, t2 wrong (2 vs 3), t4 wrong (3 vs 2).
    // bob:   t1 others 1,1,2 -> agrees; t2 others 2,3 tied; t3 one other; t5 others 1,3 tied.
    //        Gold: t1 right, t2 right.
    // carol: t1 agrees; t2 others 2,3 tied; t5 tied. Gold: t1, t2 right.
    // dave:  t1 others 1,1,1 -> 1, disagrees (2). Gold: t1 wrong.
    // erin:  t6 alone; no gold. Her choice-0 vote is ignored.
    struct Expected { const char *name; int judgments, compared, agreed; double majority; int goldJudged, goldCorrect; double gold; };
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const Expected expected[] = {
        {"alice", 5, 2, 1, 0.5, 3, 1, 1.0 / 3.0},
        {"bob", 4, 1, 1, 1.0, 2, 2, 1.0},
        {"carol", 3, 1, 1, 1.0, 2, 2, 1.0},
        {"dave", 1, 1, 0, 0.0, 1, 0, 0.0},
        {"erin", 1, 0, 0, nan, 0, 0, nan},
    };
    QCOMPARE(report.annotators.size(), std::size_t(5));
    auto same = [](double a, double b) { return std::isnan(a) ? std::isnan(b) : std::abs(a - b) < 1e-12; };
    for (std::size_t i = 0; i < report.annotators.size(); ++i) {
        const AnnotatorAgreement &a = report.annotators[i];
        const Expected &e = expected[i];
        QCOMPARE(a.annotator, QString::fromUtf8(e.name));
        QCOMPARE(a.judgments, e.judgments);
        QCOMPARE(a.comparedWithMajority, e.compared);
        QCOMPARE(a.agreedWithMajority, e.agreed);
        QVERIFY2(same(a.majorityAgreement, e.majority), e.name);
        QCOMPARE(a.goldJudged, e.goldJudged);
        QCOMPARE(a.goldCorrect, e.goldCorrect);
        QVERIFY2(same(a.goldAccuracy, e.gold), e.name);
    }
}

void TestAgreement::emptyInput()
{
    const AgreementReport report = fa::computeAgreement({}, kGold);
    QVERIFY(report.triplets.empty());
    QVERIFY(report.annotators.empty());
    QVERIFY(report.lowAgreement.empty());
    QCOMPARE(report.kappaTriplets, 0);
    QVERIFY(std::isnan(report.fleissKappa));
}

QTEST_GUILESS_MAIN(TestAgreement)
#include "test_agreement.moc"
