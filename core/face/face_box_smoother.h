#pragma once

#include "animation/one_euro_filter.h"

#include <opencv2/core/types.hpp>

#include <array>

namespace fa {

/// Temporal smoothing of a face box over consecutive frames: a One-Euro filter (Casiez,
/// Roussel, Vogel, "1 Euro Filter", CHI 2012) on the box centre (x, y) and size (width,
/// height). Each value is low-pass filtered with a cutoff frequency that rises with its speed:
///     cutoff = minCutoff + beta * |speed|,  alpha = 1 / (1 + frameRate / (2 pi cutoff)),
/// so a still face is steady (strong smoothing) and a moving face lags little. Each value goes
/// through an OneEuroFilter (core/animation) in units of the box side at the start of the
/// track, so speeds are in box sides per second and the parameters do not depend on the video
/// resolution.
///
/// The filter starts again from the new box (no smoothing, no lag) after reset(), on an empty
/// box (the caller's "no face in this frame"), and on a jump: when the centre moves more than
/// jumpThreshold box sides in one frame or the size changes by more than a factor
/// (1 + jumpThreshold) — a different face or a re-detection far away, which must not be
/// blended with the old track.
class FaceBoxSmoother
{
public:
    struct Options
    {
        double frameRate = 30.0;       ///< Frames per second of the sequence (update() calls).
        double minCutoff = 1.0;        ///< Hz; cutoff at rest. Lower = steadier, more lag.
        double beta = 2.0;             ///< Hz per (box side / s); higher = less lag in motion.
        double derivativeCutoff = 1.0; ///< Hz; low-pass on the speed estimate itself.
        double jumpThreshold = 0.5;    ///< In box sides (centre move) / relative size change.
    };

    FaceBoxSmoother() = default;
    explicit FaceBoxSmoother(const Options &options);

    void setOptions(const Options &options); ///< Also resets.
    const Options &options() const { return m_options; }

    /// Feeds the box of the next frame (full-frame pixels) and returns the smoothed box.
    /// An empty box (width or height <= 0) resets and is returned unchanged.
    cv::Rect2f update(const cv::Rect2f &box);

    /// Forgets the track: the next update() returns its box unchanged.
    void reset();

    bool hasState() const { return m_hasState; }

private:
    Options m_options;
    bool m_hasState = false;
    double m_unit = 1.0;   // box side at the start of the track, pixels
    long long m_frame = 0; // frames since the start of the track
    cv::Rect2f m_last;     // last smoothed box
    std::array<OneEuroFilter, 4> m_filters; // centre x, centre y, width, height (in m_unit)
};

} // namespace fa
