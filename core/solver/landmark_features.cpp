#include "solver/landmark_features.h"

#include "solver/head_pose.h"

#include <opencv2/core.hpp>

#include <cmath>

namespace fa {

namespace {

using FeatureMember = float LandmarkFeatures::*;

struct FeatureEntry
{
    FeatureMember member;
    const char *name;
};

#define FA_FEATURE(m) FeatureEntry{&LandmarkFeatures::m, #m}
const std::array<FeatureEntry, LandmarkFeatures::kCount> kFeatures = {{
    FA_FEATURE(eyeOpenLeft), FA_FEATURE(eyeOpenRight), FA_FEATURE(lowerLidLeft),
    FA_FEATURE(lowerLidRight), FA_FEATURE(browInnerLeft), FA_FEATURE(browInnerRight),
    FA_FEATURE(browOuterLeft), FA_FEATURE(browOuterRight), FA_FEATURE(browGap),
    FA_FEATURE(mouthWidth), FA_FEATURE(mouthOpen), FA_FEATURE(jawDrop), FA_FEATURE(jawLateral),
    FA_FEATURE(mouthLateral), FA_FEATURE(cornerLeft), FA_FEATURE(cornerRight),
    FA_FEATURE(halfWidthLeft), FA_FEATURE(halfWidthRight), FA_FEATURE(upperLipThickness),
    FA_FEATURE(lowerLipThickness), FA_FEATURE(lipThicknessLeft), FA_FEATURE(lipThicknessRight),
    FA_FEATURE(upperLipRaiseLeft), FA_FEATURE(upperLipRaiseRight), FA_FEATURE(upperLipCentre),
    FA_FEATURE(lowerLipToChinLeft), FA_FEATURE(lowerLipToChinRight), FA_FEATURE(noseWingLeft),
    FA_FEATURE(noseWingRight), FA_FEATURE(cheekWidth),
    FA_FEATURE(irisLeftX), FA_FEATURE(irisLeftY), FA_FEATURE(irisRightX), FA_FEATURE(irisRightY),
    FA_FEATURE(irisLeftStrength), FA_FEATURE(irisRightStrength),
}};
#undef FA_FEATURE

constexpr int kRigidCount = 13;

// Pseudo-inverse (13x3) of the centred rigid model points (3x13): for centred image points
// x (2x13), the least-squares affine projection is A = x * pinv (2x3).
struct RigidModel
{
    std::array<int, kRigidCount> landmark{};
    std::array<std::array<double, 3>, kRigidCount> pinv{};

