#include "nn/vision_transformer.h"

#include "nn/linear_forward.h"
#include "nn/position_embedding.h"
#include "nn/weight_init.h"

#include <torch/nn/init.h>
#include <torch/utils.h>

#include <ATen/Functions.h>

namespace fa::nn {

VisionTransformerImpl::VisionTransformerImpl(const VitConfig &config, bool globalPool, int numClasses)
    : m_config(config)
    , m_globalPool(globalPool)
{
    const int dim = config.embedDim;
    const auto normOptions = torch::nn::LayerNormOptions({dim}).eps(config.layerNormEps);
    patch_embed = register_module(
        "patch_embed", PatchEmbed(config.imageSize, config.patchSize, config.inChannels, dim));
    cls_token = register_parameter("cls_token", torch::zeros({1, 1, dim}));
    pos_embed = register_parameter(
        "pos_embed", sincosPositionEmbedding2d(dim, config.gridSize(), true).unsqueeze(0), /*requires_grad=*/false);
    blocks = register_module(
        "blocks", makeTransformerBlocks(config.depth, dim, config.numHeads, config.mlpHiddenDim(), config.layerNormEps));
    if (!globalPool)
        norm = register_module("norm", torch::nn::LayerNorm(normOptions));
    if (numClasses > 0)
        head = register_module("head", torch::nn::Linear(dim, numClasses));
    if (globalPool)
        fc_norm = register_module("fc_norm", torch::nn::LayerNorm(normOptions));

    // MAE's initialize_weights (the encoder part): pos_embed is already the sin-cos table.
    initPatchEmbedAsLinear(*patch_embed);
    {
        torch::NoGradGuard noGrad;
        torch::nn::init::normal_(cls_token, 0.0, 0.02);
    }
    initLinearAndLayerNorm(*this);
}

torch::Tensor VisionTransformerImpl::tokens(const torch::Tensor &images)
{
    torch::Tensor x = patch_embed->forward(images);
    // models_vit.forward_features: cat(cls, patches) + pos_embed.
    x = at::cat({cls_token.expand({x.size(0), -1, -1}), x}, 1);
    x = x + pos_embed;
    return runTransformerBlocks(blocks, x);
}

torch::Tensor VisionTransformerImpl::pooledFeature(const torch::Tensor &images)
{
    const torch::Tensor x = tokens(images);
    if (m_globalPool)
        return fc_norm->forward(x.slice(1, 1).mean(1));
    return norm->forward(x).select(1, 0);
}

torch::Tensor VisionTransformerImpl::forward(const torch::Tensor &images)
{
    const torch::Tensor feature = pooledFeature(images);
    return head ? linearForward(head, feature) : feature;
}

} // namespace fa::nn
