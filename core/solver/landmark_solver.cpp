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

std::vector<ArkitShape> LandmarkSolver::unobservedShapes()
{
    return {ArkitShape::JawForward, ArkitShape::TongueOut};
}

void LandmarkSolver::calibrateFromClip(const std::vector<LandmarkFeatures> &faceFrames,
                                       const std::vector<std::pair<float, float>> &yawPitch)
{
    m_neutral = NeutralPoseEstimator::estimate(faceFrames, yawPitch).neutral;
}

LandmarkSolver::Gaze LandmarkSolver::gaze(const LandmarkFeatures &f, bool left) const
{
    Gaze g;
    if (!f.valid || !m_neutral.valid || !irisVisible(f, left))
        return g;
    // Relative to the head looking straight ahead, not to the actor's rest frames: ARKit's
    // eyeLook is relative to the head, and an actor may rest looking at a camera off to the side.
    const float dx = (left ? f.irisLeftX : f.irisRightX) - kGazeRestX;
    const float dy = (left ? f.irisLeftY : f.irisRightY) - kGazeRestY;
    g.in = ramp(dx, kGazeDeadZone, kLookSideRange);
    g.out = ramp(-dx, kGazeDeadZone, kLookSideRange);
    // Down: the iris itself, or the upper lid that follows it down while the iris stays in view
    // (a narrowed opening leaves too little of the iris to place it; a blink hides it, and
    // then this is not reached). The lid's drop is measured from the eye corners, so a squint
    // (the lower lid rising) does not count.
    const LandmarkFeatures &n = m_neutral;
    const float upper = left ? f.eyeOpenLeft - f.lowerLidLeft : f.eyeOpenRight - f.lowerLidRight;
    const float upperRest = left ? n.eyeOpenLeft - n.lowerLidLeft : n.eyeOpenRight - n.lowerLidRight;
    const float restGap = left ? n.eyeOpenLeft : n.eyeOpenRight;
    const float lidDrop = restGap > 1e-3f ? (upperRest - upper) / restGap : 0.f;
    g.down = std::max(ramp(dy, kGazeDeadZone, kLookDownRange), ramp(lidDrop, kLidDropDeadZone, kLidDropRange));
    g.up = ramp(-dy, kGazeDeadZone, kLookUpRange);
    // Eyeball rotation: the iris moves on a sphere of about 12 mm radius, measured in half eye
    // widths of about 15 mm.
    const float reach = std::sin(kMaxEyeRotation / 57.29578f);
    const float yaw = std::asin(std::clamp(kHalfEyeWidthPerEyeRadius * dx, -reach, reach)) * 57.29578f;
    // Inward is towards the actor's right for the left eye, towards the left for the right eye.
    g.yaw = left ? -yaw : yaw;
    g.pitch = -std::asin(std::clamp(kHalfEyeWidthPerEyeRadius * dy, -reach, reach)) * 57.29578f;
    g.visible = true;
    return g;
}

