#include "curve_painter.h"

#include "curve_raster.h"
#include "curve_view_transform.h"
#include "key_hit_tester.h"
#include "time_ruler.h"

#include "animate/rig_animation.h"
#include "animation/keyframe_curve.h"

#include <QFontMetrics>
#include <QPainter>
#include <QPalette>

#include <algorithm>
#include <climits>
#include <cmath>

namespace fa::ui {

namespace {

constexpr double kMinValueGridPixels = 30.0;
constexpr double kMinFrameGridPixels = 80.0;
constexpr int kKeySize = 5;          // logical pixels, square
constexpr int kSelectedKeySize = 7;
constexpr int kMinorGridAlpha = 28;
constexpr int kStrongGridAlpha = 70;

int decimalsFor(double step)
{
    return std::max(0, int(std::ceil(-std::log10(step) - 1e-9)));
}

int pixel(double v)
{
    return CurveRaster::pixelOf(v);
}

} // namespace

double CurvePainter::valueGridStep(const CurveViewTransform &logical)
{
    return CurveViewTransform::niceStep(kMinValueGridPixels / logical.pixelsPerValue());
}

double CurvePainter::frameGridStep(const CurveViewTransform &logical)
{
    return std::max(1.0, CurveViewTransform::niceStep(kMinFrameGridPixels / logical.pixelsPerFrame()));
}

void CurvePainter::paintBackground(CurveRaster &raster, const CurveViewTransform &device, double dpr,
                                   int frameCount, const QPalette &palette)
{
    const QColor base = palette.color(QPalette::Base);
    const bool dark = base.lightness() < 128;
    raster.fill(QRect(0, 0, raster.width(), raster.height()), (dark ? base.lighter(130) : base.darker(115)).rgb());
    if (frameCount > 0) {
        const int x0 = std::max(0, pixel(device.frameToX(-0.5)));
        const int x1 = std::min(raster.width(), pixel(device.frameToX(frameCount - 0.5)));
        if (x1 > x0)
            raster.fill(QRect(x0, 0, x1 - x0, raster.height()), base.rgb());
    }

    // Steps as a logical-pixel view would choose them.
    const double ppf = device.pixelsPerFrame() / dpr;
    const double ppv = device.pixelsPerValue() / dpr;
    const double frameStep = std::max(1.0, CurveViewTransform::niceStep(kMinFrameGridPixels / ppf));
    const double valueStep = CurveViewTransform::niceStep(kMinValueGridPixels / ppv);
    const QRgb text = palette.color(QPalette::Text).rgb();
    for (double f = std::ceil(device.firstFrame() / frameStep) * frameStep; f <= device.lastFrame(); f += frameStep)
        raster.blendVerticalLine(pixel(device.frameToX(f)), 0, raster.height() - 1, text, kMinorGridAlpha);
    for (double v = std::ceil(device.valueMin() / valueStep) * valueStep; v <= device.valueMax(); v += valueStep) {
        const bool strong = std::abs(v) < valueStep * 1e-6 || std::abs(v - 1.0) < valueStep * 1e-6;
        raster.blendHorizontalLine(pixel(device.valueToY(v)), 0, raster.width() - 1, text,
                                   strong ? kStrongGridAlpha : kMinorGridAlpha);
    }
}

void CurvePainter::paintValueLabels(QPainter &painter, const CurveViewTransform &logical, const QPalette &palette)
{
    const double step = valueGridStep(logical);
    const int decimals = decimalsFor(step);
    const QFontMetrics metrics = painter.fontMetrics();
    QColor background = palette.color(QPalette::Base);
    background.setAlpha(190);
    painter.setPen(palette.color(QPalette::Text));
    for (double v = std::ceil(logical.valueMin() / step) * step; v <= logical.valueMax(); v += step) {
        const double y = std::floor(logical.valueToY(v)) + 0.5;
        const QString text = QString::number(std::abs(v) < step * 1e-6 ? 0.0 : v, 'f', decimals);
        const QRectF box(2, y - metrics.height() / 2.0, metrics.horizontalAdvance(text) + 6, metrics.height());
        if (box.top() < 0 || box.bottom() > logical.height())
            continue;
        painter.fillRect(box, background);
        painter.drawText(box, Qt::AlignCenter, text);
    }
}

void CurvePainter::paintCurve(CurveRaster &raster, const CurveViewTransform &device,
                              const CurveSampleCache::Samples &samples, const QColor &colour)
{
    if (samples.isEmpty())
        return;
    const QRgb rgb = colour.rgb();
    if (!samples.perFrame) {
        // One span per column: the column's min..max, which includes the join to the previous one.
        for (size_t i = 0; i < samples.low.size(); ++i) {
            raster.verticalSpan(samples.firstColumn + int(i), pixel(device.valueToY(samples.high[i])),
                                pixel(device.valueToY(samples.low[i])), rgb);
        }
        return;
    }
    m_points.resize(qsizetype(samples.values.size()));
    for (size_t i = 0; i < samples.values.size(); ++i)
        m_points[qsizetype(i)] = device.map(samples.firstFrame + int(i), samples.values[i]);
    raster.polyline(m_points.constData(), int(m_points.size()), rgb);
}

void CurvePainter::paintKeys(CurveRaster &raster, const CurveViewTransform &logical, double dpr,
                             const RigAnimation &animation, int channel, const QColor &colour,
                             const std::vector<int> *selectedFrames)
{
    const KeyframeCurve &curve = animation.curve(channel);
    const bool hasSelection = selectedFrames && !selectedFrames->empty();
    const QRgb fill = colour.rgb();
    const QRgb outline = colour.darker(250).rgb();
    const QRgb white = qRgb(255, 255, 255);
    const int keySize = int(std::lround(kKeySize * dpr));
    const int selectedSize = int(std::lround(kSelectedKeySize * dpr));
    const int border = std::max(1, int(std::lround(dpr)));
    if (KeyHitTester::keysDrawn(curve, logical)) {
        int begin = 0, end = 0;
        KeyHitTester::keyRange(curve, logical.firstFrame() - 1, logical.lastFrame() + 1, &begin, &end);
        auto selected = hasSelection ? selectedFrames->begin() : std::vector<int>::const_iterator();
        for (int i = begin; i < end; ++i) {
            const KeyframeCurve::Key &key = curve.keys()[size_t(i)];
            const QPointF p = logical.map(key.frame, KeyHitTester::finalValue(animation, channel, key.value)) * dpr;
            bool isSelected = false;
            if (hasSelection) {
                while (selected != selectedFrames->end() && *selected < key.frame)
                    ++selected;
                isSelected = selected != selectedFrames->end() && *selected == key.frame;
            }
            const int size = isSelected ? selectedSize : keySize;
            raster.square(p, size + 2 * border, outline);
            raster.square(p, size, isSelected ? white : fill);
        }
        return;
    }
    if (!hasSelection)
        return;
    // Dense keys are not drawn; mark the selected ones, one mark per pixel column.
    int lastColumn = INT_MIN;
    for (int frame : *selectedFrames) {
        if (frame < logical.firstFrame() - 1 || frame > logical.lastFrame() + 1)
            continue;
        const int index = curve.keyIndex(frame);
        if (index < 0)
            continue;
        const QPointF p
            = logical.map(frame, KeyHitTester::finalValue(animation, channel, curve.keys()[size_t(index)].value)) * dpr;
        const int column = pixel(p.x());
        if (column == lastColumn)
            continue;
        lastColumn = column;
        raster.square(p, 3 * border, white);
    }
}

void CurvePainter::paintPlayhead(QPainter &painter, const CurveViewTransform &logical, int frame)
{
    const double x = std::round(logical.frameToX(frame)) + 0.5;
    if (x < -1 || x > logical.width() + 1)
        return;
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setPen(QPen(TimeRuler::playheadColour(), 0));
    painter.drawLine(QPointF(x, 0), QPointF(x, logical.height()));
}

} // namespace fa::ui
