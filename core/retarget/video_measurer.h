#pragma once

#include "retarget/clip_measurements.h"
#include "retarget/frame_measurement.h"
#include "retarget/retarget_options.h"
#include "retarget/retarget_progress.h"

#include <QString>

#include <opencv2/core/mat.hpp>

#include <functional>

namespace fa {

/// Pass 1 of a retarget: decodes a time range of a video and measures the face on every frame
/// (VideoReader -> FaceTracker -> LandmarkFeatures -> HeadPoseEstimator), keeping for each frame
/// what ClipSolver needs to solve it plus the face box and landmarks (FrameMeasurement).
///
/// Used by Retargeter (measure, then solve) and by the studio's solve job, which calls measure()
/// on a worker thread and receives each frame as it is measured, so that curves fill in while
/// the video is still being decoded. The callbacks run on the thread that calls measure().
///
/// Of `RetargetOptions` it uses videoPath, startSeconds, endSeconds, detector,
/// landmarkModelPath and detectionInterval; neutralFrame and smoothing belong to the solve.
/// Cost: dominated by the face detector and the shape predictor (REFERENCE.md section 8): about
/// 7 ms per 512 x 512 frame on one core with re-detection every 5th frame (d3: 147 frames/s in
/// the steady state, bench/RESULTS.md), plus about 1 s of setup (video, HOG and landmark
/// models). Memory: about 1.3 kB per frame (mostly the 68 landmarks as QPointF).
class VideoMeasurer
{
public:
    /// Called after every measured frame with that frame and the progress so far; return false
    /// to cancel.
    using FrameCallback = std::function<bool(const FrameMeasurement &, const RetargetProgress &)>;
    /// Called once, after the video opened and before the first frame, with the (still empty)
    /// measurements: video path, fps and frame size.
    using StartCallback = std::function<void(const ClipMeasurements &)>;
    /// Called for every measured frame, before FrameCallback, with its measurement (with its 68
    /// landmarks when a face was found, whether or not RetargetOptions::keepLandmarks keeps them)
    /// and the decoded frame (8-bit BGR, display orientation; valid during the call only): what
    /// the learnt solver and the rig decoder's training crop faces from without decoding again.
    using FrameImageCallback = std::function<void(const FrameMeasurement &, const cv::Mat &)>;

    /// Measures the range. Returns false with errorString() ("FILE: what is wrong") for an
    /// unreadable or truncated video, a bad time range, an empty range, missing model files,
    /// or when a callback canceled (wasCanceled(); "FILE: canceled after N frames"). A video
    /// without any face measures successfully (every frame has faceFound false): ClipSolver
    /// reports that. After a failure measurements() holds the frames measured before it.
    bool measure(const RetargetOptions &options, const FrameCallback &onFrame = {},
                 const StartCallback &onStart = {}, const FrameImageCallback &onImage = {});

    const ClipMeasurements &measurements() const { return m_measurements; }
    /// Moves the measurements out (measurements() is empty afterwards).
    ClipMeasurements takeMeasurements();
    bool wasCanceled() const { return m_canceled; }
    QString errorString() const { return m_error; }
    /// After a successful measure(): one line about damage the decoder concealed in fewer
    /// frames than fail (VideoReader::warningString()), else empty.
    QString warningString() const { return m_warning; }
    /// Wall-clock seconds of the last measure(), and the part of it spent before the first
    /// frame (opening the video, loading the detector and the 100 MB landmark model).
    double elapsedSeconds() const { return m_elapsedSeconds; }
    double setupSeconds() const { return m_setupSeconds; }

private:
    bool fail(const QString &error);

    ClipMeasurements m_measurements;
    QString m_error;
    QString m_warning;
    bool m_canceled = false;
    double m_elapsedSeconds = 0.0;
    double m_setupSeconds = 0.0;
};

} // namespace fa
