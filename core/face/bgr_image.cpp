#include "face/bgr_image.h"

#include <opencv2/imgproc.hpp>

namespace fa {

cv::Mat toBgr(const cv::Mat &image)
{
    if (image.empty() || image.depth() != CV_8U || image.dims != 2)
        return {};
    cv::Mat bgr;
    switch (image.channels()) {
    case 3: return image;
    case 1: cv::cvtColor(image, bgr, cv::COLOR_GRAY2BGR); return bgr;
    case 4: cv::cvtColor(image, bgr, cv::COLOR_BGRA2BGR); return bgr;
    default: return {};
    }
}

} // namespace fa
