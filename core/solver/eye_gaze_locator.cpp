#include "solver/eye_gaze_locator.h"

#include <opencv2/imgproc.hpp>

#include <array>
#include <cmath>
#include <exception>
#include <vector>

namespace fa {

namespace {

constexpr int kPatchWidth = EyeGazeLocator::kEyeWidth * 8 / 5;  // 64: the eye plus margins
constexpr int kPatchHeight = EyeGazeLocator::kEyeWidth;          // 40
constexpr float kHalfWidth = EyeGazeLocator::kEyeWidth / 2.0f;
// Gradients weaker than the eye region's mean plus this many standard deviations are ignored
// (Timm & Barth's dynamic threshold, there 0.3).
constexpr double kGradientThreshold = 0.3;
// Erosion of the lid contour, in patch pixels, that keeps the lid edges out of the gradients.
constexpr int kErodeSize = 3;

/// Measures one eye: `first` is its first contour landmark (36 right, 42 left), `outer` and
/// `inner` its corner landmarks; `down` is the face's downward direction in the image.
EyeGazeLocator::Eye measureEye(const cv::Mat &grey, const FaceLandmarks &lm, int first, int outer, int inner,
                               cv::Point2f down)
{
    EyeGazeLocator::Eye eye;
    const cv::Point2f a = lm.points[size_t(outer)], b = lm.points[size_t(inner)];
    cv::Point2f along = b - a;
    const float width = std::hypot(along.x, along.y);
    if (!(width > 2.f))
        return eye;
    along /= width;
    const cv::Point2f centre = (a + b) * 0.5f;
    const float scale = EyeGazeLocator::kEyeWidth / width;
    // Image -> patch: x along the eye (outer to inner), y down the face, eye centre in the middle.
    cv::Matx23f m(scale * along.x, scale * along.y, 0, scale * down.x, scale * down.y, 0);
    m(0, 2) = kPatchWidth / 2.f - (m(0, 0) * centre.x + m(0, 1) * centre.y);
    m(1, 2) = kPatchHeight / 2.f - (m(1, 0) * centre.x + m(1, 1) * centre.y);
    cv::Mat patch;
    cv::warpAffine(grey, patch, m, cv::Size(kPatchWidth, kPatchHeight), cv::INTER_LINEAR, cv::BORDER_REPLICATE);

    std::array<cv::Point, 6> contour;
    for (int i = 0; i < 6; ++i) {
        const cv::Point2f p = lm.points[size_t(first + i)];
        contour[size_t(i)] = cv::Point(cvRound(m(0, 0) * p.x + m(0, 1) * p.y + m(0, 2)),
                                       cvRound(m(1, 0) * p.x + m(1, 1) * p.y + m(1, 2)));
    }
    cv::Mat inside = cv::Mat::zeros(kPatchHeight, kPatchWidth, CV_8U);
    cv::fillConvexPoly(inside, contour.data(), 6, cv::Scalar(255));
    if (cv::countNonZero(inside) < 4)
        return eye;
    // Gradients count only well inside the lid contour: the lid edges, lashes and eyeliner
    // around it would otherwise pull the centre (a winged liner towards the outer corner);
    // the iris's own edge, against the white of the eye, remains.
    cv::Mat region;
    cv::erode(inside, region, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(kErodeSize, kErodeSize)));
    if (cv::countNonZero(region) < 8)
        region = inside;

    cv::Mat smooth, gx, gy, magnitude;
    cv::GaussianBlur(patch, smooth, cv::Size(5, 5), 1.2);
    cv::Sobel(smooth, gx, CV_32F, 1, 0, 3);
    cv::Sobel(smooth, gy, CV_32F, 0, 1, 3);
    cv::magnitude(gx, gy, magnitude);
    cv::Scalar mean, deviation;
    cv::meanStdDev(magnitude, mean, deviation, region);
    const float threshold = float(mean[0] + kGradientThreshold * deviation[0]);
    struct Edge { float x, y, gx, gy; };
    std::vector<Edge> edges;
    edges.reserve(size_t(kPatchWidth * kPatchHeight) / 2);
    for (int y = 0; y < kPatchHeight; ++y)
        for (int x = 0; x < kPatchWidth; ++x) {
            const float g = magnitude.at<float>(y, x);
            if (region.at<uchar>(y, x) && g > threshold && g > 1e-3f)
                edges.push_back({float(x), float(y), gx.at<float>(y, x) / g, gy.at<float>(y, x) / g});
        }
    if (edges.empty())
        return eye;

