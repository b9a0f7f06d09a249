#include "nn/attention.h"

#include "nn/linear_forward.h"

#include <torch/version.h>

#include <ATen/Functions.h>

#include <cmath>

namespace fa::nn {

AttentionImpl::AttentionImpl(int dim, int numHeads)
    : m_numHeads(numHeads)
    , m_scale(1.0 / std::sqrt(static_cast<double>(dim / numHeads)))
{
    qkv = register_module("qkv", torch::nn::Linear(torch::nn::LinearOptions(dim, 3 * dim).bias(true)));
    proj = register_module("proj", torch::nn::Linear(dim, dim));
}

torch::Tensor AttentionImpl::forward(const torch::Tensor &x)
{
    const int64_t batch = x.size(0);
    const int64_t tokens = x.size(1);
    const int64_t width = x.size(2);
    // [B, T, 3, H, D/H] -> [3, B, H, T, D/H]
    const torch::Tensor packed =
        linearForward(qkv, x).reshape({batch, tokens, 3, m_numHeads, width / m_numHeads}).permute({2, 0, 3, 1, 4});
    const torch::Tensor q = packed[0];
    const torch::Tensor k = packed[1];
    const torch::Tensor v = packed[2];
#if TORCH_VERSION_MAJOR >= 2
    // Same default scale (1/sqrt(head_dim)); fused kernels where the device has them.
    (void)m_scale;
    torch::Tensor out = at::scaled_dot_product_attention(q, k, v);
#else
    torch::Tensor attn = at::matmul(q, k.transpose(-2, -1)) * m_scale;
    attn = attn.softmax(-1);
    torch::Tensor out = at::matmul(attn, v);
#endif
    return linearForward(proj, out.transpose(1, 2).reshape({batch, tokens, width}));
}

} // namespace fa::nn
