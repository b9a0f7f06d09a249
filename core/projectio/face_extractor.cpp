#include "projectio/face_extractor.h"

#include "projectio/face_crop_geometry.h"

namespace fa {

FaceExtractor::FaceExtractor(int cropSize)
{
    FaceCropper::Options options;
    options.size = cropSize;
    m_cropper.setOptions(options);
}

bool FaceExtractor::setDetectorOptions(const FaceDetector::Options &options, QString *error)
{
    if (m_detector.setOptions(options))
        return true;
    if (error)
        *error = m_detector.errorString();
    return false;
}

bool FaceExtractor::loadLandmarks(QString *error, const QString &path)
{
    if (m_landmarks.load(path))
        return true;
    if (error)
        *error = m_landmarks.errorString();
    return false;
}

std::optional<ExtractedFace> FaceExtractor::extract(const cv::Mat &frame) const
{
    const std::optional<FaceDetection> detection = m_detector.detectLargest(frame);
    if (!detection)
        return std::nullopt;
    ExtractedFace face;
    const cv::Rect2f &box = detection->box;
    face.box = QRectF(box.x, box.y, box.width, box.height);
    face.score = detection->score;
    if (m_landmarks.isLoaded()) {
        const FaceLandmarks landmarks = m_landmarks.detect(frame, box);
        if (!landmarks.isEmpty()) {
            face.landmarks.reserve(landmarks.points.size());
            for (const cv::Point2f &p : landmarks.points)
                face.landmarks.emplace_back(p.x, p.y);
        }
    }
    cv::Point2f leftEye, rightEye;
    if (eyeCentres(face.landmarks, &leftEye, &rightEye))
        face.crop = m_cropper.crop(frame, leftEye, rightEye);
    if (face.crop.empty()) {
        // No landmarks, or eyes too close to align on: the stored face must then say so, so
        // that exports recompute the box framing (face_crop_geometry.h).
        face.landmarks.clear();
        face.crop = m_cropper.cropBox(frame, box);
    }
    if (face.crop.empty())
        return std::nullopt;
    return face;
}

} // namespace fa
