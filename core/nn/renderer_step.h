#pragma once

// One optimisation step of the neural renderer, with the behaviour of train_step.h's maeStep:
// zero the gradients, forward (bf16 autocast only on CUDA inputs), check the loss, backward,
// clip, step. A non-finite loss or gradient norm skips the optimizer step (weights and optimizer
// state unchanged; BatchNorm running statistics did see the batch, as in Python) and reports
// finite = false.

#include "nn/neural_renderer.h"
#include "nn/train_step.h"

#include <torch/optim/optimizer.h>

namespace fa::nn {

/// rigs [B, n] in [0, 1], images [B, 3, S, S] in [0, 1] (the targets), regionMask
/// [B or 1, 1, S, S] in {0, 1}; loss = regionWeightedL1(model(rigs), images, regionMask,
/// regionWeight) in float32 (the reference: regionWeight 10, Adam lr 1e-5 betas (0, 0.99)).
/// Puts the model in train mode. B >= 2 (BatchNorm in train mode).
StepResult rendererStep(NeuralRenderer &model, torch::optim::Optimizer &optimizer, const torch::Tensor &rigs,
                        const torch::Tensor &images, const torch::Tensor &regionMask, double regionWeight,
                        const StepOptions &options = {});

} // namespace fa::nn
