#pragma once

namespace fa {

/// The 1€ filter (One-Euro filter) for live, causal smoothing of a noisy signal sampled at
/// possibly irregular times.
///
/// Reference: G. Casiez, N. Roussel, D. Vogel, "1€ Filter: A Simple Speed-based Low-pass Filter
/// for Noisy Input in Interactive Systems", CHI 2012, pp. 2527-2530.
///
/// Each sample is smoothed by a first-order low-pass (an exponential smoother) whose cutoff grows
/// with the signal's speed: at rest a low cutoff removes jitter, during fast motion a high cutoff
/// removes lag. With Te the time since the previous sample (seconds):
///
///     alpha(fc) = 1 / (1 + tau / Te),   tau = 1 / (2 pi fc)          (smoothing factor)
///     dx        = (x - x̂_prev) / Te                                  (raw speed)
///     dx̂        = dx̂_prev + alpha(derivativeCutoff) * (dx - dx̂_prev)   (smoothed speed)
///     fc        = minCutoff + beta * |dx̂|                            (adaptive cutoff)
///     x̂         = x̂_prev + alpha(fc) * (x - x̂_prev)                  (output)
///
/// The raw speed uses the previous *filtered* value, as in the paper's pseudocode. The first
/// sample after construction or reset() passes unchanged. A sample whose time is not after the
/// previous one (Te <= 0, or a non-finite time) returns the previous output and changes nothing.
///
/// With beta = 0 this is a plain first-order low-pass at minCutoff, whose magnitude response is
/// close to 1/sqrt(1 + (f/minCutoff)^2) while f is well below the sample rate.
class OneEuroFilter
{
public:
    struct Params
    {
        /// Cutoff at rest, Hz (> 0). Lower: less jitter, more lag.
        double minCutoff = 1.0;
        /// Cutoff increase per unit of speed, Hz per (signal unit / s) (>= 0). Higher: less lag
        /// during fast motion.
        double beta = 0.0;
        /// Cutoff of the speed estimate, Hz (> 0). The paper uses 1 Hz.
        double derivativeCutoff = 1.0;
    };

    OneEuroFilter() = default;
    /// Non-positive or non-finite cutoffs are replaced by a tiny positive value and a negative
    /// beta by 0, so that the filter never divides by zero.
    explicit OneEuroFilter(const Params &params);

    const Params &params() const { return m_params; }
    void setParams(const Params &params);

    /// Filters one sample `x` taken at `timeSeconds` and returns the smoothed value.
    double filter(double x, double timeSeconds);

    /// Forgets the history: the next sample passes unchanged.
    void reset();

    /// Smoothing factor of a first-order low-pass with cutoff `cutoffHz` for a step of
    /// `periodSeconds`: 1 / (1 + tau / Te), tau = 1 / (2 pi fc).
    static double alpha(double cutoffHz, double periodSeconds);

private:
    Params m_params;
    bool m_initialised = false;
    double m_previousTime = 0.0;
    double m_previousValue = 0.0;
    double m_previousDerivative = 0.0;
};

} // namespace fa
