#pragma once

#include <array>

namespace fa {

/// Per-channel statistics of face crops, RGB order, on the [0,1] scale (REFERENCE.md section 2):
/// the expression encoder reads (x / 255 - mean) / std.
constexpr std::array<double, 3> kFaceMeanRgb = {0.499, 0.410, 0.366};
constexpr std::array<double, 3> kFaceStdRgb = {0.297, 0.270, 0.265};

} // namespace fa
