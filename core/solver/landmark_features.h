#pragma once

#include "solver/face_landmarks.h"

#include <array>

namespace fa {

/// Raw geometric measurements of one face, taken from its 68 landmarks, that the
/// LandmarkSolver turns into ARKit weights.
///
/// Frame: the origin is the midpoint between the two eyes' corner midpoints ((36+39)/2 and
/// (42+45)/2); x points from the actor's right eye to the actor's LEFT eye, so in-plane roll is
/// removed and "left" is always the actor's own left; y is perpendicular to it, pointing down
/// the face.
///
/// Unit: "face millimetres". The pixel measurements are divided by the scale s (pixels per
/// millimetre) of a scaled-orthographic fit of the 13 rigid upper-face points of the generic
/// 3-D head of HeadPoseEstimator (nose bridge, nose base, eye corners; inter-ocular distance
/// 61 mm). s is the mean of the two singular values of the least-squares 2x3 projection, which
/// does not change when the head turns or nods, unlike the inter-ocular distance (shrinks with
/// yaw) or the eye-to-nose height (the protruding nose base moves down in the image by up to
/// 20 % when the head is lowered 20 degrees). Typical neutral values: eye lid gap 8-11, inner
/// brow 15-18 above the eye corners, mouth width 48-52, chin 60-65 below the nose base.
///
/// Sides are the actor's own: xxxLeft comes from the actor's left eye/brow/mouth corner, which
/// is on the image's right in an unmirrored frontal video.
struct LandmarkFeatures
{
    bool valid = false;            ///< false when the landmarks were empty or degenerate

    // Eyes. Lid gap = mean of the two upper/lower lid point pairs (37-41, 38-40 / 43-47, 44-46).
    float eyeOpenLeft = 0;         ///< lid gap; ~10 open; dlib keeps ~4-5 on a closed eye
    float eyeOpenRight = 0;
    float lowerLidLeft = 0;        ///< lower lid (mean of its 2 points) below the eye-corner line; the cheek raise (squint) lifts it
    float lowerLidRight = 0;

    // Brows: height above the same eye's corner midpoint.
    float browInnerLeft = 0;       ///< inner brow point (22 / 21)
    float browInnerRight = 0;
    float browOuterLeft = 0;       ///< mean of the two outer brow points (25,26 / 17,18)
    float browOuterRight = 0;
    float browGap = 0;             ///< x distance between the inner brow points 21-22; the corrugator (frown) narrows it

    // Mouth and jaw.
    float mouthWidth = 0;          ///< x distance between the outer lip corners 48-54
    float mouthOpen = 0;           ///< inner-lip gap, mean of 61-67, 62-66, 63-65; ~0 when the lips touch
    float jawDrop = 0;             ///< chin (8) below the subnasale (33), pitch-compensated (kJawPitchParallax)
    float jawLateral = 0;          ///< chin x; > 0 towards the actor's left (the chin lies about as deep as the eye corners, so head yaw hardly moves it in this frame)
    float mouthLateral = 0;        ///< mean x of the lip midline points 51,57,62,66, minus kLipYawParallax x the nose tip (30) x; > 0 towards the actor's left
    float cornerLeft = 0;          ///< height of the left lip corner (54) ABOVE the mouth line (kCornerLineFraction), pitch-compensated (kCornerPitchParallax); smiling raises it
    float cornerRight = 0;         ///< same for the right corner (48)
    float halfWidthLeft = 0;       ///< left corner (54) x
    float halfWidthRight = 0;      ///< minus the right corner (48) x
    float upperLipThickness = 0;   ///< outer top of the upper lip (51) to its inner edge (62); rolling the lip in thins it
    float lowerLipThickness = 0;   ///< inner edge of the lower lip (66) to its outer bottom (57)
    float lipThicknessLeft = 0;    ///< both lips at the left side: upper (52 to 63) plus lower (65 to 56); pressing thins them
    float lipThicknessRight = 0;   ///< the same at the right side (50 to 61, 67 to 58)
    float upperLipRaiseLeft = 0;   ///< upper lip top at the left (52) below the subnasale (33); raising the lip shortens it
    float upperLipRaiseRight = 0;  ///< the same at the right (50)
    float upperLipCentre = 0;      ///< upper lip top in the middle (51) below the subnasale (33)
    float lowerLipToChinLeft = 0;  ///< chin (8) below the lower lip's outer edge at the left (56), pitch-compensated (kLowerLipPitchParallax); pulling the lip down shortens it
    float lowerLipToChinRight = 0; ///< the same at the right (58)
    float noseWingLeft = 0;        ///< left nostril wing (35) below the eye-corner line, pitch-compensated (kNoseWingPitchParallax); the nose wrinkler lifts it
    float noseWingRight = 0;       ///< the same for the right wing (31)
    float cheekWidth = 0;          ///< width of the lower face outline (jaw line points 3-13 and 2-14, mean) over the outer eye-corner distance (36-45), a ratio (~1.9); puffed cheeks widen it

