#include "animation/keyframe_curve.h"

#include <algorithm>

namespace fa {

namespace {

bool frameLess(const KeyframeCurve::Key &key, int frame)
{
    return key.frame < frame;
}

} // namespace

KeyframeCurve KeyframeCurve::fromSamples(const std::vector<float> &values)
{
    KeyframeCurve curve;
    curve.m_keys.resize(values.size());
    for (size_t i = 0; i < values.size(); ++i)
        curve.m_keys[i] = Key{int(i), values[i]};
    return curve;
}

KeyframeCurve KeyframeCurve::fromKeys(std::vector<Key> keys)
{
    std::stable_sort(keys.begin(), keys.end(),
                     [](const Key &a, const Key &b) { return a.frame < b.frame; });
    KeyframeCurve curve;
    curve.m_keys.reserve(keys.size());
    for (const Key &key : keys) {
        if (!curve.m_keys.empty() && curve.m_keys.back().frame == key.frame)
            curve.m_keys.back() = key; // the later one wins
        else
            curve.m_keys.push_back(key);
    }
    return curve;
}

int KeyframeCurve::lowerBound(int frame) const
{
    return int(std::lower_bound(m_keys.begin(), m_keys.end(), frame, frameLess) - m_keys.begin());
}

int KeyframeCurve::keyIndex(int frame) const
{
    const int i = lowerBound(frame);
    return i < keyCount() && m_keys[size_t(i)].frame == frame ? i : -1;
}

void KeyframeCurve::setKey(int frame, float value)
{
    const auto it = std::lower_bound(m_keys.begin(), m_keys.end(), frame, frameLess);
    if (it != m_keys.end() && it->frame == frame)
        it->value = value;
    else
        m_keys.insert(it, Key{frame, value});
}

bool KeyframeCurve::removeKey(int frame)
{
    const int i = keyIndex(frame);
    if (i < 0)
        return false;
    m_keys.erase(m_keys.begin() + i);
    return true;
}

int KeyframeCurve::removeKeys(int firstFrame, int lastFrame)
{
    if (lastFrame < firstFrame)
        return 0;
    const auto begin = m_keys.begin() + lowerBound(firstFrame);
    const auto end = std::lower_bound(begin, m_keys.end(), lastFrame, frameLess);
    auto last = end;
    if (last != m_keys.end() && last->frame == lastFrame)
        ++last;
    const int removed = int(last - begin);
    m_keys.erase(begin, last);
    return removed;
}

float KeyframeCurve::valueAt(double frame) const
{
    if (m_keys.empty())
        return 0.0f;
    if (frame <= m_keys.front().frame)
        return m_keys.front().value;
    if (frame >= m_keys.back().frame)
        return m_keys.back().value;
    // First key with key.frame > frame; it exists and is not the first.
    const auto next = std::upper_bound(m_keys.begin(), m_keys.end(), frame,
                                       [](double f, const Key &key) { return f < key.frame; });
    const Key &a = *(next - 1);
    const Key &b = *next;
    const double t = (frame - a.frame) / double(b.frame - a.frame);
    return float(a.value + t * (double(b.value) - a.value));
}

void KeyframeCurve::sampleInto(int firstFrame, int count, float *out) const
{
    if (count <= 0)
        return;
    if (m_keys.empty()) {
        std::fill(out, out + count, 0.0f);
        return;
    }
    // next: index of the first key with key.frame > f, advanced as f grows.
    size_t next = size_t(std::upper_bound(m_keys.begin(), m_keys.end(), firstFrame,
                                          [](int f, const Key &key) { return f < key.frame; })
                         - m_keys.begin());
    const size_t n = m_keys.size();
    for (int i = 0; i < count; ++i) {
        const int f = firstFrame + i;
        while (next < n && m_keys[next].frame <= f)
            ++next;
        if (next == 0) {
            out[i] = m_keys.front().value;
        } else if (next == n) {
            out[i] = m_keys.back().value;
        } else {
            const Key &a = m_keys[next - 1];
            const Key &b = m_keys[next];
            if (a.frame == f) {
                out[i] = a.value;
            } else {
                const double t = double(f - a.frame) / double(b.frame - a.frame);
                out[i] = float(a.value + t * (double(b.value) - a.value));
            }
        }
    }
}

std::vector<float> KeyframeCurve::sample(int frameCount) const
{
    std::vector<float> out(size_t(std::max(frameCount, 0)));
    sampleInto(0, frameCount, out.data());
    return out;
}

} // namespace fa
