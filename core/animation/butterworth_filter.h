#pragma once

#include <QString>

#include <optional>
#include <vector>

namespace fa {

/// Digital Butterworth low-pass for offline smoothing of uniformly sampled curves.
///
/// Design (bilinear transform with frequency pre-warping, as scipy.signal.butter does):
/// the analog prototype of order n has its poles on the left half of the unit circle,
///     p_k = -sin(theta_k) + j cos(theta_k),   theta_k = (2k + 1) pi / (2n),   k = 0..n-1.
/// Each conjugate pair gives a second-order section H(s) = wc^2 / (s^2 + (wc/Q) s + wc^2) with
/// Q_k = 1 / (2 sin theta_k); for odd n the real pole (theta = pi/2) gives a first-order section
/// wc / (s + wc). The analog cutoff is pre-warped, wc = 2 fs tan(pi fc / fs), so that after the
/// bilinear map s = 2 fs (z - 1)/(z + 1) the digital response is exactly -3 dB at fc. With
/// K = tan(pi fc / fs) the sections become (each with unit gain at DC, zeros at Nyquist):
///     biquad:      n = 1/(1 + K/Q + K^2);  b = K^2 n (1, 2, 1);
///                  a = (1, 2(K^2 - 1) n, (1 - K/Q + K^2) n)
///     first order: n = 1/(1 + K);          b = K n (1, 1);        a = (1, (K - 1) n)
/// The magnitude response is |H(f)|^2 = 1 / (1 + (tan(pi f/fs) / tan(pi fc/fs))^(2 order)):
/// flat in the passband, 1/sqrt(2) at fc, falling by about order x 20 dB per decade above fc.
///
/// Sections run in transposed direct form II in double precision (numerically sound at high
/// orders and low cutoffs, where a single high-order polynomial is not).
class ButterworthFilter
{
public:
    /// One section: y[i] = b0 x[i] + b1 x[i-1] + b2 x[i-2] - a1 y[i-1] - a2 y[i-2]
    /// (a0 = 1; b2 = a2 = 0 for the first-order section).
    struct Section
    {
        double b0 = 1.0, b1 = 0.0, b2 = 0.0;
        double a1 = 0.0, a2 = 0.0;
    };

    static constexpr int kMinOrder = 1;
    static constexpr int kMaxOrder = 8;

    /// Designs a low-pass of `order` in [1,8] with -3 dB at `cutoffHz` for samples taken at
    /// `sampleRateHz`. Returns nullopt and sets `error` when the order is out of range, the
    /// sample rate is not positive, or the cutoff is not in (0, Nyquist = sampleRateHz / 2).
    static std::optional<ButterworthFilter> lowPass(int order, double cutoffHz, double sampleRateHz,
                                                    QString *error = nullptr);

    int order() const { return m_order; }
    double cutoffHz() const { return m_cutoffHz; }
    double sampleRateHz() const { return m_sampleRateHz; }
    /// The cascade: order / 2 biquads, then one first-order section when the order is odd.
    const std::vector<Section> &sections() const { return m_sections; }

    /// Causal filtering (one pass, forward). The state starts at the steady state of a constant
    /// input equal to x[0], so a constant signal passes unchanged and there is no start-up ramp
    /// from zero. Output has the input's length; the phase lags as for any causal filter.
    std::vector<double> filter(const std::vector<double> &x) const;

    /// Zero-phase filtering as scipy.signal.filtfilt: the signal is extended at both ends by
    /// odd reflection (2 x[0] - x[padlen..1] before, 2 x[n-1] - x[n-2..n-1-padlen] after) with
    /// padlen = min(3 (order + 1), n - 1), filtered forward, then backward, each pass starting at
    /// the steady state of its first sample; the padding is then cut off. The magnitude response
    /// is squared (-6 dB at fc) and the phase is zero. Signals of fewer than 2 samples are
    /// returned unchanged.
    std::vector<double> filtfilt(const std::vector<double> &x) const;

    /// Magnitude of the frequency response at `frequencyHz` (evaluated from the sections).
    double magnitudeAt(double frequencyHz) const;

private:
    ButterworthFilter() = default;
    void runCascade(std::vector<double> &signal) const;

    int m_order = 0;
    double m_cutoffHz = 0.0;
    double m_sampleRateHz = 0.0;
    std::vector<Section> m_sections;
};

} // namespace fa
