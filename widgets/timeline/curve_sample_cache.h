#pragma once

#include <vector>

namespace fa {
class RigAnimation;
}

namespace fa::ui {

class CurveViewTransform;

/// Per-channel samples of the FINAL values (RigAnimation::sampleChannel: calibration applied)
/// of the frames a curve view shows, kept until the view's frame range or width changes or the
/// channel is invalidated (its curve or calibration changed). Values are in value units, so a
/// value zoom or pan reuses them. Underneath, each channel's final values over the whole clip
/// are kept too (frameCount() floats per channel, e.g. 2 MB for 52 x 10,000), so that a time
/// zoom or pan only re-decimates; they are re-sampled when the channel is invalidated.
///
/// Two shapes, chosen by the horizontal zoom:
/// - per frame (more than one pixel per frame): the values of the visible frames plus one frame
///   beyond each edge (clipped to the clip), drawn as a polyline through the frames;
/// - per pixel column (at most one pixel per frame, e.g. 10,000 frames in 1,600 pixels):
///   min/max decimation. Column c holds the lowest and highest value of the frames whose x lies
///   in [c, c + 1), plus the last value of the column before it (so that neighbouring columns
///   join up), and whether the lowest came first in time; a polyline through each column's two
///   extremes in time order draws every spike of the curve at one pixel's width. Frames left
///   or right of the view fall into the first or last column.
/// Costs: sampling a channel O(frames + keys) after an invalidation; a view change O(visible
/// frames) per channel.
class CurveSampleCache
{
public:
    struct Samples
    {
        bool perFrame = true;
        /// Per frame: values of frames firstFrame .. firstFrame + values.size() - 1.
        int firstFrame = 0;
        std::vector<float> values;
        /// Per column: columns firstColumn .. firstColumn + low.size() - 1.
        int firstColumn = 0;
        std::vector<float> low;
        std::vector<float> high;
        std::vector<unsigned char> lowFirst;
        bool isEmpty() const { return perFrame ? values.empty() : low.empty(); }
    };

    /// Columns mode below this many pixels per frame.
    static constexpr double kMaxPixelsPerFrameForColumns = 1.0;

    /// Drops every channel's samples when the view's frame range or width differs from the
    /// last call's (value range and height do not matter).
    void setView(const CurveViewTransform &transform);
    /// The samples of `channel` for the current view, computed when missing.
    const Samples &samples(const RigAnimation &animation, int channel);

    void invalidate(int channel);
    void invalidateAll();

    /// How many times a channel's view samples were computed since construction (tests: cache
    /// hits do not count).
    long long sampleCount() const { return m_sampleCount; }

private:
    const std::vector<float> &clipValues(const RigAnimation &animation, int channel);
    void compute(const RigAnimation &animation, int channel, Samples &out);

    double m_firstFrame = 0.0;
    double m_lastFrame = 0.0;
    int m_width = 0;
    std::vector<Samples> m_samples;
    std::vector<unsigned char> m_valid;
    std::vector<std::vector<float>> m_clipValues;   // per channel, every frame
    std::vector<unsigned char> m_clipValid;
    long long m_sampleCount = 0;
};

} // namespace fa::ui
