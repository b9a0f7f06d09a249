#pragma once

#include <opencv2/core/mat.hpp>

#include <random>

namespace fa {

/// torchvision.transforms.RandomResizedCrop (torchvision/transforms/transforms.py, get_params;
/// timm's RandomResizedCropAndInterpolation samples the same way): a region whose area is a
/// fraction in [minScale, maxScale] of the image's and whose aspect ratio w/h is log-uniform in
/// [minRatio, maxRatio], at a uniform position, resized to size x size.
///
/// Defaults are torchvision's (scale 0.08-1, ratio 3/4-4/3). The expression encoder's triplet
/// training uses scale 0.08-1, ratio 7/8-8/7 (REFERENCE.md section 2); MAE pre-training scale
/// 0.2-1 with the default ratio (MAE main_pretrain.py).
struct RandomResizedCropOptions
{
    double minScale = 0.08;
    double maxScale = 1.0;
    double minRatio = 3.0 / 4.0;
    double maxRatio = 4.0 / 3.0;
};

/// The crop region for an image of `imageSize`, as get_params: up to 10 attempts of
///   area = W*H * U(minScale, maxScale), ratio = exp(U(log minRatio, log maxRatio)),
///   w = round(sqrt(area * ratio)), h = round(sqrt(area / ratio)),
/// accepted when 0 < w <= W and 0 < h <= H, placed at top U{0..H-h}, left U{0..W-w}. When all
/// ten fail: the centre crop of the whole image clamped to the ratio range (whole image when
/// its own ratio is inside it). Deterministic for an engine state; uses the portable draws of
/// deterministic_random.h (numbers differ from torch's generator, the distribution does not).
cv::Rect randomResizedCropRegion(cv::Size imageSize, std::mt19937_64 &rng,
                                 const RandomResizedCropOptions &options = {});

/// randomResizedCropRegion() of `image` resized to size x size with resizeBicubic(). Any
/// 8-bit image; the result has the input's type.
cv::Mat randomResizedCrop(const cv::Mat &image, int size, std::mt19937_64 &rng,
                          const RandomResizedCropOptions &options = {});

/// The bicubic resize of the transforms: Pillow's (pillowResizeBicubic), as the reference's
/// torchvision transforms resize PIL images; antialiased when reducing. The same size returns a
/// copy.
cv::Mat resizeBicubic(const cv::Mat &image, cv::Size size);

/// The evaluation transform's geometry (MAE util/datasets.py build_transform, eval branch;
/// REFERENCE.md section 2): resize the shorter side to floor(size * 256 / 224) keeping the
/// aspect ratio (torchvision Resize(int): the longer side becomes int(short' * long / short)),
/// then the centre size x size crop (torchvision CenterCrop: top = round((H - size) / 2)).
/// For size 224: resize to 256, centre 224. Deterministic.
cv::Mat evalResizeCentreCrop(const cv::Mat &image, int size);

} // namespace fa
