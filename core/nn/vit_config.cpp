#include "nn/vit_config.h"

namespace fa::nn {

namespace {

VitConfig preset(int embedDim, int depth, int numHeads)
{
    VitConfig config;
    config.embedDim = embedDim;
    config.depth = depth;
    config.numHeads = numHeads;
    return config;
}

} // namespace

std::string VitConfig::validationError() const
{
    if (imageSize <= 0 || patchSize <= 0 || inChannels <= 0 || embedDim <= 0 || depth < 0 || numHeads <= 0)
        return "ViT sizes must be positive";
    if (imageSize % patchSize != 0)
        return "image size " + std::to_string(imageSize) + " is not a multiple of the patch size "
            + std::to_string(patchSize);
    if (embedDim % numHeads != 0)
        return "embedding width " + std::to_string(embedDim) + " is not a multiple of the head count "
            + std::to_string(numHeads);
    if (embedDim % 4 != 0)
        return "embedding width " + std::to_string(embedDim)
            + " is not a multiple of 4 (2-D sin-cos position embedding)";
    if (!(mlpRatio > 0.0) || mlpHiddenDim() <= 0)
        return "MLP ratio must be positive";
    if (!(layerNormEps > 0.0))
        return "LayerNorm epsilon must be positive";
    return {};
}

VitConfig VitConfig::tiny()
{
    return preset(192, 12, 3);
}

VitConfig VitConfig::small()
{
    return preset(384, 12, 6);
}

VitConfig VitConfig::base()
{
    return preset(768, 12, 12);
}

std::optional<VitConfig> VitConfig::fromPresetName(const std::string &name)
{
    if (name == "tiny")
        return tiny();
    if (name == "small")
        return small();
    if (name == "vit-b" || name == "base")
        return base();
    return std::nullopt;
}

std::string MaeDecoderConfig::validationError() const
{
    if (embedDim <= 0 || depth < 0 || numHeads <= 0)
        return "MAE decoder sizes must be positive";
    if (embedDim % numHeads != 0)
        return "decoder width " + std::to_string(embedDim) + " is not a multiple of the head count "
            + std::to_string(numHeads);
    if (embedDim % 4 != 0)
        return "decoder width " + std::to_string(embedDim)
            + " is not a multiple of 4 (2-D sin-cos position embedding)";
    if (!(maskRatio >= 0.0 && maskRatio < 1.0))
        return "mask ratio must lie in [0, 1)";
    return {};
}

} // namespace fa::nn
