#pragma once

#include "solver/landmark_features.h"

#include <vector>

namespace fa {

/// Finds an actor's rest face (the neutral pose every weight is measured from) in a clip, also
/// when the clip starts in an expression or stays in one most of the time (a clip that smiles
/// for two thirds of its length has a smiling median frame, and a neutral taken per feature
/// from the median calls the real rest face a pucker).
///
/// Method: a search for the most relaxed frames across all features jointly.
///  1. Each frame is scored by its distance to a population rest face: per feature, the median
///     and robust spread (1.4826 x the median absolute deviation) of LandmarkFeatures measured
///     on 17 neutral faces of 17 people (the "normal" and "neutral" photos of the shared Yale,
///     face-api and Pexels sets; face millimetres, so independent of image size), as the sum of
///     squared standardised differences, each capped at 9 (3 spreads) so that no single
///     feature, nor a feature an actor is born with far from the average, decides alone. Eye
///     openness counts only below the population's (expressions close the eyes far more often
///     than they widen them, and large eyes must not make blinks look restful), the lip gap
///     and jaw drop only above it (expressions only open them). Mouth
///     and eye features carry this ranking: a smile moves the mouth width 4 spreads and the
///     corners 3, an open mouth the lip gap 20, while people differ little at rest; brows
///     differ as much between people as between expressions and weigh little.
///  2. The kRestShare most relaxed frames (at least kMinRestFrames) are kept, and the median of
///     each feature over them is a first rest face. The search is repeated kRefinements times
///     with that actor's own rest face in place of the population's, so the chosen frames
///     converge on the clip's calmest stretch for this face rather than for the average face.
///  3. The neutral is the per-feature median over the final frames: a blink or a word among
///     them does not move it.
///
/// Frames with a turned or tilted head (|yaw| or |pitch| above kPoseLimit degrees, when poses
/// are given) are scored last, since a turned head distorts the 2-D measurements.
///
/// Failure cases: a clip with no rest face at all (smiling throughout) yields its least
/// expressive frames, so the weights of that expression stay low; an actor whose rest face
/// is far from the population's in one feature (a wide mouth, low brows) is still ranked by the
/// others, but if the actor's calmest frames are rare and short (under kRestShare of the clip)
/// a slight expression can be taken for rest. The user's neutral frame (RetargetOptions::
/// neutralFrame, "Neutral = This Frame") overrides the estimate.
class NeutralPoseEstimator
{
public:
    static constexpr double kRestShare = 0.15;
    static constexpr int kMinRestFrames = 5;
    static constexpr int kRefinements = 3;
    static constexpr float kPoseLimit = 20.f;

    struct Result
    {
        LandmarkFeatures neutral;     ///< valid == false when no frame is valid
        std::vector<int> restFrames;  ///< indices into the input of the frames it came from, ascending
    };

    /// The rest face of `frames` (invalid ones are skipped). `yawPitch`, when not empty, holds
    /// each frame's head yaw and pitch in degrees (same length as `frames`).
    static Result estimate(const std::vector<LandmarkFeatures> &frames,
                           const std::vector<std::pair<float, float>> &yawPitch = {});

    /// The population rest value and spread of feature i (face mm); spread 0 for features the
    /// ranking does not use (the lateral shifts: the face's own midline is their rest).
    static float populationRest(int feature);
    static float populationSpread(int feature);
};

} // namespace fa
