#pragma once

#include "training/batch_settings.h"
#include "training/sample_order.h"
#include "training/triplet_dataset.h"

#include <ATen/core/Tensor.h>

#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

namespace fa {

/// Triplets of one step: anchor, positive, negative float32 [B, 3, S, S] normalised RGB (CPU);
/// types int64 [B] (int(fa::TripletType): 0 one-class, 1 two-class, 2 three-class); margins
/// float32 [B] (fa::tripletMargin: 0.1 one-class, 0.2 otherwise; REFERENCE.md section 2).
struct TripletBatch
{
    std::int64_t step = 0;
    at::Tensor anchor;
    at::Tensor positive;
    at::Tensor negative;
    at::Tensor types;
    at::Tensor margins;
    std::vector<qsizetype> indices; ///< triplet of each row
};

/// Builds the TripletBatch of any step from a TripletDataset (triplet fine-tuning with
/// FaceAugmentation::tripletTraining(), evaluation with eval() and sequential settings): the
/// triplets of SampleOrder; the three images of a triplet are augmented independently, in the
/// order anchor, positive, negative, with one engine per triplet seeded from (seed, epoch,
/// position). Copyable; make() is const and thread-safe.
class TripletBatchMaker
{
public:
    using Batch = TripletBatch;

    TripletBatchMaker(std::shared_ptr<const TripletDataset> dataset, const BatchSettings &settings);

    std::int64_t stepCount() const { return m_order->stepCount(); }
    const BatchSettings &settings() const { return m_settings; }
    const TripletDataset &dataset() const { return *m_dataset; }

    /// False with "step K: ORIGIN: what" in `error` when an image cannot be read, or with
    /// "the triplet set is empty" / "step K: past the end of the data" (sequential).
    bool make(std::int64_t step, TripletBatch *batch, QString *error) const;

private:
    std::shared_ptr<const TripletDataset> m_dataset;
    BatchSettings m_settings;
    std::shared_ptr<const SampleOrder> m_order;
};

} // namespace fa
