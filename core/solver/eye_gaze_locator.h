#pragma once

#include "solver/face_landmarks.h"

#include <opencv2/core/mat.hpp>

namespace fa {

/// Where the iris sits in each eye, from the pixels of the eye region: the gaze measurement of
/// the landmark solver (eyeLook*, eye yaw and pitch), which 68 landmarks alone cannot give.
///
/// Method: the gradient-based eye-centre locator of Timm & Barth ("Accurate eye centre
/// localisation by means of gradients", VISAPP 2011), restricted to the eye contour. The eye
/// is resampled upright into a patch where its corners are kEyeWidth pixels apart (so the cost
/// and the behaviour do not depend on the image size); each candidate centre c inside the lid
/// contour scores the mean over the eye region's strong gradients g_i at x_i of
/// max(0, d_i . g_i)^2, d_i the unit vector from c to x_i (the edges of a dark disc all point
/// away from its centre), times the darkness at c (255 minus the smoothed grey level: the
/// pupil is dark). The best candidate is refined to sub-pixel by the score-weighted centroid of
/// its 3x3 neighbourhood.
///
/// Result units: half eye widths from the eye-corner midpoint, x along the eye from its outer
/// towards its inner corner (> 0: looking towards the nose), y down the face (> 0: looking
/// down); the same for both eyes. `strength` is the best score divided by 100: about 1.2 for an
/// open eye in the shared videos, 0.8-1.1 looking down, 0.6-0.7 for a closed eye whose lashes
/// leave little of a disc. It is compared with the actor's own rest value, never used as an
/// absolute. Eyeliner or glasses can keep it high on a closed eye: the solver then trusts the
/// lid gap (a closed eye's centre does not read as looking down unless it sits low).
///
/// Cost: about 0.2 ms per eye on one core. Deterministic; never throws (an empty or
/// unsupported image, or degenerate landmarks, give strength 0).
class EyeGazeLocator
{
public:
    static constexpr int kEyeWidth = 40;  ///< corner-to-corner distance in the working patch, pixels

    struct Eye
    {
        float x = 0;        ///< iris centre along the eye, half eye widths (> 0: towards the nose)
        float y = 0;        ///< iris centre down the face, half eye widths (> 0: below the corners)
        float strength = 0; ///< best score / 100; 0 when not measured
    };
    struct Result
    {
        Eye left;  ///< the actor's left eye (landmarks 42-47)
        Eye right; ///< the actor's right eye (landmarks 36-41)
    };

    /// Measures both eyes of `landmarks` in an 8-bit grey, BGR or BGRA frame.
    static Result locate(const cv::Mat &frame, const FaceLandmarks &landmarks);
    /// The same on a frame already converted to 8-bit grey (the measuring pass does it once).
    static Result locateInGrey(const cv::Mat &grey, const FaceLandmarks &landmarks);
};

} // namespace fa
