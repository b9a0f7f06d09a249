#pragma once

#include "solver/head_pose.h"
#include "solver/landmark_features.h"

#include <QPointF>
#include <QRectF>

#include <optional>
#include <vector>

namespace fa {

/// What the measuring pass of a retarget (VideoMeasurer, pass 1) keeps of one video frame:
/// everything the solve (ClipSolver, pass 2) needs, so that a new neutral pose or smoothing
/// re-solves the clip without decoding the video again, plus the face box and landmarks that a
/// video panel draws over the frame.
///
/// Coordinates are full-frame pixels of the decoded frame in display orientation (x right,
/// y down, origin at the top-left corner of the top-left pixel). They are the tracker's float
/// values widened to double, so they convert back to float exactly.
struct FrameMeasurement
{
    double timeSeconds = 0.0; ///< Presentation time in the video's own timeline.
    qint64 videoFrame = 0;    ///< 0-based frame number in the whole video (VideoFrame::index).
    /// The tracker placed a face and its landmarks on this frame (FaceTracker::Result::found).
    bool faceFound = false;
    /// Face box in the face detector's convention (what the shape predictor was trained on;
    /// about brow to chin, ear to ear), valid when faceFound.
    QRectF faceBox;
    /// The 68 landmarks in dlib / iBUG 300-W order (FaceLandmarks) when faceFound and the
    /// measuring pass kept them (RetargetOptions::keepLandmarks), else empty. The solve does not
    /// need them (features has everything); a video panel draws them, and a stored session
    /// recomputes newer features from them.
    std::vector<QPointF> landmarks;
    /// Geometric features of the landmarks (LandmarkFeatures::compute); set when faceFound and
    /// the landmarks were not degenerate. A frame "has a face" for the solve, and for the clip's
    /// faceFound mask, exactly when this is set.
    std::optional<LandmarkFeatures> features;
    /// Head rotation (HeadPoseEstimator::estimate), computed when features is set; a failed
    /// fit has valid == false, and the solve then keeps the previous frame's angles.
    HeadPose pose;

    /// True when the frame can be solved (features set).
    bool hasFace() const { return features.has_value(); }
    /// True when the 68 landmarks were kept.
    bool hasLandmarks() const { return landmarks.size() == 68; }

    /// Field-by-field equality (floats compared exactly).
    bool operator==(const FrameMeasurement &other) const;
    bool operator!=(const FrameMeasurement &other) const { return !(*this == other); }
};

} // namespace fa
