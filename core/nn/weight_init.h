#pragma once

// MAE's initialize_weights (models_mae.py), shared by every network here. All draws come from
// torch's global CPU generator (torch::manual_seed makes them reproducible).

#include <torch/nn/module.h>

namespace fa::nn {

class PatchEmbedImpl;

/// MAE's _init_weights applied like nn.Module.apply (children first, then the module):
/// every Linear gets xavier_uniform weights and zero bias, every LayerNorm weight 1 and bias 0.
/// Other modules (the patch convolution) are left alone.
void initLinearAndLayerNorm(torch::nn::Module &root);

/// The patch projection initialised like a Linear layer: xavier_uniform on the weight seen as
/// [D, C*p*p] ("instead of nn.Conv2d" in MAE); the bias keeps its construction-time init.
void initPatchEmbedAsLinear(PatchEmbedImpl &patchEmbed);

} // namespace fa::nn
