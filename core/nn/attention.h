#pragma once

// Multi-head self-attention of timm 0.3.2's Block (qkv_bias=True, scale = head_dim^-0.5, no
// dropout), as MAE builds it. State-dict keys: qkv.weight [3D, D], qkv.bias [3D], proj.weight
// [D, D], proj.bias [D]. With LibTorch >= 2 the product runs through
// at::scaled_dot_product_attention (flash / memory-efficient kernels on CUDA); with 1.13 it is
// the explicit softmax(q k^T * scale) v of timm, operation for operation.

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace fa::nn {

class AttentionImpl : public torch::nn::Module
{
public:
    AttentionImpl(int dim, int numHeads);

    /// x [B, T, D] -> [B, T, D].
    torch::Tensor forward(const torch::Tensor &x);

    torch::nn::Linear qkv{nullptr};
    torch::nn::Linear proj{nullptr};

private:
    int m_numHeads;
    double m_scale;
};

TORCH_MODULE(Attention);

} // namespace fa::nn
