#pragma once

#include <opencv2/core/mat.hpp>

namespace fa {

/// Pillow's Image.resize(size, Image.BICUBIC) (Pillow 9.x, libImaging/Resample.c), which the
/// reference's torchvision transforms run on PIL images (RandomResizedCrop, Resize): a
/// separable convolution with the bicubic kernel a = -0.5 whose support widens by the scale
/// factor when reducing (antialiasing), coefficients normalised per output pixel and rounded to
/// 22-bit fixed point, horizontal pass then vertical pass, each rounded and clipped to 8 bits;
/// a pass whose size does not change is skipped. Bit-exact with Pillow 9.4 (checked by
/// tests/training/test_image_augmentation.cpp against /usr/bin/python3).
///
/// `image`: CV_8UC1 or CV_8UC3 (channels are independent); the result has its type. The same
/// size returns a copy. Deterministic, thread-safe.
cv::Mat pillowResizeBicubic(const cv::Mat &image, cv::Size size);

} // namespace fa
