#pragma once

// The FreeAvatar neural renderer: a DCGAN-style generator from a rig vector to an RGB image of
// one avatar (REFERENCE.md section 4; the reference's models/DCGAN.py). All layers sit in one
// Sequential named `main` (pytorch/examples dcgan), so the state-dict keys are those of a Python
// nn.Sequential attribute `main`: main.0.weight, main.1.{weight, bias, running_mean, running_var,
// num_batches_tracked}, main.3.weight, ...
//
// Layers for S = 256 (n rig controls, ngf = width; every ConvTranspose2d is 4x4 without bias):
//
//   index  layer                                        output
//   0      ConvTranspose2d(n -> 8ngf, stride 1, pad 0)   [8ngf,   4,   4]
//   1, 2   BatchNorm2d(8ngf), ReLU
//   3      ConvTranspose2d(8ngf -> 4ngf, stride 2, pad 1) [4ngf,  8,   8]
//   4, 5   BatchNorm2d(4ngf), ReLU
//   6      ConvTranspose2d(4ngf -> 2ngf, 2, 1)           [2ngf,  16,  16]
//   7, 8   BatchNorm2d(2ngf), ReLU
//   9      ConvTranspose2d(2ngf -> ngf, 2, 1)            [ngf,   32,  32]
//   10, 11 BatchNorm2d(ngf), ReLU
//   12     ConvTranspose2d(ngf -> ngf, 2, 1)             [ngf,   64,  64]
//   13, 14 BatchNorm2d(ngf), ReLU
//   15     ConvTranspose2d(ngf -> ngf, 2, 1)             [ngf,  128, 128]
//   16, 17 BatchNorm2d(ngf), ReLU
//   18     ConvTranspose2d(ngf -> 3, 2, 1)               [3,    256, 256]
//   19     Sigmoid
//
// S = 128 drops the block at 15-17 (last conv at index 15), S = 64 drops both ngf -> ngf blocks
// (12-17; last conv at index 12): the chain is always 8ngf -> 4ngf -> 2ngf -> ngf, then
// (log2(S) - 6) ngf -> ngf blocks, then ngf -> 3. BatchNorm: eps 1e-5, momentum 0.1 (PyTorch's).
//
// Initialisation (DCGAN): every transposed-conv weight ~ N(0, 0.02), BatchNorm weight
// ~ N(1, 0.02), BatchNorm bias 0, drawn from torch's global CPU generator in layer order. The
// reference's init helper only reaches Linear/Conv2d/GRU layers, so its transposed convolutions
// keep PyTorch's default (kaiming-uniform) init (REFERENCE.md section 7); we do what it meant.

#include "nn/neural_renderer_options.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

namespace fa::nn {

class NeuralRendererImpl : public torch::nn::Module
{
public:
    /// Throws c10::Error (TORCH_CHECK, as torch's own modules do on bad options) when
    /// !options.isValid(); check isValid() first to get an error string instead.
    explicit NeuralRendererImpl(const NeuralRendererOptions &options);

    /// rigs [B, n] (float, the raw control values in [0, 1]; B >= 2 in train mode, BatchNorm)
    /// -> images [B, 3, S, S] in [0, 1], channels R, G, B, rows top to bottom.
    torch::Tensor forward(const torch::Tensor &rigs);

    /// Re-draws the DCGAN initialisation described above.
    void resetParameters();

    const NeuralRendererOptions &options() const { return m_options; }

    torch::nn::Sequential main{nullptr};

private:
    NeuralRendererOptions m_options;
};

TORCH_MODULE(NeuralRenderer);

} // namespace fa::nn