    // Gaze: the iris centre in each eye, from the frame's pixels (EyeGazeLocator, set by the
    // measuring pass; compute() leaves them 0). Units: half eye widths from the eye-corner
    // midpoint; x along the eye from its outer towards its inner corner, y down the face.
    float irisLeftX = 0;           ///< > 0 looking towards the nose (in) with the left eye
    float irisLeftY = 0;           ///< > 0 looking down
    float irisRightX = 0;
    float irisRightY = 0;
    float irisLeftStrength = 0;    ///< how clearly an iris shows (EyeGazeLocator::Result::strength); 0 = not measured
    float irisRightStrength = 0;

    /// The lip midline lies about half as far in front of the eye corners as the nose tip
    /// does, so when the head turns it shifts sideways by about 0.45 x the nose tip's shift
    /// (least-squares slope measured on the head turns of liveportrait_d3, 354 frames).
    static constexpr float kLipYawParallax = 0.45f;
    /// Head pitch makes points at different depths slide vertically against each other. Its
    /// proxy is the nose tip's drop below the eye line minus its frontal value
    /// kNoseTipDropFrontal (33 mm on the generic head, and the median of liveportrait_d3):
    /// the tip lies about 40 mm in front of the eye corners, so it moves 40 sin(pitch).
    static constexpr float kNoseTipDropFrontal = 33.f;
    /// The chin lies about 20 mm behind the subnasale: looking down shortens the chin drop by
    /// about half the tip's shift (geometric estimate, 20 / 40), which is added back.
    static constexpr float kJawPitchParallax = 0.5f;
    /// The lip centre lies in front of the lip corners, so looking down lifts the corners
    /// above the mouth line (a false smile) and looking up lowers them (a false frown); slope
    /// of the corner height on the pitch proxy, least squares over the 238 frames of
    /// liveportrait_d3 without smile or open mouth (0.26 right, 0.43 left).
    static constexpr float kCornerPitchParallax = 0.35f;
    /// The mouth line at which the corners sit at rest: this fraction of the way from the
    /// upper inner-lip centre (62) to the lower one (66). With an open mouth the corners stay at
    /// about 45 % of the opening (median over the open-mouth surprise of liveportrait_d3, left
    /// 0.48, right 0.44, with the pitch compensation applied), so opening the jaw alone neither
    /// smiles nor frowns.
    static constexpr float kCornerLineFraction = 0.45f;
    /// The nostril wings lie about 25 mm in front of the eye corners: looking down moves them
    /// down by 25 / 40 of the nose tip's shift, which is taken off.
    static constexpr float kNoseWingPitchParallax = 0.6f;
    /// The lower lip lies about 12 mm in front of the chin: looking down shortens the chin's
    /// drop below it by 12 / 40 of the nose tip's shift, which is added back.
    static constexpr float kLowerLipPitchParallax = 0.3f;

    /// Number of float measurements (everything but `valid`) and their access by index, for
    /// per-feature statistics (LandmarkSolver::calibrateFromClip) and CSV dumps.
    static constexpr int kCount = 36;
    /// Of those, the first kLandmarkCount come from the 68 landmarks (compute()); the gaze
    /// measurements after them from the frame's pixels.
    static constexpr int kLandmarkCount = 30;
    float value(int i) const;
    float &value(int i);
    /// Member name ("eyeOpenLeft") of measurement i in [0, kCount).
    static const char *name(int i);

    /// Measures `landmarks`. Returns valid == false (all zeros) when they are empty or
    /// degenerate (coincident eyes, no scale).
    static LandmarkFeatures compute(const FaceLandmarks &landmarks);

    /// The scale s in pixels per face millimetre of `landmarks` (0 when degenerate).
    static float faceScale(const FaceLandmarks &landmarks);
};

} // namespace fa
