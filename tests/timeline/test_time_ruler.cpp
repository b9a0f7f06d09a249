// The time ruler under xvfb-run: scrubbing by click and drag, wheel zoom about the cursor,
// frame and timecode labels, and the band marking frames without a face.
#include "timeline/time_axis.h"
#include "timeline/time_ruler.h"

#include <QSignalSpy>
#include <QWheelEvent>
#include <QtTest>

using fa::ui::TimeAxis;
using fa::ui::TimeRuler;

namespace {

int countColour(const QImage &image, int x, QRgb colour)
{
    int count = 0;
    for (int y = 0; y < image.height(); ++y)
        count += (image.pixel(x, y) & 0xffffff) == (colour & 0xffffff) ? 1 : 0;
    return count;
}

} // namespace

class TestTimeRuler : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void clickAndDragScrub();
    void wheelZoomsAboutCursor();
    void labels();
    void marksFramesWithoutFace();
};

void TestTimeRuler::clickAndDragScrub()
{
    TimeAxis axis;
    axis.setFrameCount(335);
    axis.showAll();
    TimeRuler ruler(&axis);
    ruler.resize(1000, ruler.sizeHint().height());
    ruler.show();
    QVERIFY(QTest::qWaitForWindowExposed(&ruler));
    QSignalSpy changed(&axis, &TimeAxis::currentFrameChanged);
    const auto xOf = [&](int frame) { return int(std::lround(axis.frameToX(frame, ruler.width()))); };
    QTest::mouseClick(&ruler, Qt::LeftButton, {}, QPoint(xOf(100), 10));
    QCOMPARE(axis.currentFrame(), 100);
    QTest::mousePress(&ruler, Qt::LeftButton, {}, QPoint(xOf(10), 10));
    QCOMPARE(axis.currentFrame(), 10);
    QTest::mouseMove(&ruler, QPoint(xOf(60), 10));
    QCOMPARE(axis.currentFrame(), 60);
    QTest::mouseMove(&ruler, QPoint(xOf(250), 10));
    QTest::mouseRelease(&ruler, Qt::LeftButton, {}, QPoint(xOf(250), 10));
    QCOMPARE(axis.currentFrame(), 250);
    QCOMPARE(changed.count(), 4);
    // Beyond the clip's end the playhead stops at the last frame.
    QTest::mouseClick(&ruler, Qt::LeftButton, {}, QPoint(ruler.width() - 1, 10));
    QCOMPARE(axis.currentFrame(), 334);
}

void TestTimeRuler::wheelZoomsAboutCursor()
{
    TimeAxis axis;
    axis.setFrameCount(1000);
    axis.setVisibleRange(0, 500);
    TimeRuler ruler(&axis);
    ruler.resize(1000, 30);
    const QPointF cursor(300, 10);
    const double frame = axis.xToFrame(cursor.x(), ruler.width());
    QWheelEvent in(cursor, ruler.mapToGlobal(cursor), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                   Qt::NoScrollPhase, false);
    QApplication::sendEvent(&ruler, &in);
    QVERIFY(std::abs(axis.visibleFrameSpan() - 500 / 1.25) < 1e-9);
    QVERIFY(std::abs(axis.xToFrame(cursor.x(), ruler.width()) - frame) < 1e-9);
    QWheelEvent out(cursor, ruler.mapToGlobal(cursor), QPoint(), QPoint(0, -240), Qt::NoButton, Qt::NoModifier,
                    Qt::NoScrollPhase, false);
    QApplication::sendEvent(&ruler, &out);
    QVERIFY(std::abs(axis.visibleFrameSpan() - 500 * 1.25) < 1e-9);
    QVERIFY(std::abs(axis.xToFrame(cursor.x(), ruler.width()) - frame) < 1e-9);
}

void TestTimeRuler::labels()
{
    TimeAxis axis;
    axis.setFps(25);
    axis.setFrameCount(10000);
    axis.showAll();
    TimeRuler ruler(&axis);
    ruler.resize(1200, 30);
    QSignalSpy changed(&ruler, &TimeRuler::timeDisplayChanged);
    QCOMPARE(ruler.label(1799), QStringLiteral("1799"));
    const int frameStep = ruler.majorTickStep();
    ruler.setTimeDisplay(TimeRuler::TimeDisplay::Timecode);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(ruler.label(1799), QStringLiteral("00:01:11:24"));
    // Timecode ticks fall on whole seconds when zoomed out, and are wider apart than frame ones.
    const int timecodeStep = ruler.majorTickStep();
    QCOMPARE(timecodeStep % 25, 0);
    QVERIFY(timecodeStep >= frameStep);
    // Labels never overlap: the step grows as the view zooms out.
    axis.setVisibleRange(0, 50);
    const int zoomedIn = ruler.majorTickStep();
    QVERIFY(zoomedIn < timecodeStep);
    QVERIFY(zoomedIn * axis.pixelsPerFrame(ruler.width()) >= ruler.fontMetrics().horizontalAdvance(QStringLiteral("00:00:00:00")));
}

void TestTimeRuler::marksFramesWithoutFace()
{
    TimeAxis axis;
    axis.setFrameCount(300);
    axis.setVisibleRange(0, 299);
    TimeRuler ruler(&axis);
    ruler.resize(900, 30);
    axis.setCurrentFrame(250);
    std::vector<unsigned char> mask(300, 1);
    for (int f = 100; f < 120; ++f)
        mask[size_t(f)] = 0;
    mask[200] = 0;  // a single frame is marked too
    ruler.setFaceMask(mask);
    const QImage image = ruler.grab().toImage();
    const QRgb red = TimeRuler::noFaceColour().rgb();
    const auto xOf = [&](int frame) { return int(axis.frameToX(frame, ruler.width())); };
    QVERIFY(countColour(image, xOf(110), red) > 0);
    QVERIFY(countColour(image, xOf(200), red) > 0);
    QCOMPARE(countColour(image, xOf(50), red), 0);
    QCOMPARE(countColour(image, xOf(150), red), 0);
    QVERIFY(countColour(image, int(std::round(axis.frameToX(250, ruler.width()))), TimeRuler::playheadColour().rgb()) > 10);
}

QTEST_MAIN(TestTimeRuler)
#include "test_time_ruler.moc"
