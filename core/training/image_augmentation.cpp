#include "training/image_augmentation.h"

#include "training/deterministic_random.h"
#include "training/face_normalization.h"

#include <ATen/ATen.h>

#include <opencv2/core.hpp>

namespace fa {

FaceAugmentation FaceAugmentation::eval()
{
    return FaceAugmentation();
}

FaceAugmentation FaceAugmentation::maePretraining()
{
    FaceAugmentation a;
    a.geometry = Geometry::RandomResizedCrop;
    a.crop.minScale = 0.2;
    a.crop.maxScale = 1.0;
    a.flipProbability = 0.5;
    return a;
}

FaceAugmentation FaceAugmentation::tripletTraining()
{
    FaceAugmentation a;
    a.geometry = Geometry::RandomResizedCrop;
    a.crop.minScale = 0.08;
    a.crop.maxScale = 1.0;
    a.crop.minRatio = 7.0 / 8.0;
    a.crop.maxRatio = 8.0 / 7.0;
    a.flipProbability = 0.5;
    a.randAugment = true;
    a.erasingProbability = 0.25;
    return a;
}

bool FaceAugmentation::isRandom() const
{
    return geometry == Geometry::RandomResizedCrop || flipProbability > 0 || randAugment || erasingProbability > 0;
}

cv::Mat augmentImage(const cv::Mat &image, const FaceAugmentation &augmentation, int size, std::mt19937_64 &rng)
{
    cv::Mat out = augmentation.geometry == FaceAugmentation::Geometry::RandomResizedCrop
        ? randomResizedCrop(image, size, rng, augmentation.crop)
        : evalResizeCentreCrop(image, size);
    // torchvision RandomHorizontalFlip: flipped when rand < p.
    if (augmentation.flipProbability > 0 && bernoulli(rng, augmentation.flipProbability))
        cv::flip(out, out, 1);
    if (augmentation.randAugment)
        out = randAugment(out, rng, augmentation.randAugmentOptions);
    return out;
}

void applyFaceAugmentation(const cv::Mat &image, const FaceAugmentation &augmentation, int size,
                           std::mt19937_64 &rng, float *out)
{
    writeNormalizedPlanes(augmentImage(image, augmentation, size, rng), out);
    if (augmentation.erasingProbability > 0) {
        RandomErasingOptions options = augmentation.erasingOptions;
        options.probability = augmentation.erasingProbability;
        randomErasing(out, 3, size, size, rng, options);
    }
}

at::Tensor faceAugmentationTensor(const cv::Mat &image, const FaceAugmentation &augmentation, int size,
                                  std::mt19937_64 &rng)
{
    at::Tensor tensor = at::empty({3, size, size}, at::TensorOptions().dtype(at::kFloat));
    applyFaceAugmentation(image, augmentation, size, rng, tensor.data_ptr<float>());
    return tensor;
}

at::Tensor evalTransform(const cv::Mat &image, int size)
{
    std::mt19937_64 unused(0);
    return faceAugmentationTensor(image, FaceAugmentation::eval(), size, unused);
}

at::Tensor maeTransform(const cv::Mat &image, std::mt19937_64 &rng, int size)
{
    return faceAugmentationTensor(image, FaceAugmentation::maePretraining(), size, rng);
}

at::Tensor tripletTrainTransform(const cv::Mat &image, std::mt19937_64 &rng, int size)
{
    return faceAugmentationTensor(image, FaceAugmentation::tripletTraining(), size, rng);
}

} // namespace fa
