#pragma once

#include <ATen/core/Tensor.h>

#include <random>

namespace fa {

/// timm's RandomErasing (timm/data/random_erasing.py; Zhong et al., "Random Erasing Data
/// Augmentation", arXiv 1708.04896) in 'pixel' mode with count 1, as the reference's fine-tuning
/// transform uses it (re_prob 0.25, re_mode 'pixel', re_count 1; REFERENCE.md section 2).
/// Applied to the NORMALISED image, so the N(0, 1) noise matches the data's scale.
struct RandomErasingOptions
{
    double probability = 0.25; ///< chance that an image gets a rectangle
    double minArea = 0.02;     ///< fraction of the image area, lower bound
    double maxArea = 1.0 / 3.0;
    double minAspect = 0.3;    ///< h/w, log-uniform in [minAspect, 1/minAspect]
};

/// With `probability`: up to 10 attempts of area = H*W * U(minArea, maxArea), aspect =
/// exp(U(log minAspect, -log minAspect)), h = round(sqrt(area * aspect)), w = round(sqrt(area /
/// aspect)); the first with w < W and h < H is placed at top U{0..H-h}, left U{0..W-w} and its
/// pixels, in every channel, replaced by independent N(0, 1) draws (per-pixel noise, row by
/// row: fillStandardNormal()). Nothing is changed when the probability draw fails or all
/// attempts do.
/// `planes` is channels x height x width floats (CHW). Returns true when a rectangle was
/// erased. Deterministic for an engine state (portable draws, deterministic_random.h).
bool randomErasing(float *planes, int channels, int height, int width, std::mt19937_64 &rng,
                   const RandomErasingOptions &options = {});

/// The same on a contiguous float32 CPU tensor [C, H, W], in place. False for other tensors.
bool randomErasing(at::Tensor &image, std::mt19937_64 &rng, const RandomErasingOptions &options = {});

} // namespace fa