    RigidModel()
    {
        const auto &model = HeadPoseEstimator::modelPoints();
        cv::Mat centred(3, kRigidCount, CV_64F);
        cv::Point3d mean(0, 0, 0);
        for (const auto &m : model)
            mean += cv::Point3d(m.mm) * (1.0 / kRigidCount);
        for (int i = 0; i < kRigidCount; ++i) {
            landmark[size_t(i)] = model[size_t(i)].landmark;
            const cv::Point3d c = cv::Point3d(model[size_t(i)].mm) - mean;
            centred.at<double>(0, i) = c.x;
            centred.at<double>(1, i) = c.y;
            centred.at<double>(2, i) = c.z;
        }
        cv::Mat inv;
        cv::invert(centred, inv, cv::DECOMP_SVD); // 13x3
        for (int i = 0; i < kRigidCount; ++i)
            for (int j = 0; j < 3; ++j)
                pinv[size_t(i)][size_t(j)] = inv.at<double>(i, j);
    }
};

const RigidModel &rigidModel()
{
    static const RigidModel model;
    return model;
}

} // namespace

float LandmarkFeatures::value(int i) const
{
    return this->*kFeatures[size_t(i)].member;
}

float &LandmarkFeatures::value(int i)
{
    return this->*kFeatures[size_t(i)].member;
}

const char *LandmarkFeatures::name(int i)
{
    return kFeatures[size_t(i)].name;
}

float LandmarkFeatures::faceScale(const FaceLandmarks &lm)
{
    const RigidModel &model = rigidModel();
    double mx = 0, my = 0;
    for (int i : model.landmark) {
        mx += lm.points[size_t(i)].x;
        my += lm.points[size_t(i)].y;
    }
    mx /= kRigidCount;
    my /= kRigidCount;
    double a[2][3] = {{0, 0, 0}, {0, 0, 0}};
    for (int k = 0; k < kRigidCount; ++k) {
        const cv::Point2f &p = lm.points[size_t(model.landmark[size_t(k)])];
        for (int j = 0; j < 3; ++j) {
            a[0][j] += (p.x - mx) * model.pinv[size_t(k)][size_t(j)];
            a[1][j] += (p.y - my) * model.pinv[size_t(k)][size_t(j)];
        }
    }
    // Singular values of A (2x3) from B = A A^T: s1 + s2 = sqrt(trace B + 2 sqrt(det B)).
    const double b00 = a[0][0] * a[0][0] + a[0][1] * a[0][1] + a[0][2] * a[0][2];
    const double b11 = a[1][0] * a[1][0] + a[1][1] * a[1][1] + a[1][2] * a[1][2];
    const double b01 = a[0][0] * a[1][0] + a[0][1] * a[1][1] + a[0][2] * a[1][2];
    const double det = std::max(0.0, b00 * b11 - b01 * b01);
    const double sum = std::sqrt(std::max(0.0, b00 + b11 + 2.0 * std::sqrt(det)));
    const double s = 0.5 * sum;
    return std::isfinite(s) ? float(s) : 0.f;
}

LandmarkFeatures LandmarkFeatures::compute(const FaceLandmarks &lm)
{
    LandmarkFeatures f;
    if (lm.isEmpty())
        return f;
    namespace L = landmark;
    const auto &p = lm.points;
    const cv::Point2f rightEye = (p[L::kRightEyeOuter] + p[L::kRightEyeInner]) * 0.5f;
    const cv::Point2f leftEye = (p[L::kLeftEyeInner] + p[L::kLeftEyeOuter]) * 0.5f;
    const cv::Point2f origin = (rightEye + leftEye) * 0.5f;
    const cv::Point2f axis = leftEye - rightEye;
    const float iod = std::hypot(axis.x, axis.y);
    const float s = faceScale(lm);
    if (!(iod > 1e-3f) || !(s > 1e-4f))
        return f;
    const cv::Point2f ex = axis / iod; // towards the actor's left
    const cv::Point2f ey(-ex.y, ex.x); // down the face (image y is down)
    const float inv = 1.f / s;
    auto x = [&](int i) { return (p[size_t(i)] - origin).dot(ex) * inv; };
    auto y = [&](int i) { return (p[size_t(i)] - origin).dot(ey) * inv; };

    f.eyeOpenLeft = (y(47) - y(43) + y(46) - y(44)) * 0.5f;
    f.eyeOpenRight = (y(41) - y(37) + y(40) - y(38)) * 0.5f;
    const float leftCornerLine = (y(L::kLeftEyeInner) + y(L::kLeftEyeOuter)) * 0.5f;
    const float rightCornerLine = (y(L::kRightEyeInner) + y(L::kRightEyeOuter)) * 0.5f;
    f.lowerLidLeft = (y(46) + y(47)) * 0.5f - leftCornerLine;
    f.lowerLidRight = (y(40) + y(41)) * 0.5f - rightCornerLine;

    f.browInnerLeft = leftCornerLine - y(L::kLeftBrowInner);
    f.browInnerRight = rightCornerLine - y(L::kRightBrowInner);
    f.browOuterLeft = leftCornerLine - (y(25) + y(26)) * 0.5f;
    f.browOuterRight = rightCornerLine - (y(17) + y(18)) * 0.5f;
    f.browGap = x(L::kLeftBrowInner) - x(L::kRightBrowInner);

    f.mouthWidth = x(L::kMouthLeftCorner) - x(L::kMouthRightCorner);
    f.mouthOpen = (y(67) - y(61) + y(66) - y(62) + y(65) - y(63)) / 3.f;
    const float pitchProxy = y(L::kNoseTip) - kNoseTipDropFrontal; // > 0 looking down
    f.jawDrop = y(L::kChin) - y(L::kSubnasale) + kJawPitchParallax * pitchProxy;
    f.jawLateral = x(L::kChin);
    f.mouthLateral = (x(51) + x(57) + x(62) + x(66)) * 0.25f - kLipYawParallax * x(L::kNoseTip);
    const float upper = y(L::kInnerUpperCentre);
    const float mouthLine = upper + kCornerLineFraction * (y(L::kInnerLowerCentre) - upper);
    const float cornerPitch = kCornerPitchParallax * pitchProxy;
    f.cornerLeft = mouthLine - y(L::kMouthLeftCorner) - cornerPitch;
    f.cornerRight = mouthLine - y(L::kMouthRightCorner) - cornerPitch;
    f.halfWidthLeft = x(L::kMouthLeftCorner);
    f.halfWidthRight = -x(L::kMouthRightCorner);
    f.upperLipThickness = upper - y(L::kUpperLipTop);
    f.lowerLipThickness = y(L::kLowerLipBottom) - y(L::kInnerLowerCentre);
    f.lipThicknessLeft = y(63) - y(52) + y(56) - y(65);
    f.lipThicknessRight = y(61) - y(50) + y(58) - y(67);
    f.upperLipRaiseLeft = y(52) - y(L::kSubnasale);
    f.upperLipRaiseRight = y(50) - y(L::kSubnasale);
    f.upperLipCentre = y(L::kUpperLipTop) - y(L::kSubnasale);
    f.lowerLipToChinLeft = y(L::kChin) - y(56) + kLowerLipPitchParallax * pitchProxy;
    f.lowerLipToChinRight = y(L::kChin) - y(58) + kLowerLipPitchParallax * pitchProxy;
    f.noseWingLeft = y(35) - leftCornerLine - kNoseWingPitchParallax * pitchProxy;
    f.noseWingRight = y(31) - rightCornerLine - kNoseWingPitchParallax * pitchProxy;
    const float eyeCorners = x(L::kLeftEyeOuter) - x(L::kRightEyeOuter);
    if (eyeCorners > 1e-3f)
        f.cheekWidth = 0.5f * (x(13) - x(3) + x(14) - x(2)) / eyeCorners;
    f.valid = true;
    return f;
}

} // namespace fa
