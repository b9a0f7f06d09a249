#include "training/triplet_trainer.h"
#include "common/error_text.h"

#include "nn/expression_encoder.h"
#include "training/batch_loader.h"
#include "training/encoder_inference.h"
#include "training/training_data.h"

#include <torch/torch.h>

namespace fa {

namespace {


/// At most `limit` indices spread evenly over 0..count-1.
std::vector<qsizetype> spread(qsizetype count, qsizetype limit)
{
    std::vector<qsizetype> out;
    const qsizetype n = std::min(count, limit);
    for (qsizetype i = 0; i < n; ++i)
        out.push_back(i * count / n);
    return out;
}

class TripletTrainer : public Trainer
{
public:
    ~TripletTrainer() override { stopLoader(); }

    bool loadData(const TrainingConfig &config, const Progress &progress, const std::atomic_bool *cancel,
                  QString *error) override
    {
        m_config = config;
        const bool hasValidation = !config.validation.isEmpty();
        const double share = hasValidation && config.validation != config.data ? 0.7 : 1.0;
        std::optional<TripletDataset> train = loadTrainingTriplets(
            config.data, config.imageDir, config.categoryTriplets, config.seed,
            faceLoadOptions(config, cancel, [&](double f, const QString &s) { if (progress) progress(share * f, QStringLiteral("loading ") + s); }),
            error);
        if (!train)
            return false;
        m_train = std::make_shared<const TripletDataset>(std::move(*train));
        m_fingerprint = QString::fromLatin1(m_train->fingerprint());
        if (hasValidation && config.validation == config.data) {
            m_validation = m_train; // checking the fit on the training triplets: loaded once
            m_fingerprint += QLatin1Char('+') + QString::fromLatin1(m_validation->fingerprint());
        } else if (hasValidation) {
            std::optional<TripletDataset> validation = loadTrainingTriplets(
                config.validation, config.imageDir, config.categoryTriplets, config.seed,
                faceLoadOptions(config, cancel,
                            [&](double f, const QString &s) { if (progress) progress(share + (1 - share) * f, QStringLiteral("loading ") + s); }),
                error);
            if (!validation)
                return false;
            m_validation = std::make_shared<const TripletDataset>(std::move(*validation));
            m_fingerprint += QLatin1Char('+') + QString::fromLatin1(m_validation->fingerprint());
        }
        return true;
    }

    QString dataFingerprint() const override { return m_fingerprint; }
    qint64 trainingItemCount() const override { return m_train ? m_train->size() : 0; }
    qint64 validationItemCount() const override { return m_validation ? m_validation->size() : 0; }

    bool buildModel(const TrainingConfig &config, torch::Device device, QString *error) override
    {
        const nn::VitConfig vit = vitConfigOf(config);
        if (!vit.validationError().empty())
            return failWith(error, QString::fromStdString(vit.validationError()));
        m_device = device;
        m_model = nn::ExpressionEncoder(vit, config.embeddingSize);
        m_model->to(device);
        m_model->train();
        return true;
    }

    torch::nn::Module &module() override { return *m_model; }
    // Starting from a MAE run: its decoder, mask token and final norm have no counterpart.
    std::vector<std::string> initIgnoredPrefixes() const override { return nn::ExpressionEncoderImpl::maeOnlyPrefixes(); }

