#include "nn/triplet_accuracy.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>

namespace fa::nn {

namespace {

at::Tensor exactDistance(const at::Tensor &x, const at::Tensor &y)
{
    return (x.to(at::kDouble) - y.to(at::kDouble)).pow(2).sum(1).sqrt();
}

} // namespace

at::Tensor tripletPredictionCorrect(const at::Tensor &anchor, const at::Tensor &positive, const at::Tensor &negative)
{
    const at::Tensor ap = exactDistance(anchor, positive);
    return at::logical_and(ap < exactDistance(anchor, negative), ap < exactDistance(positive, negative));
}

} // namespace fa::nn
