#include "training/face_normalization.h"

#include <ATen/ATen.h>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace fa {

cv::Scalar faceMeanBgr8()
{
    return cv::Scalar(std::round(255 * kFaceMeanRgb[2]), std::round(255 * kFaceMeanRgb[1]),
                      std::round(255 * kFaceMeanRgb[0]));
}

void writeNormalizedPlanes(const cv::Mat &image, float *out)
{
    cv::Mat bgr = image;
    if (image.channels() == 1)
        cv::cvtColor(image, bgr, cv::COLOR_GRAY2BGR);
    else if (image.channels() == 4)
        cv::cvtColor(image, bgr, cv::COLOR_BGRA2BGR);
    // One table per channel: 256 values, so the per-pixel work is a lookup.
    float table[3][256];
    for (int c = 0; c < 3; ++c)
        for (int v = 0; v < 256; ++v)
            table[c][v] = float((v / 255.0 - kFaceMeanRgb[size_t(c)]) / kFaceStdRgb[size_t(c)]);
    const int rows = bgr.rows, cols = bgr.cols;
    const size_t plane = size_t(rows) * size_t(cols);
    float *red = out, *green = out + plane, *blue = out + 2 * plane;
    for (int y = 0; y < rows; ++y) {
        const uchar *p = bgr.ptr<uchar>(y);
        const size_t row = size_t(y) * size_t(cols);
        for (int x = 0; x < cols; ++x, p += 3) {
            blue[row + size_t(x)] = table[2][p[0]];
            green[row + size_t(x)] = table[1][p[1]];
            red[row + size_t(x)] = table[0][p[2]];
        }
    }
}

at::Tensor toNormalizedTensor(const cv::Mat &image)
{
    if (image.empty() || image.depth() != CV_8U)
        return at::Tensor();
    at::Tensor tensor = at::empty({3, image.rows, image.cols}, at::TensorOptions().dtype(at::kFloat));
    writeNormalizedPlanes(image, tensor.data_ptr<float>());
    return tensor;
}

cv::Mat fromNormalizedTensor(const at::Tensor &tensor)
{
    if (!tensor.defined())
        return {};
    at::Tensor chw = tensor.dim() == 4 && tensor.size(0) == 1 ? tensor[0] : tensor;
    if (chw.dim() != 3 || chw.size(0) != 3)
        return {};
    chw = chw.detach().to(at::kCPU, at::kFloat).contiguous();
    const int rows = int(chw.size(1)), cols = int(chw.size(2));
    const float *data = chw.data_ptr<float>();
    const size_t plane = size_t(rows) * size_t(cols);
    cv::Mat bgr(rows, cols, CV_8UC3);
    for (int y = 0; y < rows; ++y) {
        uchar *p = bgr.ptr<uchar>(y);
        for (int x = 0; x < cols; ++x, p += 3) {
            for (int c = 0; c < 3; ++c) {
                const double v = (data[size_t(c) * plane + size_t(y) * size_t(cols) + size_t(x)] * kFaceStdRgb[size_t(c)]
                                  + kFaceMeanRgb[size_t(c)]) * 255.0;
                p[2 - c] = uchar(std::clamp(std::lround(v), 0L, 255L));
            }
        }
    }
    return bgr;
}

} // namespace fa
