#pragma once

// One optimisation step of the rig decoder, with the behaviour of train_step.h's steps: zero the
// gradients, forward (bf16 autocast only on CUDA inputs), check the loss, backward, clip the
// decoder's gradients, step. A non-finite loss or gradient norm skips the optimizer step and
// reports finite = false. Only the decoder (and its identity table) learns: the encoder and the
// renderers must be frozen (freezeModule), and the optimizer must hold only decoder parameters.

#include "nn/rig_decoder_loss.h"
#include "nn/train_step.h"

#include <torch/optim/optimizer.h>

namespace fa::nn {

/// The weighted terms of one step (plain numbers, before the step).
struct RigDecoderStepTerms
{
    double rig = 0.0;
    double embedding = 0.0;
    double image = 0.0;
    double symmetry = 0.0;
};

/// Puts the decoder in train mode (B >= 2: BatchNorm) and runs rigDecoderLoss on `batch`.
/// `terms`, when not null, receives the unweighted terms.
StepResult rigDecoderStep(RigDecoder &decoder, ExpressionEncoder &encoder, const std::vector<DecoderAvatar> &avatars,
                          torch::optim::Optimizer &optimizer, const RigDecoderBatch &batch,
                          const RigDecoderLossOptions &lossOptions, const StepOptions &options = {},
                          RigDecoderStepTerms *terms = nullptr);

} // namespace fa::nn
