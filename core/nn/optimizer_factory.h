#pragma once

// Optimizers for MAE pre-training (AdamW, betas 0.9/0.95, weight decay 0.05) and triplet
// fine-tuning (SGD, momentum 0.9, weight decay 5e-5) (REFERENCE.md section 2), with timm's
// param_groups_weight_decay split: no weight decay on 1-d parameters (norms), biases and the
// tokens/position tables (cls_token, mask_token, pos_embed, decoder_pos_embed; timm's
// no_weight_decay()). Frozen parameters (requires_grad = false) are left out, as timm does.

#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>

#include <memory>
#include <string>

namespace fa::nn {

enum class OptimizerKind { AdamW, Sgd };

struct OptimizerSettings
{
    OptimizerKind kind = OptimizerKind::AdamW;
    double lr = 1.5e-4;        ///< initial learning rate of both groups (the schedule sets it per step)
    double weightDecay = 0.05; ///< decoupled (AdamW) or L2 (SGD) weight decay of the decay group
    double beta1 = 0.9;        ///< AdamW
    double beta2 = 0.95;       ///< AdamW (MAE)
    double momentum = 0.9;     ///< SGD
};

/// Parameter group 0: decayed parameters (settings.weightDecay); group 1: the no-decay
/// parameters (weight decay 0). A group with no parameters is left out (never for our networks).
/// Never null. The optimizer keeps shared handles to the module's parameter tensors.
std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const torch::nn::Module &module,
                                                       const OptimizerSettings &settings);

/// True when the named parameter goes to the no-decay group (see above).
bool isNoWeightDecayParameter(const std::string &name, const torch::Tensor &parameter);

/// Sets the learning rate of every parameter group.
void setLearningRate(torch::optim::Optimizer &optimizer, double lr);

} // namespace fa::nn
