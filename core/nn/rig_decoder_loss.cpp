#include "nn/rig_decoder_loss.h"

#include "nn/face_statistics.h"

#include <torch/nn/functional/loss.h>
#include <torch/nn/functional/normalization.h>
#include <torch/nn/functional/upsampling.h>

#include <c10/util/Exception.h>

#include <cmath>

namespace fa::nn {

namespace {

namespace F = torch::nn::functional;

/// The renders of one avatar's samples: their batch positions and [b_k, 3, S_k, S_k].
struct RenderGroup
{
    torch::Tensor positions;
    torch::Tensor images;
    torch::Tensor rigs; // [b_k, n_k]
    int64_t avatar = 0;
};

std::vector<RenderGroup> renderGroups(const std::vector<DecoderAvatar> &avatars, const torch::Tensor &rigs,
                                      const torch::Tensor &avatarIndex)
{
    TORCH_CHECK(rigs.dim() == 2 && avatarIndex.dim() == 1 && avatarIndex.size(0) == rigs.size(0),
                "rig decoder loss: rigs [B, n] and avatars [B] expected, got ", rigs.sizes(), " and ",
                avatarIndex.sizes());
    std::vector<RenderGroup> groups;
    const torch::Tensor index = avatarIndex.to(torch::kLong);
    for (int64_t k = 0; k < int64_t(avatars.size()); ++k) {
        const torch::Tensor positions = (index == k).nonzero().flatten();
        if (positions.numel() == 0)
            continue;
        NeuralRenderer renderer = avatars[std::size_t(k)].renderer; // a holder copy: forward() is not const
        TORCH_CHECK(renderer, "rig decoder loss: avatar ", k, " has no renderer");
        const int64_t n = renderer->options().rigSize();
        TORCH_CHECK(n <= rigs.size(1), "rig decoder loss: avatar ", k, " has ", n, " controls, the decoder ",
                    rigs.size(1));
        RenderGroup group;
        group.positions = positions;
        group.avatar = k;
        group.rigs = rigs.index_select(0, positions).slice(1, 0, n);
        group.images = renderer->forward(group.rigs);
        groups.push_back(std::move(group));
    }
    int64_t covered = 0;
    for (const RenderGroup &group : groups)
        covered += group.positions.numel();
    TORCH_CHECK(covered == rigs.size(0), "rig decoder loss: an avatar index is outside [0, ", avatars.size(), ")");
    return groups;
}

torch::Tensor resized(const torch::Tensor &images, int64_t size)
{
    if (images.size(-1) == size && images.size(-2) == size)
        return images;
    return F::interpolate(images, F::InterpolateFuncOptions()
                                      .size(std::vector<int64_t>{size, size})
                                      .mode(torch::kBilinear)
                                      .align_corners(false));
}

/// The groups' renders at `size`, back in batch order.
torch::Tensor assemble(const std::vector<RenderGroup> &groups, int64_t size)
{
    std::vector<torch::Tensor> images;
    std::vector<torch::Tensor> positions;
    for (const RenderGroup &group : groups) {
        images.push_back(resized(group.images, size));
        positions.push_back(group.positions);
    }
    const torch::Tensor order = torch::cat(positions);
    return torch::cat(images).index_select(0, torch::argsort(order));
}

torch::Tensor scalarZero(const torch::Tensor &like)
{
    return torch::zeros({}, like.options().dtype(torch::kFloat32));
}

/// Weighted mean of per-sample values [B] with weights [B] (0 when every weight is 0).
torch::Tensor weightedMean(const torch::Tensor &values, const torch::Tensor &weights)
{
    return (values * weights).sum() / weights.sum().clamp_min(1.0);
}

} // namespace

torch::Tensor renderRigs(const std::vector<DecoderAvatar> &avatars, const torch::Tensor &rigs,
                         const torch::Tensor &avatarIndex, int64_t size)
{
    return assemble(renderGroups(avatars, rigs, avatarIndex), size);
}

torch::Tensor normalizeForEncoder(const torch::Tensor &images, int64_t size)
{
    const auto options = images.options();
    const torch::Tensor mean = torch::tensor({kFaceMeanRgb[0], kFaceMeanRgb[1], kFaceMeanRgb[2]}, options).view({1, 3, 1, 1});
    const torch::Tensor std = torch::tensor({kFaceStdRgb[0], kFaceStdRgb[1], kFaceStdRgb[2]}, options).view({1, 3, 1, 1});
    const int64_t shortSide = size * 256 / 224;
    const int64_t offset = int64_t(std::nearbyint(double(shortSide - size) / 2.0));
    const torch::Tensor cropped =
        resized(images, shortSide).slice(2, offset, offset + size).slice(3, offset, offset + size);
    return (cropped - mean) / std;
}

torch::Tensor expressionVector(const ExpressionOutput &out, ExpressionSpace space)
{
    if (space == ExpressionSpace::Embedding)
        return out.embedding.to(torch::kFloat32);
    return F::normalize(out.patchMean.to(torch::kFloat32), F::NormalizeFuncOptions().p(2).dim(1).eps(1e-12));
}

void freezeModule(torch::nn::Module &module)
{
    module.eval();
    for (torch::Tensor &parameter : module.parameters())
        parameter.set_requires_grad(false);
}

RigDecoderLossTerms rigDecoderLoss(RigDecoder &decoder, ExpressionEncoder &encoder,
                                   const std::vector<DecoderAvatar> &avatars, const RigDecoderBatch &batch,
                                   const RigDecoderLossOptions &options)
{
    const int64_t inputSize = encoder->config().imageSize;
    ExpressionOutput source;
    if (batch.sourcePatchMean.defined() && batch.sourceEmbedding.defined()) {
        source.patchMean = batch.sourcePatchMean;
        source.embedding = batch.sourceEmbedding;
    } else {
        torch::NoGradGuard noGrad; // the face is the target and the decoder's input: nothing to learn there
        source = encoder->forward(batch.faces);
    }
    RigDecoderLossTerms terms;
    terms.rigs = decoder->forward(source.patchMean.detach(), batch.avatars);
    const torch::Tensor rigs = terms.rigs.to(torch::kFloat32);
    const std::vector<RenderGroup> groups = renderGroups(avatars, terms.rigs, batch.avatars);

    // Rig MSE over each sample's own controls, where it has a target.
    terms.rig = scalarZero(rigs);
    if (batch.rigTargets.defined() && batch.rigWeights.defined()) {
        const torch::Tensor n = torch::tensor(
            [&] {
                std::vector<int64_t> sizes;
                for (const DecoderAvatar &avatar : avatars)
                    sizes.push_back(avatar.renderer->options().rigSize());
                return sizes;
            }(),
            torch::TensorOptions().dtype(torch::kLong)).to(rigs.device());
        const torch::Tensor controls = torch::arange(rigs.size(1), n.options()).unsqueeze(0);
        const torch::Tensor own = (controls < n.index_select(0, batch.avatars.to(torch::kLong)).unsqueeze(1))
                                      .to(torch::kFloat32);                         // [B, n_max]
        torch::Tensor given = batch.rigWeights.to(torch::kFloat32);
        if (given.dim() == 1)
            given = given.unsqueeze(1);
        const torch::Tensor weight = own * given;
        const torch::Tensor squared = (rigs - batch.rigTargets.to(torch::kFloat32)).pow(2);
        terms.rig = (squared * weight).sum() / weight.sum().clamp_min(1.0);
    }

    // Expression-embedding MSE: the render of the predicted rig against the face, through the
    // frozen encoder with the graph kept (the reference's no_grad is the defect fixed here).
    const torch::Tensor renders = assemble(groups, inputSize * 256 / 224); // normalizeForEncoder's resize
    const ExpressionOutput rendered = encoder->forward(normalizeForEncoder(renders, inputSize));
    terms.embedding = F::mse_loss(expressionVector(rendered, options.space), expressionVector(source, options.space).detach());

    // Image L1 where a real render of the target rig exists.
    terms.image = scalarZero(rigs);
    if (batch.imageTargets.defined() && batch.imageWeights.defined()) {
        const torch::Tensor target = batch.imageTargets.to(torch::kFloat32);
        const torch::Tensor neural = assemble(groups, target.size(-1)).to(torch::kFloat32);
        terms.image = weightedMean((neural - target).abs().mean({1, 2, 3}), batch.imageWeights.to(torch::kFloat32));
    }

    // Left/right symmetry of the avatars that have a mirror map.
    terms.symmetry = scalarZero(rigs);
    int64_t mirrored = 0;
    for (const RenderGroup &group : groups) {
        const torch::Tensor &mirror = avatars[std::size_t(group.avatar)].mirror;
        if (!mirror.defined())
            continue;
        const torch::Tensor r = group.rigs.to(torch::kFloat32);
        terms.symmetry = terms.symmetry
                         + (r - r.index_select(1, mirror.to(r.device(), torch::kLong))).pow(2).mean(1).sum();
        mirrored += group.positions.numel();
    }
    if (mirrored > 0)
        terms.symmetry = terms.symmetry / double(mirrored);

    terms.total = options.rigWeight * terms.rig + options.embeddingWeight * terms.embedding
                  + options.imageWeight * terms.image + options.symmetryWeight * terms.symmetry;
    return terms;
}

} // namespace fa::nn
