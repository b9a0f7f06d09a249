#include "training/renderer_image.h"

#include <torch/torch.h>

#include <cstring>

namespace fa {

QImage imageFromUnitTensor(const at::Tensor &tensor)
{
    if (!tensor.defined())
        return {};
    at::Tensor t = tensor.dim() == 4 && tensor.size(0) == 1 ? tensor[0] : tensor;
    if (t.dim() != 3 || t.size(0) != 3 || t.size(1) < 1 || t.size(2) < 1)
        return {};
    const at::Tensor bytes = (t.detach().to(torch::kCPU, torch::kFloat32) * 255.0f)
                                 .round()
                                 .clamp(0, 255)
                                 .to(torch::kUInt8)
                                 .permute({1, 2, 0})
                                 .contiguous();
    const int height = int(t.size(1));
    const int width = int(t.size(2));
    QImage image(width, height, QImage::Format_RGB888);
    const auto *source = bytes.data_ptr<std::uint8_t>();
    for (int y = 0; y < height; ++y)
        std::memcpy(image.scanLine(y), source + std::size_t(y) * std::size_t(width) * 3, std::size_t(width) * 3);
    return image;
}

} // namespace fa
