#pragma once

#include <opencv2/core.hpp>

namespace fa {

/// One point through a 2x3 affine map (as cv::getRotationMatrix2D and cv::invertAffineTransform
/// give): `m * (p.x, p.y, 1)`, in the map's output pixels.
inline cv::Point2f applyAffine(const cv::Matx23d &m, cv::Point2f p)
{
    return cv::Point2f(float(m(0, 0) * p.x + m(0, 1) * p.y + m(0, 2)),
                       float(m(1, 0) * p.x + m(1, 1) * p.y + m(1, 2)));
}

} // namespace fa
