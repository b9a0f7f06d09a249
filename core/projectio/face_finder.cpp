#include "projectio/face_finder.h"

#include "face/affine_point.h"
#include "projectio/face_crop_geometry.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace fa {

std::vector<QRectF> FoundFaces::boxes() const
{
    std::vector<QRectF> out;
    out.reserve(faces.size());
    for (const ExtractedFace &face : faces)
        out.push_back(face.box);
    return out;
}

FaceFinder::FaceFinder()
    : m_cropper(FaceCropper::framingOptions(m_options.framing, m_options.cropSize))
{
    m_detector.setOptions(m_options.detectorOptions());
}

bool FaceFinder::setOptions(const FaceFinderOptions &options, QString *error)
{
    const QString problem = options.problems();
    if (!problem.isEmpty()) {
        if (error)
            *error = problem;
        return false;
    }
    if (!m_detector.setOptions(options.detectorOptions())) {
        if (error)
            *error = m_detector.errorString();
        return false;
    }
    m_options = options;
    m_cropper.setOptions(FaceCropper::framingOptions(options.framing, options.cropSize));
    return true;
}

bool FaceFinder::loadLandmarks(QString *error, const QString &path)
{
    if (m_landmarks.load(path))
        return true;
    if (error)
        *error = m_landmarks.errorString();
    return false;
}

FoundFaces FaceFinder::findInImage(const cv::Mat &image) const
{
    const StillFaceSearch::Result search = StillFaceSearch::search(m_detector, image, m_options.stillSearchOptions());
    FoundFaces found;
    found.tooSmall = int(search.tooSmall.size());
    found.imageTooSmall = search.imageTooSmall;
    found.effectiveMinFaceSize = search.effectiveMinFaceSize;
    for (const FaceDetection &detection : search.faces) {
        if (std::optional<ExtractedFace> face = extract(image, detection))
            found.faces.push_back(std::move(*face));
    }
    return found;
}

FoundFaces FaceFinder::findInVideoFrame(const cv::Mat &frame) const
{
    if (m_options.allFacesInVideos)
        return findInImage(frame);
    FoundFaces found;
    const std::optional<FaceDetection> detection = m_detector.detectLargest(frame);
    if (!detection)
        return found;
    if (detection->box.height + 0.5f < float(m_options.minFaceSize)) {
        found.tooSmall = 1;
        return found;
    }
    if (std::optional<ExtractedFace> face = extract(frame, *detection))
        found.faces.push_back(std::move(*face));
    return found;
}

FoundFaces FaceFinder::findCounting(const cv::Mat &frame, bool videoFrame, FileImportReport &file) const
{
    FoundFaces found = videoFrame ? findInVideoFrame(frame) : findInImage(frame);
    ++file.framesScanned;
    file.facesFound += int(found.faces.size());
    file.facesTooSmall += found.tooSmall;
    if (found.faces.empty())
        ++file.framesWithoutFace;
    if (found.effectiveMinFaceSize > file.minFaceSize)
        file.searchedFromSize = std::max(file.searchedFromSize, found.effectiveMinFaceSize);
    if (found.imageTooSmall) {
        file.imageTooSmall = true;
        file.imageWidth = frame.cols;
        file.imageHeight = frame.rows;
    }
    return found;
}

std::vector<QPointF> FaceFinder::landmarksOf(const cv::Mat &frame, const FaceDetection &detection) const
{
    std::vector<QPointF> points;
    if (!m_landmarks.isLoaded())
        return points;
    const cv::Rect2f &box = detection.box;
    if (detection.roll == 0.0f) {
        const FaceLandmarks landmarks = m_landmarks.detect(frame, box);
        if (!landmarks.isEmpty())
            for (const cv::Point2f &p : landmarks.points)
                points.emplace_back(p.x, p.y);
        return points;
    }
    // A face of a tilted search: turn a square around it upright, place the landmarks there
    // with the upright box, and turn them back.
    const float side = 2.0f * std::max(box.width, box.height);
    const cv::Point2f centre(box.x + box.width / 2, box.y + box.height / 2);
    cv::Matx23d toPatch = cv::getRotationMatrix2D(centre, double(detection.roll), 1.0);
    toPatch(0, 2) += side / 2 - centre.x;
    toPatch(1, 2) += side / 2 - centre.y;
    cv::Mat patch;
    const int pixels = std::max(1, int(std::ceil(side)));
    cv::warpAffine(frame, patch, toPatch, cv::Size(pixels, pixels), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    const cv::Rect2f upright(side / 2 - box.width / 2, side / 2 - box.height / 2, box.width, box.height);
    const FaceLandmarks landmarks = m_landmarks.detect(patch, upright);
    if (landmarks.isEmpty())
        return points;
    cv::Matx23d fromPatch;
    cv::invertAffineTransform(toPatch, fromPatch);
    for (const cv::Point2f &p : landmarks.points) {
        const cv::Point2f q = applyAffine(fromPatch, p);
        points.emplace_back(q.x, q.y);
    }
    return points;
}

std::optional<ExtractedFace> FaceFinder::extract(const cv::Mat &frame, const FaceDetection &detection) const
{
    ExtractedFace face;
    const cv::Rect2f &box = detection.box;
    face.box = QRectF(box.x, box.y, box.width, box.height);
    face.score = detection.score;
    face.roll = detection.roll;
    face.landmarks = landmarksOf(frame, detection);
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
