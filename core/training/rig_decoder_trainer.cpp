// RigDecoderTrainer: one rig decoder for several avatars (REFERENCE.md section 5), trained
// through the frozen expression encoder and each avatar's frozen neural renderer.
#include "training/trainer.h"

#include "common/error_text.h"
#include "nn/rig_decoder.h"
#include "nn/rig_decoder_step.h"
#include "training/batch_loader.h"
#include "training/rig_decoder_batch.h"
#include "training/rig_decoder_data.h"

#include <torch/torch.h>

#include <algorithm>

namespace fa {

namespace {

/// Held-out items scored per avatar and per validation, at most (spread evenly, always the same).
constexpr std::size_t kHeldOutScored = 64;

std::vector<std::int64_t> spreadItems(const std::vector<qsizetype> &items, std::size_t count)
{
    std::vector<std::int64_t> out;
    const std::size_t n = items.size();
    const std::size_t k = std::min(n, count);
    for (std::size_t i = 0; i < k; ++i)
        out.push_back(std::int64_t(items[i * n / k]));
    return out;
}

nn::ExpressionSpace spaceOf(const TrainingConfig &config)
{
    return config.expressionSpace == QLatin1String("pooled") ? nn::ExpressionSpace::PooledFeature
                                                             : nn::ExpressionSpace::Embedding;
}

/// Sums of one validation pass.
struct AvatarScores
{
    double rigSquared = 0;      // real frames: rig MSE x mapped entries
    double rigEntries = 0;
    double renderSquared = 0;   // renders: rig MSE x entries
    double renderEntries = 0;
    double distance = 0;        // embedding distances
    double distances = 0;
};

class RigDecoderTrainer : public Trainer
{
public:
    ~RigDecoderTrainer() override { stopLoader(); }

    void useDevice(torch::Device device) override { m_device = device; }

    bool loadData(const TrainingConfig &config, const Progress &progress, const std::atomic_bool *cancel,
                  QString *error) override
    {
        m_config = config;
        if (!config.validation.isEmpty())
            return failWith(error, QStringLiteral("validation: a rig decoder holds out part of its data "
                                                  "(held_out_fraction); no separate validation data"));
        std::optional<RigDecoderData> data = RigDecoderData::load(config, m_device, progress, cancel, error);
        if (!data)
            return false;
        if (data->rigSize() > 0 && int(data->avatars().size()) > config.identityRows)
            return failWith(error, QStringLiteral("avatars: %1 avatars do not fit identity_rows %2")
                                       .arg(data->avatars().size()).arg(config.identityRows));
        m_data = std::make_shared<const RigDecoderData>(std::move(*data));
        m_sampling.renderShare = config.renderShare;
        for (const DecoderAvatarData &avatar : m_data->avatars()) {
            std::vector<std::int64_t> items(avatar.renders->trainingItems().begin(), avatar.renders->trainingItems().end());
            m_sampling.renderItems.push_back(std::move(items));
            m_heldOutRenders.push_back(spreadItems(avatar.renders->heldOutItems(), kHeldOutScored));
        }
        m_sampling.faceItems.assign(m_data->trainingFaces().begin(), m_data->trainingFaces().end());
        m_heldOutFaces = spreadItems(m_data->heldOutFaces(), kHeldOutScored);
        if (trainingItemCount() == 0)
            return failWith(error, QStringLiteral("data: no face and no render to train on"));
        return true;
    }

    bool writeRunFiles(const QString &runDir, QString *error) override
    {
        return m_data->runInfo(m_config).write(runDir, error);
    }

    QString dataFingerprint() const override { return m_data->fingerprint(); }

    qint64 trainingItemCount() const override
    {
        qint64 count = qint64(m_sampling.faceItems.size());
        for (const auto &items : m_sampling.renderItems)
            count += qint64(items.size());
        return count;
    }

