#pragma once

// Pre-norm transformer block of timm 0.3.2 (Block, as MAE instantiates it with qkv_bias=True and
// LayerNorm eps 1e-6): x + attn(norm1(x)), then x + mlp(norm2(x)); no dropout, no drop-path.
// State-dict keys: norm1.{weight,bias}, attn.{qkv,proj}.{weight,bias}, norm2.{weight,bias},
// mlp.{fc1,fc2}.{weight,bias}.

#include "nn/attention.h"
#include "nn/mlp.h"

#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/normalization.h>

namespace fa::nn {

class TransformerBlockImpl : public torch::nn::Module
{
public:
    TransformerBlockImpl(int dim, int numHeads, int mlpHiddenDim, double layerNormEps);

    /// x [B, T, D] -> [B, T, D].
    torch::Tensor forward(const torch::Tensor &x);

    torch::nn::LayerNorm norm1{nullptr};
    Attention attn{nullptr};
    torch::nn::LayerNorm norm2{nullptr};
    Mlp mlp{nullptr};
};

TORCH_MODULE(TransformerBlock);

/// `depth` blocks in a ModuleList (keys "<i>.norm1.weight", ...).
torch::nn::ModuleList makeTransformerBlocks(int depth, int dim, int numHeads, int mlpHiddenDim, double layerNormEps);

/// Runs x through every TransformerBlock of `blocks` in order.
torch::Tensor runTransformerBlocks(const torch::nn::ModuleList &blocks, torch::Tensor x);

} // namespace fa::nn
