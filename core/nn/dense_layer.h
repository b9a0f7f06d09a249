#pragma once

// One hidden layer of the rig decoder (REFERENCE.md section 5): Linear -> BatchNorm1d -> ReLU ->
// Dropout. State-dict keys: fc.{weight, bias}, norm.{weight, bias, running_mean, running_var,
// num_batches_tracked} (dropout has none). Linear weights Xavier-uniform, biases 0 (the
// reference's CascadeNet init); BatchNorm weight 1, bias 0 (PyTorch's), eps 1e-5, momentum 0.1.

#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace fa::nn {

class DenseLayerImpl : public torch::nn::Module
{
public:
    DenseLayerImpl(int64_t in, int64_t out, double dropout);

    /// x [B, in] -> [B, out] (B >= 2 in train mode: BatchNorm).
    torch::Tensor forward(const torch::Tensor &x);

    torch::nn::Linear fc{nullptr};
    torch::nn::BatchNorm1d norm{nullptr};
    torch::nn::Dropout drop{nullptr};
};

TORCH_MODULE(DenseLayer);

} // namespace fa::nn
