#pragma once

#include "animation/one_euro_filter.h"

#include <QString>

#include <optional>

namespace fa {

class AnimationClip;

enum class SmoothingMethod {
    None,        ///< leave the clip as it is
    OneEuro,     ///< causal, speed-adaptive (OneEuroFilter): what a live preview would show
    Butterworth, ///< zero-phase low-pass (ButterworthFilter::filtfilt): best for offline export
};

/// How smoothClip() smooths the control curves of a clip.
///
/// Defaults, chosen for facial animation solved at 25-60 fps:
/// - Butterworth, order 2, cutoff 6 Hz, zero-phase. Speech moves the lips at syllable rates of
///   about 3-7 Hz and blinks last 100-150 ms, so the useful content of facial curves lies below
///   about 6-8 Hz, while frame-to-frame solver jitter sits near the Nyquist frequency (12.5 Hz at
///   25 fps, 30 Hz at 60 fps). Run forward and backward, the order-2 filter has its -3 dB point
///   at 0.8 x 6 = 4.8 Hz and -6 dB at 6 Hz, still passes 3 Hz at -0.5 dB, and takes 12 Hz down by
///   about 24 dB: jitter goes, visemes and blinks stay. 6 Hz is below every Nyquist from 13 fps up.
///   Order 2 rings least on steps (blinks); raise the cutoff for fast lip-sync, lower it for
///   noisy solves.
/// - One-Euro: minCutoff 1.5 Hz (steady holds are jitter-free), beta 1.0 Hz per unit/s (a mouth
///   opening at 3 weight units/s raises the cutoff to about 4.5 Hz, so fast motion does not lag),
///   derivative cutoff 1 Hz as in the paper. Weights are in units of 1; head angles are filtered
///   in units of 90 degrees (a quarter turn counts as one unit) so that beta means the same.
struct SmoothingOptions
{
    SmoothingMethod method = SmoothingMethod::None;
    OneEuroFilter::Params oneEuro = {1.5, 1.0, 1.0};
    int butterworthOrder = 2;
    double butterworthCutoffHz = 6.0;
};

/// Smooths every control curve of `clip` in place.
///
/// Frames where clip.faceFound(f) is false carry no measurement, so they must not drag the
/// curve: each run of consecutive face-found frames is filtered on its own (the One-Euro filter
/// is reset at the start of each run, the Butterworth filter runs filtfilt over the run with
/// its own edge padding) and frames without a face keep their values. Runs of a single frame
/// are left as they are.
///
/// The One-Euro filter uses the frames' time stamps; the Butterworth filter assumes uniform
/// sampling at clip.fps(). Afterwards every control is clamped to [0,1] (rig values and
/// blendshape weights), except the head channels headYaw/headPitch/headRoll (degrees,
/// fa::arkit::rotationChannelNames(), matched case-insensitively), which are not clamped.
///
/// Returns false and sets `error` (clip untouched) when the Butterworth design fails, e.g. a
/// cutoff at or above the Nyquist frequency of the clip's fps, or an fps that is not positive.
/// SmoothingMethod::None returns true and changes nothing.
bool smoothClip(AnimationClip &clip, const SmoothingOptions &options, QString *error = nullptr);

/// Parses "one-euro", "butterworth" or "none" (case-insensitive, surrounding blanks ignored;
/// "oneeuro" and "1euro" are accepted too). Returns nullopt for anything else.
std::optional<SmoothingMethod> smoothingMethodFromString(const QString &name);

/// The name smoothingMethodFromString() accepts: "none", "one-euro" or "butterworth".
QString smoothingMethodName(SmoothingMethod method);

} // namespace fa
