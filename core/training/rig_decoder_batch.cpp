#include "training/rig_decoder_batch.h"

#include "common/error_text.h"
#include "training/deterministic_random.h"
#include "training/rig_decoder_data.h"

#include <torch/torch.h>

#include <random>

namespace fa {

namespace {

/// SplitMix64 of (seed, step): the engine seed of one step's draws.
std::uint64_t stepSeed(std::uint64_t seed, std::int64_t step)
{
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ull * (std::uint64_t(step) + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

} // namespace

RigDecoderBatchMaker::RigDecoderBatchMaker(std::shared_ptr<const RigDecoderData> data, RigDecoderSampling sampling,
                                           int batchSize, std::uint64_t seed)
    : m_data(std::move(data))
    , m_sampling(std::make_shared<const RigDecoderSampling>(std::move(sampling)))
    , m_batchSize(std::max(2, batchSize)) // BatchNorm in train mode needs two samples
    , m_seed(seed)
{
}

bool RigDecoderBatchMaker::make(std::int64_t step, RigDecoderBatchData *batch, QString *error) const
{
    std::mt19937_64 rng(stepSeed(m_seed, step));
    const std::int64_t avatarCount = std::int64_t(m_data->avatars().size());
    std::vector<std::int64_t> avatars, renders, faces;
    for (int b = 0; b < m_batchSize; ++b) {
        const std::int64_t k = uniformInt(rng, 0, avatarCount - 1);
        const std::vector<std::int64_t> &items = m_sampling->renderItems[std::size_t(k)];
        const bool haveFaces = !m_sampling->faceItems.empty();
        const bool render = !items.empty() && (!haveFaces || bernoulli(rng, m_sampling->renderShare));
        if (!render && !haveFaces)
            return failWith(error, QStringLiteral("the data set is empty"));
        avatars.push_back(k);
        if (render) {
            renders.push_back(items[std::size_t(uniformInt(rng, 0, std::int64_t(items.size()) - 1))]);
            faces.push_back(-1);
        } else {
            renders.push_back(-1);
            const std::vector<std::int64_t> &pool = m_sampling->faceItems;
            faces.push_back(pool[std::size_t(uniformInt(rng, 0, std::int64_t(pool.size()) - 1))]);
        }
    }
    if (!makeFrom(avatars, renders, faces, batch, error)) {
        if (error)
            *error = QStringLiteral("step %1: %2").arg(step + 1).arg(*error);
        return false;
    }
    batch->step = step;
    return true;
}

bool RigDecoderBatchMaker::makeFrom(const std::vector<std::int64_t> &avatars,
                                    const std::vector<std::int64_t> &renderItems,
                                    const std::vector<std::int64_t> &faces, RigDecoderBatchData *batch,
                                    QString *error) const
{
    const RigDecoderData &data = *m_data;
    const int64_t b = int64_t(avatars.size());
    const int64_t n = data.rigSize();
    const int64_t s = data.imageSize();
    batch->patchMean = torch::zeros({b, data.featureSize()});
    batch->embedding = torch::zeros({b, data.encoder().config.embeddingSize});
    batch->avatars = torch::tensor(avatars, torch::kLong);
    batch->rigTargets = torch::zeros({b, n});
    batch->rigWeights = torch::zeros({b, n});
    batch->imageTargets = torch::zeros({b, 3, s, s});
    batch->imageWeights = torch::zeros({b});
    for (int64_t i = 0; i < b; ++i) {
        const DecoderAvatarData &avatar = data.avatars()[std::size_t(avatars[std::size_t(i)])];
        const int64_t nk = avatar.rigSize();
        const std::int64_t item = renderItems[std::size_t(i)];
        if (item >= 0) {
            batch->patchMean[i] = avatar.renderPatchMean[item];
            batch->embedding[i] = avatar.renderEmbedding[item];
            batch->rigTargets[i].slice(0, 0, nk) = avatar.renders->rig(item);
            batch->rigWeights[i].slice(0, 0, nk) = 1.0;
            at::Tensor image = avatar.renders->image(item, error);
            if (!image.defined())
                return false;
            if (image.size(-1) != s)
                image = torch::nn::functional::interpolate(
                            image.unsqueeze(0), torch::nn::functional::InterpolateFuncOptions()
                                                    .size(std::vector<int64_t>{s, s})
                                                    .mode(torch::kBilinear)
                                                    .align_corners(false))
                            .squeeze(0);
            batch->imageTargets[i] = image;
            batch->imageWeights[i] = 1.0;
            continue;
        }
        const std::int64_t face = faces[std::size_t(i)];
        batch->patchMean[i] = data.facePatchMean()[face];
        batch->embedding[i] = data.faceEmbedding()[face];
        const std::vector<float> &target = data.faceTargets()[std::size_t(face)];
        if (target.empty())
            continue;
        for (int64_t c = 0; c < nk; ++c) {
            const int shape = avatar.arkitOfControl[std::size_t(c)];
            if (shape < 0 || std::size_t(shape) >= target.size())
                continue;
            batch->rigTargets[i][c] = target[std::size_t(shape)];
            batch->rigWeights[i][c] = 1.0;
        }
    }
    return true;
}

} // namespace fa
