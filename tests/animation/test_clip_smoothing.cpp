#include "animation/animation_clip.h"
#include "animation/clip_smoothing.h"

#include <QtTest>

#include <cmath>
#include <random>

using fa::AnimationClip;
using fa::SmoothingMethod;
using fa::SmoothingOptions;

Q_DECLARE_METATYPE(fa::SmoothingMethod)

namespace {

double cleanJaw(double t);

// jawOpen: a slow 1 Hz opening with jitter; headYaw: 20 degrees plus jitter (degrees, unclamped).
AnimationClip noisyClip(int frames, double fps)
{
    AnimationClip clip({QStringLiteral("jawOpen"), QStringLiteral("headYaw")}, fps);
    std::mt19937 rng(7);
    std::normal_distribution<double> jitter(0.0, 0.05);
    for (int f = 0; f < frames; ++f) {
        const double t = f / fps;
        const double jaw = cleanJaw(t) + jitter(rng);
        const double yaw = 20.0 + 40.0 * jitter(rng);
        clip.appendFrame(t, std::vector<float>{float(jaw), float(yaw)}, true);
    }
    return clip;
}

double cleanJaw(double t)
{
    return 0.5 + 0.3 * std::sin(2.0 * M_PI * 1.0 * t);
}

// Residual of a control against the noise-free curve (jawOpen: cleanJaw, headYaw: 20 degrees),
// away from the first and last half second. `jitter` is the RMS of the residual's frame-to-frame
// differences (what the eye sees as jitter; lag is slow and barely counts), `error` its RMS.
struct Residual
{
    double jitter = 0.0;
    double error = 0.0;
};

Residual residual(const AnimationClip &clip, int control)
{
    const int margin = int(clip.fps() / 2);
    std::vector<double> r;
    for (int f = margin; f < clip.frameCount() - margin; ++f) {
        const double clean = control == 0 ? cleanJaw(clip.frameTime(f)) : 20.0;
        r.push_back(clip.value(f, control) - clean);
    }
    Residual out;
    for (size_t i = 0; i < r.size(); ++i) {
        out.error += r[i] * r[i];
        if (i > 0)
            out.jitter += (r[i] - r[i - 1]) * (r[i] - r[i - 1]);
    }
    out.error = std::sqrt(out.error / double(r.size()));
    out.jitter = std::sqrt(out.jitter / double(r.size() - 1));
    return out;
}

SmoothingOptions options(SmoothingMethod method)
{
    SmoothingOptions o;
    o.method = method;
    return o;
}

} // namespace

class TestClipSmoothing : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void methodNames_data();
    void methodNames();
    void noneChangesNothing();
    void smoothingReducesJitter_data();
    void smoothingReducesJitter();
    void framesWithoutFaceDoNotDrag_data();
    void framesWithoutFaceDoNotDrag();
    void weightsAreClamped_data();
    void weightsAreClamped();
    void cutoffAboveNyquistFails();
};

void TestClipSmoothing::methodNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<SmoothingMethod>("method");
    QTest::newRow("one-euro") << QStringLiteral("one-euro") << true << SmoothingMethod::OneEuro;
    QTest::newRow("One-Euro") << QStringLiteral(" One-Euro ") << true << SmoothingMethod::OneEuro;
    QTest::newRow("butterworth") << QStringLiteral("butterworth") << true
                                 << SmoothingMethod::Butterworth;
    QTest::newRow("BUTTERWORTH") << QStringLiteral("BUTTERWORTH") << true
                                 << SmoothingMethod::Butterworth;
    QTest::newRow("none") << QStringLiteral("none") << true << SmoothingMethod::None;
    QTest::newRow("empty") << QString() << false << SmoothingMethod::None;
    QTest::newRow("gaussian") << QStringLiteral("gaussian") << false << SmoothingMethod::None;
}

void TestClipSmoothing::methodNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QFETCH(SmoothingMethod, method);
    const auto parsed = fa::smoothingMethodFromString(name);
    QCOMPARE(parsed.has_value(), valid);
    if (valid) {
        QCOMPARE(*parsed, method);
        QCOMPARE(fa::smoothingMethodFromString(fa::smoothingMethodName(method)), parsed);
    }
}

void TestClipSmoothing::noneChangesNothing()
{
    AnimationClip clip = noisyClip(60, 30.0);
    const std::vector<float> before = clip.values();
    QVERIFY(fa::smoothClip(clip, options(SmoothingMethod::None), nullptr));
    QCOMPARE(clip.values(), before);
}

void TestClipSmoothing::smoothingReducesJitter_data()
{
    QTest::addColumn<SmoothingMethod>("method");
    QTest::addColumn<double>("fps");
    QTest::newRow("butterworth 25 fps") << SmoothingMethod::Butterworth << 25.0;
    QTest::newRow("butterworth 60 fps") << SmoothingMethod::Butterworth << 60.0;
    QTest::newRow("one-euro 30 fps") << SmoothingMethod::OneEuro << 30.0;
}