    qint64 validationItemCount() const override
    {
        qint64 count = qint64(m_data->heldOutFaces().size());
        for (const DecoderAvatarData &avatar : m_data->avatars())
            count += qint64(avatar.renders->heldOutItems().size());
        return count;
    }

    bool buildModel(const TrainingConfig &config, torch::Device device, QString *) override
    {
        m_device = device;
        m_decoder = nn::RigDecoder(nn::RigDecoderOptions(m_data->featureSize(), m_data->rigSize())
                                       .identities(config.identityRows)
                                       .hiddenSize(config.rigHidden)
                                       .blocks(config.rigBlocks)
                                       .dropout(config.rigDropout));
        m_decoder->to(device);
        m_decoder->train();
        m_encoder = m_data->encoderNetwork();
        m_avatars = m_data->decoderAvatars();
        for (nn::DecoderAvatar &avatar : m_avatars)
            avatar.mirror = avatar.mirror.to(device);
        m_loss.rigWeight = config.rigWeight;
        m_loss.embeddingWeight = config.embeddingWeight;
        m_loss.imageWeight = config.imageWeight;
        m_loss.symmetryWeight = config.symmetryWeight;
        m_loss.space = spaceOf(config);
        return true;
    }

    torch::nn::Module &module() override { return *m_decoder; }
    std::vector<std::string> initIgnoredPrefixes() const override { return {}; }

    bool startLoader(qint64 step, QString *) override
    {
        m_loader = std::make_unique<BatchLoader<RigDecoderBatchMaker>>(
            RigDecoderBatchMaker(m_data, m_sampling, m_config.batchSize, m_config.seed),
            BatchLoaderOptions::forWorkers(std::min(1, m_config.workers)));
        m_loader->start(step);
        return true;
    }

    void stopLoader() override
    {
        if (m_loader)
            m_loader->stop();
    }

    bool trainStep(qint64 step, torch::optim::Optimizer &optimizer, const nn::StepOptions &options,
                   nn::StepResult *result, double *waitSeconds, QString *error) override
    {
        std::optional<RigDecoderBatchData> batch = m_loader->nextOfStep(step, waitSeconds, error);
        if (!batch)
            return false;
        *result = nn::rigDecoderStep(m_decoder, m_encoder, m_avatars, optimizer, onDevice(*batch), m_loss, options);
        return true;
    }

    int imagesPerStep() const override { return std::max(2, m_config.batchSize); }

    bool validate(TrainingMetrics *metrics, QString *error) override
    {
        torch::NoGradGuard noGrad;
        m_decoder->eval();
        const RigDecoderBatchMaker maker(m_data, m_sampling, m_config.batchSize, m_config.seed);
        double lossSum = 0;
        double lossCount = 0;
        bool ok = true;
        for (std::size_t k = 0; k < m_data->avatars().size() && ok; ++k) {
            AvatarScores scores;
            // Held-out real faces, then held-out renders, in batches.
            for (int pass = 0; pass < 2 && ok; ++pass) {
                const std::vector<std::int64_t> &items = pass == 0 ? m_heldOutFaces : m_heldOutRenders[k];
                const std::size_t batchSize = std::size_t(std::max(2, m_config.batchSize));
                for (std::size_t begin = 0; begin < items.size() && ok; begin += batchSize) {
                    const std::size_t end = std::min(items.size(), begin + batchSize);
                    std::vector<std::int64_t> avatars(end - begin, std::int64_t(k));
                    std::vector<std::int64_t> none(end - begin, -1);
                    std::vector<std::int64_t> chosen(items.begin() + std::ptrdiff_t(begin), items.begin() + std::ptrdiff_t(end));
                    RigDecoderBatchData batch;
                    ok = pass == 0 ? maker.makeFrom(avatars, none, chosen, &batch, error)
                                   : maker.makeFrom(avatars, chosen, none, &batch, error);
                    if (ok)
                        score(onDevice(batch), pass == 1, &scores, &lossSum, &lossCount);
                }
            }
            const QString name = m_data->avatars()[k].name();
            if (scores.rigEntries > 0)
                metrics->avatarScores[QStringLiteral("rig_mse:") + name] = scores.rigSquared / scores.rigEntries;
            if (scores.renderEntries > 0)
                metrics->avatarScores[QStringLiteral("render_rig_mse:") + name] = scores.renderSquared / scores.renderEntries;
            if (scores.distances > 0)
                metrics->avatarScores[QStringLiteral("embedding_distance:") + name] = scores.distance / scores.distances;
        }
        m_decoder->train();
        if (ok && lossCount > 0)
            metrics->validationLoss = lossSum / lossCount;
        return ok;
    }

