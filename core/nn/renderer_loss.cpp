#include "nn/renderer_loss.h"

#include <ATen/Functions.h>

namespace fa::nn {

at::Tensor regionWeightedL1(const at::Tensor &prediction, const at::Tensor &target, const at::Tensor &regionMask,
                            double regionWeight)
{
    const at::Tensor difference = (prediction.to(at::kFloat) - target.to(at::kFloat)).abs();
    const at::Tensor mask = regionMask.to(difference.device(), at::kFloat);
    return difference.mean() + regionWeight * (difference * mask).mean();
}

} // namespace fa::nn
