#pragma once

// The FreeAvatar rig decoder with dynamic identity injection (REFERENCE.md section 5; the
// reference's models/CascadeNet.py): one network for several avatars. Avatar k's learnt identity
// embedding is concatenated BEFORE the encoder's pooled feature; a residual MLP turns that into
// n_max rig values in (0, 1), of which avatar k reads its first n_k.
//
//   input   cat(identity_embed(k) [B, I], feature [B, D])          [B, I + D]
//   stem    Linear(I + D -> H), BatchNorm1d, ReLU, Dropout(p)       [B, H]
//   blocks  `blocks` x (x + DenseLayer(DenseLayer(x)))              [B, H]
//   head    Linear(H -> n_max), sigmoid                             [B, n_max]
//
// The reference: I 16, D 768 (ViT-B), H 512, 2 blocks, p 0.1, 10 identity rows. The feature is
// the encoder's mean of the patch tokens after the last block, WITHOUT fc_norm and the head
// (ExpressionOutput::patchMean), as the reference code uses.
//
// State-dict keys (timm style, what tests/nn/python/rig_decoder_reference.py's module holds):
//   identity_embed.weight [identities, I]
//   stem.fc.{weight, bias}, stem.norm.{weight, bias, running_mean, running_var, num_batches_tracked}
//   blocks.<i>.layer1.{fc, norm}.*, blocks.<i>.layer2.{fc, norm}.*
//   head.{weight, bias}
// Initialisation: Linear weights Xavier-uniform, biases 0 (the reference's); BatchNorm 1 / 0;
// identity rows N(0, 1) (PyTorch's nn.Embedding default).

#include "nn/dense_layer.h"
#include "nn/residual_block.h"
#include "nn/rig_decoder_options.h"

#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>

namespace fa::nn {

class RigDecoderImpl : public torch::nn::Module
{
public:
    /// Throws c10::Error (TORCH_CHECK) when !options.isValid(); check isValid() first to get an
    /// error string instead.
    explicit RigDecoderImpl(const RigDecoderOptions &options);

    /// features [B, D] float, avatars [B] int64 in [0, identities) -> rigs [B, n_max] in (0, 1).
    /// B >= 2 in train mode (BatchNorm). Throws c10::Error on other shapes or an avatar index
    /// outside the table.
    torch::Tensor forward(const torch::Tensor &features, const torch::Tensor &avatars);

    const RigDecoderOptions &options() const { return m_options; }

    torch::nn::Embedding identity_embed{nullptr};
    DenseLayer stem{nullptr};
    torch::nn::ModuleList blocks{nullptr};
    torch::nn::Linear head{nullptr};

private:
    RigDecoderOptions m_options;
};

TORCH_MODULE(RigDecoder);

} // namespace fa::nn
