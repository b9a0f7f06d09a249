#include "nn/neural_renderer.h"

#include <torch/nn/init.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/utils.h>

#include <c10/util/Exception.h>

namespace fa::nn {

namespace {

torch::nn::ConvTranspose2d upConv(int64_t in, int64_t out, int64_t stride, int64_t padding)
{
    return torch::nn::ConvTranspose2d(
        torch::nn::ConvTranspose2dOptions(in, out, 4).stride(stride).padding(padding).bias(false));
}

// Number of ngf -> ngf blocks after 32x32: 2 for 256, 1 for 128, 0 for 64.
int extraBlocks(int64_t imageSize)
{
    int blocks = 0;
    for (int64_t side = 64; side < imageSize; side *= 2)
        ++blocks;
    return blocks;
}

} // namespace

NeuralRendererImpl::NeuralRendererImpl(const NeuralRendererOptions &options)
    : m_options(options)
{
    std::string error;
    TORCH_CHECK(options.isValid(&error), "NeuralRenderer: ", error);
    const int64_t ngf = options.width();
    torch::nn::Sequential layers;
    auto block = [&](int64_t in, int64_t out, int64_t stride, int64_t padding) {
        layers->push_back(upConv(in, out, stride, padding));
        layers->push_back(torch::nn::BatchNorm2d(out));
        layers->push_back(torch::nn::ReLU(torch::nn::ReLUOptions(true))); // in place, as Python's ReLU(True)
    };
    block(options.rigSize(), 8 * ngf, 1, 0); // 4x4
    block(8 * ngf, 4 * ngf, 2, 1);           // 8x8
    block(4 * ngf, 2 * ngf, 2, 1);           // 16x16
    block(2 * ngf, ngf, 2, 1);               // 32x32
    for (int i = 0; i < extraBlocks(options.imageSize()); ++i)
        block(ngf, ngf, 2, 1);               // 64x64, 128x128
    layers->push_back(upConv(ngf, 3, 2, 1)); // S x S
    layers->push_back(torch::nn::Sigmoid());
    main = register_module("main", layers);
    resetParameters();
}

torch::Tensor NeuralRendererImpl::forward(const torch::Tensor &rigs)
{
    TORCH_CHECK(rigs.dim() == 2 && rigs.size(1) == m_options.rigSize(), "NeuralRenderer: rigs must be [B, ",
                m_options.rigSize(), "], got ", rigs.sizes());
    return main->forward(rigs.view({rigs.size(0), rigs.size(1), 1, 1}));
}

void NeuralRendererImpl::resetParameters()
{
    torch::NoGradGuard noGrad;
    for (const auto &layer : main->children()) {
        if (auto *conv = dynamic_cast<torch::nn::ConvTranspose2dImpl *>(layer.get())) {
            torch::nn::init::normal_(conv->weight, 0.0, 0.02);
        } else if (auto *norm = dynamic_cast<torch::nn::BatchNorm2dImpl *>(layer.get())) {
            torch::nn::init::normal_(norm->weight, 1.0, 0.02);
            torch::nn::init::zeros_(norm->bias);
        }
    }
}

} // namespace fa::nn
