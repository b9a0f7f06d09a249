#pragma once

// The training loss of the rig decoder (REFERENCE.md section 5; the reference's
// train_emb2rig_multichar.py), with its defects fixed (REFERENCE.md section 7):
//  - the neural renderers and the encoder are frozen, but the graph runs THROUGH them: the
//    reference renders under torch.no_grad(), so its embedding and image losses never reach
//    the decoder; here they do;
//  - every term is multiplied by its weight (the reference reads weight_rig / weight_emb and
//    never applies them);
//  - the rig MSE covers only avatar k's own n_k controls (the reference also fits the zero
//    padding up to n_max).
//
//   total = rig * MSE(rig_k, target_k)              over samples with a rig target, their n_k controls
//         + embedding * MSE(e(render(rig_k)), e(face))  every sample; e = the frozen encoder
//         + image * L1(render(rig_k), target image)  over samples with a paired render
//         + symmetry * MSE(rig_k, rig_k[mirror_k])   every sample of an avatar with a mirror map
//
// The face goes through the encoder once (no gradient: it is the target and the decoder's
// input); the neural render of the predicted rig goes through it a second time with the graph
// kept, after normalizeForEncoder: the face crops' eval transform (resize to floor(S * 256 / 224),
// centre crop S; training/image_augmentation.h), bilinear here so that it is differentiable,
// then the face-crop mean/std (nn/face_statistics.h). The reference resizes its renders to 224
// without a crop, as it does its pre-cropped faces; the studio's faces reach the encoder through
// the eval transform, and renders must be framed as the faces they are compared with.

#include "nn/expression_encoder.h"
#include "nn/neural_renderer.h"
#include "nn/rig_decoder.h"

#include <vector>

namespace fa::nn {

/// Which expression space the embedding term compares in.
enum class ExpressionSpace
{
    Embedding,     ///< the encoder's 16-d L2-normalised expression embedding (default)
    PooledFeature, ///< the L2-normalised mean of the patch tokens, as the reference code
};

/// One avatar a decoder drives; its index in the list is its identity row.
struct DecoderAvatar
{
    /// Its neural renderer (frozen: see freezeModule). n_k = renderer->options().rigSize().
    NeuralRenderer renderer{nullptr};
    /// [n_k] int64, optional: for each control the index of its left/right mirror (itself when
    /// it has none), for the symmetry term. Undefined: the avatar has no symmetry term.
    torch::Tensor mirror;
};

/// One batch of B samples. Every tensor on the decoder's device.
struct RigDecoderBatch
{
    torch::Tensor faces;        ///< [B, 3, H, W] source faces normalised as face crops, H = W = the encoder's input size
    /// Or, instead of faces (the encoder is frozen, so a trainer may compute them once): the
    /// faces' ExpressionOutput::patchMean [B, D] and embedding [B, E].
    torch::Tensor sourcePatchMean;
    torch::Tensor sourceEmbedding;
    torch::Tensor avatars;      ///< [B] int64: which avatar (index into the avatar list) to drive
    torch::Tensor rigTargets;   ///< [B, n_max] in [0, 1] (entries from n_k on ignored); undefined: none in the batch
    /// [B] or [B, n_max] float in {0, 1}: 1 where rigTargets holds a target (per control when
    /// 2-D: a real frame's landmark-solver target covers only the avatar's ARKit controls)
    torch::Tensor rigWeights;
    torch::Tensor imageTargets; ///< [B, 3, S, S] in [0, 1], the avatar's real render; undefined: none in the batch
    torch::Tensor imageWeights; ///< [B] float in {0, 1}: 1 where imageTargets holds the render of the target rig
};

struct RigDecoderLossOptions
{
    double rigWeight = 10.0;      ///< the reference's weight_rig
    double embeddingWeight = 0.2; ///< the reference's weight_emb
    double imageWeight = 1.0;     ///< the reference's weight_img
    double symmetryWeight = 0.0;  ///< the reference's symmetry term is not functional; off by default
    ExpressionSpace space = ExpressionSpace::Embedding;
};

/// The terms before weighting (0-d float32 tensors; 0 when a term has no sample) and the total.
struct RigDecoderLossTerms
{
    torch::Tensor total;
    torch::Tensor rig;
    torch::Tensor embedding;
    torch::Tensor image;
    torch::Tensor symmetry;
    torch::Tensor rigs; ///< [B, n_max] the decoder's output
};

/// The loss of one batch (module modes are the caller's: decoder in train mode, encoder and
/// renderers in eval mode). The gradient reaches the decoder through every term.
/// Throws c10::Error on shapes that do not match (an avatar index outside `avatars`, a
/// renderer with more controls than the decoder's n_max, ...).
RigDecoderLossTerms rigDecoderLoss(RigDecoder &decoder, ExpressionEncoder &encoder,
                                   const std::vector<DecoderAvatar> &avatars, const RigDecoderBatch &batch,
                                   const RigDecoderLossOptions &options);

/// The neural renders of rigs [B, n_max] for avatars [B], [B, 3, size, size] in [0, 1] (each
/// avatar's renderer reads its first n_k values; bilinear resize when its side differs from
/// `size`), in batch order. The graph runs through the renderers.
torch::Tensor renderRigs(const std::vector<DecoderAvatar> &avatars, const torch::Tensor &rigs,
                         const torch::Tensor &avatarIndex, int64_t size);

/// images [B, 3, S, S] in [0, 1] -> the encoder's input [B, 3, size, size]: bilinear resize to
/// floor(size * 256 / 224), centre crop `size` (the eval transform's geometry), then
/// (x - face mean) / face std per channel.
torch::Tensor normalizeForEncoder(const torch::Tensor &images, int64_t size);

/// The vector a face is compared by in `space`: the embedding, or the L2-normalised patch mean;
/// float32 [B, E] or [B, D].
torch::Tensor expressionVector(const ExpressionOutput &out, ExpressionSpace space);

/// Eval mode and requires_grad false on every parameter: a module that passes gradients through
/// but never changes.
void freezeModule(torch::nn::Module &module);

} // namespace fa::nn
