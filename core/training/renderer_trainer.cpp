// RendererTrainer: the neural renderer of an avatar (REFERENCE.md section 4) trained on a
// render set of the studio's own renders (`freeavatar render-dataset`).
#include "training/trainer.h"
#include "common/error_text.h"

#include "nn/neural_renderer.h"
#include "nn/renderer_step.h"
#include "renderset/render_dataset.h"
#include "training/batch_loader.h"
#include "training/render_batch.h"
#include "training/render_pair_set.h"
#include "training/render_scores.h"
#include "training/renderer_image.h"
#include "training/renderer_run_info.h"

#include <torch/torch.h>

#include <algorithm>

namespace fa {

namespace {

/// Items scored per logged step, at most, on each side (held-out and training): spread evenly
/// over the lists, the same items every time.
constexpr qsizetype kScoredItems = 128;
/// Held-out rigs shown in the Samples tab.
constexpr qsizetype kSampleItems = 6;

std::vector<qsizetype> spread(const std::vector<qsizetype> &items, qsizetype count)
{
    std::vector<qsizetype> out;
    const qsizetype n = qsizetype(items.size());
    const qsizetype k = std::min(n, count);
    for (qsizetype i = 0; i < k; ++i)
        out.push_back(items[std::size_t(i * n / k)]);
    return out;
}

/// Pre-read (rig, image) pairs scored at every logged step.
struct ScoredPairs
{
    torch::Tensor rigs;   // [K, n]
    torch::Tensor images; // [K, 3, S, S]
    bool empty() const { return !rigs.defined() || rigs.size(0) == 0; }
};

class RendererTrainer : public Trainer
{
public:
    ~RendererTrainer() override { stopLoader(); }

    bool loadData(const TrainingConfig &config, const Progress &progress, const std::atomic_bool *cancel,
                  QString *error) override
    {
        m_config = config;
        if (config.data.size() != 1)
            return failWith(error, QStringLiteral("data: a renderer trains on one render set folder (freeavatar "
                                                  "render-dataset), %1 given").arg(config.data.size()));
        if (!config.validation.isEmpty())
            return failWith(error, QStringLiteral("validation: a renderer holds out part of its render set "
                                                  "(held_out_fraction); no separate validation data"));
        if (progress)
            progress(0, QStringLiteral("reading the render set"));
        std::optional<RenderPairSet> set = RenderPairSet::open(config.data.front(), config.rendererSize,
                                                              config.heldOutFraction, error);
        if (!set)
            return false;
        m_set = std::make_shared<const RenderPairSet>(std::move(*set));
        if (!readPairs(spread(m_set->heldOutItems(), kScoredItems), &m_heldOut, cancel, error)
            || !readPairs(spread(m_set->trainingItems(), kScoredItems), &m_trainScored, cancel, error))
            return false;
        m_sampleItems = spread(m_set->heldOutItems().empty() ? m_set->trainingItems() : m_set->heldOutItems(), kSampleItems);
        if (progress)
            progress(1, QStringLiteral("render set read"));
        return true;
    }

    bool writeRunFiles(const QString &runDir, QString *error) override
    {
        RendererRunInfo info;
        info.controls = m_set->controlNames();
        info.imageSize = m_config.rendererSize;
        info.width = m_config.rendererWidth;
        info.avatarName = m_set->dataset().avatarName();
        info.avatarPath = m_set->dataset().avatarPath();
        info.renderSet = m_set->dataset().directory();
        info.renderSetFingerprint = m_set->fingerprint();
        const double scale = double(m_config.rendererSize) / double(m_set->dataset().imageSize());
        auto scaled = [scale](const QRect &box) {
            return box.isNull() ? QRect()
                                : QRect(QPoint(int(box.left() * scale), int(box.top() * scale)),
                                        QPoint(int((box.right() + 1) * scale) - 1, int((box.bottom() + 1) * scale) - 1));
        };
        info.mouthBox = scaled(m_set->dataset().mouthBox());
        info.eyeBox = scaled(m_set->dataset().eyeBox());
        return info.write(runDir, error);
    }

    QString dataFingerprint() const override { return m_set->fingerprint(); }
    qint64 trainingItemCount() const override { return qint64(m_set->trainingItems().size()); }
    qint64 validationItemCount() const override { return qint64(m_set->heldOutItems().size()); }

    bool buildModel(const TrainingConfig &config, torch::Device device, QString *) override
    {
        m_device = device;
        m_model = nn::NeuralRenderer(nn::NeuralRendererOptions(m_set->rigSize())
                                         .imageSize(config.rendererSize)
                                         .width(config.rendererWidth));
        m_model->to(device);
        m_model->train();
        m_mask = m_set->regionMask().to(device);
        return true;
    }

