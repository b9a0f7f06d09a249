#pragma once

// Masked autoencoder (He et al. 2021), numerically as facebookresearch/mae models_mae.py
// MaskedAutoencoderViT over timm 0.3.2 blocks. State-dict keys (MAE's order):
//   cls_token [1,1,D], pos_embed [1,1+N,D], mask_token [1,1,Dd], decoder_pos_embed [1,1+N,Dd],
//   patch_embed.proj.*, blocks.<i>.*, norm.*, decoder_embed.* [Dd, D], decoder_blocks.<i>.*,
//   decoder_norm.*, decoder_pred.* [p*p*C, Dd].
// Both position embeddings are fixed sin-cos parameters with requires_grad = false.
// The published mae_pretrain_vit_base.pth holds the encoder part of these keys.

#include "nn/patch_embed.h"
#include "nn/transformer_block.h"
#include "nn/vit_config.h"

namespace fa::nn {

struct MaeOutput
{
    torch::Tensor loss;        ///< scalar: mean over masked patches of the per-patch MSE
    torch::Tensor prediction;  ///< [B, N, p*p*C] predicted (normalised if normPixLoss) patches
    torch::Tensor mask;        ///< [B, N] float, 1 = masked (removed), 0 = kept
};

class MaskedAutoencoderImpl : public torch::nn::Module
{
public:
    /// Both configs must be valid (validationError() empty).
    MaskedAutoencoderImpl(const VitConfig &encoder, const MaeDecoderConfig &decoder);

    /// images [B, C, S, S] normalised; noise [B, N] uniform in [0, 1) on the images' device,
    /// supplied by the caller so masking is reproducible (MAE draws torch.rand): per sample the
    /// int(N * (1 - maskRatio)) patches with the lowest noise are kept, the rest masked.
    /// Loss as MAE's forward_loss (norm_pix_loss: target = (x - mean) / sqrt(var + 1e-6) per patch,
    /// unbiased variance). maskRatio 0 leaves no masked patch and a NaN loss, as in MAE.
    MaeOutput forward(const torch::Tensor &images, const torch::Tensor &noise);

    /// images [B, C, S, S] -> [B, N, p*p*C], each row (p, q, c) ordered (MAE patchify).
    torch::Tensor patchify(const torch::Tensor &images) const;
    /// Inverse of patchify: [B, N, p*p*C] -> [B, C, S, S].
    torch::Tensor unpatchify(const torch::Tensor &patches) const;

    const VitConfig &encoderConfig() const { return m_encoder; }
    const MaeDecoderConfig &decoderConfig() const { return m_decoder; }

    // Encoder
    PatchEmbed patch_embed{nullptr};
    torch::Tensor cls_token;
    torch::Tensor pos_embed;
    torch::nn::ModuleList blocks{nullptr};
    torch::nn::LayerNorm norm{nullptr};
    // Decoder
    torch::nn::Linear decoder_embed{nullptr};
    torch::Tensor mask_token;
    torch::Tensor decoder_pos_embed;
    torch::nn::ModuleList decoder_blocks{nullptr};
    torch::nn::LayerNorm decoder_norm{nullptr};
    torch::nn::Linear decoder_pred{nullptr};

private:
    VitConfig m_encoder;
    MaeDecoderConfig m_decoder;
};

TORCH_MODULE(MaskedAutoencoder);

} // namespace fa::nn
