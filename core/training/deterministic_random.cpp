#include "training/deterministic_random.h"

#include <cmath>
#include <limits>

namespace fa {
namespace {

constexpr double kPi = 3.14159265358979323846;

// splitmix64's output function (Steele, Lea, Flood, "Fast splittable pseudorandom number
// generators", OOPSLA 2014): a bijective mixer of 64-bit values.
std::uint64_t mix64(std::uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

} // namespace

double uniform01(std::mt19937_64 &rng)
{
    return double(rng() >> 11) * (1.0 / 9007199254740992.0); // 2^-53
}

double uniformReal(std::mt19937_64 &rng, double low, double high)
{
    return low + (high - low) * uniform01(rng);
}

std::int64_t uniformInt(std::mt19937_64 &rng, std::int64_t low, std::int64_t high)
{
    if (high <= low)
        return low;
    const std::uint64_t range = std::uint64_t(high) - std::uint64_t(low); // count - 1
    if (range == std::numeric_limits<std::uint64_t>::max())
        return std::int64_t(rng());
    const std::uint64_t count = range + 1;
    // Largest multiple of count that fits: values at or above it are redrawn.
    const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % count;
    std::uint64_t value = rng();
    while (value >= limit)
        value = rng();
    return low + std::int64_t(value % count);
}

double standardNormal(std::mt19937_64 &rng)
{
    // 1 - u lies in (0, 1], so the logarithm is finite.
    const double u1 = 1.0 - uniform01(rng);
    const double u2 = uniform01(rng);
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * kPi * u2);
}

void fillStandardNormal(std::mt19937_64 &rng, float *out, std::size_t count)
{
    std::size_t i = 0;
    while (i < count) {
        const double u = 2.0 * uniform01(rng) - 1.0;
        const double v = 2.0 * uniform01(rng) - 1.0;
        const double s = u * u + v * v;
        if (s >= 1.0 || s == 0.0)
            continue;
        const double factor = std::sqrt(-2.0 * std::log(s) / s);
        out[i++] = float(u * factor);
        if (i < count)
            out[i++] = float(v * factor);
    }
}

bool bernoulli(std::mt19937_64 &rng, double p)
{
    return uniform01(rng) < p;
}

std::uint64_t deriveSeed(std::initializer_list<std::uint64_t> values)
{
    std::uint64_t state = 0x9E3779B97F4A7C15ULL;
    for (std::uint64_t value : values)
        state = mix64(state ^ mix64(value + 0x9E3779B97F4A7C15ULL));
    return state;
}

} // namespace fa
