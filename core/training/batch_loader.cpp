#include "training/batch_loader.h"

namespace fa {

template class BatchLoader<ImageBatchMaker>;
template class BatchLoader<TripletBatchMaker>;

} // namespace fa
