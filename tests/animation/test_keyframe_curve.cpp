#include "animation/key_reduction.h"
#include "animation/keyframe_curve.h"

#include <QtTest>

#include <cmath>
#include <random>

using fa::KeyframeCurve;
using Key = fa::KeyframeCurve::Key;

namespace {

constexpr double kPi = 3.14159265358979323846;

KeyframeCurve curveOf(std::initializer_list<Key> keys)
{
    return KeyframeCurve::fromKeys(std::vector<Key>(keys));
}

} // namespace

class TestKeyframeCurve : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void editsKeepKeysSorted();
    void valueAt_data();
    void valueAt();
    void sampleIntoMatchesValueAt_data();
    void sampleIntoMatchesValueAt();
    void fromKeysLaterWins();
    void removeKeysRange();
    void reductionFindsCorners();
    void reductionStaysWithinTolerance_data();
    void reductionStaysWithinTolerance();
    void reductionZeroToleranceKeepsNonCollinear();
    void reductionSmallInputs();
};

void TestKeyframeCurve::editsKeepKeysSorted()
{
    KeyframeCurve curve;
    QVERIFY(curve.isEmpty());
    curve.setKey(10, 1.0f);
    curve.setKey(2, 0.5f);
    curve.setKey(6, 0.25f);
    curve.setKey(6, 0.75f); // replaces
    const std::vector<Key> expected = {{2, 0.5f}, {6, 0.75f}, {10, 1.0f}};
    QVERIFY(curve.keys() == expected);
    QCOMPARE(curve.keyCount(), 3);
    QCOMPARE(curve.keyIndex(6), 1);
    QCOMPARE(curve.keyIndex(7), -1);
    QVERIFY(curve.hasKey(10));
    QVERIFY(curve.removeKey(6));
    QVERIFY(!curve.removeKey(6));
    QCOMPARE(curve.keyCount(), 2);
    QVERIFY(curve != KeyframeCurve());
}

void TestKeyframeCurve::valueAt_data()
{
    QTest::addColumn<double>("frame");
    QTest::addColumn<float>("expected");
    // Keys (2, 0), (6, 1), (10, 0.5).
    QTest::newRow("before the first key: held") << -5.0 << 0.0f;
    QTest::newRow("on the first key") << 2.0 << 0.0f;
    QTest::newRow("a quarter of the way") << 3.0 << 0.25f;
    QTest::newRow("fractional frame") << 4.5 << 0.625f;
    QTest::newRow("on a middle key") << 6.0 << 1.0f;
    QTest::newRow("second segment") << 8.0 << 0.75f;
    QTest::newRow("after the last key: held") << 100.0 << 0.5f;
}

void TestKeyframeCurve::valueAt()
{
    QFETCH(double, frame);
    QFETCH(float, expected);
    const KeyframeCurve curve = curveOf({{2, 0.0f}, {6, 1.0f}, {10, 0.5f}});
    QCOMPARE(curve.valueAt(frame), expected);
    QCOMPARE(KeyframeCurve().valueAt(frame), 0.0f);
}

void TestKeyframeCurve::sampleIntoMatchesValueAt_data()
{
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("count");
    QTest::newRow("whole") << 0 << 40;
    QTest::newRow("before and into") << -10 << 15;
    QTest::newRow("middle") << 7 << 9;
    QTest::newRow("past the end") << 30 << 20;
    QTest::newRow("single frame on a key") << 13 << 1;
}

void TestKeyframeCurve::sampleIntoMatchesValueAt()
{
    QFETCH(int, first);
    QFETCH(int, count);
    const KeyframeCurve curve =
        curveOf({{1, 0.2f}, {4, 0.9f}, {5, 0.1f}, {13, 0.7f}, {20, 0.0f}, {31, 1.0f}});
    std::vector<float> out(size_t(count), -1.0f);
    curve.sampleInto(first, count, out.data());
    for (int i = 0; i < count; ++i)
        QCOMPARE(out[size_t(i)], curve.valueAt(first + i));
    const std::vector<float> dense = KeyframeCurve::fromSamples({0.5f, 0.25f, 1.0f}).sample(5);
    QVERIFY((dense == std::vector<float>{0.5f, 0.25f, 1.0f, 1.0f, 1.0f}));
}

void TestKeyframeCurve::fromKeysLaterWins()
{
    const KeyframeCurve curve = curveOf({{5, 1.0f}, {1, 0.0f}, {5, 2.0f}});
    QVERIFY((curve.keys() == std::vector<Key>{{1, 0.0f}, {5, 2.0f}}));
}

