#pragma once

#include "solver/face_landmarks.h"

#include <opencv2/core/types.hpp>

#include <array>

namespace fa {

/// Head rotation relative to looking straight into the camera, in degrees.
///
/// Sign convention (the actor's own directions, as ARKit names sides):
///  - yaw   > 0: the actor turns to their own LEFT (the nose moves to the image's right in an
///               unmirrored video);
///  - pitch > 0: the actor looks UP (the nose moves up in the image);
///  - roll  > 0: the actor tilts the head to their own LEFT (left ear towards the left shoulder,
///               so the actor's left eye, on the image's right, goes down).
/// In ARKit's face frame (x to the face's left, y up, z out of the face towards the viewer)
/// yaw is the right-handed rotation about +y, while pitch and roll as defined here are the
/// NEGATED right-handed rotations about +x and +z (right-handed +x would be looking down).
/// The rotation is composed as R = Ry(yaw) * Rx(-pitch) * Rz(-roll) (yaw, then pitch, then
/// roll, intrinsic), so for moderate angles each value reads as its plain-language meaning.
struct HeadPose
{
    float yaw = 0;
    float pitch = 0;
    float roll = 0;
    bool valid = false;   ///< false when the pose could not be estimated
};

/// Head rotation from 2-D landmarks by perspective-n-point fitting of a generic rigid 3-D face
/// (cv::solvePnP, Levenberg-Marquardt started from a frontal face at the distance implied by
/// LandmarkFeatures::faceScale()).
///
/// Camera: pinhole with focal length = image width in pixels (about a 53 degree horizontal
/// field of view, typical of webcams and phones), principal point at the image centre, no
/// distortion.
///
/// Model: 13 landmarks on the rigid upper face that expressions hardly move (nose bridge,
/// nose base, eye corners), in millimetres of an average adult head, face frame x to the
/// actor's left, y up, z out of the face, origin at the subnasale (33). Values are rounded
/// anthropometric averages (intercanthal width 32 mm, biocular width 90 mm, eye corners about
/// 44 mm above the nose base, nose tip 18 mm in front of it); brows, lips and the jaw line are
/// left out because expressions and the jaw move them.
class HeadPoseEstimator
{
public:
    struct ModelPoint
    {
        int landmark;       ///< index into FaceLandmarks::points
        cv::Point3f mm;     ///< position in the face frame
    };
    static const std::array<ModelPoint, 13> &modelPoints();

    /// Pose of `landmarks` seen in an image of `imageSize`. Returns valid == false (zeros)
    /// for empty landmarks, an empty image size or a failed fit.
    HeadPose estimate(const FaceLandmarks &landmarks, cv::Size imageSize) const;

    /// The pinhole camera above for `imageSize` (3x3, CV_64F).
    static cv::Matx33d cameraMatrix(cv::Size imageSize);

    /// Rotation matrix (camera from face frame, OpenCV camera axes x right, y down, z forward)
    /// of a head with `pose`; the inverse of what estimate() measures. Used to synthesise
    /// test projections.
    static cv::Matx33d cameraRotation(const HeadPose &pose);
};

} // namespace fa
