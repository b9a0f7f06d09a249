#pragma once

#include <vector>

namespace fa::ui {

/// TensorBoard's scalar smoothing ("classic" smoothing of the scalar dashboard): a debiased
/// exponential moving average, a first-order IIR low-pass filter.
///
///   ema_t      = w * ema_{t-1} + (1 - w) * x_t,   ema_0 = 0
///   smoothed_t = ema_t / (1 - w^t)                 (t counts the finite values so far)
///
/// Dividing by 1 - w^t removes the bias towards the initial 0: a constant series stays constant
/// from its first point. As TensorBoard: `weight` is clamped to [0, 1] (non-finite -> 0); w = 0
/// returns the values; w = 1 uses no debiasing; a non-finite value is passed through unchanged
/// and not counted; a constant series is returned unchanged (tensorboard#786).
/// Source: tensorboard/webapp/widgets/line_chart_v2/data_transformer.ts, classicSmoothing()
/// (the same code as vz_line_chart2/line-chart.ts resmoothDataset() before it).
std::vector<double> debiasedEma(const std::vector<double> &values, double weight);

} // namespace fa::ui
