#pragma once

#include "avatar/rig_definition.h"

#include <QString>

#include <array>
#include <cstdint>
#include <vector>

namespace fa {

/// The kinds of rig a render set mixes (RigSampler).
enum class RigSampleKind { Neutral, Sparse, Symmetric, Real };
constexpr int kRigSampleKindCount = 4;

/// "neutral", "sparse", "symmetric", "real" (the keys of dataset.json's mixture).
QString rigSampleKindName(RigSampleKind kind);

/// The mixture of rig kinds a RigSampler draws, as fractions of the count (they need not sum
/// to 1: they are normalised; negative values count as 0). Defaults:
/// - 5 % neutral: every control at 0 (clamped into its range);
/// - 45 % sparse: `minActive`..`maxActive` distinct controls (uniform count, uniform choice)
///   at uniform values in their [minimum, maximum], the others at 0;
/// - 20 % symmetric: a sparse rig made left/right-symmetric: every active control that has a
///   mirror twin (RigSampler::mirrorOf) gives both the larger of their two values;
/// - 30 % real: a frame of real rig curves (uniform choice among the frames given) plus
///   approximately Gaussian noise of `noiseSigma` x (maximum - minimum) on every control,
///   clamped to the range. Without real frames this share goes to sparse.
struct RigSamplerOptions
{
    double neutral = 0.05;
    double sparse = 0.45;
    double symmetric = 0.20;
    double real = 0.30;
    int minActive = 1;
    int maxActive = 4;
    double noiseSigma = 0.05;
};

/// Rig vectors for an avatar's rig, deterministic from a seed (identical bytes on every
/// platform: std::mt19937_64 and hand-written draws, renderset/portable_random.h).
///
/// kinds(count, seed) fixes the exact count per kind (largest-remainder rounding of the
/// normalised fractions) and shuffles them with the seed; sample(kind, seed, index) draws rig
/// `index` from its own engine seeded by (seed, index), so any sample can be drawn alone, in
/// any order, with the same result.
class RigSampler
{
public:
    explicit RigSampler(const RigDefinition &rig, const RigSamplerOptions &options = {});

    const RigDefinition &rig() const { return m_rig; }
    const RigSamplerOptions &options() const { return m_options; }

    /// Real rig frames in rig order (controlCount() values each; rows of another length are
    /// ignored). Values are clamped into the controls' ranges when sampled.
    void setRealFrames(std::vector<std::vector<float>> frames);
    qsizetype realFrameCount() const { return qsizetype(m_realFrames.size()); }

    /// Fractions actually used, normalised to sum 1 (real = 0, added to sparse, when there are
    /// no real frames; all zero fractions give all sparse), indexed by RigSampleKind.
    std::array<double, kRigSampleKindCount> effectiveFractions() const;
    /// Exact count per kind for `count` rigs (largest remainder, ties to the earlier kind).
    std::array<qsizetype, kRigSampleKindCount> kindCounts(qsizetype count) const;
    /// The kind of each of `count` rigs: kindCounts() shuffled by `seed` (Fisher-Yates).
    std::vector<RigSampleKind> kinds(qsizetype count, std::uint64_t seed) const;

    /// Rig `index` of kind `kind`: controlCount() values within the ranges.
    std::vector<float> sample(RigSampleKind kind, std::uint64_t seed, qsizetype index) const;

    /// Index of the control that mirrors control `control` left <-> right, or -1. ARKit names
    /// (any spelling arkit::indexOf() accepts) pair by shape (eyeBlinkLeft <-> eyeBlinkRight);
    /// other names by swapping the last side marker: Left/Right, left/right, LEFT/RIGHT, and the
    /// suffixes _L/_R, .L/.R, _l/_r, and prefixes L_/R_, to a name the rig has.
    int mirrorOf(int control) const { return m_mirror[size_t(control)]; }

private:
    std::vector<float> sparse(std::uint64_t seed, qsizetype index) const;

    RigDefinition m_rig;
    RigSamplerOptions m_options;
    std::vector<int> m_mirror;
    std::vector<std::vector<float>> m_realFrames;
};

} // namespace fa
