#pragma once

// Order statistics the bench programs print: linear-interpolated percentiles (numpy's default
// "linear" method) and the median.

#include <algorithm>
#include <vector>

namespace fa::bench {

/// The p-quantile (p in [0, 1]) of `values`, interpolated linearly between order statistics;
/// 0 for no values.
inline double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const double index = p * double(values.size() - 1);
    const size_t lo = size_t(index);
    const size_t hi = std::min(lo + 1, values.size() - 1);
    return values[lo] + (values[hi] - values[lo]) * (index - double(lo));
}

inline double median(std::vector<double> values)
{
    return percentile(std::move(values), 0.5);
}

} // namespace fa::bench
