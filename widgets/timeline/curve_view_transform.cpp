#include "curve_view_transform.h"

#include <algorithm>
#include <cmath>

namespace fa::ui {

CurveViewTransform::CurveViewTransform(double firstFrame, double lastFrame, double valueMin, double valueMax,
                                       QSizeF size)
    : m_firstFrame(firstFrame)
    , m_lastFrame(lastFrame)
    , m_valueMin(valueMin)
    , m_valueMax(valueMax)
    , m_size(std::max(size.width(), 1.0), std::max(size.height(), 1.0))
{
    if (!(m_lastFrame > m_firstFrame)) {
        m_firstFrame = 0.0;
        m_lastFrame = 1.0;
    }
    if (!(m_valueMax > m_valueMin)) {
        m_valueMin = 0.0;
        m_valueMax = 1.0;
    }
    m_xScale = m_size.width() / (m_lastFrame - m_firstFrame);
    m_yScale = m_size.height() / (m_valueMax - m_valueMin);
}

double CurveViewTransform::niceStep(double minStep)
{
    if (!(minStep > 0) || !std::isfinite(minStep))
        return 1.0;
    const double decade = std::pow(10.0, std::floor(std::log10(minStep)));
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * decade >= minStep * (1.0 - 1e-12))
            return m * decade;
    }
    return 10.0 * decade;
}

bool CurveViewTransform::operator==(const CurveViewTransform &other) const
{
    return m_firstFrame == other.m_firstFrame && m_lastFrame == other.m_lastFrame
        && m_valueMin == other.m_valueMin && m_valueMax == other.m_valueMax && m_size == other.m_size;
}

} // namespace fa::ui
