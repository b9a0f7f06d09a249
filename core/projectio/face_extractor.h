#pragma once

#include "face/face_cropper.h"
#include "face/face_detector.h"
#include "solver/landmark_detector.h"

#include <QRectF>
#include <QString>

#include <opencv2/core/mat.hpp>

#include <limits>
#include <optional>
#include <vector>

namespace fa {

/// One face found in a frame, ready to be stored: the crop and where it came from.
struct ExtractedFace
{
    cv::Mat crop;                   ///< cropSize x cropSize, CV_8UC3 BGR
    QRectF box;                     ///< detector box in frame pixels (x, y = top-left corner)
    std::vector<QPointF> landmarks; ///< dlib's 68 points in frame pixels, or empty
    float score = std::numeric_limits<float>::quiet_NaN(); ///< detector score
};

/// The importer's per-frame pipeline: the largest face (FaceDetector, dlib HOG by default),
/// its 68 landmarks (LandmarkDetector), and a crop aligned on the eye centres (FaceCropper::crop)
/// or, when the landmarks fail or the model is not loaded, the square around the box
/// (FaceCropper::cropBox). See face_crop_geometry.h for the rule exports rely on.
///
/// Not thread-safe as a whole; use one extractor per thread.
class FaceExtractor
{
public:
    explicit FaceExtractor(int cropSize = 224);

    /// Applies detector options; false with "PATH: what" when the YuNet model is unusable.
    bool setDetectorOptions(const FaceDetector::Options &options, QString *error);
    /// Loads the 68-point model (about a second); false with "FILE: what" when it is missing.
    /// Without it faces are cropped from their boxes.
    bool loadLandmarks(QString *error, const QString &path = LandmarkDetector::defaultModelPath());

    /// The largest face of an 8-bit grey/BGR/BGRA frame, or nullopt when there is none (or the
    /// crop would be empty).
    std::optional<ExtractedFace> extract(const cv::Mat &frame) const;

private:
    FaceDetector m_detector;
    LandmarkDetector m_landmarks;
    FaceCropper m_cropper;
};

} // namespace fa
