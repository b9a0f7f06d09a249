#include "nn/train_step.h"

#include "nn/autocast_guard.h"
#include "nn/triplet_loss.h"

#include <torch/autograd.h>

#include <ATen/Functions.h>

#include <cmath>
#include <limits>

namespace fa::nn {

namespace {

StepResult finishStep(const torch::Tensor &loss, torch::nn::Module &model, torch::optim::Optimizer &optimizer,
                      const StepOptions &options)
{
    StepResult result;
    result.loss = loss.item<double>();
    result.gradNorm = std::numeric_limits<double>::quiet_NaN();
    if (!std::isfinite(result.loss))
        return result;
    loss.backward();
    result.gradNorm = clipGradientNorm(model.parameters(), options.clipNorm);
    if (!std::isfinite(result.gradNorm)) {
        optimizer.zero_grad();
        return result;
    }
    optimizer.step();
    result.finite = true;
    return result;
}

} // namespace

double clipGradientNorm(const std::vector<torch::Tensor> &parameters, double clipNorm)
{
    std::vector<torch::Tensor> norms;
    std::vector<torch::Tensor> grads;
    for (const auto &parameter : parameters) {
        const torch::Tensor &grad = parameter.grad();
        if (!grad.defined())
            continue;
        grads.push_back(grad);
        norms.push_back(grad.detach().norm(2).to(at::kFloat));
    }
    if (grads.empty())
        return 0.0;
    const torch::Tensor total = norms.size() == 1 ? norms.front() : at::stack(norms).norm(2);
    const double norm = total.item<double>();
    if (clipNorm > 0.0 && std::isfinite(norm)) {
        const double coefficient = clipNorm / (norm + 1e-6);
        if (coefficient < 1.0) {
            torch::NoGradGuard noGrad;
            for (auto &grad : grads)
                grad.mul_(coefficient);
        }
    }
    return norm;
}

StepResult maeStep(MaskedAutoencoder &model, torch::optim::Optimizer &optimizer, const torch::Tensor &images,
                   const torch::Tensor &noise, const StepOptions &options)
{
    model->train();
    optimizer.zero_grad();
    torch::Tensor loss;
    {
        AutocastGuard autocast(options.bf16Autocast && images.is_cuda());
        loss = model->forward(images, noise).loss;
    }
    return finishStep(loss.to(at::kFloat), *model, optimizer, options);
}

StepResult tripletStep(ExpressionEncoder &model, torch::optim::Optimizer &optimizer, const torch::Tensor &anchor,
                       const torch::Tensor &positive, const torch::Tensor &negative, const torch::Tensor &margins,
                       const StepOptions &options)
{
    model->train();
    optimizer.zero_grad();
    const int64_t batch = anchor.size(0);
    torch::Tensor embedding;
    {
        AutocastGuard autocast(options.bf16Autocast && anchor.is_cuda());
        embedding = model->forward(at::cat({anchor, positive, negative}, 0)).embedding;
    }
    const auto parts = embedding.to(at::kFloat).split(batch, 0);
    const torch::Tensor loss = symmetricTripletLoss(parts[0], parts[1], parts[2], margins.to(embedding.device()));
    return finishStep(loss, *model, optimizer, options);
}

} // namespace fa::nn
