#include "nn/triplet_loss.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>

namespace fa::nn {

namespace {

at::Tensor tripletMarginDistance(const at::Tensor &x, const at::Tensor &y)
{
    return at::pairwise_distance(x, y, 2.0, 1e-6, false);
}

} // namespace

at::Tensor symmetricTripletLoss(const at::Tensor &anchor, const at::Tensor &positive, const at::Tensor &negative,
                                const at::Tensor &margins)
{
    const at::Tensor m = margins.to(anchor.scalar_type());
    const at::Tensor forward = at::relu(tripletMarginDistance(anchor, positive) - tripletMarginDistance(anchor, negative) + m);
    const at::Tensor backward = at::relu(tripletMarginDistance(positive, anchor) - tripletMarginDistance(positive, negative) + m);
    return (forward + backward).mean();
}

} // namespace fa::nn
