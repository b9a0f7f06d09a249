#include "training/render_batch.h"
#include "common/error_text.h"

#include "training/render_pair_set.h"

#include <torch/torch.h>

namespace fa {

RenderBatchMaker::RenderBatchMaker(std::shared_ptr<const RenderPairSet> set, std::vector<qsizetype> items,
                                   int batchSize, std::uint64_t seed, bool sequential)
    : m_set(std::move(set))
    , m_items(std::make_shared<const std::vector<qsizetype>>(std::move(items)))
    , m_order(std::make_shared<const SampleOrder>(qsizetype(m_items->size()), batchSize, seed, sequential))
{
}

bool RenderBatchMaker::make(std::int64_t step, RenderBatch *batch, QString *error) const
{
    if (m_items->empty())
        return failWith(error, QStringLiteral("the data set is empty"));
    const std::vector<SampleOrder::Sample> samples = m_order->batch(step);
    if (samples.empty())
        return failWith(error, QStringLiteral("step %1: past the end of the data").arg(step + 1));
    std::vector<at::Tensor> rigs;
    std::vector<at::Tensor> images;
    batch->indices.clear();
    for (const SampleOrder::Sample &sample : samples) {
        const qsizetype item = (*m_items)[std::size_t(sample.index)];
        QString why;
        at::Tensor image = m_set->image(item, &why);
        if (!image.defined())
            return failWith(error, QStringLiteral("step %1: %2").arg(step + 1).arg(why));
        images.push_back(std::move(image));
        rigs.push_back(m_set->rig(item));
        batch->indices.push_back(item);
    }
    batch->step = step;
    batch->rigs = torch::stack(rigs);
    batch->images = torch::stack(images);
    return true;
}

} // namespace fa
