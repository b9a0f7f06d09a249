#pragma once

#include "animation/clip_smoothing.h"
#include "face/face_detector.h"

#include <QString>

namespace fa {

/// What a landmark retarget of one video does. Times are seconds in the video's own timeline.
struct RetargetOptions
{
    QString videoPath;
    double startSeconds = 0.0; ///< First frame at or after this time.
    double endSeconds = -1.0;  ///< Last frame before this time; < 0 = to the end of the video.
    /// Video frame number (0-based, whole video) of the actor's neutral pose; -1 = automatic
    /// calibration from the solved clip (LandmarkSolver::calibrateFromClip).
    qint64 neutralFrame = -1;
    /// Offline default: zero-phase Butterworth (no lag); One-Euro is the live choice.
    SmoothingOptions smoothing = [] {
        SmoothingOptions s;
        s.method = SmoothingMethod::Butterworth;
        return s;
    }();
    FaceDetector::Options detector;
    QString landmarkModelPath; ///< Empty = LandmarkDetector::defaultModelPath().
    int detectionInterval = 5; ///< See FaceTracker::Options.
    /// Keep every frame's 68 landmarks in the measurements (FrameMeasurement::landmarks), for a
    /// video panel's overlay and stored sessions: about 0.6 kB a frame. A batch retarget that
    /// only writes curves leaves them out (an hour of video: 65 MB less).
    bool keepLandmarks = true;
    /// Find the iris in each eye (EyeGazeLocator, about 0.5 ms a frame on one core) for the
    /// eyeLook shapes, the eyes' yaw and pitch, and telling a downcast look from a blink. Off:
    /// those stay 0 and every lid drop reads as a blink (the pipeline before gaze).
    bool measureGaze = true;
};

} // namespace fa
