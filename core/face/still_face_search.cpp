#include "face/still_face_search.h"

#include "face/affine_point.h"
#include "face/bgr_image.h"
#include "face/face_detector.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <exception>

namespace fa {

namespace {

// Two boxes are one face when they share more than this fraction of the smaller one's area.
constexpr float kDuplicateOverlap = 0.5f;
// A box this many times larger than the kept boxes of its face replaces them: they were parts
// of it (YuNet takes the eyes and mouth of a large face for faces at a finer scale).
constexpr float kPartAreaRatio = 4.0f;
// Detectors with a bounded face range (YuNet) also scan at scale * this, * this^2, ... until
// their largest face covers the image's shorter side; 0.4 overlaps the ranges 2.5-fold.
constexpr double kPyramidStep = 0.4;

float area(const cv::Rect2f &r) { return r.width * r.height; }

bool sameFace(const cv::Rect2f &a, const cv::Rect2f &b)
{
    const float smaller = std::min(area(a), area(b));
    return smaller > 0 && area(a & b) > kDuplicateOverlap * smaller;
}

/// Faces of `image` turned by `angle` degrees (cv::getRotationMatrix2D) and scaled by `scale`
/// on a canvas that holds all of it; boxes mapped back to upright boxes of `image`, with roll.
std::vector<FaceDetection> searchTurned(const FaceDetector &detector, const cv::Mat &image, double scale,
                                        double angle)
{
    const cv::Point2f centre(image.cols / 2.0f, image.rows / 2.0f);
    cv::Matx23d forward = cv::getRotationMatrix2D(centre, angle, scale);
    const cv::Rect2f bounds = cv::RotatedRect(centre, cv::Size2f(image.cols * float(scale), image.rows * float(scale)),
                                              float(angle)).boundingRect2f();
    forward(0, 2) += bounds.width / 2 - centre.x;
    forward(1, 2) += bounds.height / 2 - centre.y;
    cv::Mat turned;
    cv::warpAffine(image, turned, forward, cv::Size(int(std::ceil(bounds.width)), int(std::ceil(bounds.height))),
                   cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    cv::Matx23d backward;
    cv::invertAffineTransform(forward, backward);

    std::vector<FaceDetection> faces;
    for (FaceDetection face : detector.detectAtScale(turned, 1.0)) {
        const cv::Point2f centreInTurned(face.box.x + face.box.width / 2, face.box.y + face.box.height / 2);
        const cv::Point2f c = applyAffine(backward, centreInTurned);
        if (c.x < 0 || c.y < 0 || c.x >= image.cols || c.y >= image.rows)
            continue; // a face in the replicated border
        const float w = float(face.box.width / scale);
        const float h = float(face.box.height / scale);
        face.box = cv::Rect2f(c.x - w / 2, c.y - h / 2, w, h);
        for (cv::Point2f &p : face.keypoints)
            p = applyAffine(backward, p);
        face.roll = float(angle);
        faces.push_back(std::move(face));
    }
    return faces;
}

/// Keeps one box per face (see the class comment): candidates strongest first.
std::vector<FaceDetection> mergeCandidates(std::vector<FaceDetection> candidates)
{
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const FaceDetection &a, const FaceDetection &b) { return a.score > b.score; });
    std::vector<FaceDetection> kept;
    for (FaceDetection &face : candidates) {
        float largestOverlapping = 0;
        for (const FaceDetection &k : kept)
            if (sameFace(k.box, face.box))
                largestOverlapping = std::max(largestOverlapping, area(k.box));
        if (largestOverlapping == 0) {
            kept.push_back(std::move(face));
        } else if (area(face.box) >= kPartAreaRatio * largestOverlapping) {
            kept.erase(std::remove_if(kept.begin(), kept.end(),
                                      [&](const FaceDetection &k) { return sameFace(k.box, face.box); }),
                       kept.end());
            kept.push_back(std::move(face));
        }
    }
    std::stable_sort(kept.begin(), kept.end(),
                     [](const FaceDetection &a, const FaceDetection &b) { return area(a.box) > area(b.box); });
    return kept;
}

} // namespace

std::vector<double> StillFaceSearch::scanScales(const FaceDetector &detector, int width, int height,
                                                const Options &options)
{
    std::vector<double> scales{scanScale(detector, width, height, options)};
    const int largest = FaceDetector::largestScanFace(detector.options().backend);
    const int shorter = std::min(width, height);
    while (largest > 0 && largest / scales.back() < shorter)
        scales.push_back(scales.back() * kPyramidStep);
    return scales;
}

double StillFaceSearch::scanScale(const FaceDetector &detector, int width, int height, const Options &options)
{
    const double wanted = double(FaceDetector::smallestScanFace(detector.options().backend))
                          / std::max(1, options.minFaceSize);
    double scale = std::max(1.0, wanted);
    const double pixels = double(std::max(0, width)) * std::max(0, height);
    if (pixels > 0 && pixels * scale * scale > options.maxScanPixels)
        scale = std::sqrt(options.maxScanPixels / pixels);
    return scale;
}

StillFaceSearch::Result StillFaceSearch::search(const FaceDetector &detector, const cv::Mat &bgr,
                                                const Options &options)
{
    Result result;
    const int minFace = std::max(1, options.minFaceSize);
    result.effectiveMinFaceSize = minFace;
    const cv::Mat image = toBgr(bgr);
    if (image.empty())
        return result;
    if (std::min(image.cols, image.rows) < minFace) {
        result.imageTooSmall = true;
        return result;
    }
    result.scale = scanScale(detector, image.cols, image.rows, options);
    const int reach = int(std::ceil(FaceDetector::smallestScanFace(detector.options().backend) / result.scale));
    result.effectiveMinFaceSize = std::max(minFace, reach);

    std::vector<FaceDetection> candidates;
    const std::vector<double> scales = scanScales(detector, image.cols, image.rows, options);
    for (const double scale : scales) {
        std::vector<FaceDetection> found = detector.detectAtScale(image, scale);
        candidates.insert(candidates.end(), found.begin(), found.end());
    }
    const double tilt = std::clamp(options.tiltAngle, 0.0, 45.0);
    if (tilt > 0) {
        try {
            for (const double angle : {tilt, -tilt}) {
                for (const double scale : scales) {
                    std::vector<FaceDetection> turned = searchTurned(detector, image, scale, angle);
                    candidates.insert(candidates.end(), turned.begin(), turned.end());
                }
            }
        } catch (const std::exception &) {
            // cv::Exception or std::bad_alloc while turning a huge image: keep what was found
        }
    }
    std::vector<FaceDetection> kept = mergeCandidates(std::move(candidates));
    for (FaceDetection &face : kept)
        (face.box.height + 0.5f < float(minFace) ? result.tooSmall : result.faces).push_back(std::move(face));
    return result;
}

} // namespace fa