void TestKeyframeCurve::removeKeysRange()
{
    KeyframeCurve curve = KeyframeCurve::fromSamples(std::vector<float>(10, 0.5f));
    QCOMPARE(curve.removeKeys(3, 6), 4);
    QCOMPARE(curve.keyCount(), 6);
    QVERIFY(!curve.hasKey(3) && !curve.hasKey(6) && curve.hasKey(2) && curve.hasKey(7));
    QCOMPARE(curve.removeKeys(8, 7), 0);
    QCOMPARE(curve.removeKeys(-5, 100), 6);
    QVERIFY(curve.isEmpty());
}

// Three straight segments through corners (0, 0), (30, 1), (60, 0.2), (100, 0.8), one key per
// frame, with noise of at most 0.004: tolerance 0.01 keeps exactly the four corners.
void TestKeyframeCurve::reductionFindsCorners()
{
    const std::vector<Key> corners = {{0, 0.0f}, {30, 1.0f}, {60, 0.2f}, {100, 0.8f}};
    std::mt19937 random(7);
    std::uniform_real_distribution<float> noise(-0.004f, 0.004f);
    std::vector<Key> keys;
    for (size_t s = 0; s + 1 < corners.size(); ++s) {
        const Key a = corners[s], b = corners[s + 1];
        for (int f = a.frame; f < b.frame; ++f) {
            const float t = float(f - a.frame) / float(b.frame - a.frame);
            keys.push_back({f, a.value + t * (b.value - a.value) + (f == a.frame ? 0.0f : noise(random))});
        }
    }
    keys.push_back(corners.back());
    const std::vector<Key> reduced = fa::reduceKeys(keys, 0.01);
    QCOMPARE(int(reduced.size()), 4);
    QVERIFY(reduced == corners);
}

void TestKeyframeCurve::reductionStaysWithinTolerance_data()
{
    QTest::addColumn<double>("tolerance");
    QTest::newRow("0.001") << 0.001;
    QTest::newRow("0.01") << 0.01;
    QTest::newRow("0.05") << 0.05;
    QTest::newRow("0.2") << 0.2;
}

void TestKeyframeCurve::reductionStaysWithinTolerance()
{
    QFETCH(double, tolerance);
    std::vector<float> samples(300);
    for (size_t i = 0; i < samples.size(); ++i)
        samples[i] = float(0.5 + 0.5 * std::sin(2.0 * kPi * double(i) / 75.0));
    const KeyframeCurve original = KeyframeCurve::fromSamples(samples);
    const KeyframeCurve reduced =
        KeyframeCurve::fromKeys(fa::reduceKeys(original.keys(), tolerance));
    QVERIFY(reduced.keyCount() < original.keyCount());
    QCOMPARE(reduced.keys().front(), original.keys().front());
    QCOMPARE(reduced.keys().back(), original.keys().back());
    const std::vector<float> resampled = reduced.sample(int(samples.size()));
    for (size_t i = 0; i < samples.size(); ++i)
        QVERIFY2(std::abs(resampled[i] - samples[i]) <= tolerance + 1e-6,
                 qPrintable(QStringLiteral("frame %1 off by %2").arg(i).arg(resampled[i] - samples[i])));
    // A looser tolerance never keeps more keys than a stricter one on this curve.
    QVERIFY(fa::reduceKeys(original.keys(), tolerance * 2).size() <= size_t(reduced.keyCount()));
}

void TestKeyframeCurve::reductionZeroToleranceKeepsNonCollinear()
{
    // Keys 1 and 2 lie on the line from 0 to 3 (exactly representable); the rest do not.
    const std::vector<Key> keys = {{0, 0.0f}, {1, 0.25f}, {2, 0.5f}, {3, 0.75f},
                                   {4, 0.5f}, {6, 0.625f}, {8, 0.0f}};
    const std::vector<Key> expected = {{0, 0.0f}, {3, 0.75f}, {4, 0.5f}, {6, 0.625f}, {8, 0.0f}};
    QVERIFY(fa::reduceKeys(keys, 0.0) == expected);
    QVERIFY(fa::reduceKeys(keys, -1.0) == expected);
}

void TestKeyframeCurve::reductionSmallInputs()
{
    QVERIFY(fa::reduceKeys({}, 0.1).empty());
    const std::vector<Key> two = {{0, 0.0f}, {5, 1.0f}};
    QVERIFY(fa::reduceKeys(two, 10.0) == two);
    const std::vector<Key> three = {{0, 0.0f}, {5, 1.0f}, {9, 0.0f}};
    QVERIFY((fa::reduceKeys(three, 2.0) == std::vector<Key>{{0, 0.0f}, {9, 0.0f}}));
}

QTEST_APPLESS_MAIN(TestKeyframeCurve)
#include "test_keyframe_curve.moc"
