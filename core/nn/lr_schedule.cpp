#include "nn/lr_schedule.h"

#include <algorithm>
#include <cmath>

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

} // namespace fa::nn
