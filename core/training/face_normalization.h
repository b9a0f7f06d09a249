#pragma once

#include "nn/face_statistics.h"

#include <ATen/core/Tensor.h>

#include <opencv2/core/mat.hpp>

#include <array>

namespace fa {

// kFaceMeanRgb, kFaceStdRgb: nn/face_statistics.h (core/nn's loss needs them without OpenCV).

/// The face mean as an 8-bit BGR colour, round(255 * mean) = (93, 105, 127): the fill of
/// RandAugment's geometric ops (timm transforms_factory.py passes img_mean = round(255 * mean)).
cv::Scalar faceMeanBgr8();

/// Writes an 8-bit image (BGR, or grey / BGRA converted) as normalised RGB planes into `out`:
/// out[c * H * W + y * W + x] = (pixel_c / 255 - mean_c) / std_c, c = R, G, B. `out` holds
/// 3 * rows * cols floats. torchvision's ToTensor + Normalize.
void writeNormalizedPlanes(const cv::Mat &image, float *out);

/// The normalised tensor of an 8-bit image: float32 [3, H, W], RGB, CPU, contiguous. An empty
/// or non-8-bit image gives an undefined tensor.
at::Tensor toNormalizedTensor(const cv::Mat &image);

/// The inverse for display (sample images): [3, H, W] (or [1, 3, H, W]) normalised RGB, any
/// device/float type -> 8-bit BGR H x W, values rounded and clamped to [0, 255]. Undefined or
/// wrongly shaped tensors give an empty Mat.
cv::Mat fromNormalizedTensor(const at::Tensor &tensor);

} // namespace fa
