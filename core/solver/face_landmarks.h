#pragma once

#include <opencv2/core/types.hpp>

#include <array>

namespace fa {

/// The 68 facial landmarks of one face, in the iBUG 300-W order that dlib's
/// shape_predictor_68_face_landmarks.dat produces, in image pixels (x right, y down).
///
/// Index ranges (0-based). "Right"/"left" are the ACTOR's own sides: for a frontal,
/// unmirrored video the actor's right appears on the image's left.
///   0-16  jaw line, from the actor's right ear (0) over the chin (8) to the left ear (16)
///   17-21 right brow, outer (17) to inner (21);  22-26 left brow, inner (22) to outer (26)
///   27-30 nose bridge, top (27, between the eyes) to tip (30); 31-35 nostrils, 33 = subnasale
///   36-41 right eye: 36 outer corner, 37-38 upper lid, 39 inner corner, 40-41 lower lid
///   42-47 left eye:  42 inner corner, 43-44 upper lid, 45 outer corner, 46-47 lower lid
///   48-59 outer lips: 48 right corner, 51 top of the upper lip, 54 left corner, 57 bottom
///   60-67 inner lips: 60 right corner, 61-63 upper (62 centre), 64 left corner, 65-67 lower (66 centre)
struct FaceLandmarks
{
    static constexpr int kCount = 68;

    std::array<cv::Point2f, kCount> points{};

    /// True when the points do not span an area (all equal, e.g. default-constructed or
    /// returned by a failed detection) or contain a non-finite coordinate.
    bool isEmpty() const;
};

namespace landmark {
// Named indices used by the features and the head-pose model.
constexpr int kChin = 8;
constexpr int kRightBrowOuter = 17, kRightBrowInner = 21, kLeftBrowInner = 22, kLeftBrowOuter = 26;
constexpr int kNoseTop = 27, kNoseTip = 30, kSubnasale = 33;
constexpr int kRightEyeOuter = 36, kRightEyeInner = 39, kLeftEyeInner = 42, kLeftEyeOuter = 45;
constexpr int kMouthRightCorner = 48, kUpperLipTop = 51, kMouthLeftCorner = 54, kLowerLipBottom = 57;
constexpr int kInnerRightCorner = 60, kInnerUpperCentre = 62, kInnerLeftCorner = 64, kInnerLowerCentre = 66;
} // namespace landmark

} // namespace fa
