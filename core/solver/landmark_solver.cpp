#include "solver/landmark_solver.h"

#include "common/arkit.h"
#include "solver/neutral_pose_estimator.h"

#include <algorithm>
#include <cmath>

namespace fa {

namespace {

float clamp01(float v)
{
    return std::isfinite(v) ? std::clamp(v, 0.f, 1.f) : 0.f;
}

// Ramp: 0 up to `dead`, 1 at dead + range.
float ramp(float change, float dead, float range)
{
    return clamp01((change - dead) / range);
}

float ratio(float value, float neutral)
{
    return neutral > 1e-4f ? value / neutral : 1.f;
}

void set(std::array<float, 52> &w, ArkitShape s, float v)
{
    w[size_t(int(s))] = clamp01(v);
}

} // namespace

void LandmarkSolver::calibrateFromClip(const std::vector<LandmarkFeatures> &faceFrames,
                                       const std::vector<std::pair<float, float>> &yawPitch)
{
    m_neutral = NeutralPoseEstimator::estimate(faceFrames, yawPitch).neutral;
}

void LandmarkSolver::setNeutral(const LandmarkFeatures &neutral)
{
    if (neutral.valid)
        m_neutral = neutral;
}

bool LandmarkSolver::isCalibrated() const
{
    return m_neutral.valid;
}

std::array<float, 52> LandmarkSolver::solve(const LandmarkFeatures &f) const
{
    std::array<float, 52> w{};
    if (!f.valid || !m_neutral.valid)
        return w;
    const LandmarkFeatures &n = m_neutral;
    using S = ArkitShape;

    // Eyes.
    const float oL = ratio(f.eyeOpenLeft, n.eyeOpenLeft);
    const float oR = ratio(f.eyeOpenRight, n.eyeOpenRight);
    const float closedSpan = 1.f - kBlinkClosedOpenness - kEyeDeadZone;
    const float asymmetry = oR - oL; // > 0: the left eye is the more closed one
    const float wink = std::copysign(std::max(0.f, std::fabs(asymmetry) - kWinkDeadZone), asymmetry);
    set(w, S::EyeBlinkLeft, (1.f - oL - kEyeDeadZone) / closedSpan + kWinkGain * wink);
    set(w, S::EyeBlinkRight, (1.f - oR - kEyeDeadZone) / closedSpan - kWinkGain * wink);
    set(w, S::EyeWideLeft, ramp(oL - 1.f, kEyeDeadZone, kEyeWideRise));
    set(w, S::EyeWideRight, ramp(oR - 1.f, kEyeDeadZone, kEyeWideRise));
    const float lidLiftL = n.lowerLidLeft - f.lowerLidLeft;
    const float lidLiftR = n.lowerLidRight - f.lowerLidRight;
    set(w, S::EyeSquintLeft, ramp(lidLiftL, kLidDeadZone, kSquintRise));
    set(w, S::EyeSquintRight, ramp(lidLiftR, kLidDeadZone, kSquintRise));
    set(w, S::CheekSquintLeft, ramp(lidLiftL, kLidDeadZone, kCheekSquintRise));
    set(w, S::CheekSquintRight, ramp(lidLiftR, kLidDeadZone, kCheekSquintRise));

    // Brows.
    const float gapCue = (n.browGap - f.browGap) / kBrowGapNarrowing;
    set(w, S::BrowDownLeft, 0.5f * ((n.browInnerLeft - f.browInnerLeft) / kBrowDownDrop + gapCue));
    set(w, S::BrowDownRight, 0.5f * ((n.browInnerRight - f.browInnerRight) / kBrowDownDrop + gapCue));
    const float innerRise = 0.5f * (f.browInnerLeft - n.browInnerLeft + f.browInnerRight - n.browInnerRight);
    set(w, S::BrowInnerUp, ramp(innerRise, kBrowDeadZone, kBrowInnerRise));
    set(w, S::BrowOuterUpLeft, ramp(f.browOuterLeft - n.browOuterLeft, kBrowDeadZone, kBrowOuterRise));
    set(w, S::BrowOuterUpRight, ramp(f.browOuterRight - n.browOuterRight, kBrowDeadZone, kBrowOuterRise));

    // Jaw.
    const float jawDrop = f.jawDrop - n.jawDrop;
    const float lipGap = f.mouthOpen - n.mouthOpen;
    set(w, S::JawOpen, ramp(jawDrop, kJawDeadZone, kJawOpenRange));
    set(w, S::MouthClose, (jawDrop - lipGap / kLipGapPerJawDrop) / kJawOpenRange);
    const float jawShift = f.jawLateral - n.jawLateral;
    set(w, S::JawLeft, ramp(jawShift, kLateralDeadZone, kJawLateralRange));
    set(w, S::JawRight, ramp(-jawShift, kLateralDeadZone, kJawLateralRange));

    // Mouth.
    const float mouthShift = f.mouthLateral - n.mouthLateral;
    set(w, S::MouthLeft, ramp(mouthShift, kLateralDeadZone, kMouthLateralRange));
    set(w, S::MouthRight, ramp(-mouthShift, kLateralDeadZone, kMouthLateralRange));
    const float smileL = ramp(f.cornerLeft - n.cornerLeft, kCornerDeadZone, kSmileRise);
    const float smileR = ramp(f.cornerRight - n.cornerRight, kCornerDeadZone, kSmileRise);
    set(w, S::MouthSmileLeft, smileL);
    set(w, S::MouthSmileRight, smileR);
    set(w, S::MouthFrownLeft, ramp(n.cornerLeft - f.cornerLeft, kCornerDeadZone, kFrownDrop));
    set(w, S::MouthFrownRight, ramp(n.cornerRight - f.cornerRight, kCornerDeadZone, kFrownDrop));
    set(w, S::MouthStretchLeft,
        ramp(f.halfWidthLeft - n.halfWidthLeft, kCornerDeadZone, kStretchWiden) * (1.f - smileL));
    set(w, S::MouthStretchRight,
        ramp(f.halfWidthRight - n.halfWidthRight, kCornerDeadZone, kStretchWiden) * (1.f - smileR));
    const float narrowing = clamp01((1.f - ratio(f.mouthWidth, n.mouthWidth)) / kPuckerNarrowing);
    const float openness = clamp01(lipGap / kFunnelOpen);
    set(w, S::MouthFunnel, narrowing * openness);
    set(w, S::MouthPucker, narrowing * (1.f - openness));
    set(w, S::MouthRollUpper,
        ramp(1.f - ratio(f.upperLipThickness, n.upperLipThickness), kRollDeadZone, kRollThinning));
    set(w, S::MouthRollLower,
        ramp(1.f - ratio(f.lowerLipThickness, n.lowerLipThickness), kRollDeadZone, kRollThinning));
    return w;
}

} // namespace fa
