#pragma once

#include <vector>

namespace fa {

/// A rig curve as keys at integer clip frames: linear interpolation between keys, held constant
/// before the first and after the last key, 0 when there is no key at all.
///
/// Keys live in a std::vector sorted by frame with unique frames (Kdenlive's keyframe model
/// keeps a sorted map; a vector makes sampling a dense curve for a curve editor cache-friendly:
/// 52 channels x 10,000 frames are sampled by a linear walk, see sampleInto()). Values are in
/// the control's own unit (blendshape weight, or degrees for head channels); a curve does not
/// clamp. Frames may be any int (a key may sit outside a clip's range after an edit; callers
/// that edit clips clamp frames to the clip).
class KeyframeCurve
{
public:
    struct Key
    {
        int frame = 0;
        float value = 0.0f;
        bool operator==(const Key &other) const
        {
            return frame == other.frame && value == other.value;
        }
        bool operator!=(const Key &other) const { return !(*this == other); }
    };

    KeyframeCurve() = default;
    /// One key per sample: key i at frame i with value values[i].
    static KeyframeCurve fromSamples(const std::vector<float> &values);
    /// Keys in any order; when two share a frame the later one wins.
    static KeyframeCurve fromKeys(std::vector<Key> keys);

    /// Sorted by frame, frames unique.
    const std::vector<Key> &keys() const { return m_keys; }
    int keyCount() const { return int(m_keys.size()); }
    bool isEmpty() const { return m_keys.empty(); }

    /// Index in keys() of the key at `frame`, or -1. O(log keys).
    int keyIndex(int frame) const;
    bool hasKey(int frame) const { return keyIndex(frame) >= 0; }
    /// Index of the first key with key.frame >= frame (keyCount() when none). O(log keys).
    int lowerBound(int frame) const;

    /// Inserts a key at `frame`, or replaces the value of the key already there.
    void setKey(int frame, float value);
    /// Removes the key at `frame`; false when there is none.
    bool removeKey(int frame);
    /// Removes every key with first <= frame <= last; returns how many were removed.
    int removeKeys(int firstFrame, int lastFrame);
    void clear() { m_keys.clear(); }

    /// Interpolated value at a (fractional) frame. O(log keys).
    float valueAt(double frame) const;
    /// Values at frames firstFrame .. firstFrame + count - 1 into out[0 .. count-1].
    /// O(log keys + count + keys in range): one binary search, then a linear walk.
    void sampleInto(int firstFrame, int count, float *out) const;
    /// Values at frames 0 .. frameCount - 1.
    std::vector<float> sample(int frameCount) const;

    bool operator==(const KeyframeCurve &other) const { return m_keys == other.m_keys; }
    bool operator!=(const KeyframeCurve &other) const { return !(*this == other); }

private:
    std::vector<Key> m_keys;
};

} // namespace fa
