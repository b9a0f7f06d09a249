#include "nn/optimizer_factory.h"

#include <torch/optim/adamw.h>
#include <torch/optim/sgd.h>

#include <tuple>
#include <vector>

namespace fa::nn {

namespace {

bool endsWith(const std::string &text, const std::string &suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::unique_ptr<torch::optim::OptimizerOptions> groupOptions(const OptimizerSettings &settings, double weightDecay)
{
    if (settings.kind == OptimizerKind::Sgd)
        return std::make_unique<torch::optim::SGDOptions>(
            torch::optim::SGDOptions(settings.lr).momentum(settings.momentum).weight_decay(weightDecay));
    return std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(settings.lr)
                                                            .betas(std::make_tuple(settings.beta1, settings.beta2))
                                                            .weight_decay(weightDecay));
}

} // namespace

bool isNoWeightDecayParameter(const std::string &name, const torch::Tensor &parameter)
{
    if (parameter.dim() <= 1 || endsWith(name, ".bias") || name == "bias")
        return true;
    const size_t dot = name.rfind('.');
    const std::string leaf = dot == std::string::npos ? name : name.substr(dot + 1);
    return leaf == "cls_token" || leaf == "mask_token" || leaf == "pos_embed" || leaf == "decoder_pos_embed";
}

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const torch::nn::Module &module,
                                                       const OptimizerSettings &settings)
{
    std::vector<torch::Tensor> decay;
    std::vector<torch::Tensor> noDecay;
    for (const auto &item : module.named_parameters(true)) {
        if (!item.value().requires_grad())
            continue;
        (isNoWeightDecayParameter(item.key(), item.value()) ? noDecay : decay).push_back(item.value());
    }
    std::vector<torch::optim::OptimizerParamGroup> groups;
    if (!decay.empty())
        groups.emplace_back(decay, groupOptions(settings, settings.weightDecay));
    if (!noDecay.empty())
        groups.emplace_back(noDecay, groupOptions(settings, 0.0));

    if (settings.kind == OptimizerKind::Sgd) {
        return std::make_unique<torch::optim::SGD>(
            groups, torch::optim::SGDOptions(settings.lr).momentum(settings.momentum).weight_decay(settings.weightDecay));
    }
    return std::make_unique<torch::optim::AdamW>(groups, torch::optim::AdamWOptions(settings.lr)
                                                             .betas(std::make_tuple(settings.beta1, settings.beta2))
                                                             .weight_decay(settings.weightDecay));
}

void setLearningRate(torch::optim::Optimizer &optimizer, double lr)
{
    for (auto &group : optimizer.param_groups())
        group.options().set_lr(lr);
}

} // namespace fa::nn
