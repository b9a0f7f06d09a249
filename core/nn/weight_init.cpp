#include "nn/weight_init.h"

#include "nn/patch_embed.h"

#include <torch/nn/init.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/utils.h>

namespace fa::nn {

void initLinearAndLayerNorm(torch::nn::Module &root)
{
    torch::NoGradGuard noGrad;
    for (const auto &child : root.children())
        initLinearAndLayerNorm(*child);
    if (auto *linear = dynamic_cast<torch::nn::LinearImpl *>(&root)) {
        torch::nn::init::xavier_uniform_(linear->weight);
        if (linear->bias.defined())
            torch::nn::init::zeros_(linear->bias);
    } else if (auto *norm = dynamic_cast<torch::nn::LayerNormImpl *>(&root)) {
        if (norm->weight.defined())
            torch::nn::init::ones_(norm->weight);
        if (norm->bias.defined())
            torch::nn::init::zeros_(norm->bias);
    }
}

void initPatchEmbedAsLinear(PatchEmbedImpl &patchEmbed)
{
    torch::NoGradGuard noGrad;
    torch::Tensor weight = patchEmbed.proj->weight;
    torch::Tensor flat = weight.view({weight.size(0), -1});
    torch::nn::init::xavier_uniform_(flat);
}

} // namespace fa::nn
