#pragma once

// A residual block of the rig decoder (REFERENCE.md section 5; the reference's CascadeNet):
// x + layer2(layer1(x)), each layer a DenseLayer (Linear, BatchNorm, ReLU, dropout) of the same
// width; no activation after the add. State-dict keys: layer1.*, layer2.* (DenseLayer's).

#include "nn/dense_layer.h"

namespace fa::nn {

class ResidualBlockImpl : public torch::nn::Module
{
public:
    ResidualBlockImpl(int64_t width, double dropout);

    /// x [B, width] -> [B, width].
    torch::Tensor forward(const torch::Tensor &x);

    DenseLayer layer1{nullptr};
    DenseLayer layer2{nullptr};
};

TORCH_MODULE(ResidualBlock);

} // namespace fa::nn
