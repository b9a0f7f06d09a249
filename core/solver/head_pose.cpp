#include "solver/head_pose.h"

#include "solver/landmark_features.h"

#include <opencv2/calib3d.hpp>

#include <cmath>
#include <exception>
#include <vector>

namespace fa {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kDeg = 180.0 / kPi;

// Face frame (x left, y up, z out of the face) to OpenCV camera axes for a face looking
// straight into the camera: the actor's left is the image's right, up is -y, out of the face
// is towards the camera, i.e. -z.
const cv::Matx33d kFrontal(1, 0, 0, 0, -1, 0, 0, 0, -1);

cv::Matx33d rotX(double a) { return {1, 0, 0, 0, std::cos(a), -std::sin(a), 0, std::sin(a), std::cos(a)}; }
cv::Matx33d rotY(double a) { return {std::cos(a), 0, std::sin(a), 0, 1, 0, -std::sin(a), 0, std::cos(a)}; }
cv::Matx33d rotZ(double a) { return {std::cos(a), -std::sin(a), 0, std::sin(a), std::cos(a), 0, 0, 0, 1}; }

} // namespace

const std::array<HeadPoseEstimator::ModelPoint, 13> &HeadPoseEstimator::modelPoints()
{
    static const std::array<ModelPoint, 13> points = {{
        {27, {0.f, 52.f, 0.f}},      // nasion, top of the nose bridge
        {28, {0.f, 39.f, 6.f}},
        {29, {0.f, 25.f, 12.f}},
        {30, {0.f, 12.f, 18.f}},     // nose tip (pronasale)
        {31, {-15.f, 4.f, -8.f}},    // right nostril wing
        {32, {-7.f, 1.f, -3.f}},
        {33, {0.f, 0.f, 0.f}},       // subnasale
        {34, {7.f, 1.f, -3.f}},
        {35, {15.f, 4.f, -8.f}},     // left nostril wing
        {36, {-45.f, 46.f, -30.f}},  // right eye, outer corner
        {39, {-16.f, 44.f, -15.f}},  // right eye, inner corner
        {42, {16.f, 44.f, -15.f}},   // left eye, inner corner
        {45, {45.f, 46.f, -30.f}},   // left eye, outer corner
    }};
    return points;
}

cv::Matx33d HeadPoseEstimator::cameraMatrix(cv::Size imageSize)
{
    const double f = imageSize.width;
    return {f, 0, imageSize.width * 0.5, 0, f, imageSize.height * 0.5, 0, 0, 1};
}

cv::Matx33d HeadPoseEstimator::cameraRotation(const HeadPose &pose)
{
    const cv::Matx33d head = rotY(pose.yaw / kDeg) * rotX(-pose.pitch / kDeg) * rotZ(-pose.roll / kDeg);
    return kFrontal * head;
}

HeadPose HeadPoseEstimator::estimate(const FaceLandmarks &landmarks, cv::Size imageSize) const
{
    HeadPose pose;
    if (landmarks.isEmpty() || imageSize.width <= 0 || imageSize.height <= 0)
        return pose;
    const auto &model = modelPoints();
    std::vector<cv::Point3f> object;
    std::vector<cv::Point2f> image;
    object.reserve(model.size());
    image.reserve(model.size());
    for (const ModelPoint &m : model) {
        object.push_back(m.mm);
        image.push_back(landmarks.points[size_t(m.landmark)]);
    }
    // Start Levenberg-Marquardt from a frontal face at the distance its size implies: the
    // DLT start of the plain iterative method is unreliable for 13 nearly planar points and
    // can converge to a mirrored pose behind the camera.
    const float scale = LandmarkFeatures::faceScale(landmarks); // pixels per mm
    if (!(scale > 1e-4f))
        return pose;
    const cv::Matx33d camera = cameraMatrix(imageSize);
    cv::Point2d centroid(0, 0);
    cv::Point3d modelCentroid(0, 0, 0);
    for (size_t i = 0; i < image.size(); ++i) {
        centroid += cv::Point2d(image[i]) * (1.0 / double(image.size()));
        modelCentroid += cv::Point3d(object[i]) * (1.0 / double(image.size()));
    }
    const double z = camera(0, 0) / scale;
    cv::Vec3d rvec(kPi, 0, 0); // kFrontal
    const cv::Vec3d frontalCentroid = kFrontal * cv::Vec3d(modelCentroid.x, modelCentroid.y, modelCentroid.z);
    cv::Vec3d tvec((centroid.x - camera(0, 2)) * z / camera(0, 0) - frontalCentroid[0],
                   (centroid.y - camera(1, 2)) * z / camera(1, 1) - frontalCentroid[1],
                   z - frontalCentroid[2]);
    try {
        if (!cv::solvePnP(object, image, camera, cv::noArray(), rvec, tvec, true,
                          cv::SOLVEPNP_ITERATIVE))
            return pose;
    } catch (const std::exception &) {
        return pose;
    }
    if (tvec[2] <= 0) // the fit put the face behind the camera
        return pose;
    cv::Matx33d cameraFromFace;
    cv::Rodrigues(rvec, cameraFromFace);
    // cameraFromFace = kFrontal * head, kFrontal is its own inverse.
    const cv::Matx33d h = kFrontal * cameraFromFace;
    // h = Ry(a) Rx(b) Rz(c): h(1,2) = -sin b, h(0,2) = sin a cos b, h(2,2) = cos a cos b,
    // h(1,0) = cos b sin c, h(1,1) = cos b cos c.
    const double b = std::asin(std::max(-1.0, std::min(1.0, -h(1, 2))));
    const double a = std::atan2(h(0, 2), h(2, 2));
    const double c = std::atan2(h(1, 0), h(1, 1));
    pose.yaw = float(a * kDeg);
    pose.pitch = float(-b * kDeg);
    pose.roll = float(-c * kDeg);
    pose.valid = std::isfinite(pose.yaw) && std::isfinite(pose.pitch) && std::isfinite(pose.roll);
    if (!pose.valid)
        pose = HeadPose();
    return pose;
}

} // namespace fa
