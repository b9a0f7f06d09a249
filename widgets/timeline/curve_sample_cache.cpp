#include "curve_sample_cache.h"

#include "curve_raster.h"
#include "curve_view_transform.h"

#include "animate/rig_animation.h"

#include <algorithm>
#include <cmath>

namespace fa::ui {

void CurveSampleCache::setView(const CurveViewTransform &transform)
{
    const int width = int(std::lround(transform.width()));
    if (transform.firstFrame() == m_firstFrame && transform.lastFrame() == m_lastFrame && width == m_width)
        return;
    m_firstFrame = transform.firstFrame();
    m_lastFrame = transform.lastFrame();
    m_width = width;
    invalidateAll();
}

void CurveSampleCache::invalidate(int channel)
{
    if (channel >= 0 && size_t(channel) < m_valid.size()) {
        m_valid[size_t(channel)] = 0;
        m_clipValid[size_t(channel)] = 0;
    }
}

void CurveSampleCache::invalidateAll()
{
    std::fill(m_valid.begin(), m_valid.end(), 0);
    std::fill(m_clipValid.begin(), m_clipValid.end(), 0);
}

const CurveSampleCache::Samples &CurveSampleCache::samples(const RigAnimation &animation, int channel)
{
    const size_t channels = size_t(std::max(animation.channelCount(), channel + 1));
    if (m_samples.size() < channels) {
        m_samples.resize(channels);
        m_valid.resize(channels, 0);
        m_clipValues.resize(channels);
        m_clipValid.resize(channels, 0);
    }
    if (!m_valid[size_t(channel)]) {
        compute(animation, channel, m_samples[size_t(channel)]);
        m_valid[size_t(channel)] = 1;
        ++m_sampleCount;
    }
    return m_samples[size_t(channel)];
}

const std::vector<float> &CurveSampleCache::clipValues(const RigAnimation &animation, int channel)
{
    std::vector<float> &values = m_clipValues[size_t(channel)];
    if (!m_clipValid[size_t(channel)] || values.size() != size_t(animation.frameCount())) {
        values.resize(size_t(animation.frameCount()));
        animation.sampleChannel(channel, 0, animation.frameCount(), values.data());
        m_clipValid[size_t(channel)] = 1;
    }
    return values;
}

void CurveSampleCache::compute(const RigAnimation &animation, int channel, Samples &out)
{
    out.values.clear();
    out.low.clear();
    out.high.clear();
    out.lowFirst.clear();
    const int frameCount = animation.frameCount();
    if (channel < 0 || channel >= animation.channelCount() || frameCount <= 0 || m_width <= 0
        || !(m_lastFrame > m_firstFrame))
        return;
    const int first = std::max(0, CurveRaster::pixelOf(m_firstFrame));
    const int last = std::min(frameCount - 1, CurveRaster::pixelOf(m_lastFrame) + 1);
    if (first > last)
        return;
    const int count = last - first + 1;
    const float *values = clipValues(animation, channel).data() + first;
    const double pixelsPerFrame = m_width / (m_lastFrame - m_firstFrame);
    out.perFrame = pixelsPerFrame > kMaxPixelsPerFrameForColumns;
    if (out.perFrame) {
        out.firstFrame = first;
        out.values.assign(values, values + count);
        return;
    }

    // Column of a frame: floor((frame - first visible) * pixels per frame), clamped to the view
    // (the same as CurveViewTransform::frameToX; truncation equals floor for x >= 0, and every
    // x < 0 lands in column 0 either way).
    const auto columnOf = [&](int frame) {
        return std::clamp(int((frame - m_firstFrame) * pixelsPerFrame), 0, m_width - 1);
    };
    const int firstColumn = columnOf(first);
    const int lastColumn = columnOf(last);
    const size_t columns = size_t(lastColumn - firstColumn + 1);
    out.firstColumn = firstColumn;
    out.low.resize(columns);
    out.high.resize(columns);
    out.lowFirst.resize(columns);

    // One pass: frames arrive in x order, so columns fill left to right.
    int column = firstColumn;
    float lo = values[0], hi = values[0];
    int loAt = 0, hiAt = 0;
    const auto flush = [&](int c) {
        const size_t i = size_t(c - firstColumn);
        out.low[i] = lo;
        out.high[i] = hi;
        out.lowFirst[i] = loAt <= hiAt ? 1 : 0;
    };
    for (int i = 1; i < count; ++i) {
        const float v = values[i];
        const int c = columnOf(first + i);
        if (c != column) {
            flush(column);
            // Columns skipped by rounding repeat the join value.
            const float previous = values[i - 1];
            for (int gap = column + 1; gap < c; ++gap) {
                lo = hi = previous;
                loAt = hiAt = 0;
                flush(gap);
            }
            column = c;
            lo = hi = previous;  // the previous frame joins this column to the last one
            loAt = hiAt = i - 1;
        }
        if (v < lo) {
            lo = v;
            loAt = i;
        }
        if (v > hi) {
            hi = v;
            hiAt = i;
        }
    }
    flush(column);
}

} // namespace fa::ui
