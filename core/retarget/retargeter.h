#pragma once

#include "animation/animation_clip.h"
#include "retarget/clip_measurements.h"
#include "retarget/retarget_options.h"
#include "retarget/retarget_progress.h"
#include "retarget/video_solver.h"

#include <QString>

#include <functional>

namespace fa {

/// Video → per-frame ARKit blendshape weights and head rotation, with the landmark solver.
///
/// Steps: decode (VideoReader) → face box and 68 landmarks (FaceTracker) → per-frame geometric
/// features and head pose (LandmarkFeatures, HeadPoseEstimator) → neutral calibration (automatic
/// from the clip, or the frame the user names) → ARKit weights (LandmarkSolver) → smoothing.
/// Memory is bounded by the clip's curves and the measurements (about 1.5 kB per frame), never
/// by decoded frames.
///
/// run() is the two passes in a row: VideoMeasurer::measure (decode, track, measure) and
/// ClipSolver::solve (calibrate, solve, smooth). The studio runs them separately to stream and
/// to re-solve from stored measurements.
///
/// The clip's controls are the 52 canonical ARKit names (fa::arkit::canonicalNames(), weights
/// in [0,1]) followed by headYaw, headPitch, headRoll (degrees). Frames without a face keep the
/// last solved values (neutral before the first face) and have faceFound() false.
class Retargeter : public VideoSolver
{
public:
    QString name() const override { return QStringLiteral("landmarks"); }
    bool solvesArkit() const override { return true; }

    /// Runs the whole retarget. Returns false with errorString() ("FILE: what is wrong") on bad
    /// input (unreadable or truncated video, no face in the whole range, neutral frame outside
    /// the range or without a face, missing model files) or when canceled (wasCanceled()).
    bool run(const RetargetOptions &options, const ProgressCallback &progress = {}) override;

    const AnimationClip &clip() const override { return m_clip; }
    /// What the measuring pass kept of every frame (also after a failed solve or a cancel:
    /// the frames measured so far).
    const ClipMeasurements &measurements() const override { return m_measurements; }
    bool wasCanceled() const override { return m_canceled; }
    QString errorString() const override { return m_error; }
    QString warningString() const override { return m_warning; }
    /// Wall-clock seconds of the last run, and the part of it spent before the first frame
    /// (opening the video, loading the detector and the 100 MB landmark model).
    double elapsedSeconds() const override { return m_elapsedSeconds; }
    double setupSeconds() const override { return m_setupSeconds; }

private:
    bool fail(const QString &error);

    AnimationClip m_clip;
    ClipMeasurements m_measurements;
    QString m_error;
    QString m_warning;
    bool m_canceled = false;
    double m_elapsedSeconds = 0.0;
    double m_setupSeconds = 0.0;
};

} // namespace fa
