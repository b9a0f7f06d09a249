#include "nn/residual_block.h"

namespace fa::nn {

ResidualBlockImpl::ResidualBlockImpl(int64_t width, double dropout)
{
    layer1 = register_module("layer1", DenseLayer(width, width, dropout));
    layer2 = register_module("layer2", DenseLayer(width, width, dropout));
}

torch::Tensor ResidualBlockImpl::forward(const torch::Tensor &x)
{
    return x + layer2->forward(layer1->forward(x));
}

} // namespace fa::nn
