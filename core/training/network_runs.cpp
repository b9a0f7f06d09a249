#include "training/network_runs.h"

#include "common/file_kind.h"
#include "common/error_text.h"
#include "nn/state_dict.h"
#include "training/encoder_inference.h"
#include "training/image_augmentation.h"

#include <QDir>
#include <QFileInfo>

#include <torch/torch.h>

namespace fa {

namespace {

/// The run's configuration and model path; "PATH: what" when it is not a run with a model.pt.
std::optional<TrainingConfig> readRun(const QString &runDir, const QString &expected, QString *modelPath, QString *error)
{
    const QDir dir(runDir);
    if (!QFileInfo(runDir).isDir()) {
        failWith(error, folderProblem(runDir) + QStringLiteral(" (expected a %1 run folder)").arg(expected));
        return std::nullopt;
    }
    const QString configPath = dir.absoluteFilePath(QStringLiteral("config.yaml"));
    *modelPath = dir.absoluteFilePath(QStringLiteral("model.pt"));
    if (!QFileInfo::exists(configPath)) {
        failWith(error, QStringLiteral("%1: not a training run (config.yaml is missing)").arg(runDir));
        return std::nullopt;
    }
    return TrainingConfig::fromYamlFile(configPath, error);
}

bool missingModel(const QString &runDir, const QString &modelPath, QString *error)
{
    if (QFileInfo::exists(modelPath))
        return false;
    failWith(error, QStringLiteral("%1: no model.pt yet (the run has written no checkpoint)").arg(runDir));
    return true;
}

/// Loads model.pt strictly into `module`; "MODEL: what" otherwise.
bool loadRunWeights(torch::nn::Module &module, const QString &modelPath, QString *error)
{
    std::string problem;
    const std::optional<nn::StateDict> dict = nn::loadStateDict(modelPath.toStdString(), &problem);
    if (!dict)
        return failWith(error, QString::fromStdString(problem));
    nn::LoadReport report;
    if (!nn::loadStateDictInto(module, *dict, {}, &report, &problem)) {
        if (report.shapeMismatch.empty())
            return failWith(error, QStringLiteral("%1: %2").arg(modelPath, QString::fromStdString(problem).left(400)));
        return failWith(error, QStringLiteral("%1: %2 tensors do not match config.yaml (e.g. %3)")
                                   .arg(modelPath).arg(report.shapeMismatch.size())
                                   .arg(QString::fromStdString(report.shapeMismatch.front())));
    }
    if (!report.missing.empty() || !report.unexpected.empty())
        return failWith(error, QStringLiteral("%1: does not match config.yaml (%2 missing, %3 unexpected keys, e.g. %4)")
                                   .arg(modelPath).arg(report.missing.size()).arg(report.unexpected.size())
                                   .arg(QString::fromStdString(!report.missing.empty() ? report.missing.front()
                                                                                      : report.unexpected.front())));
    return true;
}

QString exceptionLine(const std::exception &e)
{
    return QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0);
}

} // namespace

std::optional<EncoderRun> loadEncoderRun(const QString &runDir, torch::Device device, QString *error)
{
    EncoderRun run;
    const std::optional<TrainingConfig> config = readRun(runDir, QStringLiteral("training"), &run.modelPath, error);
    if (!config)
        return std::nullopt;
    if (!config->isTriplet()) {
        if (config->isMae())
            failWith(error, QStringLiteral("%1: a mae run has no expression head; fine-tune it first "
                                           "(freeavatar train triplet --init %1 ...)").arg(runDir));
        else
            failWith(error, QStringLiteral("%1: a %2 run, not an expression encoder (a triplet run)").arg(runDir, config->kind));
        return std::nullopt;
    }
    if (missingModel(runDir, run.modelPath, error))
        return std::nullopt;
    run.config = *config;
    run.runDir = QFileInfo(runDir).absoluteFilePath();
    try {
        const nn::VitConfig vit = vitConfigOf(*config);
        if (!vit.validationError().empty()) {
            failWith(error, QStringLiteral("%1/config.yaml: %2").arg(runDir, QString::fromStdString(vit.validationError())));
            return std::nullopt;
        }
        run.encoder = nn::ExpressionEncoder(vit, config->embeddingSize);
        if (!loadRunWeights(*run.encoder, run.modelPath, error))
            return std::nullopt;
        run.encoder->to(device);
        run.encoder->eval();
    } catch (const std::exception &e) {
        failWith(error, QStringLiteral("%1: %2").arg(runDir, exceptionLine(e)));
        return std::nullopt;
    }
    return run;
}