    cv::Mat score = cv::Mat::zeros(kPatchHeight, kPatchWidth, CV_32F);
    float best = -1.f;
    cv::Point bestAt;
    for (int y = 0; y < kPatchHeight; ++y)
        for (int x = 0; x < kPatchWidth; ++x) {
            if (!inside.at<uchar>(y, x))
                continue;
            double sum = 0;
            for (const Edge &e : edges) {
                const float dx = e.x - float(x), dy = e.y - float(y);
                const float n2 = dx * dx + dy * dy;
                if (n2 < 1e-6f)
                    continue;
                const float dot = (dx * e.gx + dy * e.gy);
                if (dot > 0)
                    sum += double(dot * dot) / n2;
            }
            const float s = float(sum / double(edges.size())) * float(255 - smooth.at<uchar>(y, x));
            score.at<float>(y, x) = s;
            if (s > best) {
                best = s;
                bestAt = cv::Point(x, y);
            }
        }
    // Sub-pixel: the score-weighted centroid of the 3x3 neighbourhood.
    double wx = 0, wy = 0, w = 0;
    for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
            const int x = bestAt.x + dx, y = bestAt.y + dy;
            if (x < 0 || y < 0 || x >= kPatchWidth || y >= kPatchHeight)
                continue;
            const double s = score.at<float>(y, x);
            wx += s * x;
            wy += s * y;
            w += s;
        }
    const double cx = w > 0 ? wx / w : bestAt.x, cy = w > 0 ? wy / w : bestAt.y;
    eye.x = float((cx - kPatchWidth / 2.0) / kHalfWidth);
    eye.y = float((cy - kPatchHeight / 2.0) / kHalfWidth);
    eye.strength = best / 100.f;
    return eye;
}

} // namespace

EyeGazeLocator::Result EyeGazeLocator::locate(const cv::Mat &frame, const FaceLandmarks &landmarks)
{
    if (frame.empty() || frame.depth() != CV_8U)
        return {};
    cv::Mat grey;
    try {
        if (frame.channels() == 3)
            cv::cvtColor(frame, grey, cv::COLOR_BGR2GRAY);
        else if (frame.channels() == 4)
            cv::cvtColor(frame, grey, cv::COLOR_BGRA2GRAY);
        else if (frame.channels() == 1)
            grey = frame;
        else
            return {};
    } catch (const std::exception &) {
        return {};
    }
    return locateInGrey(grey, landmarks);
}

EyeGazeLocator::Result EyeGazeLocator::locateInGrey(const cv::Mat &grey, const FaceLandmarks &landmarks)
{
    Result result;
    if (grey.empty() || grey.type() != CV_8UC1 || landmarks.isEmpty())
        return result;
    namespace L = landmark;
    cv::Point2f across = landmarks.points[size_t(L::kLeftEyeOuter)] - landmarks.points[size_t(L::kRightEyeOuter)];
    const float length = std::hypot(across.x, across.y);
    if (!(length > 1e-3f))
        return result;
    across /= length;
    const cv::Point2f down(-across.y, across.x);
    try {
        result.right = measureEye(grey, landmarks, 36, L::kRightEyeOuter, L::kRightEyeInner, down);
        result.left = measureEye(grey, landmarks, 42, L::kLeftEyeOuter, L::kLeftEyeInner, down);
    } catch (const std::exception &) {
        return {};
    }
    return result;
}

} // namespace fa
