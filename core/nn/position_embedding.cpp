#include "nn/position_embedding.h"

#include <ATen/Functions.h>

#include <cmath>
#include <vector>

namespace fa::nn {

at::Tensor sincosPositionEmbedding2d(int embedDim, int gridSize, bool clsToken)
{
    if (embedDim <= 0 || embedDim % 4 != 0 || gridSize < 0)
        return {};
    const int quarter = embedDim / 4; // frequencies per (axis, sin|cos) block
    // omega in float32 exactly as numpy: arange(D/4) / (D/4), then 1 / 10000**omega.
    std::vector<float> omega(static_cast<size_t>(quarter));
    for (int k = 0; k < quarter; ++k) {
        const float exponent = static_cast<float>(k) / static_cast<float>(quarter);
        omega[static_cast<size_t>(k)] = 1.0f / std::pow(10000.0f, exponent);
    }
    const int rows = gridSize * gridSize + (clsToken ? 1 : 0);
    at::Tensor out = at::zeros({rows, embedDim}, at::kFloat);
    float *data = out.data_ptr<float>();
    for (int h = 0; h < gridSize; ++h) {
        for (int w = 0; w < gridSize; ++w) {
            const int row = h * gridSize + w + (clsToken ? 1 : 0);
            float *dst = data + static_cast<ptrdiff_t>(row) * embedDim;
            // First half: the column index w; second half: the row index h.
            const float coords[2] = {static_cast<float>(w), static_cast<float>(h)};
            for (int axis = 0; axis < 2; ++axis) {
                float *half = dst + axis * 2 * quarter;
                for (int k = 0; k < quarter; ++k) {
                    const float angle = coords[axis] * omega[static_cast<size_t>(k)];
                    half[k] = std::sin(angle);
                    half[quarter + k] = std::cos(angle);
                }
            }
        }
    }
    return out;
}

} // namespace fa::nn
