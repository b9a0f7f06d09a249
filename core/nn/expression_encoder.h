#pragma once

// Expression encoder of FreeAvatar (REFERENCE.md section 2): a ViT with global average pooling
// over the patch tokens, fc_norm, a linear head to E outputs and L2 normalisation. It is a
// VisionTransformer(globalPool = true, numClasses = E), so its state-dict keys are exactly those
// of MAE's models_vit.VisionTransformer(global_pool=True): cls_token, pos_embed, patch_embed.*,
// blocks.*, head.*, fc_norm.*.
// Starting from MAE weights: loadStateDictInto(encoder, maeStateDict, maeOnlyPrefixes(), ...)
// copies the encoder keys; norm.*, decoder_* and mask_token are ignored, fc_norm.* and head.*
// stay as initialised (reported missing).

#include "nn/vision_transformer.h"

#include <string>
#include <vector>

namespace fa::nn {

struct ExpressionOutput
{
    torch::Tensor embedding;  ///< [B, E] unit L2 norm (F.normalize, eps 1e-12)
    torch::Tensor feature;    ///< [B, D] pooled feature after fc_norm (what the 16-d head reads)
    /// [B, D] mean of the patch tokens after the last block, before fc_norm: what the reference's
    /// rig decoder consumes (REFERENCE.md section 5).
    torch::Tensor patchMean;
};

class ExpressionEncoderImpl : public VisionTransformerImpl
{
public:
    explicit ExpressionEncoderImpl(const VitConfig &config, int embeddingSize = 16);

    /// images [B, C, S, S] normalised with the face mean/std -> embedding and feature.
    ExpressionOutput forward(const torch::Tensor &images);

    int embeddingSize() const { return m_embeddingSize; }

    /// Key prefixes of a MAE state dict that have no counterpart here.
    static std::vector<std::string> maeOnlyPrefixes();

private:
    int m_embeddingSize;
};

TORCH_MODULE(ExpressionEncoder);

} // namespace fa::nn
