#include "training/neural_renderer_model.h"
#include "common/error_text.h"

#include "common/arkit.h"
#include "nn/device.h"
#include "nn/neural_renderer.h"
#include "training/network_runs.h"
#include "training/renderer_image.h"
#include "training/training_config.h"

#include <QDir>
#include <QFileInfo>

#include <torch/torch.h>

#include <algorithm>

namespace fa {

struct NeuralRendererModel::Private
{
    RendererRunInfo info;
    QString runDir;
    torch::Device device = torch::kCPU;
    nn::NeuralRenderer network{nullptr};
};

NeuralRendererModel::NeuralRendererModel()
    : d(std::make_unique<Private>())
{
}

NeuralRendererModel::~NeuralRendererModel() = default;

std::unique_ptr<NeuralRendererModel> NeuralRendererModel::load(const QString &runDir, const QString &device, QString *error)
{
    std::unique_ptr<NeuralRendererModel> model(new NeuralRendererModel);
    Private &p = *model->d;
    try {
        nn::useCpuThreads(0, nn::CpuThreadUse::Torch); // every core: transposed convolutions
        std::string problem;
        p.device = nn::preferredDevice(device.toStdString(), &problem);
        if (!problem.empty() && device != QLatin1String("auto")) {
            failWith(error, QStringLiteral("device: %1").arg(QString::fromStdString(problem)));
            return nullptr;
        }
    } catch (const std::exception &e) {
        failWith(error, QStringLiteral("%1: %2").arg(runDir, QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0)));
        return nullptr;
    }
    std::optional<RendererRun> run = loadRendererRun(runDir, p.device, error);
    if (!run)
        return nullptr;
    p.info = run->info;
    p.runDir = run->runDir;
    p.network = run->network;
    return model;
}

QStringList NeuralRendererModel::findRuns(const QString &projectDirectory, const QStringList &otherRunFolders)
{
    QStringList candidates;
    if (!projectDirectory.isEmpty()) {
        const QDir runs(QDir(projectDirectory).filePath(QStringLiteral("runs")));
        for (const QString &name : runs.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            candidates << runs.absoluteFilePath(name);
    }
    candidates << otherRunFolders;
    QStringList found;
    for (const QString &candidate : std::as_const(candidates)) {
        const QDir dir(candidate);
        if (!QFileInfo::exists(dir.filePath(QStringLiteral("model.pt"))))
            continue;
        const std::optional<TrainingConfig> config =
            TrainingConfig::fromYamlFile(dir.filePath(QStringLiteral("config.yaml")), nullptr);
        if (config && config->isRenderer())
            found << dir.absolutePath();
    }
    found.removeDuplicates();
    found.sort();
    return found;
}

const RendererRunInfo &NeuralRendererModel::info() const
{
    return d->info;
}

QString NeuralRendererModel::runDirectory() const
{
    return d->runDir;
}

namespace {

/// Index in `names` of the control that stands for `control`: the same name, else the same
/// ARKit shape in another spelling; -1 when none.
int sourceIndex(const QStringList &names, const QString &control)
{
    const int exact = int(names.indexOf(control));
    if (exact >= 0)
        return exact;
    const int shape = arkit::indexOf(control);
    if (shape < 0)
        return -1;
    for (int i = 0; i < names.size(); ++i)
        if (arkit::indexOf(names[i]) == shape)
            return i;
    return -1;
}

} // namespace

std::vector<float> NeuralRendererModel::inputFor(const QStringList &names, const std::vector<float> &values) const
{
    std::vector<float> input(std::size_t(d->info.controls.size()), 0.0f);
    for (int c = 0; c < d->info.controls.size(); ++c) {
        const int i = sourceIndex(names, d->info.controls[c]);
        if (i >= 0 && std::size_t(i) < values.size())
            input[std::size_t(c)] = std::clamp(values[std::size_t(i)], 0.0f, 1.0f);
    }
    return input;
}

int NeuralRendererModel::matchedControls(const QStringList &names) const
{
    int matched = 0;
    for (const QString &control : d->info.controls)
        matched += sourceIndex(names, control) >= 0 ? 1 : 0;
    return matched;
}

std::vector<QImage> NeuralRendererModel::render(const std::vector<std::vector<float>> &rigs, QString *error)
{
    if (rigs.empty())
        return {};
    const int64_t n = d->info.controls.size();
    torch::Tensor input = torch::zeros({int64_t(rigs.size()), n});
    auto access = input.accessor<float, 2>();
    for (std::size_t r = 0; r < rigs.size(); ++r)
        for (int64_t c = 0; c < n && std::size_t(c) < rigs[r].size(); ++c)
            access[int64_t(r)][c] = rigs[r][std::size_t(c)];
    std::vector<QImage> images;
    try {
        torch::NoGradGuard noGrad;
        const torch::Tensor out = d->network->forward(input.to(d->device)).to(torch::kCPU);
        for (int64_t i = 0; i < out.size(0); ++i)
            images.push_back(imageFromUnitTensor(out[i]));
    } catch (const std::exception &e) {
        failWith(error, QStringLiteral("%1: %2").arg(d->runDir, QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0)));
        return {};
    }
    return images;
}

QImage NeuralRendererModel::render(const std::vector<float> &rig, QString *error)
{
    const std::vector<QImage> images = render(std::vector<std::vector<float>>{rig}, error);
    return images.empty() ? QImage() : images.front();
}

} // namespace fa
