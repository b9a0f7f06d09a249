#include "training/random_erasing.h"

#include "training/deterministic_random.h"

#include <ATen/ATen.h>

#include <cmath>

namespace fa {

bool randomErasing(float *planes, int channels, int height, int width, std::mt19937_64 &rng,
                   const RandomErasingOptions &options)
{
    if (uniform01(rng) > options.probability)
        return false;
    const double area = double(height) * double(width);
    const double logMin = std::log(options.minAspect), logMax = -std::log(options.minAspect);
    for (int attempt = 0; attempt < 10; ++attempt) {
        const double targetArea = uniformReal(rng, options.minArea, options.maxArea) * area;
        const double aspect = std::exp(uniformReal(rng, logMin, logMax));
        // Python's round(): halves to even, as std::nearbyint.
        const int h = int(std::nearbyint(std::sqrt(targetArea * aspect)));
        const int w = int(std::nearbyint(std::sqrt(targetArea / aspect)));
        if (w < width && h < height) {
            const int top = int(uniformInt(rng, 0, height - h));
            const int left = int(uniformInt(rng, 0, width - w));
            for (int c = 0; c < channels; ++c)
                for (int y = top; y < top + h; ++y) {
                    float *row = planes + (size_t(c) * size_t(height) + size_t(y)) * size_t(width);
                    fillStandardNormal(rng, row + left, size_t(w));
                }
            return true;
        }
    }
    return false;
}

bool randomErasing(at::Tensor &image, std::mt19937_64 &rng, const RandomErasingOptions &options)
{
    if (!image.defined() || image.dim() != 3 || image.scalar_type() != at::kFloat || !image.is_contiguous()
        || image.device().type() != at::kCPU)
        return false;
    return randomErasing(image.data_ptr<float>(), int(image.size(0)), int(image.size(1)), int(image.size(2)), rng,
                         options);
}

} // namespace fa
