#include "nn/patch_embed.h"

namespace fa::nn {

PatchEmbedImpl::PatchEmbedImpl(int imageSize, int patchSize, int inChannels, int embedDim)
    : m_patchSize(patchSize)
    , m_numPatches((imageSize / patchSize) * (imageSize / patchSize))
{
    proj = register_module(
        "proj", torch::nn::Conv2d(torch::nn::Conv2dOptions(inChannels, embedDim, patchSize).stride(patchSize)));
}

torch::Tensor PatchEmbedImpl::forward(const torch::Tensor &images)
{
    // timm: self.proj(x).flatten(2).transpose(1, 2)
    return proj->forward(images).flatten(2).transpose(1, 2);
}

} // namespace fa::nn
