#pragma once

#include <cstdint>
#include <initializer_list>
#include <random>

namespace fa::renderset {

// Random draws whose bytes are the same on every platform: std::mt19937_64's output sequence is
// fixed by the C++ standard, the algorithms of the standard distributions are not, so the
// render sets draw through these functions only (integer arithmetic and exact float steps; no
// libm calls).

/// Uniform in [0, 1) from the top 53 bits of one engine output.
double uniform01(std::mt19937_64 &rng);

/// Uniform integer in [low, high], both included; low when high <= low. Unbiased (rejection).
std::int64_t uniformInt(std::mt19937_64 &rng, std::int64_t low, std::int64_t high);

/// Approximately standard normal: the Irwin-Hall sum of 12 uniforms minus 6 (mean 0, variance
/// exactly 1, tails cut at +-6). Only additions, so bit-identical everywhere, unlike Box-Muller
/// through std::log/std::cos whose last bits differ between C libraries.
double approximateNormal(std::mt19937_64 &rng);

/// A 64-bit seed derived from several values (the splitmix64 finaliser chained over them).
std::uint64_t deriveSeed(std::initializer_list<std::uint64_t> values);

} // namespace fa::renderset
