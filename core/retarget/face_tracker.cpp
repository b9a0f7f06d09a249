#include "retarget/face_tracker.h"

#include "face/face_detector.h"
#include "solver/landmark_detector.h"

#include <algorithm>
#include <cmath>

namespace fa {
namespace {

cv::Point2f centroid(const FaceLandmarks &landmarks)
{
    cv::Point2f sum(0, 0);
    for (const cv::Point2f &p : landmarks.points)
        sum += p;
    return sum * (1.0f / float(landmarks.points.size()));
}

// Root-mean-square distance of the landmarks from their centroid: a scale measure that is
// robust to expression (it averages over all 68 points).
float spread(const FaceLandmarks &landmarks, cv::Point2f centre)
{
    double sum = 0;
    for (const cv::Point2f &p : landmarks.points) {
        const cv::Point2f d = p - centre;
        sum += double(d.x) * d.x + double(d.y) * d.y;
    }
    return float(std::sqrt(sum / double(landmarks.points.size())));
}

} // namespace

FaceTracker::FaceTracker(const FaceDetector &detector, const LandmarkDetector &landmarks,
                         const Options &options)
    : m_detector(detector)
    , m_landmarks(landmarks)
    , m_options(options)
{
    m_options.detectionInterval = std::max(1, m_options.detectionInterval);
}

void FaceTracker::reset()
{
    m_tracking = false;
    m_framesSinceDetection = 0;
    m_smoother.reset();
}

FaceTracker::Result FaceTracker::detectAndLandmark(const cv::Mat &bgr)
{
    Result result;
    result.detected = true;
    std::optional<FaceDetection> detection;
    if (m_tracking)
        detection = m_detector.detectLargestNear(bgr, m_lastBox);
    if (!detection)
        detection = m_detector.detectLargest(bgr);
    if (!detection) {
        reset();
        return result;
    }
    if (!m_tracking)
        m_smoother.reset();
    result.found = true;
    result.box = m_smoother.update(detection->box);
    result.landmarks = m_landmarks.detect(bgr, result.box);
    m_detectionBox = result.box;
    m_detectionCentroid = centroid(result.landmarks);
    m_detectionSpread = std::max(1.0f, spread(result.landmarks, m_detectionCentroid));
    m_framesSinceDetection = 0;
    m_tracking = true;
    return result;
}

FaceTracker::Result FaceTracker::process(const cv::Mat &bgr)
{
    Result result;
    if (!m_tracking || m_framesSinceDetection + 1 >= m_options.detectionInterval) {
        result = detectAndLandmark(bgr);
    } else {
        // Carry the last detection box along with the landmarks seen on the previous frame.
        const float scale = m_lastSpread / m_detectionSpread;
        const cv::Point2f detectionCentre(m_detectionBox.x + m_detectionBox.width / 2,
                                          m_detectionBox.y + m_detectionBox.height / 2);
        const cv::Point2f offset = detectionCentre - m_detectionCentroid;
        const cv::Point2f centre = m_lastCentroid + offset * scale;
        const float w = m_detectionBox.width * scale;
        const float h = m_detectionBox.height * scale;
        result.found = true;
        result.box = cv::Rect2f(centre.x - w / 2, centre.y - h / 2, w, h);
        result.landmarks = m_landmarks.detect(bgr, result.box);
        ++m_framesSinceDetection;
        // A box that has drifted off the frame means the track is lost: detect next frame.
        const cv::Rect2f frame(0, 0, float(bgr.cols), float(bgr.rows));
        if ((result.box & frame).area() < 0.5f * result.box.area())
            m_framesSinceDetection = m_options.detectionInterval;
    }
    if (result.found && result.landmarks.isEmpty()) {
        // The shape predictor could not place landmarks (degenerate box): the face is lost.
        result.found = false;
        reset();
    }
    if (result.found) {
        m_lastBox = result.box;
        m_lastCentroid = centroid(result.landmarks);
        m_lastSpread = std::max(1.0f, spread(result.landmarks, m_lastCentroid));
    }
    return result;
}

} // namespace fa
