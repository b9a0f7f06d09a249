#pragma once

// One optimisation step of MAE pre-training or triplet fine-tuning: zero the gradients, forward
// (optionally under bf16 autocast on CUDA), check the loss, backward, clip, step. A non-finite
// loss or gradient norm skips the optimizer step (weights and optimizer state unchanged) and
// reports finite = false; the caller decides to stop (training keeps its last good checkpoint).

#include "nn/expression_encoder.h"
#include "nn/masked_autoencoder.h"

#include <torch/optim/optimizer.h>

namespace fa::nn {

struct StepOptions
{
    double clipNorm = 0.0;     ///< max global L2 norm of the gradients; 0 = no clipping
    bool bf16Autocast = false; ///< bf16 autocast of the forward pass; only on CUDA inputs
};

struct StepResult
{
    double loss = 0.0;     ///< loss before the step
    double gradNorm = 0.0; ///< global L2 norm of the gradients before clipping (NaN when no backward ran)
    bool finite = false;   ///< false: loss or gradients not finite, nothing was changed
};

/// images [B, C, S, S] normalised, noise [B, N] in [0, 1) (MaskedAutoencoderImpl::forward).
StepResult maeStep(MaskedAutoencoder &model, torch::optim::Optimizer &optimizer, const torch::Tensor &images,
                   const torch::Tensor &noise, const StepOptions &options = {});

/// anchor/positive/negative [B, C, S, S] normalised, margins [B]; the three batches go through
/// ONE forward of [3B, C, S, S]; loss = symmetricTripletLoss on the float32 embeddings.
StepResult tripletStep(ExpressionEncoder &model, torch::optim::Optimizer &optimizer, const torch::Tensor &anchor,
                       const torch::Tensor &positive, const torch::Tensor &negative, const torch::Tensor &margins,
                       const StepOptions &options = {});

/// Global L2 norm of the gradients of `parameters` (those with a gradient); when clipNorm > 0
/// and the norm is finite, scales them by min(1, clipNorm / (norm + 1e-6)) as
/// torch.nn.utils.clip_grad_norm_. Returns the norm before clipping (0 when no gradient).
double clipGradientNorm(const std::vector<torch::Tensor> &parameters, double clipNorm);

} // namespace fa::nn
