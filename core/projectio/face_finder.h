#pragma once

#include "face/face_cropper.h"
#include "face/face_detector.h"
#include "projectio/face_finder_options.h"
#include "projectio/face_import_report.h"
#include "solver/landmark_detector.h"

#include <QPointF>
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
    float roll = 0;                 ///< FaceDetection::roll (tilted search), degrees
};

/// What FaceFinder found in one image or frame.
struct FoundFaces
{
    std::vector<ExtractedFace> faces; ///< largest box first
    int tooSmall = 0;                 ///< faces found below the minimum face size, not kept
    bool imageTooSmall = false;       ///< the image's shorter side is below the minimum face size
    int effectiveMinFaceSize = 0;     ///< see StillFaceSearch::Result (0 on the video fast path)

    std::vector<QRectF> boxes() const; ///< the faces' boxes, in order
};

/// The one face finder of the studio: project import (CLI and GUI), training data from folders
/// and videos, and embeddings all find faces through it, with the same FaceFinderOptions.
///
/// Per face: the 68 landmarks (dlib's shape predictor; for a face of a tilted search the face
/// is turned upright first, so the predictor sees the pose it was trained on) and a crop
/// aligned on the eye centres (FaceCropper::crop: eyes level) or, when the landmarks fail or
/// the model is not loaded, the square around the box (FaceCropper::cropBox). See
/// face_crop_geometry.h for the rule exports rely on.
///
/// Stills: every face at or above the minimum size (StillFaceSearch). Video frames: the largest
/// face of the frame scanned at 384 px (FaceDetector::detect: the fast path, as fast as
/// before), or, with allFacesInVideos, every face as in a still.
///
/// Not thread-safe as a whole; use one finder per thread.
class FaceFinder
{
public:
    FaceFinder();

    /// Applies options. False with one line in `error` ("PATH: what" for a YuNet model that is
    /// missing or unusable, or FaceFinderOptions::problems()); the previous options then stay.
    bool setOptions(const FaceFinderOptions &options, QString *error);
    const FaceFinderOptions &options() const { return m_options; }

    /// Loads the 68-point model (about a second); false with "FILE: what" when it is missing.
    /// Without it faces are cropped from their boxes.
    bool loadLandmarks(QString *error, const QString &path = LandmarkDetector::defaultModelPath());
    bool landmarksLoaded() const { return m_landmarks.isLoaded(); }
    /// The crops' face core (FaceCropper::faceCore()): what near-duplicate checks compare.
    cv::Rect cropFaceCore() const { return m_cropper.faceCore(); }

    /// Every face of an 8-bit grey/BGR/BGRA still image.
    FoundFaces findInImage(const cv::Mat &image) const;
    /// The faces of a scanned video frame: the largest (fast path) or all (allFacesInVideos).
    FoundFaces findInVideoFrame(const cv::Mat &frame) const;
    /// findInImage() or findInVideoFrame(), counted into `file`: framesScanned, facesFound,
    /// facesTooSmall, framesWithoutFace, and imageTooSmall with the image's size.
    FoundFaces findCounting(const cv::Mat &frame, bool videoFrame, FileImportReport &file) const;

private:
    std::optional<ExtractedFace> extract(const cv::Mat &frame, const FaceDetection &detection) const;
    std::vector<QPointF> landmarksOf(const cv::Mat &frame, const FaceDetection &detection) const;

    FaceFinderOptions m_options;
    FaceDetector m_detector;
    LandmarkDetector m_landmarks;
    FaceCropper m_cropper;
};

} // namespace fa
