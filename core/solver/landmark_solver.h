#pragma once

#include "common/arkit.h"
#include "solver/landmark_features.h"

#include <array>
#include <vector>

namespace fa {

/// Training-free landmark retargeter: LandmarkFeatures -> the 52 ARKit blendshape weights.
/// It plays the role of the commercial landmark-based retargeter of the FreeAvatar paper (a
/// baseline, and rig targets for real footage).
///
/// Every weight compares one measurement f with the actor's neutral value n of the same
/// measurement, so that faces of different shapes start from zero:
///     w = clamp((signed change - dead zone) / range, 0, 1)
/// Changes are in face millimetres (LandmarkFeatures) or, for the eyes, mouth width and lip
/// thickness, as fractions of the neutral value. The ranges are the change that counts as the
/// full ARKit pose (weight 1); they are rounded from the extremes of the wink, frowns and
/// open-mouthed surprise of liveportrait_d3 measured with dlib's 68 points, and are meant to
/// be tuned per production (they are plain constants, not learnt).
///
/// The shapes (L/R: one per side, the actor's own left and right, from that side's features):
///  - eyeBlinkL/R: o = eyeOpen / n (1 at rest). dlib rarely brings the lid points together: a
///    closed eye keeps about kBlinkClosedOpenness of its neutral gap. And a wink also narrows
///    the other eye (the cheeks rise), so the left-right difference is amplified:
///        a     = oOther - o, less kWinkDeadZone towards 0 (|a| below it counts as equal eyes)
///        blink = clamp((1 - o - kEyeDeadZone) / (1 - kBlinkClosedOpenness - kEyeDeadZone)
///                      + kWinkGain * a)
///    Equal eyes (blinks, looking down, the far eye of a turned head) give equal weights; the
///    amplification only separates the two curves when the eyes clearly differ.
///  - eyeWideL/R = clamp((o - 1 - kEyeDeadZone) / kEyeWideRise).
///  - eyeSquintL/R: the lower lid rising towards the eye-corner line (cheek raise):
///        clamp((n - lowerLid - kLidDeadZone) / kSquintRise);
///    cheekSquintL/R: the same lift over kCheekSquintRise (landmarks see the cheek only through
///    the lower lid, so this is a softer copy of the squint).
///  - browDownL/R: mean of two frown cues, the inner brow dropping and the brows drawing
///    together: clamp(0.5 * ((n - browInner) / kBrowDownDrop + (n - browGap) / kBrowGapNarrowing)).
///  - browInnerUp (one shape): clamp((mean inner-brow rise - kBrowDeadZone) / kBrowInnerRise).
///  - browOuterUpL/R: clamp((outer-brow rise - kBrowDeadZone) / kBrowOuterRise).
///  - jawOpen: clamp((jawDrop - n - kJawDeadZone) / kJawOpenRange).
///  - mouthClose: jaw lowered while the lips stay together, i.e. the jaw drop the lip gap does
///    not account for: clamp(((jawDrop - n) - (mouthOpen - n) / kLipGapPerJawDrop) / kJawOpenRange).
///  - jawLeft/Right: chin shift clamp((±(jawLateral - n) - kLateralDeadZone) / kJawLateralRange).
///  - mouthLeft/Right: lip midline shift, the same with kMouthLateralRange.
///  - mouthSmileL/R: corner raised above the mouth line: clamp((corner - n - kCornerDeadZone) / kSmileRise);
///    mouthFrownL/R: corner lowered: clamp((n - corner - kCornerDeadZone) / kFrownDrop).
///  - mouthStretchL/R: the corner pulled sideways without rising (a smile widens too):
///        clamp((halfWidth - n - kCornerDeadZone) / kStretchWiden) * (1 - smile).
///  - mouthPucker / mouthFunnel: both narrow the mouth, narrowing = clamp((1 - width / n) /
///    kPuckerNarrowing); the funnel opens the lips, openness = clamp((mouthOpen - n) /
///    kFunnelOpen): funnel = narrowing * openness, pucker = narrowing * (1 - openness).
///  - mouthRollUpper/Lower: the visible lip thinning as it rolls in:
///        clamp((1 - thickness / n - kRollDeadZone) / kRollThinning).
///  - mouthPressL/R: both lips thinner at that side (lipThickness, kPressDeadZone,
///    kPressThinning), lips closed, short of rolling in, not a smile's stretch.
///  - mouthDimpleL/R: the corner pulled back (widening over kDimpleWiden) with a slight rise
///    (kDimpleRise), short of a smile.
///  - mouthUpperUpL/R: the upper lip raised towards the nose (upperLipRaise, kUpperLipRise),
///    less the lift a smile gives it (kSmileLipLift x the corner's rise); noseSneerL/R: the
///    nostril wing raised (noseWing, kNoseWingRise), less kSmileWingLift x the corner's rise.
///  - mouthLowerDownL/R: the lower lip closer to the chin (lowerLipToChin, kLowerLipDrop), less
///    what opening the jaw (kLipDropPerJawDrop) or raising the chin explains; mouthShrugLower:
///    the chin raised (jaw drop below neutral, kChinRaise) with the lip-chin distance shrinking
///    alike, lips closed; mouthShrugUpper: the upper lip raised in the middle, lips closed, no smile.
///  - cheekPuff: the lower face outline wider than at rest (cheekWidth, kCheekPuffWiden), lips closed.
///  - eyeLookIn/Out/Up/DownL/R: where the iris sits in the eye (EyeGazeLocator) against where
///    it sits looking straight ahead (kGazeRestX/Y, the same for everyone: ARKit's gaze is
///    relative to the head, and an actor may rest looking at a camera off to the side), over
///    kLookSideRange / kLookUpRange / kLookDownRange; looking down also shows as the upper lid
///    dropping towards the eye corners while the iris stays in view (kLidDropRange). Up and
///    down are the mean of the eyes that show an iris (the eyes turn together). An eye whose
///    iris does not show (irisVisible(): a blink) gets no gaze; ClipSolver holds its last one.
///  - eyeBlink compares the lid gap with the neutral after adding back what the gaze explains
///    (kLidFollowsGaze x lookDown), so a downcast look with the iris in view is no blink.
///  - The eyes' yaw and pitch (gaze()): the iris offset on an eyeball of 12 mm radius, within
///    kMaxEyeRotation.
/// jawForward and tongueOut stay 0 (unobservedShapes()).
///
/// Gains were set so that every shape uses its range on the shared clips while ordinary
/// talking (liveportrait_d10) keeps mouthStretch and browDown below saturation (95th
/// percentiles 0.29/0.58 and 0.50/0.68); bench/RESULTS.md lists every shape's percentiles.
class LandmarkSolver
{
public:
    // Eyes (fractions of the neutral lid gap, or face mm for the lower lid).
    static constexpr float kEyeDeadZone = 0.08f;
    static constexpr float kBlinkClosedOpenness = 0.45f;
    static constexpr float kWinkGain = 3.0f;
    static constexpr float kWinkDeadZone = 0.08f;
    static constexpr float kEyeWideRise = 0.30f;
    static constexpr float kLidDeadZone = 0.3f;
    static constexpr float kSquintRise = 2.0f;
    static constexpr float kCheekSquintRise = 3.0f;
    // Brows (face mm).
    static constexpr float kBrowDownDrop = 6.5f;
    static constexpr float kBrowGapNarrowing = 6.5f;
    static constexpr float kBrowDeadZone = 0.5f;
    static constexpr float kBrowInnerRise = 7.0f;
    static constexpr float kBrowOuterRise = 7.0f;
    // Jaw and mouth (face mm, or fractions of the neutral value where noted).
    static constexpr float kJawDeadZone = 1.0f;
    static constexpr float kJawOpenRange = 28.0f;
    static constexpr float kLipGapPerJawDrop = 0.7f;   ///< lip gap / jaw drop when the lips part freely (surprise of liveportrait_d3)
    static constexpr float kLateralDeadZone = 0.8f;
    static constexpr float kJawLateralRange = 8.0f;
    static constexpr float kMouthLateralRange = 6.0f;
    static constexpr float kCornerDeadZone = 0.5f;
    static constexpr float kSmileRise = 5.5f;
    static constexpr float kFrownDrop = 4.0f;
    static constexpr float kStretchWiden = 7.0f;
    static constexpr float kPuckerNarrowing = 0.25f;  ///< fraction of the neutral width
    static constexpr float kFunnelOpen = 8.0f;
    static constexpr float kRollDeadZone = 0.1f;      ///< fraction of the neutral thickness
    static constexpr float kRollThinning = 0.5f;      ///< fraction of the neutral thickness
    static constexpr float kPressDeadZone = 0.06f;    ///< fraction of the neutral thickness at a side
    static constexpr float kPressThinning = 0.2f;     ///< fraction of the neutral thickness at a side
    static constexpr float kDimpleWiden = 5.0f;
    static constexpr float kDimpleRise = 2.0f;
    static constexpr float kLipDeadZone = 0.5f;
    static constexpr float kUpperLipRise = 4.0f;
    static constexpr float kNoseWingRise = 3.0f;
    static constexpr float kLowerLipDrop = 5.0f;
    static constexpr float kChinRaise = 4.0f;
    /// A smile lifts the upper lip by about this share of its corners' rise and the nostril
    /// wings by kSmileWingLift (medians over the broad smiles of liveportrait_d0,
    /// pyfeat_single_face and the laughs of pyfeat_WolfgangLanger_Pexels), which upperUp and
    /// sneer leave out.
    static constexpr float kSmileLipLift = 0.8f;
    static constexpr float kSmileWingLift = 0.45f;
    /// Opening the jaw stretches the lower lip towards the chin by about this share of the
    /// jaw drop (talking in liveportrait_d10 and the surprise of liveportrait_d3).
    static constexpr float kLipDropPerJawDrop = 0.25f;
    static constexpr float kCheekPuffDeadZone = 0.05f; ///< fraction of the neutral outline width
    static constexpr float kCheekPuffWiden = 0.1f;
    // Gaze (half eye widths, EyeGazeLocator's units). Looking straight ahead the iris sits at
    // (kGazeRestX, kGazeRestY): the median over the 17 neutral faces of the shared photos
    // (x -0.05 / 0.00 for the left / right eye, spread 0.15; y -0.33 / -0.30).
    static constexpr float kGazeRestX = 0.0f;
    static constexpr float kGazeRestY = -0.3f;
    static constexpr float kIrisVisible = 0.75f;       ///< iris strength / neutral strength that counts as in view
    static constexpr float kGazeDeadZone = 0.06f;
    static constexpr float kLookSideRange = 0.45f;
    static constexpr float kLookDownRange = 0.40f;
    static constexpr float kLookUpRange = 0.30f;
    /// Looking down, read from the upper lid's drop towards the eye-corner line while the iris
    /// stays in view, as a fraction of the neutral lid gap.
    static constexpr float kLidDropDeadZone = 0.15f;
    static constexpr float kLidDropRange = 0.35f;
    /// The upper lid follows the iris down: looking fully down narrows the lid gap by about
    /// half of the neutral gap (the downcast look of liveportrait_d3: 0.52 of it, iris in
    /// view), which the blink adds back before it compares the gap with the neutral.
    static constexpr float kLidFollowsGaze = 0.5f;
    static constexpr float kHalfEyeWidthPerEyeRadius = 1.25f; ///< 15 mm / 12 mm
    static constexpr float kMaxEyeRotation = 40.f;             ///< degrees, either way (the eye's range of motion)

