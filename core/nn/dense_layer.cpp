#include "nn/dense_layer.h"

#include "nn/linear_forward.h"

#include <torch/nn/init.h>
#include <torch/nn/functional/activation.h>

namespace fa::nn {

DenseLayerImpl::DenseLayerImpl(int64_t in, int64_t out, double dropout)
{
    fc = register_module("fc", torch::nn::Linear(in, out));
    norm = register_module("norm", torch::nn::BatchNorm1d(out));
    drop = register_module("drop", torch::nn::Dropout(dropout));
    torch::NoGradGuard noGrad;
    torch::nn::init::xavier_uniform_(fc->weight);
    torch::nn::init::zeros_(fc->bias);
}

torch::Tensor DenseLayerImpl::forward(const torch::Tensor &x)
{
    return drop->forward(torch::relu(norm->forward(linearForward(fc, x))));
}

} // namespace fa::nn
