#include "animate/rig_animation.h"

#include "animation/rig_region.h"

#include <QDataStream>
#include <QIODevice>

#include <algorithm>
#include <cmath>

namespace fa {

RigAnimation RigAnimation::fromClip(const AnimationClip &clip)
{
    RigAnimation animation;
    animation.initChannels(clip.controlNames());
    animation.m_fps = clip.fps();
    animation.m_times = clip.frameTimes();
    animation.m_faceFound.resize(size_t(clip.frameCount()));
    for (int f = 0; f < clip.frameCount(); ++f)
        animation.m_faceFound[size_t(f)] = clip.faceFound(f) ? 1 : 0;
    for (int c = 0; c < clip.controlCount(); ++c)
        animation.m_curves[size_t(c)] = KeyframeCurve::fromSamples(clip.channel(c));
    return animation;
}

void RigAnimation::initChannels(const QStringList &names)
{
    m_controlNames = names;
    const size_t n = size_t(names.size());
    m_curves.assign(n, KeyframeCurve());
    m_calibrations.assign(n, ChannelCalibration());
    m_isAngle.resize(n);
    for (size_t c = 0; c < n; ++c)
        m_isAngle[c] = rigRegion(names[qsizetype(c)]) == RigRegion::Head ? 1 : 0;
}

float RigAnimation::finalValue(int channel, float raw) const
{
    const float v = m_calibrations[size_t(channel)].apply(raw);
    return isAngle(channel) ? v : std::clamp(v, 0.0f, 1.0f);
}

float RigAnimation::value(int frame, int channel) const
{
    return finalValue(channel, m_curves[size_t(channel)].valueAt(frame));
}

std::vector<float> RigAnimation::frameValues(int frame) const
{
    std::vector<float> values(static_cast<size_t>(channelCount()));
    for (int c = 0; c < channelCount(); ++c)
        values[size_t(c)] = value(frame, c);
    return values;
}

void RigAnimation::sampleChannel(int channel, int firstFrame, int count, float *out) const
{
    m_curves[size_t(channel)].sampleInto(firstFrame, count, out);
    const ChannelCalibration calibration = m_calibrations[size_t(channel)];
    const bool angle = isAngle(channel);
    for (int i = 0; i < count; ++i) {
        const float v = calibration.apply(out[i]);
        out[i] = angle ? v : std::clamp(v, 0.0f, 1.0f);
    }
}

AnimationClip RigAnimation::toClip(int firstFrame, int lastFrame) const
{
    AnimationClip clip(m_controlNames, m_fps);
    if (lastFrame < 0 || lastFrame >= frameCount())
        lastFrame = frameCount() - 1;
    firstFrame = std::max(firstFrame, 0);
    const int count = lastFrame - firstFrame + 1;
    if (count <= 0)
        return clip;
    const int channels = channelCount();
    std::vector<float> columns(size_t(channels) * size_t(count));
    for (int c = 0; c < channels; ++c)
        sampleChannel(c, firstFrame, count, columns.data() + size_t(c) * size_t(count));
    std::vector<float> row(static_cast<size_t>(channels));
    for (int i = 0; i < count; ++i) {
        for (int c = 0; c < channels; ++c)
            row[size_t(c)] = columns[size_t(c) * size_t(count) + size_t(i)];
        clip.appendFrame(frameTime(firstFrame + i), row, faceFound(firstFrame + i));
    }
    return clip;
}

bool RigAnimation::operator==(const RigAnimation &other) const
{
    return m_controlNames == other.m_controlNames && m_fps == other.m_fps
        && m_times == other.m_times && m_faceFound == other.m_faceFound
        && m_curves == other.m_curves && m_calibrations == other.m_calibrations;
}

} // namespace fa
