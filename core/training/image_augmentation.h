#pragma once

#include "training/rand_augment.h"
#include "training/random_erasing.h"
#include "training/random_resized_crop.h"

#include <ATen/core/Tensor.h>

#include <opencv2/core/mat.hpp>

#include <random>

namespace fa {

/// A complete image pipeline for the expression encoder: face crop (8-bit BGR, any size) ->
/// normalised float RGB planes of size x size (face_normalization.h). Presets:
///
/// - eval(): resize to floor(size * 256 / 224) + centre crop (evalResizeCentreCrop), no
///   randomness: the evaluation/embedding transform (REFERENCE.md section 2; MAE
///   util/datasets.py build_transform, eval branch). Reference defect avoided: the reference
///   validates with the training augmentation (REFERENCE.md section 7).
/// - maePretraining(): RandomResizedCrop(scale 0.2-1, ratio 3/4-4/3, bicubic) + horizontal
///   flip p = 0.5 (MAE main_pretrain.py transform_train).
/// - tripletTraining(): RandomResizedCrop(scale 0.08-1, ratio 7/8-8/7, bicubic), horizontal
///   flip p = 0.5 (timm create_transform's default hflip, which MAE's fine-tuning
///   build_transform keeps), RandAugment rand-m9-mstd0.5-inc1, then after normalisation random
///   erasing p = 0.25 in 'pixel' mode (REFERENCE.md section 2; timm transforms_factory.py
///   transforms_imagenet_train with color_jitter disabled by the auto-augment).
struct FaceAugmentation
{
    enum class Geometry {
        EvalResizeCrop,      ///< evalResizeCentreCrop()
        RandomResizedCrop,   ///< randomResizedCrop() with `crop`
    };
    Geometry geometry = Geometry::EvalResizeCrop;
    RandomResizedCropOptions crop;
    double flipProbability = 0;  ///< horizontal flip, after the crop
    bool randAugment = false;
    RandAugmentOptions randAugmentOptions;
    double erasingProbability = 0; ///< 0: no random erasing
    RandomErasingOptions erasingOptions; ///< its probability is erasingProbability

    static FaceAugmentation eval();
    static FaceAugmentation maePretraining();
    static FaceAugmentation tripletTraining();

    /// True when the pipeline draws random numbers (every preset but eval()).
    bool isRandom() const;
};

/// The 8-bit part of the pipeline (crop, flip, RandAugment): size x size BGR. Random draws in
/// that order: crop region, flip, RandAugment.
cv::Mat augmentImage(const cv::Mat &image, const FaceAugmentation &augmentation, int size, std::mt19937_64 &rng);

/// The whole pipeline into `out` (3 * size * size floats, RGB planes): augmentImage(), then
/// normalisation, then random erasing (last draws). Throws only what OpenCV throws on
/// allocation failure.
void applyFaceAugmentation(const cv::Mat &image, const FaceAugmentation &augmentation, int size,
                           std::mt19937_64 &rng, float *out);

/// The same as a float32 [3, size, size] CPU tensor.
at::Tensor faceAugmentationTensor(const cv::Mat &image, const FaceAugmentation &augmentation, int size,
                                  std::mt19937_64 &rng);

/// Shorthands: the eval transform (deterministic), MAE's and the triplet fine-tuning's.
at::Tensor evalTransform(const cv::Mat &image, int size = 224);
at::Tensor maeTransform(const cv::Mat &image, std::mt19937_64 &rng, int size = 224);
at::Tensor tripletTrainTransform(const cv::Mat &image, std::mt19937_64 &rng, int size = 224);

} // namespace fa