    bool makeSamples(TrainingSamples *, QString *) override { return true; }

private:
    nn::RigDecoderBatch onDevice(const RigDecoderBatchData &batch) const
    {
        nn::RigDecoderBatch b;
        b.sourcePatchMean = batch.patchMean.to(m_device);
        b.sourceEmbedding = batch.embedding.to(m_device);
        b.avatars = batch.avatars.to(m_device);
        b.rigTargets = batch.rigTargets.to(m_device);
        b.rigWeights = batch.rigWeights.to(m_device);
        b.imageTargets = batch.imageTargets.to(m_device);
        b.imageWeights = batch.imageWeights.to(m_device);
        return b;
    }

    /// Adds one eval-mode batch of a single avatar to the scores and the loss sums.
    void score(const nn::RigDecoderBatch &batch, bool renders, AvatarScores *scores, double *lossSum, double *lossCount)
    {
        const nn::RigDecoderLossTerms terms = nn::rigDecoderLoss(m_decoder, m_encoder, m_avatars, batch, m_loss);
        const double samples = double(batch.avatars.size(0));
        *lossSum += terms.total.item<double>() * samples;
        *lossCount += samples;
        // The loss's rig term is a mean over the weighted entries: weight it back by their count.
        const int64_t k = batch.avatars[0].item<int64_t>();
        const int64_t n = m_avatars[std::size_t(k)].renderer->options().rigSize();
        const double entries = batch.rigWeights.slice(1, 0, n).sum().item<double>();
        if (renders) {
            scores->renderSquared += terms.rig.item<double>() * entries;
            scores->renderEntries += entries;
        } else {
            scores->rigSquared += terms.rig.item<double>() * entries;
            scores->rigEntries += entries;
        }
        // Euclidean distance in the expression space between each face and its render.
        const int64_t inputSize = m_encoder->config().imageSize;
        const torch::Tensor renders2 = nn::renderRigs(m_avatars, terms.rigs, batch.avatars, inputSize * 256 / 224);
        const nn::ExpressionOutput rendered = m_encoder->forward(nn::normalizeForEncoder(renders2, inputSize));
        nn::ExpressionOutput source;
        source.patchMean = batch.sourcePatchMean;
        source.embedding = batch.sourceEmbedding;
        const torch::Tensor d = (nn::expressionVector(rendered, m_loss.space) - nn::expressionVector(source, m_loss.space))
                                    .norm(2, 1);
        scores->distance += d.sum().item<double>();
        scores->distances += samples;
    }

    TrainingConfig m_config;
    std::shared_ptr<const RigDecoderData> m_data;
    RigDecoderSampling m_sampling;
    std::vector<std::int64_t> m_heldOutFaces;
    std::vector<std::vector<std::int64_t>> m_heldOutRenders;
    torch::Device m_device = torch::kCPU;
    nn::RigDecoder m_decoder{nullptr};
    nn::ExpressionEncoder m_encoder{nullptr};
    std::vector<nn::DecoderAvatar> m_avatars;
    nn::RigDecoderLossOptions m_loss;
    std::unique_ptr<BatchLoader<RigDecoderBatchMaker>> m_loader;
};

} // namespace

std::unique_ptr<Trainer> makeRigDecoderTrainer()
{
    return std::make_unique<RigDecoderTrainer>();
}

} // namespace fa
