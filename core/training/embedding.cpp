#include "training/embedding.h"

#include "nn/device.h"
#include "nn/expression_encoder.h"
#include "nn/state_dict.h"
#include "training/encoder_inference.h"
#include "training/image_augmentation.h"

#include <QDir>
#include <QFileInfo>

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
    auto fail = [&](const QString &what) {
        if (error)
            *error = what;
        return nullptr;
    };
    const QDir dir(runDir);
    const QString configPath = dir.absoluteFilePath(QStringLiteral("config.yaml"));
    const QString modelPath = dir.absoluteFilePath(QStringLiteral("model.pt"));
    if (!QFileInfo(runDir).isDir())
        return fail(QStringLiteral("%1: no such folder (expected a training run folder)").arg(runDir));
    if (!QFileInfo::exists(configPath))
        return fail(QStringLiteral("%1: not a training run (config.yaml is missing)").arg(runDir));
    if (!QFileInfo::exists(modelPath))
        return fail(QStringLiteral("%1: no model.pt yet (the run has written no checkpoint)").arg(runDir));
    QString why;
    const std::optional<TrainingConfig> config = TrainingConfig::fromYamlFile(configPath, &why);
    if (!config)
        return fail(why);
    if (!config->isTriplet())
        return fail(QStringLiteral("%1: a %2 run has no expression head; fine-tune it first "
                                   "(freeavatar train triplet --init %1 ...)").arg(runDir, config->kind));
    std::unique_ptr<ExpressionEmbedder> embedder(new ExpressionEmbedder);
    Private &p = *embedder->d;
    p.config = *config;
    try {
        std::string problem;
        nn::useCpuThreads(0, nn::CpuThreadUse::Blas); // every core: the encoder's time is in its GEMMs
        p.device = nn::preferredDevice(device.toStdString(), &problem);
        if (!problem.empty() && device != QLatin1String("auto"))
            return fail(QStringLiteral("device: %1").arg(QString::fromStdString(problem)));
        p.deviceText = QString::fromStdString(nn::deviceDescription(p.device));
        const nn::VitConfig vit = vitConfigOf(*config);
        if (!vit.validationError().empty())
            return fail(QStringLiteral("%1: %2").arg(configPath, QString::fromStdString(vit.validationError())));
        p.encoder = nn::ExpressionEncoder(vit, config->embeddingSize);
        const std::optional<nn::StateDict> dict = nn::loadStateDict(modelPath.toStdString(), &problem);
        if (!dict)
            return fail(QString::fromStdString(problem));
        nn::LoadReport report;
        if (!nn::loadStateDictInto(*p.encoder, *dict, {}, &report, &problem)) {
            if (report.shapeMismatch.empty())
                return fail(QStringLiteral("%1: %2").arg(modelPath, QString::fromStdString(problem).left(400)));
            return fail(QStringLiteral("%1: %2 tensors do not match config.yaml (e.g. %3)")
                            .arg(modelPath).arg(report.shapeMismatch.size())
                            .arg(QString::fromStdString(report.shapeMismatch.front())));
        }
        if (!report.missing.empty() || !report.unexpected.empty())
            return fail(QStringLiteral("%1: does not match config.yaml (%2 missing, %3 unexpected keys, e.g. %4)")
                            .arg(modelPath).arg(report.missing.size()).arg(report.unexpected.size())
                            .arg(QString::fromStdString(!report.missing.empty() ? report.missing.front() : report.unexpected.front())));
        p.encoder->to(p.device);
        p.encoder->eval();
    } catch (const std::exception &e) {
        return fail(QStringLiteral("%1: %2").arg(runDir, QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0)));
    }
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