    /// Automatic neutral: the actor's rest face found among the clip's valid frames by
    /// NeutralPoseEstimator (the most relaxed frames, searched jointly over all features;
    /// `yawPitch`, when given, holds each frame's head yaw and pitch so that turned heads are
    /// not taken for rest). Leaves the solver uncalibrated when no frame is valid.
    void calibrateFromClip(const std::vector<LandmarkFeatures> &faceFrames,
                           const std::vector<std::pair<float, float>> &yawPitch = {});

    /// Uses one frame the user names as the neutral pose (ignored when !neutral.valid).
    void setNeutral(const LandmarkFeatures &neutral);

    bool isCalibrated() const;
    const LandmarkFeatures &neutral() const { return m_neutral; }

    /// The shapes this solver leaves at 0 because 68 landmarks and the eye pixels do not show
    /// them: jawForward (the jaw thrust moves the chin towards the camera; a frontal view sees
    /// only the small drop with closed lips that mouthClose reads) and tongueOut (no landmark
    /// lies on the tongue).
    static std::vector<ArkitShape> unobservedShapes();

    /// ARKit weights in [0,1], indexed by fa::ArkitShape (Live Link Face order). All zeros
    /// when the solver is not calibrated or `features` is not valid.
    std::array<float, 52> solve(const LandmarkFeatures &features) const;

    /// One eye's gaze relative to the neutral: the four eyeLook weights and the eyeball's
    /// rotation in degrees (HeadPose conventions: yaw > 0 towards the actor's left, pitch > 0
    /// up). All 0 and `visible` false when the iris is not in view (irisVisible()).
    struct Gaze
    {
        float in = 0, out = 0, up = 0, down = 0;
        float yaw = 0, pitch = 0;
        bool visible = false;
    };
    Gaze gaze(const LandmarkFeatures &features, bool leftEye) const;
    /// Whether an iris shows in that eye: its strength (EyeGazeLocator) is at least
    /// kIrisVisible of the neutral's. False without a gaze measurement (strength 0).
    bool irisVisible(const LandmarkFeatures &features, bool leftEye) const;

private:
    LandmarkFeatures m_neutral;
};

} // namespace fa
