#pragma once

// Learning-rate schedules: MAE's (util/lr_sched.py adjust_learning_rate), applied per step
// instead of per fractional epoch: linear warm-up from 0, then a half-cycle cosine to minLr; and
// the neural renderer's cosine annealing with warm restarts (PyTorch's scheduler).

#include <cstdint>

namespace fa::nn {

/// step < warmupSteps: baseLr * step / warmupSteps (0 at step 0, as MAE's first iteration);
/// otherwise minLr + (baseLr - minLr) * 0.5 * (1 + cos(pi * (step - warmupSteps) /
/// (totalSteps - warmupSteps))). Steps past totalSteps (or totalSteps <= warmupSteps after the
/// warm-up) give minLr; negative steps count as 0.
double warmupCosineLearningRate(int64_t step, int64_t warmupSteps, int64_t totalSteps, double baseLr,
                                double minLr = 0.0);

/// PyTorch's CosineAnnealingWarmRestarts(T_0 = t0, T_mult = tMult, eta_min = minLr) stepped once
/// per iteration (the neural renderer: t0 500, tMult 2, baseLr 1e-5, minLr 1e-6): the learning
/// rate of iteration `step` (0 = before the first scheduler.step()). Cycle i lasts
/// T_i = t0 * tMult^i iterations; within it, at T_cur iterations from its start,
/// lr = minLr + (baseLr - minLr) * (1 + cos(pi * T_cur / T_i)) / 2, so every cycle starts at
/// baseLr. Like torch, T_mult is an integer: tMult is truncated and values below 1 count as 1;
/// t0 below 1 counts as 1 and negative steps as 0 (torch rejects these).
double cosineWarmRestartsLearningRate(int64_t step, int64_t t0, double tMult, double baseLr, double minLr);

} // namespace fa::nn
