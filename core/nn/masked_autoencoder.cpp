#include "nn/masked_autoencoder.h"

#include "nn/linear_forward.h"
#include "nn/position_embedding.h"
#include "nn/weight_init.h"

#include <torch/nn/init.h>
#include <torch/utils.h>

#include <ATen/Functions.h>

namespace fa::nn {

MaskedAutoencoderImpl::MaskedAutoencoderImpl(const VitConfig &encoder, const MaeDecoderConfig &decoder)
    : m_encoder(encoder)
    , m_decoder(decoder)
{
    const int dim = encoder.embedDim;
    const int decoderDim = decoder.embedDim;
    const int grid = encoder.gridSize();
    const int mlpHidden = encoder.mlpHiddenDim();
    const int decoderMlpHidden = static_cast<int>(decoderDim * encoder.mlpRatio);
    const double eps = encoder.layerNormEps;

    // Own parameters first (state-dict order of MAE): cls_token, pos_embed, mask_token, decoder_pos_embed.
    cls_token = register_parameter("cls_token", torch::zeros({1, 1, dim}));
    pos_embed = register_parameter("pos_embed", sincosPositionEmbedding2d(dim, grid, true).unsqueeze(0), false);
    mask_token = register_parameter("mask_token", torch::zeros({1, 1, decoderDim}));
    decoder_pos_embed = register_parameter(
        "decoder_pos_embed", sincosPositionEmbedding2d(decoderDim, grid, true).unsqueeze(0), false);

    patch_embed = register_module("patch_embed", PatchEmbed(encoder.imageSize, encoder.patchSize, encoder.inChannels, dim));
    blocks = register_module("blocks", makeTransformerBlocks(encoder.depth, dim, encoder.numHeads, mlpHidden, eps));
    norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim}).eps(eps)));
    decoder_embed = register_module("decoder_embed", torch::nn::Linear(dim, decoderDim));
    decoder_blocks = register_module(
        "decoder_blocks", makeTransformerBlocks(decoder.depth, decoderDim, decoder.numHeads, decoderMlpHidden, eps));
    decoder_norm = register_module("decoder_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({decoderDim}).eps(eps)));
    const int patchValues = encoder.patchSize * encoder.patchSize * encoder.inChannels;
    decoder_pred = register_module("decoder_pred", torch::nn::Linear(decoderDim, patchValues));

    // initialize_weights: patch projection like a Linear, tokens N(0, 0.02), then _init_weights.
    initPatchEmbedAsLinear(*patch_embed);
    {
        torch::NoGradGuard noGrad;
        torch::nn::init::normal_(cls_token, 0.0, 0.02);
        torch::nn::init::normal_(mask_token, 0.0, 0.02);
    }
    initLinearAndLayerNorm(*this);
}

MaeOutput MaskedAutoencoderImpl::forward(const torch::Tensor &images, const torch::Tensor &noise)
{
    // forward_encoder: embed, add position (without the cls row), mask, prepend cls.
    torch::Tensor x = patch_embed->forward(images);
    x = x + pos_embed.slice(1, 1);
    const int64_t batch = x.size(0);
    const int64_t length = x.size(1);
    const int64_t width = x.size(2);
    const auto keep = static_cast<int64_t>(static_cast<double>(length) * (1.0 - m_decoder.maskRatio));

    // random_masking: ascending noise, small = keep.
    const torch::Tensor idsShuffle = at::argsort(noise, /*dim=*/int64_t{1}, /*descending=*/false);
    const torch::Tensor idsRestore = at::argsort(idsShuffle, /*dim=*/int64_t{1}, /*descending=*/false);
    const torch::Tensor idsKeep = idsShuffle.slice(1, 0, keep);
    x = at::gather(x, 1, idsKeep.unsqueeze(-1).repeat({1, 1, width}));
    torch::Tensor mask = at::ones({batch, length}, noise.options().dtype(at::kFloat));
    mask.slice(1, 0, keep).fill_(0);
    mask = at::gather(mask, 1, idsRestore);

    const torch::Tensor cls = cls_token + pos_embed.slice(1, 0, 1);
    x = at::cat({cls.expand({batch, -1, -1}), x}, 1);
    x = runTransformerBlocks(blocks, x);
    x = norm->forward(x);

    // forward_decoder: embed, append mask tokens, unshuffle, add position, decode.
    x = linearForward(decoder_embed, x);
    const torch::Tensor maskTokens = mask_token.repeat({batch, idsRestore.size(1) + 1 - x.size(1), 1});
    torch::Tensor tail = at::cat({x.slice(1, 1), maskTokens}, 1);
    tail = at::gather(tail, 1, idsRestore.unsqueeze(-1).repeat({1, 1, x.size(2)}));
    x = at::cat({x.slice(1, 0, 1), tail}, 1);
    x = x + decoder_pos_embed;
    x = runTransformerBlocks(decoder_blocks, x);
    x = decoder_norm->forward(x);
    x = linearForward(decoder_pred, x);
    const torch::Tensor prediction = x.slice(1, 1);

    // forward_loss
    torch::Tensor target = patchify(images);
    if (m_decoder.normPixLoss) {
        const torch::Tensor mean = target.mean(-1, true);
        const torch::Tensor var = target.var(at::IntArrayRef{-1}, /*unbiased=*/true, /*keepdim=*/true);
        target = (target - mean) / (var + 1.e-6).pow(0.5);
    }
    torch::Tensor loss = (prediction - target).pow(2);
    loss = loss.mean(-1);
    loss = (loss * mask).sum() / mask.sum();
    return {loss, prediction, mask};
}

torch::Tensor MaskedAutoencoderImpl::patchify(const torch::Tensor &images) const
{
    const int64_t p = m_encoder.patchSize;
    const int64_t channels = images.size(1);
    const int64_t grid = images.size(2) / p;
    // nchpwq -> nhwpqc
    torch::Tensor x = images.reshape({images.size(0), channels, grid, p, grid, p});
    x = x.permute({0, 2, 4, 3, 5, 1});
    return x.reshape({images.size(0), grid * grid, p * p * channels});
}

torch::Tensor MaskedAutoencoderImpl::unpatchify(const torch::Tensor &patches) const
{
    const int64_t p = m_encoder.patchSize;
    const int64_t channels = m_encoder.inChannels;
    const int64_t grid = m_encoder.gridSize();
    // nhwpqc -> nchpwq
    torch::Tensor x = patches.reshape({patches.size(0), grid, grid, p, p, channels});
    x = x.permute({0, 5, 1, 3, 2, 4});
    return x.reshape({patches.size(0), channels, grid * p, grid * p});
}

} // namespace fa::nn