    torch::nn::Module &module() override { return *m_model; }
    std::vector<std::string> initIgnoredPrefixes() const override { return {}; }

    bool startLoader(qint64 step, QString *) override
    {
        const BatchLoaderOptions options = BatchLoaderOptions::forWorkers(m_config.workers);
        m_loader = std::make_unique<BatchLoader<RenderBatchMaker>>(
            RenderBatchMaker(m_set, m_set->trainingItems(), m_config.batchSize, m_config.seed, false), options);
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
        std::optional<RenderBatch> batch = m_loader->nextOfStep(step, waitSeconds, error);
        if (!batch)
            return false;
        *result = nn::rendererStep(m_model, optimizer, batch->rigs.to(m_device), batch->images.to(m_device), m_mask,
                                   m_config.regionWeight, options);
        return true;
    }

    int imagesPerStep() const override { return m_config.batchSize; }

    bool validate(TrainingMetrics *metrics, QString *) override
    {
        torch::NoGradGuard noGrad;
        m_model->eval();
        const RenderScores train = score(m_trainScored);
        const RenderScores held = score(m_heldOut);
        m_model->train();
        metrics->trainL1 = train.l1;
        metrics->trainPsnr = train.psnr;
        if (m_set->hasRegions())
            metrics->trainRegionL1 = train.regionL1;
        if (held.images > 0) {
            metrics->validationLoss = held.loss;
            metrics->validationL1 = held.l1;
            metrics->validationPsnr = held.psnr;
            if (m_set->hasRegions())
                metrics->validationRegionL1 = held.regionL1;
        }
        return true;
    }

    bool makeSamples(TrainingSamples *samples, QString *error) override
    {
        ScoredPairs pairs;
        if (!readPairs(m_sampleItems, &pairs, nullptr, error))
            return false;
        if (pairs.empty())
            return true;
        torch::NoGradGuard noGrad;
        m_model->eval();
        const torch::Tensor neural = m_model->forward(pairs.rigs.to(m_device)).to(torch::kCPU, torch::kFloat32);
        m_model->train();
        for (int64_t i = 0; i < neural.size(0); ++i) {
            RenderSample sample;
            sample.real = imageFromUnitTensor(pairs.images[i]);
            sample.neural = imageFromUnitTensor(neural[i]);
            sample.difference = imageFromUnitTensor(((neural[i] - pairs.images[i]).abs() * 4.0).clamp(0.0, 1.0));
            samples->renders.push_back(std::move(sample));
        }
        return true;
    }

private:
    bool readPairs(const std::vector<qsizetype> &items, ScoredPairs *pairs, const std::atomic_bool *cancel,
                   QString *error) const
    {
        std::vector<torch::Tensor> rigs;
        std::vector<torch::Tensor> images;
        for (const qsizetype item : items) {
            if (cancel && cancel->load())
                return failWith(error, QStringLiteral("cancelled"));
            torch::Tensor image = m_set->image(item, error);
            if (!image.defined())
                return false;
            images.push_back(std::move(image));
            rigs.push_back(m_set->rig(item));
        }
        if (!images.empty()) {
            pairs->rigs = torch::stack(rigs);
            pairs->images = torch::stack(images);
        }
        return true;
    }

    /// Eval-mode scores of pre-read pairs, in batches of the run's batch size.
    RenderScores score(const ScoredPairs &pairs)
    {
        RenderScores scores;
        if (pairs.empty())
            return scores;
        const int64_t count = pairs.rigs.size(0);
        const int64_t batch = std::max(1, m_config.batchSize);
        for (int64_t begin = 0; begin < count; begin += batch) {
            const int64_t end = std::min(count, begin + batch);
            const torch::Tensor prediction = m_model->forward(pairs.rigs.slice(0, begin, end).to(m_device));
            scores.add(prediction, pairs.images.slice(0, begin, end), m_mask, m_config.regionWeight);
        }
        return scores.mean();
    }

    TrainingConfig m_config;
    std::shared_ptr<const RenderPairSet> m_set;
    ScoredPairs m_heldOut;
    ScoredPairs m_trainScored;
    std::vector<qsizetype> m_sampleItems;
    torch::Device m_device = torch::kCPU;
    nn::NeuralRenderer m_model{nullptr};
    torch::Tensor m_mask;
    std::unique_ptr<BatchLoader<RenderBatchMaker>> m_loader;
};

} // namespace

std::unique_ptr<Trainer> makeRendererTrainer()
{
    return std::make_unique<RendererTrainer>();
}

} // namespace fa
