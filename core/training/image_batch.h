#pragma once

#include "training/batch_settings.h"
#include "training/face_crop_dataset.h"
#include "training/sample_order.h"

#include <ATen/core/Tensor.h>

#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

namespace fa {

/// Images of one step: float32 [B, 3, S, S] normalised RGB (face_normalization.h), CPU.
struct ImageBatch
{
    std::int64_t step = 0;
    at::Tensor images;
    std::vector<qsizetype> indices; ///< dataset item of each row
};

/// Builds the ImageBatch of any step from a FaceCropDataset (MAE pre-training, evaluation,
/// embedding): the items of SampleOrder, each decoded and passed through the settings'
/// FaceAugmentation with its own engine (seeded from (seed, epoch, position)). The batch of a
/// step depends only on the data, the settings and the step. Copyable; make() is const and
/// thread-safe.
class ImageBatchMaker
{
public:
    using Batch = ImageBatch;

    ImageBatchMaker(std::shared_ptr<const FaceCropDataset> dataset, const BatchSettings &settings);

    /// -1 (endless) unless the settings are sequential.
    std::int64_t stepCount() const { return m_order->stepCount(); }
    const BatchSettings &settings() const { return m_settings; }
    const FaceCropDataset &dataset() const { return *m_dataset; }

    /// False with "step K: ORIGIN: what" in `error` when an image cannot be read, or with
    /// "the data set is empty" / "step K: past the end of the data" (sequential).
    bool make(std::int64_t step, ImageBatch *batch, QString *error) const;

private:
    std::shared_ptr<const FaceCropDataset> m_dataset;
    BatchSettings m_settings;
    std::shared_ptr<const SampleOrder> m_order;
};

} // namespace fa
