// The curve view's pixel writer: fills, blended grid lines and aliased 1-pixel curves drawn as
// vertical spans per column (gap-free, clipped).
#include "timeline/curve_raster.h"

#include <QtTest>

using fa::ui::CurveRaster;

namespace {

const QRgb kBack = qRgb(10, 20, 30);
const QRgb kInk = qRgb(250, 0, 250);

QImage blank(int w, int h)
{
    QImage image(w, h, QImage::Format_RGB32);
    image.fill(kBack);
    return image;
}

bool inked(const QImage &image, int x, int y)
{
    return (image.pixel(x, y) & 0xffffff) == (kInk & 0xffffff);
}

} // namespace

class TestCurveRaster : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fillIsClipped();
    void blendsLines();
    void horizontalSegment();
    void polylineHasNoGaps_data();
    void polylineHasNoGaps();
    void clipsOutsideSegments();
};

void TestCurveRaster::fillIsClipped()
{
    QImage image = blank(20, 10);
    CurveRaster raster(&image);
    raster.fill(QRect(-5, 8, 10, 10), kInk);
    int count = 0;
    for (int y = 0; y < 10; ++y)
        for (int x = 0; x < 20; ++x)
            count += inked(image, x, y) ? 1 : 0;
    QCOMPARE(count, 5 * 2);
    QVERIFY(inked(image, 0, 9) && inked(image, 4, 8) && !inked(image, 5, 8));
}

void TestCurveRaster::blendsLines()
{
    QImage image = blank(10, 10);
    CurveRaster raster(&image);
    raster.blendHorizontalLine(3, -4, 100, qRgb(255, 255, 255), 51);  // 20 %
    const QRgb p = image.pixel(5, 3);
    QCOMPARE(qRed(p), (255 * 51 + 10 * 204 + 127) / 255);
    QCOMPARE(qBlue(p), (255 * 51 + 30 * 204 + 127) / 255);
    QCOMPARE(image.pixel(5, 4), kBack | 0xff000000u);
    raster.blendVerticalLine(2, 0, 9, qRgb(0, 0, 0), 255);
    QCOMPARE(image.pixel(2, 7) & 0xffffff, 0u);
}

void TestCurveRaster::horizontalSegment()
{
    QImage image = blank(100, 20);
    CurveRaster raster(&image);
    const QPointF line[] = {QPointF(0.5, 10.5), QPointF(99.5, 10.5)};
    raster.polyline(line, 2, kInk);
    for (int x = 0; x < 100; ++x) {
        QVERIFY(inked(image, x, 10));
        QVERIFY(!inked(image, x, 9) && !inked(image, x, 11));
    }
}

void TestCurveRaster::polylineHasNoGaps_data()
{
    QTest::addColumn<QPolygonF>("points");
    QTest::newRow("steep") << QPolygonF({QPointF(10.2, 2.0), QPointF(11.7, 95.0)});
    QTest::newRow("shallow") << QPolygonF({QPointF(1.0, 10.0), QPointF(90.0, 30.0)});
    QTest::newRow("zigzag") << QPolygonF({QPointF(5, 5), QPointF(6, 90), QPointF(7, 10), QPointF(40, 60), QPointF(41, 59)});
    QTest::newRow("backwards") << QPolygonF({QPointF(80, 80), QPointF(20, 15)});
}

void TestCurveRaster::polylineHasNoGaps()
{
    QFETCH(QPolygonF, points);
    QImage image = blank(100, 100);
    CurveRaster raster(&image);
    raster.polyline(points.constData(), int(points.size()), kInk);
    // Every vertex's pixel is inked, and inked pixels form one 8-connected path.
    for (const QPointF &p : points)
        QVERIFY(inked(image, int(std::floor(p.x())), int(std::floor(p.y()))));
    QImage seen = blank(100, 100);
    std::vector<QPoint> stack{QPoint(int(std::floor(points[0].x())), int(std::floor(points[0].y())))};
    int reached = 0;
    while (!stack.empty()) {
        const QPoint p = stack.back();
        stack.pop_back();
        if (p.x() < 0 || p.y() < 0 || p.x() >= 100 || p.y() >= 100 || !inked(image, p.x(), p.y())
            || inked(seen, p.x(), p.y()))
            continue;
        seen.setPixel(p, kInk);
        ++reached;
        for (int dy = -1; dy <= 1; ++dy)
            for (int dx = -1; dx <= 1; ++dx)
                stack.push_back(p + QPoint(dx, dy));
    }
    int total = 0;
    for (int y = 0; y < 100; ++y)
        for (int x = 0; x < 100; ++x)
            total += inked(image, x, y) ? 1 : 0;
    QCOMPARE(reached, total);
    // A 1-pixel line: each segment inks at most the columns plus the rows it spans (+2).
    double bound = 0;
    for (qsizetype i = 1; i < points.size(); ++i)
        bound += std::abs(points[i].x() - points[i - 1].x()) + std::abs(points[i].y() - points[i - 1].y()) + 2;
    QVERIFY2(total <= bound, qPrintable(QStringLiteral("%1 > %2").arg(total).arg(bound)));
}

void TestCurveRaster::clipsOutsideSegments()
{
    QImage image = blank(50, 50);
    CurveRaster raster(&image);
    const QPointF line[] = {QPointF(-1e9, -1e9), QPointF(-10, 25), QPointF(60, 25), QPointF(1e9, 1e12)};
    raster.polyline(line, 4, kInk);
    for (int x = 0; x < 50; ++x)
        QVERIFY(inked(image, x, 25));
    raster.verticalSpan(-1, 0, 49, kInk);
    raster.verticalSpan(50, 0, 49, kInk);
    raster.square(QPointF(-100, -100), 5, kInk);
    QVERIFY(!inked(image, 0, 0));
}

QTEST_GUILESS_MAIN(TestCurveRaster)
#include "test_curve_raster.moc"
