#pragma once

#include <QPointF>
#include <QSizeF>

namespace fa::ui {

/// The mapping of a curve view between (frame, value) and widget pixels: frames run left to
/// right over the whole width exactly as TimeAxis::frameToX maps them (so a TimeRuler of the
/// same width lines up), values bottom (valueMin) to top (valueMax) over the whole height.
/// A value type; the curve editor builds one per paint from its TimeAxis and value range.
class CurveViewTransform
{
public:
    CurveViewTransform() = default;
    /// lastFrame > firstFrame and valueMax > valueMin are required (else the identity-ish range
    /// [0,1] is used for the offending axis); size in logical pixels.
    CurveViewTransform(double firstFrame, double lastFrame, double valueMin, double valueMax, QSizeF size);

    double firstFrame() const { return m_firstFrame; }
    double lastFrame() const { return m_lastFrame; }
    double valueMin() const { return m_valueMin; }
    double valueMax() const { return m_valueMax; }
    double width() const { return m_size.width(); }
    double height() const { return m_size.height(); }

    double frameToX(double frame) const { return (frame - m_firstFrame) * m_xScale; }
    double xToFrame(double x) const { return m_firstFrame + x / m_xScale; }
    double valueToY(double value) const { return (m_valueMax - value) * m_yScale; }
    double yToValue(double y) const { return m_valueMax - y / m_yScale; }
    QPointF map(double frame, double value) const { return QPointF(frameToX(frame), valueToY(value)); }

    /// Pixels per frame and per value unit (both > 0).
    double pixelsPerFrame() const { return m_xScale; }
    double pixelsPerValue() const { return m_yScale; }

    /// The smallest 1, 2 or 5 x 10^k that is >= minStep (> 0): grid steps.
    static double niceStep(double minStep);

    bool operator==(const CurveViewTransform &other) const;
    bool operator!=(const CurveViewTransform &other) const { return !(*this == other); }

private:
    double m_firstFrame = 0.0;
    double m_lastFrame = 1.0;
    double m_valueMin = 0.0;
    double m_valueMax = 1.0;
    QSizeF m_size{1.0, 1.0};
    double m_xScale = 1.0;
    double m_yScale = 1.0;
};

} // namespace fa::ui
