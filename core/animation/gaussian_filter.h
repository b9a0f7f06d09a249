#pragma once

#include <vector>

namespace fa {

/// Gaussian smoothing of a uniformly sampled signal, identical to
/// scipy.ndimage.gaussian_filter1d(x, sigma, mode='reflect', truncate=4.0) (scipy 1.10,
/// scipy/ndimage/_filters.py: _gaussian_kernel1d and correlate1d).
///
/// Kernel: radius r = int(4 sigma + 0.5), weights w[k] = exp(-k^2 / (2 sigma^2)) for
/// k = -r..r, normalised to sum 1. Output y[i] = sum_k w[k] x[i + k]; samples outside the signal
/// come from the half-sample symmetric extension ('reflect': d c b a | a b c d | d c b a),
/// repeated as often as needed when r exceeds the signal's length.
///
/// `sigmaFrames` is in samples (frames). sigma <= 0 (or non-finite) and empty input return x
/// unchanged. Properties the tests check: a constant stays constant, an impulse far from the
/// ends becomes the kernel, a sine of f cycles/sample keeps about exp(-(2 pi f sigma)^2 / 2) of
/// its amplitude.
std::vector<double> gaussianSmooth(const std::vector<double> &x, double sigmaFrames);

/// The normalised kernel w[-r..r] (2r + 1 weights) used by gaussianSmooth().
std::vector<double> gaussianKernel(double sigmaFrames);

} // namespace fa
