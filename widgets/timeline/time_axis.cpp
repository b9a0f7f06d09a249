#include "time_axis.h"

#include <QtMath>

#include <algorithm>
#include <cmath>

namespace fa::ui {

namespace {

/// The range showAll() sets for a clip of `frameCount` frames.
void allRange(int frameCount, double *first, double *last)
{
    const double lastFrame = std::max(frameCount - 1, 1);
    const double pad = std::max(0.5, 0.02 * lastFrame);
    *first = -pad;
    *last = lastFrame + pad;
}

} // namespace

TimeAxis::TimeAxis(QObject *parent)
    : QObject(parent)
{
    allRange(0, &m_first, &m_last);
    setVisibleRange(m_first, m_last);
}

void TimeAxis::setFrameCount(int frameCount)
{
    frameCount = std::max(frameCount, 0);
    if (frameCount == m_frameCount)
        return;
    const bool wasAll = showsAll();
    m_frameCount = frameCount;
    if (wasAll)
        showAll();
    else
        setVisibleRange(m_first, m_last);
    Q_EMIT frameCountChanged(m_frameCount);
    setCurrentFrame(m_currentFrame);
}

void TimeAxis::setFps(double fps)
{
    if (!(fps > 0) || fps == m_fps)
        return;
    m_fps = fps;
    Q_EMIT fpsChanged(m_fps);
}

void TimeAxis::setVisibleRange(double firstFrame, double lastFrame)
{
    if (!std::isfinite(firstFrame) || !std::isfinite(lastFrame))
        return;
    if (lastFrame < firstFrame)
        std::swap(firstFrame, lastFrame);
    const double maxSpan = 4.0 * std::max(m_frameCount, 10);
    const double span = std::clamp(lastFrame - firstFrame, kMinVisibleSpan, maxSpan);
    const double centre = 0.5 * (firstFrame + lastFrame);
    double first = centre - 0.5 * span;
    // Keep part of the clip in view: each end within half a span of the clip.
    const double dataLast = std::max(m_frameCount - 1, 0);
    first = std::min(first, dataLast - 0.5 * span);
    first = std::max(first, -0.5 * span);
    const double last = first + span;
    if (first == m_first && last == m_last)
        return;
    m_first = first;
    m_last = last;
    Q_EMIT visibleRangeChanged();
}

void TimeAxis::zoomBy(double factor, double anchorFrame)
{
    if (!(factor > 0))
        return;
    const double first = anchorFrame - (anchorFrame - m_first) / factor;
    const double last = anchorFrame + (m_last - anchorFrame) / factor;
    const double span = last - first;
    const double maxSpan = 4.0 * std::max(m_frameCount, 10);
    if (span < kMinVisibleSpan || span > maxSpan) {
        // Clamp the span about the anchor so that the anchor keeps its x.
        const double clamped = std::clamp(span, kMinVisibleSpan, maxSpan);
        const double t = (anchorFrame - first) / span;
        setVisibleRange(anchorFrame - t * clamped, anchorFrame + (1.0 - t) * clamped);
        return;
    }
    setVisibleRange(first, last);
}

void TimeAxis::panBy(double frames)
{
    setVisibleRange(m_first + frames, m_last + frames);
}

void TimeAxis::showAll()
{
    double first = 0, last = 0;
    allRange(m_frameCount, &first, &last);
    setVisibleRange(first, last);
}

bool TimeAxis::showsAll() const
{
    double first = 0, last = 0;
    allRange(m_frameCount, &first, &last);
    return m_first <= first + 1e-9 && m_last >= last - 1e-9;
}

void TimeAxis::setCurrentFrame(int frame)
{
    frame = std::clamp(frame, 0, std::max(m_frameCount - 1, 0));
    if (frame == m_currentFrame)
        return;
    m_currentFrame = frame;
    Q_EMIT currentFrameChanged(m_currentFrame);
}

double TimeAxis::frameToX(double frame, double width) const
{
    return (frame - m_first) / (m_last - m_first) * width;
}

double TimeAxis::xToFrame(double x, double width) const
{
    if (width <= 0)
        return m_first;
    return m_first + x / width * (m_last - m_first);
}

double TimeAxis::pixelsPerFrame(double width) const
{
    return width / (m_last - m_first);
}

QString TimeAxis::timecode(int frame, double fps)
{
    const qint64 nominal = std::max<qint64>(1, qRound64(fps));
    const bool negative = frame < 0;
    const qint64 total = negative ? -qint64(frame) : qint64(frame);
    const qint64 ff = total % nominal;
    const qint64 seconds = total / nominal;
    const QLatin1Char zero('0');
    return QStringLiteral("%1%2:%3:%4:%5")
        .arg(negative ? QStringLiteral("-") : QString())
        .arg(seconds / 3600, 2, 10, zero)
        .arg((seconds / 60) % 60, 2, 10, zero)
        .arg(seconds % 60, 2, 10, zero)
        .arg(ff, 2, 10, zero);
}

} // namespace fa::ui
