#include "nn/transformer_block.h"

namespace fa::nn {

TransformerBlockImpl::TransformerBlockImpl(int dim, int numHeads, int mlpHiddenDim, double layerNormEps)
{
    // Registration order = timm's attribute order = state-dict order.
    norm1 = register_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim}).eps(layerNormEps)));
    attn = register_module("attn", Attention(dim, numHeads));
    norm2 = register_module("norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim}).eps(layerNormEps)));
    mlp = register_module("mlp", Mlp(dim, mlpHiddenDim));
}

torch::Tensor TransformerBlockImpl::forward(const torch::Tensor &x)
{
    torch::Tensor y = x + attn->forward(norm1->forward(x));
    return y + mlp->forward(norm2->forward(y));
}

torch::nn::ModuleList makeTransformerBlocks(int depth, int dim, int numHeads, int mlpHiddenDim, double layerNormEps)
{
    torch::nn::ModuleList blocks;
    for (int i = 0; i < depth; ++i)
        blocks->push_back(TransformerBlock(dim, numHeads, mlpHiddenDim, layerNormEps));
    return blocks;
}

torch::Tensor runTransformerBlocks(const torch::nn::ModuleList &blocks, torch::Tensor x)
{
    for (const auto &block : *blocks)
        x = block->as<TransformerBlockImpl>()->forward(x);
    return x;
}

} // namespace fa::nn
