#include "animator/retarget_evaluator.h"

#include "common/error_text.h"
#include "nn/device.h"
#include "render/face_framing.h"
#include "render/offscreen_avatar_renderer.h"
#include "training/image_augmentation.h"
#include "training/network_runs.h"

#include <opencv2/imgproc.hpp>

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace fa {

namespace {

constexpr int kRenderSize = 224; ///< the face crops' side

} // namespace

DistanceSummary DistanceSummary::of(std::vector<double> values)
{
    DistanceSummary s;
    s.count = int(values.size());
    if (values.empty())
        return s;
    std::sort(values.begin(), values.end());
    double sum = 0.0;
    for (const double v : values)
        sum += v;
    s.mean = sum / double(values.size());
    auto quantile = [&values](double q) {
        const double position = q * double(values.size() - 1);
        const std::size_t below = std::size_t(std::floor(position));
        const std::size_t above = std::min(values.size() - 1, below + 1);
        return values[below] + (position - double(below)) * (values[above] - values[below]);
    };
    s.median = quantile(0.5);
    s.p90 = quantile(0.9);
    return s;
}

struct RetargetEvaluator::Private
{
    EncoderRun encoder;
    torch::Device device = torch::kCPU;
    std::shared_ptr<const Avatar> avatar;
    OffscreenAvatarRenderer renderer;
    OrbitCamera camera;
    cv::Mat neutral;
};

RetargetEvaluator::RetargetEvaluator()
    : d(std::make_unique<Private>())
{
}

RetargetEvaluator::~RetargetEvaluator() = default;

std::unique_ptr<RetargetEvaluator> RetargetEvaluator::create(const QString &encoderRun, std::shared_ptr<const Avatar> avatar,
                                                             const QString &device, QString *error)
{
    std::unique_ptr<RetargetEvaluator> evaluator(new RetargetEvaluator);
    Private &p = *evaluator->d;
    try {
        nn::useCpuThreads(0, nn::CpuThreadUse::Blas);
        std::string problem;
        p.device = nn::preferredDevice(device.toStdString(), &problem);
        if (!problem.empty() && device != QLatin1String("auto")) {
            failWith(error, QStringLiteral("device: %1").arg(QString::fromStdString(problem)));
            return nullptr;
        }
    } catch (const std::exception &e) {
        failWith(error, QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0));
        return nullptr;
    }
    std::optional<EncoderRun> encoder = loadEncoderRun(encoderRun, p.device, error);
    if (!encoder)
        return nullptr;
    p.encoder = std::move(*encoder);
    QString why;
    if (!p.renderer.initialize(&why)) {
        failWith(error, why);
        return nullptr;
    }
    p.avatar = std::move(avatar);
    p.renderer.setAvatar(p.avatar);
    p.camera = FaceFraming(*p.avatar).camera();
    p.neutral = evaluator->render({});
    if (p.neutral.empty()) {
        failWith(error, QStringLiteral("OpenGL: %1").arg(p.renderer.errorString()));
        return nullptr;
    }
    return evaluator;
}

cv::Mat RetargetEvaluator::render(const std::vector<float> &rig)
{
    std::vector<float> values(std::size_t(d->avatar->rig().controlCount()), 0.0f);
    std::copy_n(rig.begin(), std::min(rig.size(), values.size()), values.begin());
    const QImage image = d->renderer.render(values, d->camera, QSize(kRenderSize, kRenderSize))
                             .convertToFormat(QImage::Format_RGB888);
    if (image.isNull())
        return {};
    const cv::Mat rgb(image.height(), image.width(), CV_8UC3, const_cast<uchar *>(image.constBits()),
                      std::size_t(image.bytesPerLine()));
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    return bgr;
}

bool RetargetEvaluator::distances(const std::vector<cv::Mat> &crops, const std::vector<std::vector<float>> &rigs,
                                  std::vector<double> *solved, std::vector<double> *neutral, QString *error)
{
    if (crops.size() != rigs.size())
        return failWith(error, QStringLiteral("%1 crops for %2 rigs").arg(crops.size()).arg(rigs.size()));
    if (crops.empty())
        return true;
    const int size = d->encoder.config.imageSize;
    std::vector<torch::Tensor> inputs;
    for (std::size_t i = 0; i < crops.size(); ++i) {
        const cv::Mat rendered = render(rigs[i]);
        if (rendered.empty() || crops[i].empty())
            return failWith(error, rendered.empty() ? QStringLiteral("OpenGL: %1").arg(d->renderer.errorString())
                                                    : QStringLiteral("an empty face crop"));
        inputs.push_back(evalTransform(crops[i], size));
        inputs.push_back(evalTransform(rendered, size));
    }
    inputs.push_back(evalTransform(d->neutral, size));
    try {
        torch::NoGradGuard noGrad;
        const torch::Tensor e = d->encoder.encoder->forward(torch::stack(inputs).to(d->device)).embedding.to(torch::kCPU, torch::kDouble);
        const torch::Tensor neutralEmbedding = e[e.size(0) - 1];
        for (int64_t i = 0; i < int64_t(crops.size()); ++i) {
            const torch::Tensor face = e[2 * i];
            solved->push_back((face - e[2 * i + 1]).norm().item<double>());
            neutral->push_back((face - neutralEmbedding).norm().item<double>());
        }
    } catch (const std::exception &ex) {
        return failWith(error, QString::fromUtf8(ex.what()).section(QLatin1Char('\n'), 0, 0));
    }
    return true;
}

} // namespace fa
