#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace fa {

/// How close images are to the renders they stand for, summed over a pass and averaged by
/// mean(). Images are RGB in [0, 1].
struct RenderScores
{
    double l1 = 0;       ///< mean |prediction - target| over every pixel and channel
    double psnr = 0;     ///< mean over images of 10 log10(1 / MSE) (MSE floored at 1e-10), dB
    double regionL1 = 0; ///< mean |prediction - target| over the pixels inside the mouth and eye boxes
    double loss = 0;     ///< the training loss: l1-over-the-image + w x mean(|p - t| x mask) (nn/renderer_loss.h)
    std::int64_t images = 0;

    /// Adds a batch: prediction / target [B, 3, S, S], mask [1, 1, S, S] (0/1), weight w.
    void add(const at::Tensor &prediction, const at::Tensor &target, const at::Tensor &mask, double regionWeight);
    /// The averages (each sum divided by the images added); all 0 when none was added.
    RenderScores mean() const;
};

} // namespace fa
