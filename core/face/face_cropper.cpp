#include "face/face_cropper.h"
#include "face/bgr_image.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <complex>

namespace fa {

namespace {

// a * b for 2x3 affines (as 3x3 with a last row 0 0 1).
cv::Matx23d compose(const cv::Matx23d &a, const cv::Matx23d &b)
{
    const cv::Matx33d a3(a(0, 0), a(0, 1), a(0, 2), a(1, 0), a(1, 1), a(1, 2), 0, 0, 1);
    const cv::Matx33d b3(b(0, 0), b(0, 1), b(0, 2), b(1, 0), b(1, 1), b(1, 2), 0, 0, 1);
    const cv::Matx33d c = a3 * b3;
    return cv::Matx23d(c(0, 0), c(0, 1), c(0, 2), c(1, 0), c(1, 1), c(1, 2));
}

} // namespace

FaceCropper::Options FaceCropper::framingOptions(Framing framing, int size)
{
    Options options;
    options.size = size;
    if (framing == Framing::Compact) {
        options.eyeDistance = 0.35f;
        options.eyeLine = 0.40f;
        options.boxScale = 1.17f;
        options.boxShiftY = -0.09f;
    }
    return options;
}

cv::Rect FaceCropper::faceCore() const
{
    const Options compact = framingOptions(Framing::Compact, m_options.size);
    const double size = m_options.size;
    // The compact crop's side in this crop, and its top-left corner (eyes on both crops' eye
    // lines, both centred horizontally).
    const double k = std::min(1.0, double(m_options.eyeDistance) / compact.eyeDistance);
    const double top = (double(m_options.eyeLine) - compact.eyeLine * k) * size;
    const double left = (0.5 - k / 2) * size;
    const cv::Rect core(int(std::lround(left)), int(std::lround(top)), int(std::lround(k * size)), int(std::lround(k * size)));
    return core & cv::Rect(0, 0, m_options.size, m_options.size);
}

cv::Point2f FaceCropper::leftEyeTarget() const
{
    const float s = float(m_options.size);
    return {s * (0.5f + m_options.eyeDistance / 2) - 0.5f, s * m_options.eyeLine - 0.5f};
}

cv::Point2f FaceCropper::rightEyeTarget() const
{
    const float s = float(m_options.size);
    return {s * (0.5f - m_options.eyeDistance / 2) - 0.5f, s * m_options.eyeLine - 0.5f};
}

std::optional<cv::Matx23d> FaceCropper::eyeTransform(cv::Point2f leftEye, cv::Point2f rightEye) const
{
    // Similarity z * p + t (complex numbers) taking rightEye -> rightEyeTarget and
    // leftEye -> leftEyeTarget.
    using C = std::complex<double>;
    const C src = C(leftEye.x, leftEye.y) - C(rightEye.x, rightEye.y);
    const cv::Point2f lt = leftEyeTarget(), rt = rightEyeTarget();
    const C dst = C(lt.x, lt.y) - C(rt.x, rt.y);
    if (!(std::abs(src) > 1e-3) || !(std::abs(dst) > 1e-6) || !std::isfinite(std::abs(src)))
        return std::nullopt;
    const C z = dst / src;
    const C t = C(rt.x, rt.y) - z * C(rightEye.x, rightEye.y);
    return cv::Matx23d(z.real(), -z.imag(), t.real(), z.imag(), z.real(), t.imag());
}

std::optional<cv::Matx23d> FaceCropper::boxTransform(const cv::Rect2f &box) const
{
    if (!(box.width > 0) || !(box.height > 0) || !(m_options.boxScale > 0))
        return std::nullopt;
    const double side = double(m_options.boxScale) * std::max(box.width, box.height);
    const double s = m_options.size / side;
    // Edge coordinates (pixel i spans [i, i+1]) of the crop's top-left corner in the frame.
    const double left = box.x + box.width / 2.0 - side / 2;
    const double top = box.y + box.height / 2.0 + m_options.boxShiftY * side - side / 2;
    // Pixel centres: crop + 0.5 = (frame + 0.5 - corner) * s.
    return cv::Matx23d(s, 0, (0.5 - left) * s - 0.5, 0, s, (0.5 - top) * s - 0.5);
}

cv::Mat FaceCropper::crop(const cv::Mat &bgr, cv::Point2f leftEye, cv::Point2f rightEye,
                          cv::Mat *transform) const
{
    const std::optional<cv::Matx23d> m = eyeTransform(leftEye, rightEye);
    if (!m)
        return {};
    cv::Mat out = warp(bgr, *m);
    if (transform && !out.empty())
        *transform = cv::Mat(*m, true);
    return out;
}

cv::Mat FaceCropper::cropBox(const cv::Mat &bgr, const cv::Rect2f &box, cv::Mat *transform) const
{
    const std::optional<cv::Matx23d> m = boxTransform(box);
    if (!m)
        return {};
    cv::Mat out = warp(bgr, *m);
    if (transform && !out.empty())
        *transform = cv::Mat(*m, true);
    return out;
}

cv::Mat FaceCropper::warp(const cv::Mat &frame, const cv::Matx23d &m) const
{
    const cv::Mat image = toBgr(frame);
    const int size = m_options.size;
    if (image.empty() || size <= 0)
        return {};
    const double scale = std::sqrt(std::abs(m(0, 0) * m(1, 1) - m(0, 1) * m(1, 0)));
    if (!std::isfinite(scale) || scale <= 0)
        return {};

    cv::Mat source = image;
    cv::Matx23d toCrop = m;
    if (scale < 0.5) {
        // Reduce the frame region under the crop by k (INTER_AREA) so that the remaining
        // bilinear warp shrinks by 0.5 at most.
        cv::Matx23d inv;
        cv::invertAffineTransform(m, inv);
        float x0 = 1e30f, y0 = 1e30f, x1 = -1e30f, y1 = -1e30f;
        for (const cv::Point2d &c : {cv::Point2d(-1, -1), cv::Point2d(size, -1),
                                     cv::Point2d(-1, size), cv::Point2d(size, size)}) {
            const cv::Point2d p = inv * cv::Vec3d(c.x, c.y, 1.0);
            x0 = std::min(x0, float(p.x)); x1 = std::max(x1, float(p.x));
            y0 = std::min(y0, float(p.y)); y1 = std::max(y1, float(p.y));
        }
        const cv::Rect roi = cv::Rect(cv::Point(int(std::floor(x0)) - 2, int(std::floor(y0)) - 2),
                                      cv::Point(int(std::ceil(x1)) + 3, int(std::ceil(y1)) + 3))
                             & cv::Rect(0, 0, image.cols, image.rows);
        if (roi.width >= 2 && roi.height >= 2) {
            const double k = 2.0 * scale;
            const cv::Size reduced(std::max(1, int(std::lround(roi.width * k))),
                                   std::max(1, int(std::lround(roi.height * k))));
            cv::resize(image(roi), source, reduced, 0, 0, cv::INTER_AREA);
            const double kx = double(reduced.width) / roi.width;
            const double ky = double(reduced.height) / roi.height;
            // reduced -> frame: p = (q + 0.5) / k - 0.5 + roi origin.
            const cv::Matx23d reducedToFrame(1 / kx, 0, 0.5 / kx - 0.5 + roi.x,
                                             0, 1 / ky, 0.5 / ky - 0.5 + roi.y);
            toCrop = compose(m, reducedToFrame);
        }
        // else: the crop lies outside the frame; plain warp gives the border.
    }
    cv::Mat out;
    cv::warpAffine(source, out, cv::Mat(toCrop), cv::Size(size, size), cv::INTER_LINEAR,
                   m_options.borderMode);
    return out;
}

} // namespace fa
