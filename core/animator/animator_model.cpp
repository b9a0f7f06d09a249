#include "animator/animator_model.h"

#include "common/file_kind.h"
#include "common/error_text.h"
#include "nn/device.h"
#include "nn/rig_decoder.h"
#include "nn/state_dict.h"
#include "training/image_augmentation.h"
#include "training/network_runs.h"

#include <QDir>
#include <QFileInfo>

#include <torch/torch.h>

namespace fa {

struct AnimatorModel::Private
{
    AnimatorRunInfo info;
    QString runDir;
    QString deviceText;
    torch::Device device = torch::kCPU;
    EncoderRun encoder;
    nn::RigDecoder decoder{nullptr};
};

AnimatorModel::AnimatorModel()
    : d(std::make_unique<Private>())
{
}

AnimatorModel::~AnimatorModel() = default;

std::unique_ptr<AnimatorModel> AnimatorModel::load(const QString &runDir, const QString &device, QString *error)
{
    auto fail = [&](const QString &what) {
        failWith(error, what);
        return std::unique_ptr<AnimatorModel>();
    };
    if (!QFileInfo(runDir).isDir())
        return fail(folderProblem(runDir) + QStringLiteral(" (expected a rig-decoder run folder)"));
    std::optional<AnimatorRunInfo> info = AnimatorRunInfo::read(runDir, error);
    if (!info)
        return nullptr;
    const QString modelPath = QDir(runDir).absoluteFilePath(QStringLiteral("model.pt"));
    if (!QFileInfo::exists(modelPath))
        return fail(QStringLiteral("%1: no model.pt yet (the run has written no checkpoint)").arg(runDir));
    for (const AnimatorAvatar &avatar : info->avatars)
        if (!QFileInfo::exists(QDir(avatar.rendererRun).absoluteFilePath(QStringLiteral("model.pt"))))
            return fail(QStringLiteral("%1: the neural renderer of %2 is missing (%3)").arg(runDir, avatar.name, avatar.rendererRun));

    std::unique_ptr<AnimatorModel> model(new AnimatorModel);
    Private &p = *model->d;
    p.info = *info;
    p.runDir = QFileInfo(runDir).absoluteFilePath();
    try {
        nn::useCpuThreads(0, nn::CpuThreadUse::Blas); // every core: the encoder's time is in its GEMMs
        std::string problem;
        p.device = nn::preferredDevice(device.toStdString(), &problem);
        if (!problem.empty() && device != QLatin1String("auto"))
            return fail(QStringLiteral("device: %1").arg(QString::fromStdString(problem)));
        p.deviceText = QString::fromStdString(nn::deviceDescription(p.device));
        std::optional<EncoderRun> encoder = loadEncoderRun(info->encoderRun, p.device, error);
        if (!encoder)
            return fail(QStringLiteral("%1: its encoder: %2").arg(runDir, error ? *error : QString()));
        if (encoder->config.embedDim != info->featureSize)
            return fail(QStringLiteral("%1: its encoder %2 is %3 wide; the decoder reads %4-wide features")
                            .arg(runDir, info->encoderRun).arg(encoder->config.embedDim).arg(info->featureSize));
        QString why;
        const QString fingerprint = fileFingerprint(encoder->modelPath, &why);
        if (fingerprint != info->encoderFingerprint)
            return fail(QStringLiteral("%1: its encoder %2 changed since the decoder was trained (model.pt differs)")
                            .arg(runDir, info->encoderRun));
        p.encoder = std::move(*encoder);
        p.decoder = nn::RigDecoder(nn::RigDecoderOptions(info->featureSize, info->rigSize)
                                       .identities(info->identityRows)
                                       .hiddenSize(info->hiddenSize)
                                       .blocks(info->blocks)
                                       .dropout(info->dropout));
        const std::optional<nn::StateDict> dict = nn::loadStateDict(modelPath.toStdString(), &problem);
        if (!dict)
            return fail(QString::fromStdString(problem));
        nn::LoadReport report;
        if (!nn::loadStateDictInto(*p.decoder, *dict, {}, &report, &problem))
            return fail(QStringLiteral("%1: %2").arg(modelPath, QString::fromStdString(problem).left(400)));
        if (!report.missing.empty() || !report.unexpected.empty())
            return fail(QStringLiteral("%1: does not match animator.json (%2 missing, %3 unexpected tensors)")
                            .arg(modelPath).arg(report.missing.size()).arg(report.unexpected.size()));
        p.decoder->to(p.device);
        p.decoder->eval();
    } catch (const std::exception &e) {
        return fail(QStringLiteral("%1: %2").arg(runDir, QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0)));
    }
    return model;
}

