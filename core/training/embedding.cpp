#include "training/embedding.h"

#include "nn/device.h"
#include "nn/expression_encoder.h"
#include "training/encoder_inference.h"
#include "training/image_augmentation.h"
#include "training/network_runs.h"
#include "common/error_text.h"

#include <torch/torch.h>

namespace fa {

struct ExpressionEmbedder::Private
{
    TrainingConfig config;
    torch::Device device = torch::kCPU;
    QString deviceText;
    nn::ExpressionEncoder encoder{nullptr};
};

ExpressionEmbedder::ExpressionEmbedder()
    : d(std::make_unique<Private>())
{
}

ExpressionEmbedder::~ExpressionEmbedder() = default;

std::unique_ptr<ExpressionEmbedder> ExpressionEmbedder::load(const QString &runDir, const QString &device, QString *error)
{
    std::unique_ptr<ExpressionEmbedder> embedder(new ExpressionEmbedder);
    Private &p = *embedder->d;
    try {
        std::string problem;
        nn::useCpuThreads(0, nn::CpuThreadUse::Blas); // every core: the encoder's time is in its GEMMs
        p.device = nn::preferredDevice(device.toStdString(), &problem);
        if (!problem.empty() && device != QLatin1String("auto")) {
            failWith(error, QStringLiteral("device: %1").arg(QString::fromStdString(problem)));
            return nullptr;
        }
        p.deviceText = QString::fromStdString(nn::deviceDescription(p.device));
    } catch (const std::exception &e) {
        failWith(error, QStringLiteral("%1: %2").arg(runDir, QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0)));
        return nullptr;
    }
    std::optional<EncoderRun> run = loadEncoderRun(runDir, p.device, error);
    if (!run)
        return nullptr;
    p.config = run->config;
    p.encoder = run->encoder;
    return embedder;
}

const TrainingConfig &ExpressionEmbedder::config() const
{
    return d->config;
}

int ExpressionEmbedder::embeddingSize() const
{
    return d->config.embeddingSize;
}

QString ExpressionEmbedder::deviceDescription() const
{
    return d->deviceText;
}

std::vector<float> ExpressionEmbedder::embedCrops(const std::vector<cv::Mat> &crops)
{
    std::vector<float> out;
    if (crops.empty())
        return out;
    std::vector<torch::Tensor> images;
    for (const cv::Mat &crop : crops)
        images.push_back(evalTransform(crop, d->config.imageSize));
    torch::NoGradGuard noGrad;
    const torch::Tensor embedding =
        d->encoder->forward(torch::stack(images).to(d->device)).embedding.to(torch::kCPU, torch::kFloat32).contiguous();
    out.assign(embedding.data_ptr<float>(), embedding.data_ptr<float>() + embedding.numel());
    return out;
}

std::optional<std::vector<float>> ExpressionEmbedder::embedDataset(const FaceCropDataset &faces, int batchSize,
                                                                  const std::function<void(double)> &progress,
                                                                  const std::atomic_bool *cancel, QString *error)
{
    std::optional<torch::Tensor> embeddings;
    try {
        embeddings = embedFaces(d->encoder, faces, d->config.imageSize, d->device, batchSize, d->config.workers,
                                progress, cancel, error);
    } catch (const std::exception &e) {
        if (error)
            *error = QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0);
        return std::nullopt;
    }
    if (!embeddings)
        return std::nullopt;
    const torch::Tensor flat = embeddings->contiguous();
    return std::vector<float>(flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel());
}

} // namespace fa
