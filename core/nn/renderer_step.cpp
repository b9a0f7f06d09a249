#include "nn/renderer_step.h"

#include "nn/autocast_guard.h"
#include "nn/renderer_loss.h"

#include <torch/autograd.h>

#include <cmath>
#include <limits>

namespace fa::nn {

StepResult rendererStep(NeuralRenderer &model, torch::optim::Optimizer &optimizer, const torch::Tensor &rigs,
                        const torch::Tensor &images, const torch::Tensor &regionMask, double regionWeight,
                        const StepOptions &options)
{
    model->train();
    optimizer.zero_grad();
    torch::Tensor prediction;
    {
        AutocastGuard autocast(options.bf16Autocast && rigs.is_cuda());
        prediction = model->forward(rigs);
    }
    const torch::Tensor loss = regionWeightedL1(prediction, images, regionMask, regionWeight);

    // As train_step.cpp's finishStep.
    StepResult result;
    result.loss = loss.item<double>();
    result.gradNorm = std::numeric_limits<double>::quiet_NaN();
    if (!std::isfinite(result.loss))
        return result;
    loss.backward();
    result.gradNorm = clipGradientNorm(model->parameters(), options.clipNorm);
    if (!std::isfinite(result.gradNorm)) {
        optimizer.zero_grad();
        return result;
    }
    optimizer.step();
    result.finite = true;
    return result;
}

} // namespace fa::nn
