#include "nn/rig_decoder.h"

#include "nn/linear_forward.h"

#include <torch/nn/init.h>

#include <c10/util/Exception.h>

namespace fa::nn {

RigDecoderImpl::RigDecoderImpl(const RigDecoderOptions &options)
    : m_options(options)
{
    std::string error;
    TORCH_CHECK(options.isValid(&error), "RigDecoder: ", error);
    identity_embed = register_module("identity_embed",
                                     torch::nn::Embedding(options.identities(), options.identitySize()));
    stem = register_module("stem", DenseLayer(options.identitySize() + options.featureSize(), options.hiddenSize(),
                                              options.dropout()));
    blocks = register_module("blocks", torch::nn::ModuleList());
    for (int64_t i = 0; i < options.blocks(); ++i)
        blocks->push_back(ResidualBlock(options.hiddenSize(), options.dropout()));
    head = register_module("head", torch::nn::Linear(options.hiddenSize(), options.rigSize()));
    torch::NoGradGuard noGrad;
    torch::nn::init::xavier_uniform_(head->weight);
    torch::nn::init::zeros_(head->bias);
}

torch::Tensor RigDecoderImpl::forward(const torch::Tensor &features, const torch::Tensor &avatars)
{
    TORCH_CHECK(features.dim() == 2 && features.size(1) == m_options.featureSize(),
                "RigDecoder: features must be [B, ", m_options.featureSize(), "], got ", features.sizes());
    TORCH_CHECK(avatars.dim() == 1 && avatars.size(0) == features.size(0),
                "RigDecoder: avatars must be [", features.size(0), "], got ", avatars.sizes());
    TORCH_CHECK(avatars.numel() == 0
                    || (avatars.min().item<int64_t>() >= 0 && avatars.max().item<int64_t>() < m_options.identities()),
                "RigDecoder: avatar index outside [0, ", m_options.identities(), ")");
    torch::Tensor x = torch::cat({identity_embed->forward(avatars.to(torch::kLong)), features}, 1);
    x = stem->forward(x);
    for (const auto &block : *blocks)
        x = block->as<ResidualBlockImpl>()->forward(x);
    return torch::sigmoid(linearForward(head, x));
}

} // namespace fa::nn
