#pragma once

#include "animation/one_euro_filter.h"

#include <QString>

#include <vector>

namespace fa {

/// A smoothing filter applied to a span of a rig curve by AnimateDocument::filterKeys().
///  - Butterworth: zero-phase low-pass (ButterworthFilter::lowPass(order, cutoffHz, fps)
///    .filtfilt); the span must be longer than filtfilt's padding 3 (order + 1) frames.
///  - OneEuro: the 1€ filter run forward over the frames' times (causal, adaptive).
///  - Gaussian: gaussianSmooth(sigma in frames) (scipy gaussian_filter1d, mode 'reflect').
struct CurveFilter
{
    enum class Kind { Butterworth, OneEuro, Gaussian };

    Kind kind = Kind::Butterworth;
    int butterworthOrder = 2;
    double cutoffHz = 6.0;
    OneEuroFilter::Params oneEuro = {1.5, 1.0, 1.0};
    double gaussianSigmaFrames = 2.0;
};

/// Filters `values` (one sample per frame; times[i] in seconds is the time of sample i, used by
/// the One-Euro filter) in place with `filter` at `fps`. False + error ("<filter>: what is
/// wrong"), values untouched, when the filter cannot be designed or the span is too short
/// (fewer than 2 samples; Butterworth: not more than filtfilt's padding 3 (order + 1)).
bool applyCurveFilter(const CurveFilter &filter, double fps, const std::vector<double> &times,
                      std::vector<double> &values, QString *error);

} // namespace fa
