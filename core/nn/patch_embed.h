#pragma once

// Patch embedding of timm's VisionTransformer (timm 0.3.2 PatchEmbed, as MAE uses it): a p x p
// convolution with stride p, flattened to tokens. State-dict keys: proj.weight [D, C, p, p],
// proj.bias [D].

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

namespace fa::nn {

class PatchEmbedImpl : public torch::nn::Module
{
public:
    PatchEmbedImpl(int imageSize, int patchSize, int inChannels, int embedDim);

    /// images [B, C, S, S] -> tokens [B, N, D], N = (S/p)^2 in row-major patch order.
    torch::Tensor forward(const torch::Tensor &images);

    int patchSize() const { return m_patchSize; }
    int numPatches() const { return m_numPatches; }

    torch::nn::Conv2d proj{nullptr};

private:
    int m_patchSize;
    int m_numPatches;
};

TORCH_MODULE(PatchEmbed);

} // namespace fa::nn
