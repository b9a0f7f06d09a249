#include "nn/mlp.h"

#include "nn/linear_forward.h"

#include <ATen/Functions.h>

namespace fa::nn {

MlpImpl::MlpImpl(int dim, int hiddenDim)
{
    fc1 = register_module("fc1", torch::nn::Linear(dim, hiddenDim));
    fc2 = register_module("fc2", torch::nn::Linear(hiddenDim, dim));
}

torch::Tensor MlpImpl::forward(const torch::Tensor &x)
{
    // nn.GELU() default: the exact erf form, not the tanh approximation.
    return linearForward(fc2, at::gelu(linearForward(fc1, x)));
}

} // namespace fa::nn
