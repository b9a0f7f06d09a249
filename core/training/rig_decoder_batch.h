#pragma once

#include <ATen/core/Tensor.h>

#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

namespace fa {

class RigDecoderData;

/// One rig-decoder step's samples, CPU (the fields of nn::RigDecoderBatch, with the source
/// faces as their precomputed encoder outputs).
struct RigDecoderBatchData
{
    std::int64_t step = 0;
    at::Tensor patchMean;    ///< float32 [B, D]
    at::Tensor embedding;    ///< float32 [B, E]
    at::Tensor avatars;      ///< int64 [B]
    at::Tensor rigTargets;   ///< float32 [B, n_max]
    at::Tensor rigWeights;   ///< float32 [B, n_max], 1 where a control has a target
    at::Tensor imageTargets; ///< float32 [B, 3, S, S] (S = RigDecoderData::imageSize()), zeros where none
    at::Tensor imageWeights; ///< float32 [B], 1 for the avatar's own renders
};

/// Which source faces a sample can come from, per avatar, and how batches mix them.
struct RigDecoderSampling
{
    std::vector<std::vector<std::int64_t>> renderItems; ///< per avatar: render-set items to draw from
    std::vector<std::int64_t> faceItems;                ///< real faces to draw from (any avatar)
    double renderShare = 0.5; ///< probability that a sample is one of its avatar's renders
};

/// Builds the batch of any step (BatchLoader's maker), a pure function of the data, the
/// sampling, the seed and the step. Each sample: an avatar drawn uniformly (each identity row
/// trains equally often); then, with probability renderShare (always when there is no real
/// face, never when the avatar has no render), one of that avatar's renders (rig and image
/// targets: its rig and its image), else a real face (rig targets from the landmark solver on
/// the avatar's ARKit controls when the face has them; no image target). Copyable; make() is
/// const and thread-safe.
class RigDecoderBatchMaker
{
public:
    using Batch = RigDecoderBatchData;

    RigDecoderBatchMaker(std::shared_ptr<const RigDecoderData> data, RigDecoderSampling sampling, int batchSize,
                         std::uint64_t seed);

    std::int64_t stepCount() const { return -1; }

    /// False with "step K: PATH: what" when a render cannot be read.
    bool make(std::int64_t step, RigDecoderBatchData *batch, QString *error) const;

    /// The batch of explicit (avatar, render item or -1, real face or -1) samples (validation).
    bool makeFrom(const std::vector<std::int64_t> &avatars, const std::vector<std::int64_t> &renderItems,
                  const std::vector<std::int64_t> &faces, RigDecoderBatchData *batch, QString *error) const;

private:
    std::shared_ptr<const RigDecoderData> m_data;
    std::shared_ptr<const RigDecoderSampling> m_sampling;
    int m_batchSize = 8;
    std::uint64_t m_seed = 0;
};

} // namespace fa
