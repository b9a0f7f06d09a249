#pragma once

#include <opencv2/core.hpp>

namespace fa {

/// Any frame the face module accepts (8-bit grey, BGR or BGRA, 2-D) as 8-bit BGR: the same
/// data when already BGR, a converted copy otherwise, an empty Mat for anything else.
cv::Mat toBgr(const cv::Mat &image);

} // namespace fa