    bool startLoader(qint64 step, QString *) override
    {
        BatchSettings settings;
        settings.batchSize = m_config.batchSize;
        settings.imageSize = m_config.imageSize;
        settings.augmentation = FaceAugmentation::tripletTraining();
        settings.augmentation.crop.minScale = m_config.cropScaleMin;
        settings.augmentation.randAugment = m_config.randAugmentOps > 0;
        settings.augmentation.randAugmentOptions.numOps = m_config.randAugmentOps;
        settings.augmentation.randAugmentOptions.magnitude = m_config.randAugmentMagnitude;
        settings.augmentation.erasingProbability = m_config.randomErasing;
        settings.augmentation.erasingOptions.probability = m_config.randomErasing;
        if (!m_config.augmentation)
            settings.augmentation = FaceAugmentation::eval();
        settings.seed = m_config.seed;
        const BatchLoaderOptions options = BatchLoaderOptions::forWorkers(m_config.workers);
        m_loader = std::make_unique<TripletBatchLoader>(TripletBatchMaker(m_train, settings), options);
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
        std::optional<TripletBatch> batch = m_loader->nextOfStep(step, waitSeconds, error);
        if (!batch)
            return false;
        *result = nn::tripletStep(m_model, optimizer, batch->anchor.to(m_device), batch->positive.to(m_device),
                                  batch->negative.to(m_device), batch->margins.to(m_device), options);
        return true;
    }

    int imagesPerStep() const override { return 3 * m_config.batchSize; }

    bool validate(TrainingMetrics *metrics, QString *error) override
    {
        if (!m_validation || m_validation->isEmpty())
            return true;
        const std::optional<torch::Tensor> embeddings =
            embedFaces(m_model, m_validation->images(), m_config.imageSize, m_device, m_config.batchSize,
                       m_config.workers, {}, nullptr, error);
        if (!embeddings)
            return false;
        const TripletAccuracyReport report = tripletAccuracy(*m_validation, *embeddings);
        metrics->validationAccuracy = report.accuracy();
        for (const auto &[type, counts] : report.byType)
            metrics->validationAccuracyByType[tripletTypeKey(type)] = counts.accuracy();
        return true;
    }

    bool makeSamples(TrainingSamples *samples, QString *error) override
    {
        const FaceCropDataset &source = m_validation && !m_validation->isEmpty() ? m_validation->images() : m_train->images();
        std::vector<FaceCropItem> items;
        for (qsizetype index : spread(source.size(), 256))
            items.push_back(source.item(index));
        const FaceCropDataset pool(std::move(items));
        if (pool.size() < 2)
            return true;
        const std::optional<torch::Tensor> embeddings = embedFaces(m_model, pool, m_config.imageSize, m_device,
                                                                   m_config.batchSize, m_config.workers, {}, nullptr, error);
        if (!embeddings)
            return false;
        auto picture = [&](qsizetype index, QImage *image) {
            QString why;
            const cv::Mat crop = pool.image(index, &why);
            if (crop.empty())
                return failWith(error, why);
            *image = imageFromNormalizedTensor(evalTransform(crop, m_config.imageSize));
            return true;
        };
        const torch::Tensor distances = torch::cdist(*embeddings, *embeddings).to(torch::kFloat64);
        for (qsizetype query : spread(pool.size(), 4)) {
            NeighbourSample sample;
            if (!picture(query, &sample.query))
                return false;
            const torch::Tensor row = distances[query].clone();
            row[query] = std::numeric_limits<double>::infinity(); // not its own neighbour
            const int64_t k = std::min<int64_t>(4, pool.size() - 1);
            const std::tuple<torch::Tensor, torch::Tensor> nearest = row.topk(k, 0, false, true);
            for (int64_t j = 0; j < k; ++j) {
                QImage image;
                if (!picture(std::get<1>(nearest)[j].item<int64_t>(), &image))
                    return false;
                sample.neighbours.push_back(image);
                sample.distances.push_back(std::get<0>(nearest)[j].item<double>());
            }
            samples->neighbours.push_back(sample);
        }
        return true;
    }

private:
    TrainingConfig m_config;
    std::shared_ptr<const TripletDataset> m_train;
    std::shared_ptr<const TripletDataset> m_validation;
    QString m_fingerprint;
    torch::Device m_device = torch::kCPU;
    nn::ExpressionEncoder m_model{nullptr};
    std::unique_ptr<TripletBatchLoader> m_loader;
};

} // namespace

std::unique_ptr<Trainer> makeTripletTrainer()
{
    return std::make_unique<TripletTrainer>();
}

} // namespace fa
