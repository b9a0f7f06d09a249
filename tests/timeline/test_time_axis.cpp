// The shared time axis: timecode, frame <-> x mapping, zoom about an anchor, limits.
#include "timeline/time_axis.h"

#include <QSignalSpy>
#include <QtTest>

using fa::ui::TimeAxis;

class TestTimeAxis : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void timecode_data();
    void timecode();
    void mapsFramesToPixels();
    void zoomKeepsAnchor_data();
    void zoomKeepsAnchor();
    void limitsZoomAndPan();
    void currentFrameIsClamped();
    void showAllFollowsLength();
};

void TestTimeAxis::timecode_data()
{
    QTest::addColumn<double>("fps");
    QTest::addColumn<int>("frame");
    QTest::addColumn<QString>("expected");
    const double rates[] = {30.0, 25.0, 29.97};
    // 29.97 counts frames at its nominal rate 30 (non-drop-frame), so it reads like 30.
    const char *at30[] = {"00:00:00:00", "00:00:00:29", "00:00:01:00", "00:00:59:29", "01:00:00:00"};
    const char *at25[] = {"00:00:00:00", "00:00:01:04", "00:00:01:05", "00:01:11:24", "01:12:00:00"};
    const int frames[] = {0, 29, 30, 1799, 108000};
    for (double fps : rates) {
        for (int i = 0; i < 5; ++i) {
            const char *expected = fps == 25.0 ? at25[i] : at30[i];
            QTest::addRow("%g fps, frame %d", fps, frames[i]) << fps << frames[i] << QString::fromLatin1(expected);
        }
    }
    QTest::newRow("24 fps, 100 h") << 24.0 << 24 * 3600 * 100 << QStringLiteral("100:00:00:00");
    QTest::newRow("negative") << 30.0 << -31 << QStringLiteral("-00:00:01:01");
}

void TestTimeAxis::timecode()
{
    QFETCH(double, fps);
    QFETCH(int, frame);
    QFETCH(QString, expected);
    QCOMPARE(TimeAxis::timecode(frame, fps), expected);
    TimeAxis axis;
    axis.setFps(fps);
    QCOMPARE(axis.timecode(frame), expected);
}

void TestTimeAxis::mapsFramesToPixels()
{
    TimeAxis axis;
    axis.setFrameCount(1000);
    axis.setVisibleRange(100, 300);
    QCOMPARE(axis.frameToX(100, 800), 0.0);
    QCOMPARE(axis.frameToX(300, 800), 800.0);
    QCOMPARE(axis.frameToX(150, 800), 200.0);
    QCOMPARE(axis.xToFrame(200, 800), 150.0);
    QCOMPARE(axis.pixelsPerFrame(800), 4.0);
    for (double f : {-3.5, 100.0, 123.25, 299.0})
        QVERIFY(std::abs(axis.xToFrame(axis.frameToX(f, 640), 640) - f) < 1e-9);
}

void TestTimeAxis::zoomKeepsAnchor_data()
{
    QTest::addColumn<double>("factor");
    QTest::addColumn<double>("anchor");
    QTest::newRow("in at 150") << 2.0 << 150.0;
    QTest::newRow("out at 120") << 0.5 << 120.0;
    QTest::newRow("in at the left edge") << 1.25 << 100.0;
}

void TestTimeAxis::zoomKeepsAnchor()
{
    QFETCH(double, factor);
    QFETCH(double, anchor);
    TimeAxis axis;
    axis.setFrameCount(1000);
    axis.setVisibleRange(100, 300);
    const double x = axis.frameToX(anchor, 1000);
    QSignalSpy changed(&axis, &TimeAxis::visibleRangeChanged);
    axis.zoomBy(factor, anchor);
    QCOMPARE(changed.count(), 1);
    QVERIFY(std::abs(axis.visibleFrameSpan() - 200.0 / factor) < 1e-9);
    QVERIFY(std::abs(axis.frameToX(anchor, 1000) - x) < 1e-9);
}

void TestTimeAxis::limitsZoomAndPan()
{
    TimeAxis axis;
    axis.setFrameCount(1000);
    axis.setVisibleRange(500, 500.5);
    QCOMPARE(axis.visibleFrameSpan(), TimeAxis::kMinVisibleSpan);
    for (int i = 0; i < 100; ++i)
        axis.zoomBy(2.0, 500);
    QVERIFY(std::abs(axis.visibleFrameSpan() - TimeAxis::kMinVisibleSpan) < 1e-9);
    for (int i = 0; i < 100; ++i)
        axis.zoomBy(0.5, 500);
    QVERIFY(std::abs(axis.visibleFrameSpan() - 4000.0) < 1e-9);  // 4 x the clip
    axis.setVisibleRange(0, 100);
    axis.panBy(1e6);
    QCOMPARE(axis.lastVisibleFrame(), 999.0 + 50.0);
    axis.panBy(-1e7);
    QCOMPARE(axis.firstVisibleFrame(), -50.0);
}

void TestTimeAxis::currentFrameIsClamped()
{
    TimeAxis axis;
    QSignalSpy changed(&axis, &TimeAxis::currentFrameChanged);
    axis.setFrameCount(335);
    axis.setCurrentFrame(500);
    QCOMPARE(axis.currentFrame(), 334);
    axis.setCurrentFrame(-5);
    QCOMPARE(axis.currentFrame(), 0);
    QCOMPARE(changed.count(), 2);
    axis.setCurrentFrame(200);
    axis.setFrameCount(100);
    QCOMPARE(axis.currentFrame(), 99);
}

void TestTimeAxis::showAllFollowsLength()
{
    TimeAxis axis;
    axis.setFrameCount(100);
    axis.showAll();
    QVERIFY(axis.firstVisibleFrame() < 0 && axis.lastVisibleFrame() > 99);
    // A view of the whole clip keeps showing the whole clip as frames arrive (streaming solve)...
    axis.setFrameCount(1000);
    QVERIFY(axis.firstVisibleFrame() < 0 && axis.lastVisibleFrame() > 999);
    // ...a zoomed view stays where it is.
    axis.setVisibleRange(200, 300);
    axis.setFrameCount(2000);
    QCOMPARE(axis.firstVisibleFrame(), 200.0);
    QCOMPARE(axis.lastVisibleFrame(), 300.0);
}

QTEST_GUILESS_MAIN(TestTimeAxis)
#include "test_time_axis.moc"