void TestClipSmoothing::smoothingReducesJitter()
{
    QFETCH(SmoothingMethod, method);
    QFETCH(double, fps);
    AnimationClip clip = noisyClip(int(4 * fps), fps);
    const Residual jawBefore = residual(clip, 0);
    const Residual yawBefore = residual(clip, 1);
    QString error;
    QVERIFY2(fa::smoothClip(clip, options(method), &error), qPrintable(error));
    QCOMPARE(clip.frameCount(), int(4 * fps));
    const Residual jawAfter = residual(clip, 0);
    const Residual yawAfter = residual(clip, 1);
    qInfo("jitter: jawOpen %.4f -> %.4f, headYaw %.3f -> %.3f deg; RMS error: jawOpen %.4f -> "
          "%.4f, headYaw %.3f -> %.3f deg",
          jawBefore.jitter, jawAfter.jitter, yawBefore.jitter, yawAfter.jitter, jawBefore.error,
          jawAfter.error, yawBefore.error, yawAfter.error);
    QVERIFY(jawAfter.jitter < 0.5 * jawBefore.jitter);
    QVERIFY(yawAfter.jitter < 0.5 * yawBefore.jitter);
    // Lag (One-Euro) may cost some accuracy on the moving jaw, never much.
    QVERIFY(jawAfter.error < 1.1 * jawBefore.error);
    QVERIFY(yawAfter.error < 0.8 * yawBefore.error);
    // Head yaw is in degrees: still about 20, never clamped to [0,1].
    double mean = 0.0;
    for (int f = 0; f < clip.frameCount(); ++f)
        mean += clip.value(f, 1);
    mean /= clip.frameCount();
    QVERIFY2(std::abs(mean - 20.0) < 2.0, qPrintable(QString::number(mean)));
    // The slow jaw motion survives (peak-to-peak about 0.6).
    float lo = 1.0f, hi = 0.0f;
    for (int f = int(fps); f < clip.frameCount() - int(fps); ++f) {
        lo = std::min(lo, clip.value(f, 0));
        hi = std::max(hi, clip.value(f, 0));
    }
    QVERIFY2(hi - lo > 0.45, qPrintable(QString::number(hi - lo)));
}

void TestClipSmoothing::framesWithoutFaceDoNotDrag_data()
{
    QTest::addColumn<SmoothingMethod>("method");
    QTest::newRow("butterworth") << SmoothingMethod::Butterworth;
    QTest::newRow("one-euro") << SmoothingMethod::OneEuro;
}

// Two runs of a steady 0.2 around a gap of junk (1.0, 60 degrees) without a face: smoothing must
// keep the runs at 0.2 and leave the gap as it was.
void TestClipSmoothing::framesWithoutFaceDoNotDrag()
{
    QFETCH(SmoothingMethod, method);
    AnimationClip clip({QStringLiteral("mouthSmileLeft"), QStringLiteral("headPitch")}, 30.0);
    for (int f = 0; f < 70; ++f) {
        const bool found = f < 30 || f >= 40;
        const std::vector<float> v = found ? std::vector<float>{0.2f, -5.0f}
                                           : std::vector<float>{1.0f, 60.0f};
        clip.appendFrame(f / 30.0, v, found);
    }
    clip.setFaceFound(55, false); // a one-frame gap as well
    clip.setValue(55, 0, 0.9f);
    QString error;
    QVERIFY2(fa::smoothClip(clip, options(method), &error), qPrintable(error));
    for (int f = 0; f < 70; ++f) {
        if (clip.faceFound(f)) {
            QVERIFY2(std::abs(clip.value(f, 0) - 0.2f) < 1e-5,
                     qPrintable(QStringLiteral("frame %1: %2").arg(f).arg(clip.value(f, 0))));
            QVERIFY2(std::abs(clip.value(f, 1) + 5.0f) < 1e-4,
                     qPrintable(QStringLiteral("frame %1: %2").arg(f).arg(clip.value(f, 1))));
        }
    }
    QCOMPARE(clip.value(35, 0), 1.0f);
    QCOMPARE(clip.value(35, 1), 60.0f);
    QCOMPARE(clip.value(55, 0), 0.9f);
}

void TestClipSmoothing::weightsAreClamped_data()
{
    QTest::addColumn<SmoothingMethod>("method");
    QTest::newRow("butterworth") << SmoothingMethod::Butterworth;
    QTest::newRow("one-euro") << SmoothingMethod::OneEuro;
}

// Blinks as square pulses 0 <-> 1: an order-4 Butterworth overshoots (Gibbs), which must be
// clamped; the One-Euro filter must stay in range too. Out-of-range input is clamped as well.
void TestClipSmoothing::weightsAreClamped()
{
    QFETCH(SmoothingMethod, method);
    AnimationClip clip({QStringLiteral("eyeBlinkLeft"), QStringLiteral("headRoll")}, 30.0);
    for (int f = 0; f < 90; ++f) {
        const float blink = (f / 10) % 2 ? 1.0f : 0.0f;
        clip.appendFrame(f / 30.0, std::vector<float>{blink, blink * -30.0f}, true);
    }
    clip.setValue(3, 0, 1.7f);
    SmoothingOptions o = options(method);
    o.butterworthOrder = 4;
    QVERIFY(fa::smoothClip(clip, o, nullptr));
    float rollMin = 0.0f;
    for (int f = 0; f < clip.frameCount(); ++f) {
        QVERIFY2(clip.value(f, 0) >= 0.0f && clip.value(f, 0) <= 1.0f,
                 qPrintable(QStringLiteral("frame %1: %2").arg(f).arg(clip.value(f, 0))));
        rollMin = std::min(rollMin, clip.value(f, 1));
    }
    QVERIFY(rollMin < -20.0f); // degrees stay degrees
}

void TestClipSmoothing::cutoffAboveNyquistFails()
{
    AnimationClip clip = noisyClip(30, 25.0);
    const std::vector<float> before = clip.values();
    SmoothingOptions o = options(SmoothingMethod::Butterworth);
    o.butterworthCutoffHz = 15.0; // Nyquist of 25 fps is 12.5 Hz
    QString error;
    QVERIFY(!fa::smoothClip(clip, o, &error));
    QVERIFY2(error.contains(QStringLiteral("cutoff 15 Hz"))
                     && error.contains(QStringLiteral("25 fps")),
             qPrintable(error));
    QCOMPARE(clip.values(), before);
}

QTEST_GUILESS_MAIN(TestClipSmoothing)
#include "test_clip_smoothing.moc"
