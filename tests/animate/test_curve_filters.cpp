// Filters and key reduction through AnimateDocument on known signals: what each filter does to
// a sine + step, and the errors that leave the animation unchanged.
#include "animate/animate_document.h"

#include "animate_test_support.h"

#include <QUndoStack>
#include <QtTest>

#include <cmath>
#include <random>

using fa::AnimateDocument;
using fa::AnimationClip;
using fa::CurveFilter;
using fa::KeySelection;
using fa::RigAnimation;

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kFps = 30.0;

// One channel "jawOpen" with values f(frame) at 30 fps (times from 2 s, as a clip cut from a video).
template<typename F>
RigAnimation animationOf(int frames, F f)
{
    AnimationClip clip({QStringLiteral("jawOpen")}, kFps);
    for (int i = 0; i < frames; ++i)
        clip.appendFrame(2.0 + i / kFps, std::vector<float>{float(f(i))}, true);
    return RigAnimation::fromClip(clip);
}

// Amplitude of the `hz` component of v[begin, end) by correlation over whole periods.
double amplitude(const std::vector<float> &v, double hz, int begin, int end)
{
    const double perPeriod = kFps / hz;
    end = begin + int(std::lround(int((end - begin) / perPeriod) * perPeriod));
    double s = 0.0, c = 0.0;
    for (int i = begin; i < end; ++i) {
        s += v[size_t(i)] * std::sin(2.0 * kPi * hz * i / kFps);
        c += v[size_t(i)] * std::cos(2.0 * kPi * hz * i / kFps);
    }
    return 2.0 * std::hypot(s, c) / (end - begin);
}

KeySelection whole(const RigAnimation &animation)
{
    return {{0, {0, animation.frameCount() - 1}}};
}

} // namespace

class TestCurveFilters : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void butterworthRemoves12HzKeeps1Hz();
    void gaussianSmoothsStepSymmetrically();
    void oneEuroReducesJitter();
    void filterWritesDenseKeysOnlyInSpan();
    void reductionOnSine();
    void filterErrorsChangeNothing_data();
    void filterErrorsChangeNothing();
};

// |H|^2 of a 2nd-order Butterworth at 4 Hz (filtfilt): 1/(1 + (tan(pi f/fs)/tan(pi fc/fs))^4),
// 0.9969 at 1 Hz and 0.00044 at 12 Hz.
void TestCurveFilters::butterworthRemoves12HzKeeps1Hz()
{
    const RigAnimation animation = animationOf(600, [](int i) {
        return 0.5 + 0.2 * std::sin(2.0 * kPi * 1.0 * i / kFps) + 0.2 * std::sin(2.0 * kPi * 12.0 * i / kFps);
    });
    AnimateDocument document;
    document.resetAnimation(animation);
    CurveFilter filter;
    filter.kind = CurveFilter::Kind::Butterworth;
    filter.butterworthOrder = 2;
    filter.cutoffHz = 4.0;
    QString error;
    QVERIFY2(document.filterKeys(whole(animation), filter, &error), qPrintable(error));
    const std::vector<float> before = animation.curve(0).sample(600);
    const std::vector<float> after = document.animation().curve(0).sample(600);
    QVERIFY(std::abs(amplitude(before, 12.0, 60, 540) - 0.2) < 1e-3);
    const double low = amplitude(after, 1.0, 60, 540);
    const double high = amplitude(after, 12.0, 60, 540);
    QVERIFY2(std::abs(low - 0.2 * 0.9969) < 0.004, qPrintable(QString::number(low)));
    QVERIFY2(high < 0.2 * 0.01, qPrintable(QString::number(high)));
}

// A step 0 -> 1 between frames 99 and 100, far from the span's ends: the kernel is symmetric,
// so y[99 - k] + y[100 + k] = 1, and the result rises monotonically.
void TestCurveFilters::gaussianSmoothsStepSymmetrically()
{
    const RigAnimation animation = animationOf(200, [](int i) { return i < 100 ? 0.0 : 1.0; });
    AnimateDocument document;
    document.resetAnimation(animation);
    CurveFilter filter;
    filter.kind = CurveFilter::Kind::Gaussian;
    filter.gaussianSigmaFrames = 4.0;
    QString error;
    QVERIFY2(document.filterKeys(whole(animation), filter, &error), qPrintable(error));
    const std::vector<float> y = document.animation().curve(0).sample(200);
    for (int k = 0; k < 30; ++k)
        QVERIFY(std::abs(y[size_t(99 - k)] + y[size_t(100 + k)] - 1.0f) < 1e-5f);
    for (int i = 1; i < 200; ++i)
        QVERIFY(y[size_t(i)] >= y[size_t(i - 1)] - 1e-7f);
    QVERIFY(y[99] > 0.4f && y[99] < 0.5f);
    QCOMPARE(y[0], 0.0f);     // radius 16 frames: the start never sees the step
    QCOMPARE(y[199], 1.0f);
}

