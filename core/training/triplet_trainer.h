#pragma once

// Triplet fine-tuning (internal to core/training): triplets -> ExpressionEncoder.

#include "training/trainer.h"

namespace fa {

/// Data: TripletDataset (loadTrainingTriplets) with the fine-tuning augmentation
/// (RandomResizedCrop scale crop_scale_min-1, ratio 7/8-8/7, bicubic; RandAugment; random
/// erasing). An epoch is a permutation of ALL triplets (SampleOrder): the reference's dataset
/// reports a length of 100, so its "epoch" saw 100 triplets (REFERENCE.md section 7).
/// Validation: triplet prediction accuracy, overall and per type, with every image through
/// the eval transform (the reference validates with the training augmentation, REFERENCE.md
/// section 7). Samples: four query faces and their four nearest faces (validation images, else
/// training images, at most 256) by embedding distance.
std::unique_ptr<Trainer> makeTripletTrainer();

} // namespace fa
