#pragma once

// Transformer MLP of timm 0.3.2 (Mlp: fc1, exact erf GELU, fc2; no dropout). State-dict keys:
// fc1.weight [H, D], fc1.bias [H], fc2.weight [D, H], fc2.bias [D], H = int(D * mlp_ratio).

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace fa::nn {

class MlpImpl : public torch::nn::Module
{
public:
    MlpImpl(int dim, int hiddenDim);

    /// x [..., D] -> [..., D].
    torch::Tensor forward(const torch::Tensor &x);

    torch::nn::Linear fc1{nullptr};
    torch::nn::Linear fc2{nullptr};
};

TORCH_MODULE(Mlp);

} // namespace fa::nn
