#include "training/triplet_batch.h"

#include <ATen/ATen.h>

namespace fa {

TripletBatchMaker::TripletBatchMaker(std::shared_ptr<const TripletDataset> dataset, const BatchSettings &settings)
    : m_dataset(std::move(dataset)), m_settings(settings),
      m_order(std::make_shared<SampleOrder>(m_dataset ? m_dataset->size() : 0, settings.batchSize, settings.seed,
                                            settings.sequential))
{
}

bool TripletBatchMaker::make(std::int64_t step, TripletBatch *batch, QString *error) const
{
    if (!m_dataset || m_dataset->isEmpty()) {
        *error = QStringLiteral("the triplet set is empty");
        return false;
    }
    const std::vector<SampleOrder::Sample> samples = m_order->batch(step);
    if (samples.empty()) {
        *error = QStringLiteral("step %1: past the end of the data").arg(step);
        return false;
    }
    const int size = m_settings.imageSize;
    const qint64 count = qint64(samples.size());
    const at::TensorOptions floats = at::TensorOptions().dtype(at::kFloat);
    at::Tensor images[3] = {at::empty({count, 3, size, size}, floats), at::empty({count, 3, size, size}, floats),
                            at::empty({count, 3, size, size}, floats)};
    at::Tensor types = at::empty({count}, at::TensorOptions().dtype(at::kLong));
    at::Tensor margins = at::empty({count}, floats);
    const size_t stride = size_t(3) * size_t(size) * size_t(size);
    std::vector<qsizetype> indices;
    const FaceCropDataset &table = m_dataset->images();
    for (size_t i = 0; i < samples.size(); ++i) {
        const TripletItem &triplet = m_dataset->triplet(samples[i].index);
        std::mt19937_64 rng(samples[i].seed);
        for (int role = 0; role < 3; ++role) {
            QString problem;
            const cv::Mat image = table.image(triplet.faces[size_t(role)], &problem);
            if (image.empty()) {
                *error = QStringLiteral("step %1: %2").arg(step).arg(problem);
                return false;
            }
            applyFaceAugmentation(image, m_settings.augmentation, size, rng, images[role].data_ptr<float>() + i * stride);
        }
        types.data_ptr<int64_t>()[i] = int64_t(triplet.type);
        margins.data_ptr<float>()[i] = float(tripletMargin(triplet.type));
        indices.push_back(samples[i].index);
    }
    batch->step = step;
    batch->anchor = images[0];
    batch->positive = images[1];
    batch->negative = images[2];
    batch->types = types;
    batch->margins = margins;
    batch->indices = std::move(indices);
    return true;
}

} // namespace fa
