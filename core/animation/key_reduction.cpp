#include "animation/key_reduction.h"

#include <cmath>
#include <utility>

namespace fa {

std::vector<KeyframeCurve::Key> reduceKeys(const std::vector<KeyframeCurve::Key> &keys,
                                           double tolerance)
{
    const int n = int(keys.size());
    if (n < 3)
        return keys;
    if (!(tolerance > 0.0))
        tolerance = 0.0;
    std::vector<unsigned char> keep(size_t(n), 0);
    keep.front() = 1;
    keep.back() = 1;
    // Explicit stack of (first, last) index ranges whose end keys are kept.
    std::vector<std::pair<int, int>> ranges{{0, n - 1}};
    while (!ranges.empty()) {
        const auto [first, last] = ranges.back();
        ranges.pop_back();
        if (last - first < 2)
            continue;
        const KeyframeCurve::Key &a = keys[size_t(first)];
        const KeyframeCurve::Key &b = keys[size_t(last)];
        const double span = double(b.frame) - double(a.frame);
        const double slope = span != 0.0 ? (double(b.value) - a.value) / span : 0.0;
        double worst = -1.0;
        int worstIndex = -1;
        for (int i = first + 1; i < last; ++i) {
            const KeyframeCurve::Key &k = keys[size_t(i)];
            const double line = a.value + slope * (double(k.frame) - a.frame);
            const double distance = std::abs(double(k.value) - line);
            if (distance > worst) {
                worst = distance;
                worstIndex = i;
            }
        }
        if (worst > tolerance) {
            keep[size_t(worstIndex)] = 1;
            ranges.emplace_back(first, worstIndex);
            ranges.emplace_back(worstIndex, last);
        }
    }
    std::vector<KeyframeCurve::Key> kept;
    for (int i = 0; i < n; ++i) {
        if (keep[size_t(i)])
            kept.push_back(keys[size_t(i)]);
    }
    return kept;
}

} // namespace fa
