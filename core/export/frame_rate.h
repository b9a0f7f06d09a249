#pragma once

#include <QByteArray>

#include <vector>

namespace fa {

/// Frame rate (fps) of frames stamped at `timesSeconds` (ascending).
///
/// The median frame interval gives a robust first estimate (dropped frames do not move it);
/// when every interval is within 25 % of the median, the estimate is refined to
/// (frames - 1) / span, which averages out rounding of the stamps. The result is snapped to a
/// standard rate (23.976, 24, 25, 29.97, 30, 48, 50, 59.94, 60, 90, 100, 119.88, 120) when it
/// lies within 0.03 % of it (the nearest one). Returns `fallback` for fewer than 2 frames or no
/// positive interval.
double estimateFrameRate(const std::vector<double> &timesSeconds, double fallback);

/// `value` as fixed-point text with at most `decimals` decimals, trailing zeros (and a trailing
/// '.') removed: 0.5 -> "0.5", 1e-9 -> "0", -0.0 -> "0". Always '.' as the decimal separator,
/// never an exponent. Non-finite values are written as "0".
QByteArray formatFixed(double value, int decimals = 6);

} // namespace fa
