#include "nn/rig_decoder_step.h"

#include "nn/autocast_guard.h"

#include <torch/autograd.h>

#include <cmath>
#include <limits>

namespace fa::nn {

StepResult rigDecoderStep(RigDecoder &decoder, ExpressionEncoder &encoder, const std::vector<DecoderAvatar> &avatars,
                          torch::optim::Optimizer &optimizer, const RigDecoderBatch &batch,
                          const RigDecoderLossOptions &lossOptions, const StepOptions &options,
                          RigDecoderStepTerms *terms)
{
    decoder->train();
    optimizer.zero_grad();
    RigDecoderLossTerms loss;
    {
        AutocastGuard autocast(options.bf16Autocast && batch.avatars.is_cuda());
        loss = rigDecoderLoss(decoder, encoder, avatars, batch, lossOptions);
    }
    if (terms) {
        terms->rig = loss.rig.item<double>();
        terms->embedding = loss.embedding.item<double>();
        terms->image = loss.image.item<double>();
        terms->symmetry = loss.symmetry.item<double>();
    }

    // As train_step.cpp's finishStep.
    StepResult result;
    result.loss = loss.total.item<double>();
    result.gradNorm = std::numeric_limits<double>::quiet_NaN();
    if (!std::isfinite(result.loss))
        return result;
    loss.total.backward();
    result.gradNorm = clipGradientNorm(decoder->parameters(), options.clipNorm);
    if (!std::isfinite(result.gradNorm)) {
        optimizer.zero_grad();
        return result;
    }
    optimizer.step();
    result.finite = true;
    return result;
}

} // namespace fa::nn
