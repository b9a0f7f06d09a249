#include "animation/animation_clip.h"

#include <algorithm>

namespace fa {

AnimationClip::AnimationClip(const QStringList &controlNames, double fps)
    : m_fps(fps)
    , m_controlNames(controlNames)
{
}

void AnimationClip::appendFrame(double timeSeconds, const float *values, bool faceFound)
{
    m_times.push_back(timeSeconds);
    m_values.insert(m_values.end(), values, values + m_controlNames.size());
    m_faceFound.push_back(faceFound ? 1 : 0);
}

void AnimationClip::appendFrame(double timeSeconds, const std::vector<float> &values, bool faceFound)
{
    std::vector<float> row(values);
    row.resize(size_t(m_controlNames.size()), 0.0f);
    appendFrame(timeSeconds, row.data(), faceFound);
}

void AnimationClip::clearFrames()
{
    m_times.clear();
    m_values.clear();
    m_faceFound.clear();
}

int AnimationClip::faceFoundCount() const
{
    return int(std::count(m_faceFound.begin(), m_faceFound.end(), 1));
}

std::vector<float> AnimationClip::channel(int control) const
{
    std::vector<float> curve(static_cast<size_t>(frameCount()));
    for (int f = 0; f < frameCount(); ++f)
        curve[size_t(f)] = value(f, control);
    return curve;
}

void AnimationClip::setChannel(int control, const std::vector<float> &curve)
{
    const int n = std::min(frameCount(), int(curve.size()));
    for (int f = 0; f < n; ++f)
        setValue(f, control, curve[size_t(f)]);
}

} // namespace fa
