#pragma once

// MAE pre-training (internal to core/training): face crops -> MaskedAutoencoder.

#include "training/trainer.h"

namespace fa {

/// Data: FaceCropDataset (loadTrainingFaces) with MAE's augmentation (RandomResizedCrop scale
/// crop_scale_min-1 + horizontal flip; main_pretrain.py). Mask noise of step k: uniform [B, N]
/// from a CPU generator seeded with (seed, k), so masks do not depend on the device or on what
/// ran before (resume). Validation: mean loss over the validation crops through the eval
/// transform with fixed masks (seeded per batch). Samples: four crops (validation, else
/// training) with a fixed mask: masked input, prediction with the visible patches pasted back
/// (MAE's visualisation; with norm_pix_loss the prediction is mapped back with each target
/// patch's mean and variance), target.
std::unique_ptr<Trainer> makeMaeTrainer();

} // namespace fa
