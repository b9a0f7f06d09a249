#include "renderset/portable_random.h"

namespace fa::renderset {

double uniform01(std::mt19937_64 &rng)
{
    return double(rng() >> 11) * (1.0 / 9007199254740992.0); // 2^-53
}

std::int64_t uniformInt(std::mt19937_64 &rng, std::int64_t low, std::int64_t high)
{
    if (high <= low)
        return low;
    const std::uint64_t range = std::uint64_t(high) - std::uint64_t(low) + 1u;
    if (range == 0) // the whole 64-bit range
        return std::int64_t(rng());
    const std::uint64_t limit = ~std::uint64_t(0) - (~std::uint64_t(0) % range + 1u) % range;
    std::uint64_t draw = rng();
    while (draw > limit)
        draw = rng();
    return std::int64_t(std::uint64_t(low) + draw % range);
}

double approximateNormal(std::mt19937_64 &rng)
{
    double sum = 0.0;
    for (int i = 0; i < 12; ++i)
        sum += uniform01(rng);
    return sum - 6.0;
}

std::uint64_t deriveSeed(std::initializer_list<std::uint64_t> values)
{
    std::uint64_t state = 0x9E3779B97F4A7C15ull;
    for (std::uint64_t value : values) {
        std::uint64_t z = state ^ (value + 0x9E3779B97F4A7C15ull + (state << 6) + (state >> 2));
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        state = z ^ (z >> 31);
    }
    return state;
}

} // namespace fa::renderset
