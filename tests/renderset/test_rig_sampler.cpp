// RigSampler: deterministic from the seed (fixed bytes), exact mixture counts, ranges and
// sparsity, symmetric rigs symmetric, mirror pairs in the ARKit spellings and generic side
// markers, real rigs with noise.
#include "renderset/rig_sampler.h"

#include "avatar/mannequin_head.h"
#include "common/arkit.h"

#include <QCryptographicHash>
#include <QtTest>

#include <cmath>

using namespace fa;

namespace {

RigDefinition mannequinRig()
{
    return createMannequinHead()->rig();
}

QByteArray hashOf(const RigSampler &sampler, qsizetype count, std::uint64_t seed)
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    const std::vector<RigSampleKind> kinds = sampler.kinds(count, seed);
    for (qsizetype i = 0; i < count; ++i) {
        const std::vector<float> v = sampler.sample(kinds[size_t(i)], seed, i);
        hash.addData(QByteArrayView(reinterpret_cast<const char *>(v.data()), qsizetype(v.size() * sizeof(float))));
    }
    return hash.result().toHex();
}

int activeCount(const std::vector<float> &values)
{
    return int(std::count_if(values.begin(), values.end(), [](float v) { return v != 0.0f; }));
}

} // namespace

class TestRigSampler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deterministic();
    void mixtureCounts_data();
    void mixtureCounts();
    void rangesAndSparsity();
    void symmetricRigsAreSymmetric();
    void mirrorPairs_data();
    void mirrorPairs();
    void realRigsWithNoise();
};

void TestRigSampler::deterministic()
{
    const RigDefinition rig = mannequinRig();
    const RigSampler a(rig), b(rig);
    QCOMPARE(hashOf(a, 500, 1), hashOf(b, 500, 1));
    QVERIFY(hashOf(a, 500, 1) != hashOf(a, 500, 2));
    // Sample i does not depend on the others (drawn alone, in any order).
    const std::vector<RigSampleKind> kinds = a.kinds(500, 1);
    QCOMPARE(a.sample(kinds[321], 1, 321), b.sample(kinds[321], 1, 321));
    QVERIFY(a.kinds(500, 1) == b.kinds(500, 1));
    QVERIFY(a.kinds(500, 1) != a.kinds(500, 2));
    // The bytes are fixed (mt19937_64 and hand-written draws): a change here changes every
    // render set; update only on purpose.
    qInfo("hash of 500 mannequin rigs, seed 1: %s", hashOf(a, 500, 1).constData());
    QCOMPARE(a.sample(RigSampleKind::Neutral, 1, 0), std::vector<float>(size_t(rig.controlCount()), 0.0f));
}

void TestRigSampler::mixtureCounts_data()
{
    QTest::addColumn<bool>("real");
    QTest::addColumn<int>("count");
    QTest::addColumn<QList<int>>("expected"); // neutral, sparse, symmetric, real
    QTest::newRow("1000 with real") << true << 1000 << QList<int>{50, 450, 200, 300};
    QTest::newRow("1000 without real") << false << 1000 << QList<int>{50, 750, 200, 0};
    QTest::newRow("7 with real") << true << 7 << QList<int>{0, 3, 2, 2}; // 0.35, 3.15, 1.4, 2.1
    QTest::newRow("1 without real") << false << 1 << QList<int>{0, 1, 0, 0};
}

void TestRigSampler::mixtureCounts()
{
    QFETCH(bool, real);
    QFETCH(int, count);
    QFETCH(QList<int>, expected);
    const RigDefinition rig = mannequinRig();
    RigSampler sampler(rig);
    if (real)
        sampler.setRealFrames({std::vector<float>(size_t(rig.controlCount()), 0.5f)});
    const auto counts = sampler.kindCounts(count);
    const std::vector<RigSampleKind> kinds = sampler.kinds(count, 99);
    QCOMPARE(qsizetype(kinds.size()), qsizetype(count));
    for (int k = 0; k < kRigSampleKindCount; ++k) {
        QCOMPARE(int(counts[size_t(k)]), expected[k]);
        QCOMPARE(int(std::count(kinds.begin(), kinds.end(), RigSampleKind(k))), expected[k]);
    }
    // Shuffled: the first tenth is not all of one kind.
    if (count >= 1000)
        QVERIFY(std::count(kinds.begin(), kinds.begin() + 100, RigSampleKind::Sparse) < 100);
}

void TestRigSampler::rangesAndSparsity()
{
    RigDefinition rig;
    rig.addControl({QStringLiteral("a"), 0.0f, 1.0f});
    rig.addControl({QStringLiteral("b"), -1.0f, 1.0f});
    rig.addControl({QStringLiteral("c"), 0.2f, 0.4f});
    for (int i = 0; i < 7; ++i)
        rig.addControl({QStringLiteral("x%1").arg(i), 0.0f, 1.0f});
    const RigSampler sampler(rig);
    int activeHistogram[5] = {};
    for (qsizetype i = 0; i < 2000; ++i) {
        const std::vector<float> v = sampler.sample(RigSampleKind::Sparse, 5, i);
        QCOMPARE(int(v.size()), rig.controlCount());
        int active = 0;
        for (int c = 0; c < rig.controlCount(); ++c) {
            QVERIFY(v[size_t(c)] >= rig.control(c).minimum && v[size_t(c)] <= rig.control(c).maximum);
            const float rest = std::clamp(0.0f, rig.control(c).minimum, rig.control(c).maximum);
            active += v[size_t(c)] != rest ? 1 : 0;
        }
        QVERIFY(active >= 1 && active <= 4);
        ++activeHistogram[active];
    }
    // 1..4 active controls, about equally often.
    for (int k = 1; k <= 4; ++k)
        QVERIFY2(activeHistogram[k] > 400 && activeHistogram[k] < 600, qPrintable(QString::number(activeHistogram[k])));
    // Values spread over the range: the mean of control a's non-zero values is about 0.5.
    double sum = 0;
    int n = 0;
    for (qsizetype i = 0; i < 4000; ++i) {
        const float v = sampler.sample(RigSampleKind::Sparse, 6, i)[0];
        if (v != 0.0f) {
            sum += v;
            ++n;
        }
    }
    QVERIFY(n > 500);
    QVERIFY(std::abs(sum / n - 0.5) < 0.05);
}

