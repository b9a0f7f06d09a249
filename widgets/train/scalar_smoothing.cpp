#include "train/scalar_smoothing.h"

#include <algorithm>
#include <cmath>

namespace fa::ui {

std::vector<double> debiasedEma(const std::vector<double> &values, double weight)
{
    if (!std::isfinite(weight))
        weight = 0;
    weight = std::clamp(weight, 0.0, 1.0);
    if (values.empty() || std::all_of(values.begin(), values.end(), [&](double v) { return v == values.front(); }))
        return values;
    std::vector<double> smoothed;
    smoothed.reserve(values.size());
    double last = 0;
    int accumulated = 0;
    for (double value : values) {
        if (!std::isfinite(value)) {
            smoothed.push_back(value);
            continue;
        }
        last = last * weight + (1 - weight) * value;
        ++accumulated;
        const double debias = weight == 1 ? 1 : 1 - std::pow(weight, accumulated);
        smoothed.push_back(last / debias);
    }
    return smoothed;
}

} // namespace fa::ui
