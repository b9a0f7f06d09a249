#include "training/render_pair_set.h"
#include "common/error_text.h"

#include "renderset/render_dataset.h"
#include "training/deterministic_random.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace fa {

namespace {

constexpr std::uint64_t kHeldOutTag = 0x68656c646f7574; // "heldout"

/// The box scaled from the set's side to `size`, as [x0, x1) x [y0, y1) pixel ranges.
void paintBox(at::Tensor &mask, const QRect &box, double scale, int size)
{
    if (box.isNull() || box.isEmpty())
        return;
    const int x0 = std::clamp(int(std::floor(box.left() * scale)), 0, size);
    const int y0 = std::clamp(int(std::floor(box.top() * scale)), 0, size);
    const int x1 = std::clamp(int(std::ceil((box.right() + 1) * scale)), 0, size);
    const int y1 = std::clamp(int(std::ceil((box.bottom() + 1) * scale)), 0, size);
    if (x1 > x0 && y1 > y0)
        mask.index({0, 0, torch::indexing::Slice(y0, y1), torch::indexing::Slice(x0, x1)}).fill_(1.0f);
}

} // namespace

std::optional<RenderPairSet> RenderPairSet::open(const QString &dir, int size, double heldOutFraction, QString *error)
{
    std::optional<RenderDataset> dataset = RenderDataset::open(dir, error);
    if (!dataset)
        return std::nullopt;
    if (dataset->size() == 0) {
        failWith(error, QStringLiteral("%1: no rigs").arg(dataset->directory()));
        return std::nullopt;
    }
    if (dataset->imageSize() < size) {
        failWith(error, QStringLiteral("%1: the render set is %2x%2, smaller than renderer_size %3")
                            .arg(dataset->directory()).arg(dataset->imageSize()).arg(size));
        return std::nullopt;
    }
    RenderPairSet set;
    set.m_size = size;
    set.m_dataset = std::make_shared<const RenderDataset>(std::move(*dataset));
    const std::uint64_t threshold = std::uint64_t(std::clamp(heldOutFraction, 0.0, 1.0) * 1e6);
    for (qsizetype i = 0; i < set.m_dataset->size(); ++i) {
        const bool held = deriveSeed({kHeldOutTag, std::uint64_t(i)}) % 1000000 < threshold;
        (held ? set.m_heldOut : set.m_training).push_back(i);
    }
    if (set.m_training.empty()) {
        failWith(error, QStringLiteral("%1: all %2 rigs are held out; render more").arg(set.m_dataset->directory()).arg(set.m_dataset->size()));
        return std::nullopt;
    }
    set.m_mask = torch::zeros({1, 1, size, size});
    const double scale = double(size) / double(set.m_dataset->imageSize());
    paintBox(set.m_mask, set.m_dataset->mouthBox(), scale, size);
    paintBox(set.m_mask, set.m_dataset->eyeBox(), scale, size);
    return set;
}

int RenderPairSet::rigSize() const
{
    return m_dataset->rig().controlCount();
}

QStringList RenderPairSet::controlNames() const
{
    return m_dataset->rig().names();
}

QString RenderPairSet::fingerprint() const
{
    return QString::fromLatin1(m_dataset->fingerprint());
}

bool RenderPairSet::hasRegions() const
{
    return m_mask.defined() && m_mask.sum().item<double>() > 0;
}

at::Tensor RenderPairSet::rig(qsizetype item) const
{
    const std::vector<float> &values = m_dataset->rig(item);
    return torch::from_blob(const_cast<float *>(values.data()), {qint64(values.size())}, torch::kFloat32).clone();
}

at::Tensor RenderPairSet::image(qsizetype item, QString *error) const
{
    const QString path = m_dataset->imagePath(item);
    const cv::Mat bgr = cv::imread(path.toStdString(), cv::IMREAD_COLOR);
    if (bgr.empty()) {
        failWith(error, QStringLiteral("%1: cannot read the image").arg(path));
        return {};
    }
    if (bgr.cols != m_dataset->imageSize() || bgr.rows != m_dataset->imageSize()) {
        failWith(error, QStringLiteral("%1: is %2x%3, the render set's images are %4x%4")
                            .arg(path).arg(bgr.cols).arg(bgr.rows).arg(m_dataset->imageSize()));
        return {};
    }
    cv::Mat rgb;
    if (bgr.cols != m_size)
        cv::resize(bgr, rgb, cv::Size(m_size, m_size), 0, 0, cv::INTER_AREA);
    else
        rgb = bgr;
    cv::cvtColor(rgb, rgb, cv::COLOR_BGR2RGB);
    // HWC uint8 -> CHW float in [0, 1].
    return torch::from_blob(rgb.data, {m_size, m_size, 3}, torch::kUInt8)
        .permute({2, 0, 1})
        .to(torch::kFloat32)
        .div_(255.0f)
        .contiguous();
}

} // namespace fa