void TestRigSampler::symmetricRigsAreSymmetric()
{
    const RigDefinition rig = mannequinRig();
    const RigSampler sampler(rig);
    int paired = 0;
    for (int c = 0; c < rig.controlCount(); ++c)
        if (sampler.mirrorOf(c) >= 0) {
            ++paired;
            QCOMPARE(sampler.mirrorOf(sampler.mirrorOf(c)), c);
        }
    QCOMPARE(paired, 40); // 20 Left/Right pairs among the 52 ARKit shapes
    int asymmetricSparse = 0;
    for (qsizetype i = 0; i < 300; ++i) {
        const std::vector<float> v = sampler.sample(RigSampleKind::Symmetric, 3, i);
        QVERIFY(activeCount(v) >= 1);
        for (int c = 0; c < rig.controlCount(); ++c) {
            QVERIFY(v[size_t(c)] >= 0.0f && v[size_t(c)] <= 1.0f);
            if (sampler.mirrorOf(c) >= 0)
                QCOMPARE(v[size_t(c)], v[size_t(sampler.mirrorOf(c))]);
        }
        const std::vector<float> s = sampler.sample(RigSampleKind::Sparse, 3, i);
        for (int c = 0; c < rig.controlCount(); ++c)
            if (sampler.mirrorOf(c) >= 0 && s[size_t(c)] != s[size_t(sampler.mirrorOf(c))]) {
                ++asymmetricSparse;
                break;
            }
    }
    QVERIFY(asymmetricSparse > 100); // plain sparse rigs are not symmetric
}

void TestRigSampler::mirrorPairs_data()
{
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<QList<int>>("mirrors");
    QTest::newRow("camelCase") << QStringList{QStringLiteral("eyeBlinkLeft"), QStringLiteral("jawOpen"), QStringLiteral("eyeBlinkRight")}
                               << QList<int>{2, -1, 0};
    QTest::newRow("suffix form") << QStringList{QStringLiteral("mouthSmile_R"), QStringLiteral("mouthSmile_L")}
                                 << QList<int>{1, 0};
    QTest::newRow("prefixed") << QStringList{QStringLiteral("AK_09_EyeBlinkLeft"), QStringLiteral("AK_10_EyeBlinkRight")}
                              << QList<int>{1, 0};
    QTest::newRow("mixed spellings") << QStringList{QStringLiteral("browDownLeft"), QStringLiteral("BrowDown_R")}
                                     << QList<int>{1, 0};
    QTest::newRow("generic") << QStringList{QStringLiteral("lidUp.L"), QStringLiteral("lidUp.R"), QStringLiteral("L_ear"),
                                            QStringLiteral("R_ear"), QStringLiteral("cornerLeftPull"),
                                            QStringLiteral("cornerRightPull"), QStringLiteral("nose_l")}
                             << QList<int>{1, 0, 3, 2, 5, 4, -1};
}

void TestRigSampler::mirrorPairs()
{
    QFETCH(QStringList, names);
    QFETCH(QList<int>, mirrors);
    const RigSampler sampler{RigDefinition(names)};
    for (int c = 0; c < names.size(); ++c)
        QCOMPARE(sampler.mirrorOf(c), mirrors[c]);
}

void TestRigSampler::realRigsWithNoise()
{
    const RigDefinition rig = mannequinRig();
    RigSampler sampler(rig);
    std::vector<float> frameA(size_t(rig.controlCount()), 0.0f), frameB(size_t(rig.controlCount()), 0.0f);
    frameA[17] = 0.8f; // jawOpen
    frameB[23] = 0.6f; // mouthSmileLeft
    frameB[24] = 0.6f;
    sampler.setRealFrames({frameA, frameB, std::vector<float>(3, 0.0f)}); // the short row is ignored
    QCOMPARE(sampler.realFrameCount(), qsizetype(2));
    double noiseSum = 0, noiseSquares = 0;
    int n = 0, fromA = 0;
    for (qsizetype i = 0; i < 2000; ++i) {
        const std::vector<float> v = sampler.sample(RigSampleKind::Real, 11, i);
        const bool a = std::abs(v[17] - 0.8f) < 0.3f;
        fromA += a ? 1 : 0;
        const std::vector<float> &frame = a ? frameA : frameB;
        for (int c = 0; c < rig.controlCount(); ++c) {
            QVERIFY(v[size_t(c)] >= 0.0f && v[size_t(c)] <= 1.0f);
            if (frame[size_t(c)] > 0.0f) {
                noiseSum += v[size_t(c)] - frame[size_t(c)];
                noiseSquares += std::pow(v[size_t(c)] - frame[size_t(c)], 2);
                ++n;
            }
        }
    }
    QVERIFY(fromA > 850 && fromA < 1150);
    const double mean = noiseSum / n, sigma = std::sqrt(noiseSquares / n - mean * mean);
    qInfo("noise on real rigs: mean %.4f, sigma %.4f", mean, sigma);
    QVERIFY(std::abs(mean) < 0.005);
    QVERIFY(std::abs(sigma - 0.05) < 0.005);
}

QTEST_GUILESS_MAIN(TestRigSampler)
#include "test_rig_sampler.moc"
