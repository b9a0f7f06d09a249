#pragma once

#include "training/image_augmentation.h"

#include <cstdint>

namespace fa {

/// What a batch maker (ImageBatchMaker, TripletBatchMaker) builds for each step.
struct BatchSettings
{
    int batchSize = 64;
    int imageSize = 224;  ///< square side of the images given to the model
    FaceAugmentation augmentation = FaceAugmentation::eval();
    std::uint64_t seed = 0;
    /// One pass over the data in order (evaluation, embedding; last batch may be smaller) instead
    /// of endless shuffled epochs (training). See SampleOrder.
    bool sequential = false;
};

} // namespace fa