bool LandmarkSolver::irisVisible(const LandmarkFeatures &f, bool left) const
{
    const float strength = left ? f.irisLeftStrength : f.irisRightStrength;
    const float rest = left ? m_neutral.irisLeftStrength : m_neutral.irisRightStrength;
    return rest > 0.f && strength >= kIrisVisible * rest;
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

    // Gaze (only where an iris shows; ClipSolver holds the last gaze over closed eyes). The eyes
    // turn up and down together: the vertical gaze is the mean of the eyes that show an iris.
    Gaze gL = gaze(f, true), gR = gaze(f, false);
    const int visible = int(gL.visible) + int(gR.visible);
    const float down = visible ? (gL.down + gR.down) / float(visible) : 0.f;
    const float up = visible ? (gL.up + gR.up) / float(visible) : 0.f;
    gL.down = gR.down = down;
    gL.up = gR.up = up;
    set(w, S::EyeLookInLeft, gL.in);
    set(w, S::EyeLookOutLeft, gL.out);
    set(w, S::EyeLookUpLeft, gL.up);
    set(w, S::EyeLookDownLeft, gL.down);
    set(w, S::EyeLookInRight, gR.in);
    set(w, S::EyeLookOutRight, gR.out);
    set(w, S::EyeLookUpRight, gR.up);
    set(w, S::EyeLookDownRight, gR.down);

    // Eyes. Looking down lowers the upper lids with the irises: the lid gap is compared with
    // what the gaze explains, so a downcast look with the irises in view is not a blink.
    const float openL = ratio(f.eyeOpenLeft, n.eyeOpenLeft), openR = ratio(f.eyeOpenRight, n.eyeOpenRight);
    const float oL = openL + kLidFollowsGaze * down;
    const float oR = openR + kLidFollowsGaze * down;
    const float closedSpan = 1.f - kBlinkClosedOpenness - kEyeDeadZone;
    const float asymmetry = openR - openL; // > 0: the left eye is the more closed one (not scaled by the gaze)
    const float wink = std::copysign(std::max(0.f, std::fabs(asymmetry) - kWinkDeadZone), asymmetry);
    set(w, S::EyeBlinkLeft, (1.f - oL - kEyeDeadZone) / closedSpan + kWinkGain * wink);
    set(w, S::EyeBlinkRight, (1.f - oR - kEyeDeadZone) / closedSpan - kWinkGain * wink);
    set(w, S::EyeWideLeft, ramp(openL - 1.f, kEyeDeadZone, kEyeWideRise));
    set(w, S::EyeWideRight, ramp(openR - 1.f, kEyeDeadZone, kEyeWideRise));
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

    // Jaw. jawForward stays 0: thrusting the jaw forward moves the chin towards the camera,
    // which a frontal view sees only as the small drop with closed lips that mouthClose reads.
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
    const float rollUpper = ramp(1.f - ratio(f.upperLipThickness, n.upperLipThickness), kRollDeadZone, kRollThinning);
    const float rollLower = ramp(1.f - ratio(f.lowerLipThickness, n.lowerLipThickness), kRollDeadZone, kRollThinning);
    set(w, S::MouthRollUpper, rollUpper);
    set(w, S::MouthRollLower, rollLower);

    // Lips pressed: both lips thinner at a side with the mouth closed, short of rolling in and
    // not explained by a smile's stretch.
    const float closed = 1.f - openness;
    const float unrolled = 1.f - std::max(rollUpper, rollLower);
    set(w, S::MouthPressLeft,
        ramp(1.f - ratio(f.lipThicknessLeft, n.lipThicknessLeft), kPressDeadZone, kPressThinning) * closed * unrolled * (1.f - smileL));
    set(w, S::MouthPressRight,
        ramp(1.f - ratio(f.lipThicknessRight, n.lipThicknessRight), kPressDeadZone, kPressThinning) * closed * unrolled * (1.f - smileR));

    // Corners pulled back with a slight rise, short of a smile: the dimple.
    const float riseL = f.cornerLeft - n.cornerLeft, riseR = f.cornerRight - n.cornerRight;
    const float widenL = f.halfWidthLeft - n.halfWidthLeft, widenR = f.halfWidthRight - n.halfWidthRight;
    set(w, S::MouthDimpleLeft, ramp(widenL, kCornerDeadZone, kDimpleWiden) * ramp(riseL, 0.f, kDimpleRise) * (1.f - smileL));
    set(w, S::MouthDimpleRight, ramp(widenR, kCornerDeadZone, kDimpleWiden) * ramp(riseR, 0.f, kDimpleRise) * (1.f - smileR));

    // The upper lip raised, beyond the lift a smile gives it (the smile's corner rise times
    // kSmileLipLift); the nose wings likewise (kSmileWingLift).
    const float liftL = std::max(0.f, riseL), liftR = std::max(0.f, riseR);
    set(w, S::MouthUpperUpLeft,
        ramp(n.upperLipRaiseLeft - f.upperLipRaiseLeft - kSmileLipLift * liftL, kLipDeadZone, kUpperLipRise));
    set(w, S::MouthUpperUpRight,
        ramp(n.upperLipRaiseRight - f.upperLipRaiseRight - kSmileLipLift * liftR, kLipDeadZone, kUpperLipRise));
    set(w, S::NoseSneerLeft, ramp(n.noseWingLeft - f.noseWingLeft - kSmileWingLift * liftL, kLipDeadZone, kNoseWingRise));
    set(w, S::NoseSneerRight, ramp(n.noseWingRight - f.noseWingRight - kSmileWingLift * liftR, kLipDeadZone, kNoseWingRise));

    // The lower lip and the chin closer together: either the lip pulled down towards the chin
    // (lowerDown) or the chin pushed up towards the lip (the chin raiser, shrugLower, which
    // also shortens the chin's drop below the nose). Opening the jaw stretches the lip a little
    // towards the chin too (kLipDropPerJawDrop), which neither counts.
    const float jawOpening = std::max(0.f, jawDrop);
    const float chinRise = std::max(0.f, -jawDrop);
    const float shortenL = n.lowerLipToChinLeft - f.lowerLipToChinLeft - kLipDropPerJawDrop * jawOpening;
    const float shortenR = n.lowerLipToChinRight - f.lowerLipToChinRight - kLipDropPerJawDrop * jawOpening;
    set(w, S::MouthLowerDownLeft, ramp(shortenL - chinRise, kLipDeadZone, kLowerLipDrop));
    set(w, S::MouthLowerDownRight, ramp(shortenR - chinRise, kLipDeadZone, kLowerLipDrop));
    // A head that looks down also shortens the chin's drop (imperfectly compensated): the chin
    // raiser needs the lip-to-chin distance to shrink with it.
    const float chinRaised = std::min(chinRise, std::max(0.f, 0.5f * (shortenL + shortenR)));
    set(w, S::MouthShrugLower, ramp(chinRaised, kJawDeadZone, kChinRaise) * closed);
    // The upper lip pushed up in the middle, lips closed.
    const float meanLift = 0.5f * (liftL + liftR);
    set(w, S::MouthShrugUpper,
        ramp(n.upperLipCentre - f.upperLipCentre - kSmileLipLift * meanLift, kLipDeadZone, kUpperLipRise) * closed
            * (1.f - std::max(smileL, smileR)));

    // Cheeks puffed: the lower face outline widens, lips closed.
    set(w, S::CheekPuff, ramp(ratio(f.cheekWidth, n.cheekWidth) - 1.f, kCheekPuffDeadZone, kCheekPuffWiden) * closed);
    // tongueOut stays 0: no landmark lies on the tongue.
    return w;
}

} // namespace fa