void TestCurveFilters::oneEuroReducesJitter()
{
    std::mt19937 random(11);
    std::uniform_real_distribution<double> noise(-0.05, 0.05);
    std::vector<double> raw(300);
    for (double &v : raw)
        v = 0.5 + noise(random);
    const RigAnimation animation = animationOf(300, [&](int i) { return raw[size_t(i)]; });
    AnimateDocument document;
    document.resetAnimation(animation);
    CurveFilter filter;
    filter.kind = CurveFilter::Kind::OneEuro;
    filter.oneEuro = {1.0, 0.0, 1.0};
    QString error;
    QVERIFY2(document.filterKeys(whole(animation), filter, &error), qPrintable(error));
    const auto variance = [](const std::vector<float> &v) {
        double mean = 0.0, sq = 0.0;
        for (size_t i = 30; i < v.size(); ++i)
            mean += v[i];
        mean /= double(v.size() - 30);
        for (size_t i = 30; i < v.size(); ++i)
            sq += (v[i] - mean) * (v[i] - mean);
        return sq / double(v.size() - 30);
    };
    const double before = variance(animation.curve(0).sample(300));
    const double after = variance(document.animation().curve(0).sample(300));
    // A first-order low-pass at 1 Hz on white noise at 30 fps keeps about
    // alpha / (2 - alpha) of the variance, alpha = 1 / (1 + 30 / (2 pi)) = 0.173: 0.095.
    QVERIFY2(after < 0.2 * before, qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));
}

void TestCurveFilters::filterWritesDenseKeysOnlyInSpan()
{
    // Sparse keys: every 5th frame of a zig-zag.
    RigAnimation animation = animationOf(100, [](int i) { return (i / 5) % 2 ? 1.0 : 0.0; });
    std::vector<fa::KeyframeCurve::Key> sparse;
    for (int f = 0; f < 100; f += 5)
        sparse.push_back({f, animation.curve(0).valueAt(f)});
    animation.setCurve(0, fa::KeyframeCurve::fromKeys(sparse));
    AnimateDocument document;
    document.resetAnimation(animation);
    CurveFilter filter;
    filter.kind = CurveFilter::Kind::Gaussian;
    QString error;
    QVERIFY2(document.filterKeys({{0, {20, 40}}}, filter, &error), qPrintable(error));
    const fa::KeyframeCurve &curve = document.animation().curve(0);
    for (int f = 0; f < 100; ++f) {
        const bool inSpan = f >= 20 && f <= 40;
        QCOMPARE(curve.hasKey(f), inSpan || f % 5 == 0);
        if (!inSpan && f % 5 == 0)
            QCOMPARE(curve.valueAt(f), animation.curve(0).valueAt(f));
    }
    QVERIFY(curve.valueAt(30) != animation.curve(0).valueAt(30));
}

void TestCurveFilters::reductionOnSine()
{
    const RigAnimation animation = animationOf(300, [](int i) { return 0.5 + 0.4 * std::sin(2.0 * kPi * i / 60.0); });
    AnimateDocument document;
    document.resetAnimation(animation);
    document.reduceKeys(whole(animation), 0.005);
    const fa::KeyframeCurve &curve = document.animation().curve(0);
    // The chord of L frames sags 0.4 (2 pi L / 60)^2 / 8 below the sine: L about 3 frames.
    QVERIFY2(curve.keyCount() < 150, qPrintable(QString::number(curve.keyCount())));
    const std::vector<float> before = animation.curve(0).sample(300);
    const std::vector<float> after = curve.sample(300);
    for (int f = 0; f < 300; ++f)
        QVERIFY(std::abs(after[size_t(f)] - before[size_t(f)]) <= 0.005f + 1e-6f);
    document.undoStack()->undo();
    FA_COMPARE_ANIMATION(document.animation(), animation, "after undo");
}

void TestCurveFilters::filterErrorsChangeNothing_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("order");
    QTest::addColumn<double>("cutoffHz");
    QTest::addColumn<int>("lastFrame");
    QTest::addColumn<QString>("errorPart");
    const int butterworth = int(CurveFilter::Kind::Butterworth);
    QTest::newRow("cutoff at Nyquist") << butterworth << 2 << 15.0 << 99 << "Nyquist";
    QTest::newRow("order 9") << butterworth << 9 << 4.0 << 99 << "order 9";
    QTest::newRow("span shorter than filtfilt's padding") << butterworth << 2 << 4.0 << 18 << "padding of 9 frames";
    QTest::newRow("order 4 padding") << butterworth << 4 << 4.0 << 24 << "padding of 15 frames";
    QTest::newRow("one-frame span") << int(CurveFilter::Kind::Gaussian) << 2 << 4.0 << 10 << "too short";
}

void TestCurveFilters::filterErrorsChangeNothing()
{
    QFETCH(int, kind);
    QFETCH(int, order);
    QFETCH(double, cutoffHz);
    QFETCH(int, lastFrame);
    QFETCH(QString, errorPart);
    const RigAnimation animation = animationOf(100, [](int i) { return 0.5 + 0.3 * std::sin(i * 0.7); });
    AnimateDocument document;
    document.resetAnimation(animation);
    CurveFilter filter;
    filter.kind = CurveFilter::Kind(kind);
    filter.butterworthOrder = order;
    filter.cutoffHz = cutoffHz;
    QString error;
    QVERIFY(!document.filterKeys({{0, {10, lastFrame}}}, filter, &error));
    QVERIFY2(error.startsWith(QStringLiteral("jawOpen: ")) && error.contains(errorPart), qPrintable(error));
    QCOMPARE(document.undoStack()->count(), 0);
    FA_COMPARE_ANIMATION(document.animation(), animation, "after a failed filter");
    // The span one frame longer than the padding works.
    if (errorPart.startsWith(QStringLiteral("padding"))) {
        QVERIFY2(document.filterKeys({{0, {10, lastFrame + 1}}}, filter, &error), qPrintable(error));
        QCOMPARE(document.undoStack()->count(), 1);
    }
}

QTEST_GUILESS_MAIN(TestCurveFilters)
#include "test_curve_filters.moc"
