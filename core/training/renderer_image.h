#pragma once

#include <ATen/core/Tensor.h>

#include <QImage>

namespace fa {

/// An image of the neural renderer for display: [3, H, W] (or [1, 3, H, W]) RGB in [0, 1], any
/// device and float type -> QImage::Format_RGB888, values x 255 rounded and clamped. Undefined
/// or wrongly shaped tensors give a null image.
QImage imageFromUnitTensor(const at::Tensor &tensor);

} // namespace fa
