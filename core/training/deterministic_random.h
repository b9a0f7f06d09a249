#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <random>

namespace fa {

// Portable random draws for data loading and augmentation.
//
// std::mt19937_64's output sequence is fixed by the C++ standard, but the algorithms of
// std::uniform_real_distribution, std::normal_distribution, std::shuffle ... are not: two
// standard libraries may turn the same engine state into different numbers. Everything that
// decides what a training batch contains goes through the functions below instead, so that the
// batch for a step is the same on every platform (and a run resumed elsewhere continues exactly).
// Pure functions of the engine state; each call advances the engine.

/// Uniform in [0, 1) with 53 random bits (one engine output).
double uniform01(std::mt19937_64 &rng);

/// Uniform in [low, high) (low when low == high).
double uniformReal(std::mt19937_64 &rng, double low, double high);

/// Uniform integer in [low, high], both included; low when high <= low. Unbiased (rejection).
std::int64_t uniformInt(std::mt19937_64 &rng, std::int64_t low, std::int64_t high);

/// Standard normal N(0, 1) by the Box-Muller transform (two engine outputs per draw).
double standardNormal(std::mt19937_64 &rng);

/// Fills `out` with `count` standard normal draws (Marsaglia's polar method, both values of
/// each accepted pair used): faster than standardNormal() for many values.
void fillStandardNormal(std::mt19937_64 &rng, float *out, std::size_t count);

/// True with probability p (uniform01(rng) < p); always draws.
bool bernoulli(std::mt19937_64 &rng, double p);

/// A 64-bit seed derived from several values (splitmix64 finaliser chained over the values):
/// e.g. deriveSeed({seed, epoch, position}) for one sample's engine. Different value lists
/// give unrelated seeds.
std::uint64_t deriveSeed(std::initializer_list<std::uint64_t> values);

} // namespace fa
