#pragma once

#include "animation/keyframe_curve.h"

#include <vector>

namespace fa {

/// Key reduction (like Blender's Decimate in "allowed change" mode or Maya's Simplify Curve):
/// Ramer-Douglas-Peucker on the keys (sorted by frame) with the VERTICAL distance in value
/// units: |value - line(frame)|, where line joins the kept neighbours linearly, which is exactly
/// the error the curve's linear interpolation makes at that key. The kept keys' interpolation
/// stays within `tolerance` of every removed key; the first and last keys are always kept.
/// Kept keys are returned unchanged (frames and values), in order.
///
/// tolerance 0 removes only keys that lie exactly on the line of their kept neighbours
/// (collinear). Negative tolerance is treated as 0. Fewer than 3 keys are returned as given.
/// O(keys log keys) typical, O(keys^2) worst case; iterative (no recursion depth limit).
std::vector<KeyframeCurve::Key> reduceKeys(const std::vector<KeyframeCurve::Key> &keys,
                                           double tolerance);

} // namespace fa
