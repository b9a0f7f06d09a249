#include "training/image_batch.h"

#include <ATen/ATen.h>

namespace fa {

ImageBatchMaker::ImageBatchMaker(std::shared_ptr<const FaceCropDataset> dataset, const BatchSettings &settings)
    : m_dataset(std::move(dataset)), m_settings(settings),
      m_order(std::make_shared<SampleOrder>(m_dataset ? m_dataset->size() : 0, settings.batchSize, settings.seed,
                                            settings.sequential))
{
}

bool ImageBatchMaker::make(std::int64_t step, ImageBatch *batch, QString *error) const
{
    if (!m_dataset || m_dataset->isEmpty()) {
        *error = QStringLiteral("the data set is empty");
        return false;
    }
    const std::vector<SampleOrder::Sample> samples = m_order->batch(step);
    if (samples.empty()) {
        *error = QStringLiteral("step %1: past the end of the data").arg(step);
        return false;
    }
    const int size = m_settings.imageSize;
    at::Tensor images = at::empty({qint64(samples.size()), 3, size, size}, at::TensorOptions().dtype(at::kFloat));
    float *data = images.data_ptr<float>();
    const size_t stride = size_t(3) * size_t(size) * size_t(size);
    std::vector<qsizetype> indices;
    for (size_t i = 0; i < samples.size(); ++i) {
        QString problem;
        const cv::Mat image = m_dataset->image(samples[i].index, &problem);
        if (image.empty()) {
            *error = QStringLiteral("step %1: %2").arg(step).arg(problem);
            return false;
        }
        std::mt19937_64 rng(samples[i].seed);
        applyFaceAugmentation(image, m_settings.augmentation, size, rng, data + i * stride);
        indices.push_back(samples[i].index);
    }
    batch->step = step;
    batch->images = images;
    batch->indices = std::move(indices);
    return true;
}

} // namespace fa
