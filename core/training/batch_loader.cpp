#include "training/batch_loader.h"
#include "training/render_batch.h"

namespace fa {

template class BatchLoader<ImageBatchMaker>;
template class BatchLoader<TripletBatchMaker>;
template class BatchLoader<RenderBatchMaker>;

} // namespace fa
