#include "nn/expression_encoder.h"

#include "nn/linear_forward.h"

#include <torch/nn/functional/normalization.h>

namespace fa::nn {

ExpressionEncoderImpl::ExpressionEncoderImpl(const VitConfig &config, int embeddingSize)
    : VisionTransformerImpl(config, /*globalPool=*/true, embeddingSize)
    , m_embeddingSize(embeddingSize)
{
}

ExpressionOutput ExpressionEncoderImpl::forward(const torch::Tensor &images)
{
    ExpressionOutput out;
    out.patchMean = tokens(images).slice(1, 1).mean(1); // as pooledFeature, before fc_norm
    out.feature = fc_norm->forward(out.patchMean);
    namespace F = torch::nn::functional;
    out.embedding = F::normalize(linearForward(head, out.feature), F::NormalizeFuncOptions().p(2).dim(1).eps(1e-12));
    return out;
}

std::vector<std::string> ExpressionEncoderImpl::maeOnlyPrefixes()
{
    return {"norm.", "decoder_", "mask_token"};
}

} // namespace fa::nn
