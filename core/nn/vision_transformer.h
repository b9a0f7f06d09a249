#pragma once

// Vision Transformer with MAE's fixed sin-cos position embedding (facebookresearch/mae
// models_vit.py over timm 0.3.2's VisionTransformer). State-dict keys, in timm's order:
//   cls_token [1, 1, D], pos_embed [1, 1 + N, D], patch_embed.proj.{weight,bias},
//   blocks.<i>.{norm1,attn.qkv,attn.proj,norm2,mlp.fc1,mlp.fc2}.{weight,bias},
//   then norm.{weight,bias} (globalPool = false), head.{weight,bias} (numClasses > 0),
//   then fc_norm.{weight,bias} (globalPool = true; models_vit adds it after head).
// pos_embed is a parameter with requires_grad = false holding the 2-D sin-cos table (as MAE's
// encoder; a loaded checkpoint may overwrite it). Weights are initialised as MAE's
// initialize_weights (weight_init.h).

#include "nn/patch_embed.h"
#include "nn/transformer_block.h"
#include "nn/vit_config.h"

namespace fa::nn {

class VisionTransformerImpl : public torch::nn::Module
{
public:
    /// `config` must be valid (VitConfig::validationError() empty). numClasses <= 0: no head.
    VisionTransformerImpl(const VitConfig &config, bool globalPool, int numClasses);

    /// images [B, C, S, S] (normalised) -> tokens [B, 1 + N, D] after the last block, before any
    /// norm: cls token first, then patches in row-major order.
    torch::Tensor tokens(const torch::Tensor &images);
    /// images -> [B, D]: globalPool: fc_norm(mean of the patch tokens) (models_vit, global_pool);
    /// otherwise norm(tokens)[:, 0] (the cls token).
    torch::Tensor pooledFeature(const torch::Tensor &images);
    /// head(pooledFeature) [B, numClasses], or pooledFeature when there is no head.
    torch::Tensor forward(const torch::Tensor &images);

    const VitConfig &config() const { return m_config; }
    bool globalPool() const { return m_globalPool; }

    PatchEmbed patch_embed{nullptr};
    torch::Tensor cls_token;
    torch::Tensor pos_embed;
    torch::nn::ModuleList blocks{nullptr};
    torch::nn::LayerNorm norm{nullptr};     ///< null when globalPool
    torch::nn::Linear head{nullptr};        ///< null when numClasses <= 0
    torch::nn::LayerNorm fc_norm{nullptr};  ///< null unless globalPool

private:
    VitConfig m_config;
    bool m_globalPool;
};

TORCH_MODULE(VisionTransformer);

} // namespace fa::nn
