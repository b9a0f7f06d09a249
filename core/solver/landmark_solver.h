#pragma once

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
/// All other shapes (eye look directions, dimple, press, shrug, lower-down/upper-up, sneer,
/// cheek puff, tongue, jaw forward) stay 0: 68 sparse points do not observe them reliably.
class LandmarkSolver
{
public:
    // Eyes (fractions of the neutral lid gap, or face mm for the lower lid).
    static constexpr float kEyeDeadZone = 0.08f;
    static constexpr float kBlinkClosedOpenness = 0.45f;
    static constexpr float kWinkGain = 2.5f;
    static constexpr float kWinkDeadZone = 0.08f;
    static constexpr float kEyeWideRise = 0.30f;
    static constexpr float kLidDeadZone = 0.3f;
    static constexpr float kSquintRise = 2.0f;
    static constexpr float kCheekSquintRise = 3.0f;
    // Brows (face mm).
    static constexpr float kBrowDownDrop = 5.0f;
    static constexpr float kBrowGapNarrowing = 5.0f;
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
    static constexpr float kSmileRise = 6.0f;
    static constexpr float kFrownDrop = 4.0f;
    static constexpr float kStretchWiden = 5.0f;
    static constexpr float kPuckerNarrowing = 0.25f;  ///< fraction of the neutral width
    static constexpr float kFunnelOpen = 8.0f;
    static constexpr float kRollDeadZone = 0.1f;      ///< fraction of the neutral thickness
    static constexpr float kRollThinning = 0.5f;      ///< fraction of the neutral thickness

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

    /// ARKit weights in [0,1], indexed by fa::ArkitShape (Live Link Face order). All zeros
    /// when the solver is not calibrated or `features` is not valid.
    std::array<float, 52> solve(const LandmarkFeatures &features) const;

private:
    LandmarkFeatures m_neutral;
};

} // namespace fa
