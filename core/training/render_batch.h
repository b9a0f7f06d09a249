#pragma once

#include "training/sample_order.h"

#include <ATen/core/Tensor.h>

#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

namespace fa {

class RenderPairSet;

/// (rig, image) pairs of one neural-renderer step, CPU.
struct RenderBatch
{
    std::int64_t step = 0;
    at::Tensor rigs;   ///< float32 [B, n], raw control values
    at::Tensor images; ///< float32 [B, 3, S, S], RGB in [0, 1]
    std::vector<qsizetype> indices; ///< render-set item of each row
};

/// Builds the RenderBatch of any step from a list of render-set items (BatchLoader's maker):
/// the items of SampleOrder (shuffled epochs from the seed, or one sequential pass), so the
/// batch of a step depends only on the set, the items, the seed and the step. No augmentation:
/// the renderer learns the exact image of a rig. Copyable; make() is const and thread-safe.
class RenderBatchMaker
{
public:
    using Batch = RenderBatch;

    RenderBatchMaker(std::shared_ptr<const RenderPairSet> set, std::vector<qsizetype> items, int batchSize,
                     std::uint64_t seed, bool sequential);

    std::int64_t stepCount() const { return m_order->stepCount(); }

    /// False with "step K: PATH: what" when an image cannot be read, "the data set is empty", or
    /// "step K: past the end of the data" (sequential).
    bool make(std::int64_t step, RenderBatch *batch, QString *error) const;

private:
    std::shared_ptr<const RenderPairSet> m_set;
    std::shared_ptr<const std::vector<qsizetype>> m_items;
    std::shared_ptr<const SampleOrder> m_order;
};

} // namespace fa
