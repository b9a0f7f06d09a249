#pragma once

// The forward pass of a torch::nn::Linear through ATen's native at::linear, as Python's
// nn.Linear runs it. Internal to core/nn.
//
// Why not layer->forward(x): LibTorch's C++ Linear (torch/nn/functional/linear.h, up to at least
// 1.13) fuses the bias only for 2-D inputs and runs a [B, T, C] token tensor as matmul followed
// by an in-place bias add, while at::linear flattens a contiguous 3-D input into one addmm. On
// the tiny-preset triplet step the header path made the C++ forward about 1.4x slower than
// Python's (bench/RESULTS.md, "bench_training"). Same weights, same result up to rounding.

#include <torch/nn/modules/linear.h>

#include <ATen/Functions.h>

namespace fa::nn {

/// y = x W^T + b for x of shape [..., in_features]; y has shape [..., out_features].
inline torch::Tensor linearForward(const torch::nn::Linear &layer, const torch::Tensor &x)
{
    return at::linear(x, layer->weight, layer->bias);
}

} // namespace fa::nn
