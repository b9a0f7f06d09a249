#include "projectio/face_crop_geometry.h"

#include <algorithm>
#include <cmath>
#include <complex>

namespace fa {

bool eyeCentres(const std::vector<QPointF> &landmarks, cv::Point2f *leftEye, cv::Point2f *rightEye)
{
    if (landmarks.size() != 68)
        return false;
    // dlib's 68-point order (solver/face_landmarks.h): 36-41 right eye, 42-47 left eye.
    QPointF right, left;
    for (int i = 0; i < 6; ++i) {
        right += landmarks[size_t(36 + i)];
        left += landmarks[size_t(42 + i)];
    }
    *rightEye = cv::Point2f(float(right.x() / 6), float(right.y() / 6));
    *leftEye = cv::Point2f(float(left.x() / 6), float(left.y() / 6));
    return std::isfinite(leftEye->x) && std::isfinite(leftEye->y) && std::isfinite(rightEye->x)
        && std::isfinite(rightEye->y);
}

cv::Matx23d eyeCropTransform(const FaceCropper::Options &options, cv::Point2f leftEye, cv::Point2f rightEye)
{
    // As FaceCropper::crop(): the similarity z * p + t (complex numbers) taking the eyes to
    // their targets.
    const FaceCropper cropper(options);
    using C = std::complex<double>;
    const cv::Point2f lt = cropper.leftEyeTarget(), rt = cropper.rightEyeTarget();
    const C src = C(leftEye.x, leftEye.y) - C(rightEye.x, rightEye.y);
    const C dst = C(lt.x, lt.y) - C(rt.x, rt.y);
    const C z = std::abs(src) > 1e-3 ? dst / src : C(0, 0);
    const C t = C(rt.x, rt.y) - z * C(rightEye.x, rightEye.y);
    return cv::Matx23d(z.real(), -z.imag(), t.real(), z.imag(), z.real(), t.imag());
}

cv::Matx23d boxCropTransform(const FaceCropper::Options &options, const cv::Rect2f &box)
{
    // As FaceCropper::cropBox(): a square of boxScale x the longer side, shifted by boxShiftY.
    const double side = double(options.boxScale) * std::max(box.width, box.height);
    const double s = side > 0 ? options.size / side : 0.0;
    const double left = box.x + box.width / 2.0 - side / 2;
    const double top = box.y + box.height / 2.0 + options.boxShiftY * side - side / 2;
    return cv::Matx23d(s, 0, (0.5 - left) * s - 0.5, 0, s, (0.5 - top) * s - 0.5);
}

std::optional<QRectF> normalisedBoxInCrop(const FaceRecord &face)
{
    if (!face.box.isValid())
        return std::nullopt;
    FaceCropper::Options options;
    const cv::Rect2f box(float(face.box.x()), float(face.box.y()), float(face.box.width()),
                         float(face.box.height()));
    cv::Point2f leftEye, rightEye;
    const cv::Matx23d m = eyeCentres(face.landmarks, &leftEye, &rightEye)
                              ? eyeCropTransform(options, leftEye, rightEye)
                              : boxCropTransform(options, box);
    // Box corners are edge coordinates; the transform works on pixel centres (edge - 0.5).
    double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
    for (const QPointF &corner : {face.box.topLeft(), face.box.topRight(), face.box.bottomLeft(),
                                  face.box.bottomRight()}) {
        const cv::Vec2d p = m * cv::Vec3d(corner.x() - 0.5, corner.y() - 0.5, 1.0);
        const double x = (p[0] + 0.5) / options.size, y = (p[1] + 0.5) / options.size;
        x0 = std::min(x0, x); x1 = std::max(x1, x);
        y0 = std::min(y0, y); y1 = std::max(y1, y);
    }
    if (!std::isfinite(x0) || !std::isfinite(y0) || !std::isfinite(x1) || !std::isfinite(y1))
        return std::nullopt;
    x0 = std::clamp(x0, 0.0, 1.0); x1 = std::clamp(x1, 0.0, 1.0);
    y0 = std::clamp(y0, 0.0, 1.0); y1 = std::clamp(y1, 0.0, 1.0);
    if (!(x1 > x0) || !(y1 > y0))
        return std::nullopt;
    return QRectF(QPointF(x0, y0), QPointF(x1, y1));
}

} // namespace fa
