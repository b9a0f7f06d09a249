#pragma once

// Fixed 2-D sine-cosine position embedding of MAE (facebookresearch/mae util/pos_embed.py,
// get_2d_sincos_pos_embed, after MoCo v3), used frozen by both the encoder and MAE's decoder.

#include <ATen/core/Tensor.h>

namespace fa::nn {

/// Returns a float32 CPU tensor [G*G, D], or [1 + G*G, D] with a leading all-zero row for the cls
/// token when `clsToken` is set (the caller adds the batch dimension, as MAE's unsqueeze(0)).
/// Row m = h * G + w is grid cell (row h, column w). As in MAE, the first half of the columns
/// encodes the column index w and the second half the row index h (MAE's meshgrid puts w first);
/// each half is [sin(x * omega_k) for k < D/4, cos(x * omega_k) for k < D/4] with
/// omega_k = 1 / 10000^(k / (D/4)). Every step is computed in float32 as numpy does there, each
/// correctly rounded; numpy's own float32 power can be 1 ulp off (numpy 1.24), so tables differ
/// from Python's by up to ~1e-6 for ViT-B (loaded checkpoints carry their own table anyway).
/// Requires embedDim % 4 == 0 and gridSize >= 0 (else an empty tensor).
at::Tensor sincosPositionEmbedding2d(int embedDim, int gridSize, bool clsToken);

} // namespace fa::nn
