#include "training/mae_trainer.h"
#include "common/error_text.h"

#include "nn/masked_autoencoder.h"
#include "training/batch_loader.h"
#include "training/deterministic_random.h"
#include "training/encoder_inference.h"
#include "training/training_data.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

namespace fa {

namespace {

// Tags that separate the generators of training masks, validation masks and sample masks.
constexpr std::uint64_t kTrainMaskTag = 0x6d61736b74726e; // "masktrn"
constexpr std::uint64_t kValidationMaskTag = 0x6d61736b76616c; // "maskval"
constexpr std::uint64_t kSampleMaskTag = 0x6d61736b736d70; // "masksmp"


/// Uniform [rows, cols] noise from a CPU generator seeded with `seed`, moved to `device`: the
/// same masks on every device and whatever ran before.
torch::Tensor maskNoise(std::uint64_t seed, int64_t rows, int64_t cols, torch::Device device)
{
    at::Generator generator = at::detail::createCPUGenerator(seed);
    return torch::rand({rows, cols}, generator, torch::TensorOptions().dtype(torch::kFloat32)).to(device);
}

class MaeTrainer : public Trainer
{
public:
    ~MaeTrainer() override { stopLoader(); }

    bool loadData(const TrainingConfig &config, const Progress &progress, const std::atomic_bool *cancel,
                  QString *error) override
    {
        m_config = config;
        const bool hasValidation = !config.validation.isEmpty();
        const double share = hasValidation && config.validation != config.data ? 0.8 : 1.0;
        QStringList problems;
        std::optional<FaceCropDataset> train = loadTrainingFaces(
            config.data, faceLoadOptions(config, cancel,
                                     [&](double f, const QString &s) { if (progress) progress(share * f, QStringLiteral("loading ") + s); }),
            &problems, error);
        if (!train)
            return false;
        m_train = std::make_shared<const FaceCropDataset>(std::move(*train));
        m_fingerprint = QString::fromLatin1(m_train->fingerprint());
        if (hasValidation && config.validation == config.data) {
            m_validation = m_train; // checking the fit on the training crops: loaded once
            m_fingerprint += QLatin1Char('+') + QString::fromLatin1(m_validation->fingerprint());
        } else if (hasValidation) {
            std::optional<FaceCropDataset> validation = loadTrainingFaces(
                config.validation,
                faceLoadOptions(config, cancel,
                            [&](double f, const QString &s) { if (progress) progress(share + (1 - share) * f, QStringLiteral("loading ") + s); }),
                nullptr, error);
            if (!validation)
                return false;
            m_validation = std::make_shared<const FaceCropDataset>(std::move(*validation));
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
        nn::MaeDecoderConfig decoder;
        decoder.embedDim = config.decoderEmbedDim;
        decoder.depth = config.decoderDepth;
        decoder.numHeads = config.decoderNumHeads;
        decoder.maskRatio = config.maskRatio;
        decoder.normPixLoss = config.normPixLoss;
        const std::string problem = !vit.validationError().empty() ? vit.validationError() : decoder.validationError();
        if (!problem.empty())
            return failWith(error, QString::fromStdString(problem));
        m_device = device;
        m_model = nn::MaskedAutoencoder(vit, decoder);
        m_model->to(device);
        m_model->train();
        return true;
    }

    torch::nn::Module &module() override { return *m_model; }
    std::vector<std::string> initIgnoredPrefixes() const override { return {}; }

    bool startLoader(qint64 step, QString *) override
    {
        BatchSettings settings;
        settings.batchSize = m_config.batchSize;
        settings.imageSize = m_config.imageSize;
        settings.augmentation = FaceAugmentation::maePretraining();
        settings.augmentation.crop.minScale = m_config.cropScaleMin;
        if (!m_config.augmentation)
            settings.augmentation = FaceAugmentation::eval();
        settings.seed = m_config.seed;
        const BatchLoaderOptions options = BatchLoaderOptions::forWorkers(m_config.workers);
        m_loader = std::make_unique<ImageBatchLoader>(ImageBatchMaker(m_train, settings), options);
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
        std::optional<ImageBatch> batch = m_loader->nextOfStep(step, waitSeconds, error);
        if (!batch)
            return false;
        const torch::Tensor images = batch->images.to(m_device);
        const torch::Tensor noise = maskNoise(deriveSeed({m_config.seed, std::uint64_t(step), kTrainMaskTag}),
                                              images.size(0), m_model->encoderConfig().numPatches(), m_device);
        *result = nn::maeStep(m_model, optimizer, images, noise, options);
        return true;
    }

    int imagesPerStep() const override { return m_config.batchSize; }

    bool validate(TrainingMetrics *metrics, QString *error) override
    {
        if (!m_validation || m_validation->isEmpty())
            return true;
        BatchSettings settings;
        settings.batchSize = m_config.batchSize;
        settings.imageSize = m_config.imageSize;
        settings.augmentation = FaceAugmentation::eval();
        settings.sequential = true;
        BatchLoaderOptions options;
        options.workers = m_config.workers;
        ImageBatchLoader loader(ImageBatchMaker(m_validation, settings), options);
        loader.start(0);
        torch::NoGradGuard noGrad;
        m_model->eval();
        double sum = 0;
        qint64 count = 0;
        for (std::int64_t step = 0; step < loader.stepCount(); ++step) {
            std::optional<ImageBatch> batch = loader.next(error);
            if (!batch) {
                m_model->train();
                return false;
            }
            const torch::Tensor images = batch->images.to(m_device);
            const torch::Tensor noise = maskNoise(deriveSeed({m_config.seed, std::uint64_t(step), kValidationMaskTag}),
                                                  images.size(0), m_model->encoderConfig().numPatches(), m_device);
            sum += m_model->forward(images, noise).loss.item<double>() * double(images.size(0));
            count += images.size(0);
        }
        m_model->train();
        metrics->validationLoss = count > 0 ? sum / double(count) : std::nan("");
        return true;
    }

    bool makeSamples(TrainingSamples *samples, QString *error) override
    {
        const std::shared_ptr<const FaceCropDataset> source = m_validation && !m_validation->isEmpty() ? m_validation : m_train;
        const qsizetype count = std::min<qsizetype>(4, source->size());
        std::vector<torch::Tensor> crops;
        for (qsizetype i = 0; i < count; ++i) {
            // Spread over the data set, the same faces every time.
            const qsizetype index = i * source->size() / count;
            QString why;
            const cv::Mat image = source->image(index, &why);
            if (image.empty())
                return failWith(error, why);
            crops.push_back(evalTransform(image, m_config.imageSize));
        }
        if (crops.empty())
            return true;
        torch::NoGradGuard noGrad;
        m_model->eval();
        const torch::Tensor images = torch::stack(crops).to(m_device);
        const nn::MaeOutput out = m_model->forward(
            images, maskNoise(deriveSeed({m_config.seed, kSampleMaskTag}), images.size(0),
                              m_model->encoderConfig().numPatches(), m_device));
        m_model->train();
        const torch::Tensor target = m_model->patchify(images);
        torch::Tensor prediction = out.prediction.to(torch::kFloat32);
        if (m_config.normPixLoss) {
            // Back from per-patch normalised pixels with the target patch's statistics.
            const torch::Tensor mean = target.mean(-1, true);
            const torch::Tensor var = target.var(-1, true, true);
            prediction = prediction * (var + 1e-6).sqrt() + mean;
        }
        const torch::Tensor mask = out.mask.unsqueeze(-1); // 1 = masked
        const torch::Tensor masked = m_model->unpatchify(target * (1 - mask));
        const torch::Tensor pasted = m_model->unpatchify(target * (1 - mask) + prediction * mask);
        for (int64_t i = 0; i < images.size(0); ++i) {
            ReconstructionSample sample;
            sample.masked = imageFromNormalizedTensor(masked[i]);
            sample.prediction = imageFromNormalizedTensor(pasted[i]);
            sample.target = imageFromNormalizedTensor(images[i]);
            samples->reconstructions.push_back(sample);
        }
        return true;
    }

private:
    TrainingConfig m_config;
    std::shared_ptr<const FaceCropDataset> m_train;
    std::shared_ptr<const FaceCropDataset> m_validation;
    QString m_fingerprint;
    torch::Device m_device = torch::kCPU;
    nn::MaskedAutoencoder m_model{nullptr};
    std::unique_ptr<ImageBatchLoader> m_loader;
};

} // namespace

std::unique_ptr<Trainer> makeMaeTrainer()
{
    return std::make_unique<MaeTrainer>();
}

} // namespace fa
