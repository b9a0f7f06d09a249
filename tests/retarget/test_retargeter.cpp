// The video -> ARKit curves pipeline on real videos: ranges, neutral frame, cancel, tracking.
#include "common/arkit.h"
#include "retarget/retargeter.h"

#include <QtTest>

#include <cmath>

namespace {

const QString kD0 = QStringLiteral(FA_TEST_DATA_DIR "/videos/liveportrait_d0.mp4");   // 25 fps, 78 frames
const QString kD18 = QStringLiteral(FA_TEST_DATA_DIR "/videos/liveportrait_d18.mp4"); // 30 fps, 216 frames

fa::RetargetOptions optionsFor(const QString &video)
{
    fa::RetargetOptions options;
    options.videoPath = video;
    return options;
}

} // namespace

class TestRetargeter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void wholeVideo();
    void timeRange_data();
    void timeRange();
    void neutralFrame();
    void badNeutralFrame();
    void cancel();
    void trackingMatchesDetection();
};

void TestRetargeter::wholeVideo()
{
    fa::Retargeter retargeter;
    int calls = 0;
    QVERIFY2(retargeter.run(optionsFor(kD0), [&](const fa::RetargetProgress &) { ++calls; return true; }),
             qPrintable(retargeter.errorString()));
    const fa::AnimationClip &clip = retargeter.clip();
    QCOMPARE(clip.frameCount(), 78);
    QCOMPARE(calls, 78);
    QCOMPARE(clip.fps(), 25.0);
    QCOMPARE(clip.controlCount(), fa::arkit::kShapeCount + fa::arkit::kRotationChannelCount);
    QCOMPARE(clip.faceFoundCount(), 78);
    for (int f = 0; f < clip.frameCount(); ++f)
        for (int c = 0; c < fa::arkit::kShapeCount; ++c) {
            const float v = clip.value(f, c);
            QVERIFY(std::isfinite(v) && v >= 0.0f && v <= 1.0f);
        }
    // A frontal actor: head angles stay moderate.
    for (int f = 0; f < clip.frameCount(); ++f)
        QVERIFY(std::abs(clip.value(f, fa::arkit::kShapeCount)) < 45.0f);
}

void TestRetargeter::timeRange_data()
{
    QTest::addColumn<double>("start");
    QTest::addColumn<double>("end");
    QTest::addColumn<int>("frames");
    QTest::newRow("first second") << 0.0 << 1.0 << 30;
    QTest::newRow("middle") << 2.0 << 4.0 << 60;
    QTest::newRow("to the end") << 6.0 << -1.0 << 216 - 180;
}

void TestRetargeter::timeRange()
{
    QFETCH(double, start);
    QFETCH(double, end);
    QFETCH(int, frames);
    fa::RetargetOptions options = optionsFor(kD18);
    options.startSeconds = start;
    options.endSeconds = end;
    fa::Retargeter retargeter;
    QVERIFY2(retargeter.run(options), qPrintable(retargeter.errorString()));
    QVERIFY2(std::abs(retargeter.clip().frameCount() - frames) <= 1,
             qPrintable(QString::number(retargeter.clip().frameCount())));
    QVERIFY(retargeter.clip().frameTime(0) >= start - 1e-6);
    QVERIFY(retargeter.clip().frameTime(0) < start + 0.05);
}

void TestRetargeter::neutralFrame()
{
    // With frame 0 as neutral (the actor starts neutral), frame 0's expression weights are ~0;
    // the gaze (eyeLook*) is not measured from the neutral but from the head, so it is left out.
    fa::RetargetOptions options = optionsFor(kD0);
    options.neutralFrame = 0;
    options.smoothing.method = fa::SmoothingMethod::None;
    fa::Retargeter retargeter;
    QVERIFY2(retargeter.run(options), qPrintable(retargeter.errorString()));
    float sum = 0.0f;
    for (int c = 0; c < fa::arkit::kShapeCount; ++c)
        if (!fa::arkit::canonicalName(c).startsWith(QLatin1String("eyeLook")))
            sum += retargeter.clip().value(0, c);
    QVERIFY2(sum < 0.05f, qPrintable(QString::number(sum)));
}

void TestRetargeter::badNeutralFrame()
{
    fa::RetargetOptions options = optionsFor(kD0);
    options.neutralFrame = 500;
    fa::Retargeter retargeter;
    QVERIFY(!retargeter.run(options));
    QVERIFY(retargeter.errorString().contains(kD0));
    QVERIFY(retargeter.errorString().contains(QStringLiteral("neutral frame 500")));
}

void TestRetargeter::cancel()
{
    fa::Retargeter retargeter;
    QVERIFY(!retargeter.run(optionsFor(kD18), [](const fa::RetargetProgress &p) { return p.framesDone < 10; }));
    QVERIFY(retargeter.wasCanceled());
}

// Tracking between detections gives nearly the same curves as detecting on every frame.
void TestRetargeter::trackingMatchesDetection()
{
    fa::RetargetOptions every = optionsFor(kD0);
    every.detectionInterval = 1;
    every.smoothing.method = fa::SmoothingMethod::None;
    fa::RetargetOptions tracked = every;
    tracked.detectionInterval = 5;
    fa::Retargeter a, b;
    QVERIFY(a.run(every));
    QVERIFY(b.run(tracked));
    double sum = 0;
    int n = 0;
    for (int f = 0; f < a.clip().frameCount(); ++f)
        for (int c = 0; c < fa::arkit::kShapeCount; ++c, ++n)
            sum += std::abs(a.clip().value(f, c) - b.clip().value(f, c));
    const double meanDifference = sum / n;
    qInfo("mean |weight difference| tracked vs detected every frame: %.4f", meanDifference);
    QVERIFY2(meanDifference < 0.03, qPrintable(QString::number(meanDifference)));
}

QTEST_GUILESS_MAIN(TestRetargeter)
#include "test_retargeter.moc"
