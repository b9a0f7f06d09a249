#include "projectio/face_crop_geometry.h"

#include "project/project.h"

#include <algorithm>
#include <cmath>

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

namespace {

QString framingName(FaceCropper::Framing framing)
{
    return framing == FaceCropper::Framing::Compact ? QStringLiteral("compact") : QStringLiteral("whole-face");
}

} // namespace

FaceCropper::Framing projectCropFraming(Project &project)
{
    const QString stored = project.cropFraming();
    if (stored == framingName(FaceCropper::Framing::Compact))
        return FaceCropper::Framing::Compact;
    if (stored == framingName(FaceCropper::Framing::WholeFace))
        return FaceCropper::Framing::WholeFace;
    return project.faces().faceCount() > 0 ? FaceCropper::Framing::Compact : FaceCropper::Framing::WholeFace;
}

bool rememberProjectCropFraming(Project &project, QString *error)
{
    if (!project.cropFraming().isEmpty())
        return true;
    return project.setCropFraming(framingName(projectCropFraming(project)), error);
}

std::optional<QRectF> normalisedBoxInCrop(const FaceRecord &face, FaceCropper::Framing framing)
{
    if (!face.box.isValid())
        return std::nullopt;
    const FaceCropper cropper(FaceCropper::framingOptions(framing));
    const FaceCropper::Options &options = cropper.options();
    const cv::Rect2f box(float(face.box.x()), float(face.box.y()), float(face.box.width()),
                         float(face.box.height()));
    cv::Point2f leftEye, rightEye;
    const std::optional<cv::Matx23d> transform = eyeCentres(face.landmarks, &leftEye, &rightEye)
                                                     ? cropper.eyeTransform(leftEye, rightEye)
                                                     : cropper.boxTransform(box);
    if (!transform)
        return std::nullopt;
    const cv::Matx23d &m = *transform;
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