std::optional<RendererRun> loadRendererRun(const QString &runDir, torch::Device device, QString *error)
{
    RendererRun run;
    const std::optional<TrainingConfig> config = readRun(runDir, QStringLiteral("renderer"), &run.modelPath, error);
    if (!config)
        return std::nullopt;
    if (!config->isRenderer()) {
        failWith(error, QStringLiteral("%1: a %2 run, not a neural renderer (freeavatar train renderer)").arg(runDir, config->kind));
        return std::nullopt;
    }
    if (missingModel(runDir, run.modelPath, error))
        return std::nullopt;
    // A checkpoint folder has no renderer.json of its own: the run folder two levels up does.
    const QDir dir(runDir);
    QString infoDir = runDir;
    if (!QFileInfo::exists(dir.absoluteFilePath(RendererRunInfo::fileName())))
        infoDir = QDir(dir.absoluteFilePath(QStringLiteral("../.."))).absolutePath();
    std::optional<RendererRunInfo> info = RendererRunInfo::read(infoDir, error);
    if (!info)
        return std::nullopt;
    if (info->imageSize != config->rendererSize || info->width != config->rendererWidth) {
        failWith(error, QStringLiteral("%1: renderer.json (%2 px, width %3) does not match config.yaml (%4 px, width %5)")
                            .arg(runDir).arg(info->imageSize).arg(info->width).arg(config->rendererSize)
                            .arg(config->rendererWidth));
        return std::nullopt;
    }
    run.config = *config;
    run.info = *info;
    run.runDir = QFileInfo(runDir).absoluteFilePath();
    try {
        run.network = nn::NeuralRenderer(nn::NeuralRendererOptions(info->controls.size())
                                             .imageSize(info->imageSize)
                                             .width(info->width));
        if (!loadRunWeights(*run.network, run.modelPath, error))
            return std::nullopt;
        run.network->to(device);
        run.network->eval();
    } catch (const std::exception &e) {
        failWith(error, QStringLiteral("%1: %2").arg(runDir, exceptionLine(e)));
        return std::nullopt;
    }
    return run;
}

/// Encoder outputs of `count` images given by `image` (8-bit BGR, any size) through the eval
/// transform, in batches; CPU float32.
bool encodeFaceImages(EncoderRun &encoder, qsizetype count, const std::function<cv::Mat(qsizetype, QString *)> &image,
                  torch::Tensor *patchMean, torch::Tensor *embedding, const std::function<void(double)> &progress,
                  const std::atomic_bool *cancel, QString *error)
{
    constexpr qsizetype kBatch = 32;
    torch::NoGradGuard noGrad;
    const torch::Device device = encoder.encoder->parameters().front().device();
    std::vector<torch::Tensor> means;
    std::vector<torch::Tensor> embeddings;
    for (qsizetype begin = 0; begin < count; begin += kBatch) {
        if (cancel && cancel->load())
            return failWith(error, QStringLiteral("cancelled"));
        std::vector<torch::Tensor> inputs;
        for (qsizetype i = begin; i < std::min(count, begin + kBatch); ++i) {
            const cv::Mat bgr = image(i, error);
            if (bgr.empty())
                return false;
            inputs.push_back(evalTransform(bgr, encoder.config.imageSize));
        }
        const nn::ExpressionOutput out = encoder.encoder->forward(torch::stack(inputs).to(device));
        means.push_back(out.patchMean.to(torch::kCPU, torch::kFloat32));
        embeddings.push_back(out.embedding.to(torch::kCPU, torch::kFloat32));
        if (progress)
            progress(double(std::min(count, begin + kBatch)) / double(std::max<qsizetype>(1, count)));
    }
    const int64_t d = encoder.config.embedDim;
    const int64_t e = encoder.config.embeddingSize;
    *patchMean = means.empty() ? torch::zeros({0, d}) : torch::cat(means);
    *embedding = embeddings.empty() ? torch::zeros({0, e}) : torch::cat(embeddings);
    return true;
}


} // namespace fa
