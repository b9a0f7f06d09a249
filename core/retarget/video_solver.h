#pragma once

#include "animation/animation_clip.h"
#include "retarget/clip_measurements.h"
#include "retarget/retarget_options.h"
#include "retarget/retarget_progress.h"

#include <QString>

#include <functional>

namespace fa {

/// A retargeting solver: video in, per-frame rig curves out. The one interface behind which
/// `freeavatar retarget --solver NAME` and the Animate workspace pick a solver:
///  - "landmarks" (Retargeter): the landmark solver; curves on the 52 ARKit blendshapes, which
///    RigMapping then maps onto an avatar's controls;
///  - "freeavatar" (FreeAvatarRetargeter, core/animator): the learnt solver (expression encoder
///    -> rig decoder with the avatar's identity); curves directly on the avatar's controls.
/// Both end with the head (and eye) rotation channels of the landmark path
/// (fa::arkit::rotationChannelNames(), degrees), the same smoothing and the same face-found
/// mask (frames without a face hold the last solved values).
class VideoSolver
{
public:
    /// Called after every frame; return false to cancel the run.
    using ProgressCallback = std::function<bool(const RetargetProgress &)>;

    virtual ~VideoSolver() = default;

    /// "landmarks", "freeavatar".
    virtual QString name() const = 0;
    /// True when clip()'s controls are the 52 canonical ARKit names (then mapped onto the
    /// avatar); false when they are already the avatar's own controls.
    virtual bool solvesArkit() const = 0;

    /// Solves options.videoPath (time range, detector, neutral frame, smoothing). False with
    /// errorString() ("FILE: what is wrong") on bad input, or when canceled (wasCanceled()).
    virtual bool run(const RetargetOptions &options, const ProgressCallback &progress = {}) = 0;

    virtual const AnimationClip &clip() const = 0;
    /// What the measuring pass kept of every frame (face box, landmarks, head pose).
    virtual const ClipMeasurements &measurements() const = 0;
    virtual QString errorString() const = 0;
    /// After a successful run(): a line about minor damage in the video that the user should
    /// see ("FILE: 3 of 216 frames (1.4 %) are damaged; ..."), else empty.
    virtual QString warningString() const = 0;
    virtual bool wasCanceled() const = 0;
    /// Wall-clock seconds of the last run, and the part of it before the first frame.
    virtual double elapsedSeconds() const = 0;
    virtual double setupSeconds() const = 0;
};

} // namespace fa
