#pragma once

// Training loss of the neural renderer (REFERENCE.md section 4, the reference's train_rig2img.py):
// L1 over the whole image plus a weighted L1 inside the mouth and eye boxes.

#include <ATen/core/Tensor.h>

namespace fa::nn {

/// mean(|p - t|) + regionWeight * mean(|p - t| * mask), both means over every element of the
/// [B, 3, S, S] difference (the reference's L1Loss(image * mask, target * mask), which for a
/// {0, 1} mask is the second term; it is not normalised by the mask area). prediction and target
/// [B, C, S, S] in [0, 1]; regionMask [B or 1, 1, S, S] in {0, 1} (broadcast over channels, and
/// over the batch when its first size is 1); regionWeight: the reference uses 10. Computed in
/// float32 whatever the prediction dtype (bf16 under autocast); a 0-d float tensor with a
/// gradient through `prediction`. Shape errors are torch's (c10::Error).
at::Tensor regionWeightedL1(const at::Tensor &prediction, const at::Tensor &target, const at::Tensor &regionMask,
                            double regionWeight);

} // namespace fa::nn
