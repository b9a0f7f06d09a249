#pragma once

#include "face/face_box_smoother.h"
#include "solver/face_landmarks.h"

#include <opencv2/core.hpp>

namespace fa {

class FaceDetector;
class LandmarkDetector;

/// Finds the actor's face and its 68 landmarks frame after frame, running the (expensive) face
/// detector only every `detectionInterval` frames and tracking in between.
///
/// Detection dominates the cost of a frame (REFERENCE.md section 8: HOG 7-10 ms, shape predictor
/// about 1-4 ms, H.264 decode 0.4 ms), so between detections the detector box is carried along by
/// the landmarks: it is translated with the landmarks' centroid and scaled with their spread
/// since the last detection. The box stays in the detector's own convention, which is what the
/// shape predictor was trained on. A re-detection first searches near the tracked box and falls
/// back to the whole frame; a frame where detection fails is reported as "no face" and the
/// tracker searches the whole frame again on the next one.
class FaceTracker
{
public:
    struct Options
    {
        int detectionInterval = 5; ///< Frames between detector runs while a face is tracked (>= 1).
    };

    struct Result
    {
        bool found = false;
        bool detected = false; ///< True when the face detector ran on this frame.
        cv::Rect2f box;        ///< Detector-convention face box, full-frame pixels.
        FaceLandmarks landmarks;
    };

    /// The detectors are borrowed and must outlive the tracker.
    FaceTracker(const FaceDetector &detector, const LandmarkDetector &landmarks, const Options &options);

    Result process(const cv::Mat &bgr);
    void reset();

private:
    Result detectAndLandmark(const cv::Mat &bgr);

    const FaceDetector &m_detector;
    const LandmarkDetector &m_landmarks;
    Options m_options;
    FaceBoxSmoother m_smoother;
    bool m_tracking = false;
    int m_framesSinceDetection = 0;
    cv::Rect2f m_detectionBox;
    cv::Point2f m_detectionCentroid;
    float m_detectionSpread = 1.0f;
    cv::Rect2f m_lastBox;
    cv::Point2f m_lastCentroid;
    float m_lastSpread = 1.0f;
};

} // namespace fa
