#pragma once

// Learning-rate schedule of MAE (util/lr_sched.py adjust_learning_rate), applied per step
// instead of per fractional epoch: linear warm-up from 0, then a half-cycle cosine to minLr.

#include <cstdint>

namespace fa::nn {

/// step < warmupSteps: baseLr * step / warmupSteps (0 at step 0, as MAE's first iteration);
/// otherwise minLr + (baseLr - minLr) * 0.5 * (1 + cos(pi * (step - warmupSteps) /
/// (totalSteps - warmupSteps))). Steps past totalSteps (or totalSteps <= warmupSteps after the
/// warm-up) give minLr; negative steps count as 0.
double warmupCosineLearningRate(int64_t step, int64_t warmupSteps, int64_t totalSteps, double baseLr,
                                double minLr = 0.0);

} // namespace fa::nn
