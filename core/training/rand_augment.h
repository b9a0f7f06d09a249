#pragma once

#include "training/face_normalization.h"

#include <QString>

#include <opencv2/core/mat.hpp>

#include <random>

namespace fa {

/// The ops of timm's RandAugment (timm/data/auto_augment.py, _RAND_TRANSFORMS and, with "inc1",
/// _RAND_INCREASING_TRANSFORMS; Cubuk et al., "RandAugment", arXiv 1909.13719), in timm's order.
/// With `increasing` (the reference's rand-m9-mstd0.5-inc1) Posterize, Solarize, Color,
/// Contrast, Brightness and Sharpness are timm's "...Increasing" variants, whose severity grows
/// with the magnitude.
enum class RandAugmentOp {
    AutoContrast,
    Equalize,
    Invert,
    Rotate,
    Posterize,
    Solarize,
    SolarizeAdd,
    Color,
    Contrast,
    Brightness,
    Sharpness,
    ShearX,
    ShearY,
    TranslateXRel,
    TranslateYRel,
};
constexpr int kRandAugmentOpCount = 15;

/// timm's name of an op, e.g. "Rotate", "PosterizeIncreasing" (with `increasing`).
QString randAugmentOpName(RandAugmentOp op, bool increasing = true);

/// RandAugment "rand-m9-mstd0.5-inc1" as timm's create_transform builds it for the reference's
/// fine-tuning (MAE util/datasets.py build_transform; REFERENCE.md section 2): 2 ops drawn
/// uniformly WITH replacement from the 15, each applied with probability 0.5 at a magnitude
/// drawn from N(9, 0.5) clipped to [0, 10], bicubic resampling, geometric fill = the face mean.
struct RandAugmentOptions
{
    int numOps = 2;
    double magnitude = 9;      ///< on timm's 0..10 scale (_LEVEL_DENOM = 10)
    double magnitudeStd = 0.5; ///< 0: fixed magnitude
    double magnitudeMax = 10;  ///< upper clip of the drawn magnitude
    double probability = 0.5;  ///< per chosen op
    bool increasing = true;    ///< "inc1"
    cv::Scalar fillBgr = faceMeanBgr8(); ///< fill of Rotate/Shear/Translate (timm img_mean)
};

/// An op's argument at `magnitude` (timm's LEVEL_TO_ARG; level = magnitude / 10):
///   Rotate         degrees, 30 * level, random sign
///   Posterize      bits kept: int(4 * level); increasing: 4 - int(4 * level)
///   Solarize       threshold: int(256 * level); increasing: 256 - int(256 * level)
///   SolarizeAdd    amount added below 128: int(110 * level)
///   Color, Contrast, Brightness, Sharpness
///                  blend factor: 1.8 * level + 0.1; increasing: max(0.1, 1 +- 0.9 * level)
///   ShearX/Y       shear factor, 0.3 * level, random sign
///   TranslateX/YRel fraction of the width/height, 0.45 * level, random sign
///   AutoContrast, Equalize, Invert: 0 (no argument)
/// The sign (when any) is drawn from `rng`, as timm's _randomly_negate.
double randAugmentArgument(RandAugmentOp op, double magnitude, bool increasing, std::mt19937_64 &rng);

/// One op with an explicit argument (see randAugmentArgument()) on an 8-bit BGR image (grey
/// and BGRA are converted first), with the semantics of the Pillow functions timm calls
/// (Pillow ImageOps / ImageEnhance / Image.transform, 9.x), channel by channel where Pillow works
/// per band:
///   AutoContrast   per channel, darkest level -> 0 and lightest -> 255 (no cut-off)
///   Equalize       per channel, Pillow's histogram equalisation
///   Invert         255 - v
///   Posterize      keep the `bits` high bits (0 bits: black; >= 8: unchanged)
///   Solarize       v >= threshold -> 255 - v
///   SolarizeAdd    v < 128 -> min(255, v + amount)
///   Color/Contrast/Brightness/Sharpness: Pillow's blend of a degenerate image (grey L =
///                  (19595 R + 38470 G + 7471 B + 32768) >> 16 / a flat image of the rounded
///                  mean grey / black / the 3x3 SMOOTH filter) with the image, factor `argument`
///   Rotate         counter-clockwise by `argument` degrees about the image centre
///   ShearX/Y, TranslateX/YRel: Pillow's AFFINE (1, s, 0, 0, 1, 0), (1, 0, 0, s, 1, 0),
///                  (1, 0, t*W, 0, 1, 0), (1, 0, 0, 0, 1, t*H) (output -> input mapping)
/// Geometric ops resample with Pillow's bicubic (the a = -1 cubic convolution of Pillow's
/// Geometry.c, edge pixels replicated, result truncated) and give `fillBgr` where the source
/// point falls outside the image. Every op is bit-exact with Pillow 9.4 (checked by
/// tests/training/test_rand_augment.cpp against /usr/bin/python3). Deterministic; the result
/// has the input's size, CV_8UC3.
cv::Mat applyRandAugmentOp(const cv::Mat &image, RandAugmentOp op, double argument,
                           const cv::Scalar &fillBgr = faceMeanBgr8());

/// RandAugment: numOps ops drawn first (uniform, with replacement), then each is skipped unless
/// uniform01 <= probability, else its magnitude is drawn (N(magnitude, magnitudeStd) clipped to
/// [0, magnitudeMax]) and applyRandAugmentOp() runs with randAugmentArgument(). Draw order per
/// op: probability, magnitude, sign. Deterministic for an engine state.
cv::Mat randAugment(const cv::Mat &image, std::mt19937_64 &rng, const RandAugmentOptions &options = {});

} // namespace fa
