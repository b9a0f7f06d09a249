#pragma once

#include <opencv2/core/types.hpp>

#include <vector>

namespace fa {

/// One face found in a frame.
struct FaceDetection
{
    /// Face box in full-frame pixel coordinates (x, y = top-left corner), whatever size the
    /// detector worked at internally. dlib's HOG box is tight around eyebrows-to-chin; YuNet's
    /// box is a little taller (forehead included).
    cv::Rect2f box;

    /// Detector confidence. dlib HOG: the SVM margin (0 is dlib's own threshold, typical
    /// faces 0.5..3). YuNet: a probability-like score in [0,1].
    float score = 0;

    /// YuNet only: 5 points in full-frame pixels, in this order: right eye, left eye, nose tip,
    /// right mouth corner, left mouth corner. Right/left are the subject's (the subject's right
    /// eye appears on the image's left). Empty for dlib HOG, which gives no landmarks.
    std::vector<cv::Point2f> keypoints;

    /// In-plane angle of the face in degrees, known only for faces found by a tilted search
    /// (StillFaceSearch::Options::tiltAngle), 0 otherwise: turning the image by `roll`
    /// (cv::getRotationMatrix2D's convention, counter-clockwise on screen for positive values)
    /// about the box centre makes the face upright inside `box`. `box` itself stays an upright
    /// rectangle of the face's size around its centre.
    float roll = 0;

    enum Keypoint { RightEye = 0, LeftEye = 1, NoseTip = 2, RightMouthCorner = 3, LeftMouthCorner = 4 };
    static constexpr int kKeypointCount = 5;

    bool hasKeypoints() const { return int(keypoints.size()) >= kKeypointCount; }
};

} // namespace fa
