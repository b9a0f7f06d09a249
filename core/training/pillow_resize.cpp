#include "training/pillow_resize.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace fa {
namespace {

constexpr int kPrecisionBits = 32 - 8 - 2; // Pillow's PRECISION_BITS

double bicubicKernel(double x)
{
    constexpr double a = -0.5;
    if (x < 0.0)
        x = -x;
    if (x < 1.0)
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    if (x < 2.0)
        return (((x - 5) * x + 8) * x - 4) * a;
    return 0.0;
}

/// The taps of one direction: for every output pixel, its first input pixel, tap count and
/// fixed-point weights (Pillow's precompute_coeffs + normalize_coeffs_8bpc).
struct Taps
{
    int size = 0; ///< taps per output pixel (stride of weights)
    std::vector<int> first;
    std::vector<int> count;
    std::vector<std::int32_t> weights;
};

Taps precompute(int inSize, int outSize)
{
    const double scale = double(inSize) / outSize;
    const double filterScale = std::max(scale, 1.0);
    const double support = 2.0 * filterScale;
    Taps taps;
    taps.size = int(std::ceil(support)) * 2 + 1;
    taps.first.resize(size_t(outSize));
    taps.count.resize(size_t(outSize));
    taps.weights.assign(size_t(outSize) * size_t(taps.size), 0);
    std::vector<double> k(size_t(taps.size));
    for (int xx = 0; xx < outSize; ++xx) {
        const double center = (xx + 0.5) * scale;
        const double ss = 1.0 / filterScale;
        const int xmin = std::max(0, int(center - support + 0.5));
        const int xmax = std::min(inSize, int(center + support + 0.5)) - xmin;
        double ww = 0.0;
        for (int x = 0; x < xmax; ++x) {
            k[size_t(x)] = bicubicKernel((x + xmin - center + 0.5) * ss);
            ww += k[size_t(x)];
        }
        for (int x = 0; x < xmax; ++x) {
            const double w = ww != 0.0 ? k[size_t(x)] / ww : k[size_t(x)];
            taps.weights[size_t(xx) * size_t(taps.size) + size_t(x)] =
                std::int32_t(w < 0 ? -0.5 + w * (1 << kPrecisionBits) : 0.5 + w * (1 << kPrecisionBits));
        }
        taps.first[size_t(xx)] = xmin;
        taps.count[size_t(xx)] = std::max(0, xmax);
    }
    return taps;
}

// Sums are 32-bit, as Pillow's (INT32 ss): 255 * 2^22 and the kernel's lobes stay within range.
inline uchar clip8(std::int32_t value)
{
    const std::int32_t v = value >> kPrecisionBits;
    return uchar(v < 0 ? 0 : v > 255 ? 255 : v);
}

cv::Mat horizontal(const cv::Mat &in, int outWidth, int firstRow, int rows)
{
    const Taps taps = precompute(in.cols, outWidth);
    const int channels = in.channels();
    cv::Mat out(rows, outWidth, in.type());
    for (int y = 0; y < rows; ++y) {
        const uchar *src = in.ptr<uchar>(firstRow + y);
        uchar *dst = out.ptr<uchar>(y);
        for (int xx = 0; xx < outWidth; ++xx) {
            const std::int32_t *k = &taps.weights[size_t(xx) * size_t(taps.size)];
            const int xmin = taps.first[size_t(xx)], n = taps.count[size_t(xx)];
            for (int c = 0; c < channels; ++c) {
                std::int32_t ss = std::int32_t(1) << (kPrecisionBits - 1);
                for (int x = 0; x < n; ++x)
                    ss += std::int32_t(src[(x + xmin) * channels + c]) * k[x];
                dst[xx * channels + c] = clip8(ss);
            }
        }
    }
    return out;
}

cv::Mat vertical(const cv::Mat &in, int outHeight, const Taps &taps, int rowOffset)
{
    const int channels = in.channels();
    const int width = in.cols * channels;
    cv::Mat out(outHeight, in.cols, in.type());
    std::vector<std::int32_t> sums(static_cast<size_t>(width));
    for (int yy = 0; yy < outHeight; ++yy) {
        const std::int32_t *k = &taps.weights[size_t(yy) * size_t(taps.size)];
        const int ymin = taps.first[size_t(yy)] - rowOffset, n = taps.count[size_t(yy)];
        std::fill(sums.begin(), sums.end(), std::int32_t(1) << (kPrecisionBits - 1));
        for (int y = 0; y < n; ++y) {
            const uchar *src = in.ptr<uchar>(ymin + y);
            const std::int32_t weight = k[y];
            for (int x = 0; x < width; ++x)
                sums[size_t(x)] += src[x] * weight;
        }
        uchar *dst = out.ptr<uchar>(yy);
        for (int x = 0; x < width; ++x)
            dst[x] = clip8(sums[size_t(x)]);
    }
    return out;
}

} // namespace

cv::Mat pillowResizeBicubic(const cv::Mat &image, cv::Size size)
{
    if (image.size() == size)
        return image.clone();
    const bool needHorizontal = size.width != image.cols;
    const bool needVertical = size.height != image.rows;
    const Taps verticalTaps = precompute(image.rows, size.height);
    // Rows the vertical pass reads: the horizontal pass only computes those.
    const int firstRow = verticalTaps.first.front();
    const int lastRow = verticalTaps.first.back() + verticalTaps.count.back();
    cv::Mat current = image;
    int rowOffset = 0;
    if (needHorizontal) {
        current = needVertical ? horizontal(image, size.width, firstRow, lastRow - firstRow)
                               : horizontal(image, size.width, 0, image.rows);
        rowOffset = needVertical ? firstRow : 0;
    }
    if (needVertical)
        current = vertical(current, size.height, verticalTaps, rowOffset);
    return current;
}

} // namespace fa
