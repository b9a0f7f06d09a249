#include "training/random_resized_crop.h"

#include "training/deterministic_random.h"
#include "training/pillow_resize.h"

#include <algorithm>
#include <cmath>

// Python's round() (used by torchvision) rounds halves to even, as std::nearbyint does in the
// default rounding mode.

namespace fa {

cv::Rect randomResizedCropRegion(cv::Size imageSize, std::mt19937_64 &rng, const RandomResizedCropOptions &options)
{
    const int width = imageSize.width, height = imageSize.height;
    const double area = double(width) * double(height);
    const double logMin = std::log(options.minRatio), logMax = std::log(options.maxRatio);
    for (int attempt = 0; attempt < 10; ++attempt) {
        const double targetArea = area * uniformReal(rng, options.minScale, options.maxScale);
        const double ratio = std::exp(uniformReal(rng, logMin, logMax));
        const int w = int(std::nearbyint(std::sqrt(targetArea * ratio)));
        const int h = int(std::nearbyint(std::sqrt(targetArea / ratio)));
        if (w > 0 && w <= width && h > 0 && h <= height) {
            const int top = int(uniformInt(rng, 0, height - h));
            const int left = int(uniformInt(rng, 0, width - w));
            return cv::Rect(left, top, w, h);
        }
    }
    // Fallback: centre crop.
    const double inRatio = double(width) / double(height);
    int w = width, h = height;
    if (inRatio < std::min(options.minRatio, options.maxRatio)) {
        h = int(std::nearbyint(w / std::min(options.minRatio, options.maxRatio)));
    } else if (inRatio > std::max(options.minRatio, options.maxRatio)) {
        w = int(std::nearbyint(h * std::max(options.minRatio, options.maxRatio)));
    }
    return cv::Rect((width - w) / 2, (height - h) / 2, w, h);
}

cv::Mat resizeBicubic(const cv::Mat &image, cv::Size size)
{
    return pillowResizeBicubic(image, size);
}

cv::Mat randomResizedCrop(const cv::Mat &image, int size, std::mt19937_64 &rng, const RandomResizedCropOptions &options)
{
    const cv::Rect region = randomResizedCropRegion(image.size(), rng, options) & cv::Rect(0, 0, image.cols, image.rows);
    return resizeBicubic(image(region), cv::Size(size, size));
}

cv::Mat evalResizeCentreCrop(const cv::Mat &image, int size)
{
    const int shortSide = size * 256 / 224;
    const int width = image.cols, height = image.rows;
    cv::Size resized;
    if (width <= height)
        resized = cv::Size(shortSide, int(double(shortSide) * height / width));
    else
        resized = cv::Size(int(double(shortSide) * width / height), shortSide);
    const cv::Mat scaled = resizeBicubic(image, resized);
    const int top = int(std::nearbyint((scaled.rows - size) / 2.0));
    const int left = int(std::nearbyint((scaled.cols - size) / 2.0));
    return scaled(cv::Rect(left, top, size, size)).clone();
}

} // namespace fa
