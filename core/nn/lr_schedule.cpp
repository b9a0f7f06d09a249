#include "nn/lr_schedule.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fa::nn {

double warmupCosineLearningRate(int64_t step, int64_t warmupSteps, int64_t totalSteps, double baseLr, double minLr)
{
    step = std::max<int64_t>(step, 0);
    if (step < warmupSteps)
        return baseLr * static_cast<double>(step) / static_cast<double>(warmupSteps);
    const int64_t decaySteps = totalSteps - std::max<int64_t>(warmupSteps, 0);
    if (decaySteps <= 0 || step >= totalSteps)
        return minLr;
    const double progress = static_cast<double>(step - std::max<int64_t>(warmupSteps, 0)) / static_cast<double>(decaySteps);
    const double pi = std::acos(-1.0);
    return minLr + (baseLr - minLr) * 0.5 * (1.0 + std::cos(pi * progress));
}

double cosineWarmRestartsLearningRate(int64_t step, int64_t t0, double tMult, double baseLr, double minLr)
{
    step = std::max<int64_t>(step, 0);
    int64_t cycle = std::max<int64_t>(t0, 1);
    const int64_t multiplier = tMult >= 1.0 ? static_cast<int64_t>(std::min(tMult, 1e18)) : 1;
    // Integer walk over the cycles, as torch's step() does (its closed form for an explicit
    // epoch goes through a floating-point log and can land one cycle off at a boundary).
    int64_t position = step;
    if (multiplier == 1) {
        position = step % cycle;
    } else {
        while (position >= cycle) {
            position -= cycle;
            if (cycle > std::numeric_limits<int64_t>::max() / multiplier)
                break; // the next cycle outlasts any int64 step
            cycle *= multiplier;
        }
    }
    const double pi = std::acos(-1.0);
    const double progress = static_cast<double>(position) / static_cast<double>(cycle);
    return minLr + (baseLr - minLr) * (1.0 + std::cos(pi * progress)) / 2.0;
}

} // namespace fa::nn