QStringList AnimatorModel::findRuns(const QString &projectDirectory, const QString &avatar)
{
    QStringList found;
    if (projectDirectory.isEmpty())
        return found;
    const QDir runs(QDir(projectDirectory).filePath(QStringLiteral("runs")));
    for (const QString &name : runs.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QString dir = runs.absoluteFilePath(name);
        if (!QFileInfo::exists(QDir(dir).filePath(QStringLiteral("model.pt")))
            || !QFileInfo::exists(QDir(dir).filePath(AnimatorRunInfo::fileName())))
            continue;
        const std::optional<AnimatorRunInfo> info = AnimatorRunInfo::read(dir, nullptr);
        if (info && info->findAvatar(avatar))
            found << dir;
    }
    return found;
}

const AnimatorRunInfo &AnimatorModel::info() const
{
    return d->info;
}

QString AnimatorModel::runDirectory() const
{
    return d->runDir;
}

QString AnimatorModel::deviceDescription() const
{
    return d->deviceText;
}

std::optional<int> AnimatorModel::avatarIndex(const QString &avatar, QString *error) const
{
    const AnimatorAvatar *found = d->info.findAvatar(avatar);
    if (!found) {
        failWith(error, QStringLiteral("%1: trained for %2; not for %3")
                            .arg(d->runDir, d->info.avatarNames().join(QStringLiteral(", ")),
                                 avatar.isEmpty() ? QStringLiteral("the mannequin head") : avatar));
        return std::nullopt;
    }
    return int(found - d->info.avatars.data());
}

std::vector<std::vector<float>> AnimatorModel::solve(const std::vector<cv::Mat> &crops, int avatar, QString *error)
{
    std::vector<std::vector<float>> rigs;
    if (crops.empty())
        return rigs;
    if (avatar < 0 || avatar >= int(d->info.avatars.size())) {
        failWith(error, QStringLiteral("avatar %1 is not one of the model's %2").arg(avatar).arg(d->info.avatars.size()));
        return rigs;
    }
    const AnimatorAvatar &target = d->info.avatars[std::size_t(avatar)];
    try {
        torch::NoGradGuard noGrad;
        std::vector<torch::Tensor> inputs;
        for (const cv::Mat &crop : crops) {
            if (crop.empty()) {
                failWith(error, QStringLiteral("an empty face crop"));
                return {};
            }
            inputs.push_back(evalTransform(crop, d->encoder.config.imageSize));
        }
        const nn::ExpressionOutput out = d->encoder.encoder->forward(torch::stack(inputs).to(d->device));
        const torch::Tensor identity =
            torch::full({int64_t(crops.size())}, int64_t(target.identity), torch::TensorOptions().dtype(torch::kLong).device(d->device));
        const torch::Tensor decoded = d->decoder->forward(out.patchMean, identity)
                                          .slice(1, 0, target.controls.size())
                                          .to(torch::kCPU, torch::kFloat32)
                                          .contiguous();
        const float *values = decoded.data_ptr<float>();
        const int64_t n = decoded.size(1);
        for (int64_t i = 0; i < decoded.size(0); ++i)
            rigs.emplace_back(values + i * n, values + (i + 1) * n);
    } catch (const std::exception &e) {
        failWith(error, QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0));
        return {};
    }
    return rigs;
}

} // namespace fa
