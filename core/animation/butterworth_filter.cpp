#include "animation/butterworth_filter.h"

#include <algorithm>
#include <cmath>
#include <complex>

namespace fa {
namespace {

constexpr double kPi = 3.14159265358979323846;

double dcGain(const ButterworthFilter::Section &s)
{
    return (s.b0 + s.b1 + s.b2) / (1.0 + s.a1 + s.a2);
}

} // namespace

std::optional<ButterworthFilter> ButterworthFilter::lowPass(int order, double cutoffHz,
                                                            double sampleRateHz, QString *error)
{
    auto fail = [error](const QString &message) -> std::optional<ButterworthFilter> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (order < kMinOrder || order > kMaxOrder)
        return fail(QStringLiteral("Butterworth filter: order %1 is outside [%2, %3]")
                            .arg(order).arg(kMinOrder).arg(kMaxOrder));
    if (!std::isfinite(sampleRateHz) || sampleRateHz <= 0.0)
        return fail(QStringLiteral("Butterworth filter: sample rate %1 Hz is not positive")
                            .arg(sampleRateHz));
    const double nyquist = sampleRateHz / 2.0;
    if (!std::isfinite(cutoffHz) || cutoffHz <= 0.0 || cutoffHz >= nyquist)
        return fail(QStringLiteral("Butterworth filter: cutoff %1 Hz is not in (0, %2) Hz, the "
                                   "open range below the Nyquist frequency of %3 Hz sampling")
                            .arg(cutoffHz).arg(nyquist).arg(sampleRateHz));

    ButterworthFilter f;
    f.m_order = order;
    f.m_cutoffHz = cutoffHz;
    f.m_sampleRateHz = sampleRateHz;

    // Pre-warped cutoff over 2 fs: the bilinear map sends the analog wc to the digital fc.
    const double k = std::tan(kPi * cutoffHz / sampleRateHz);
    const double k2 = k * k;
    for (int i = 0; i < order / 2; ++i) {
        const double theta = (2.0 * i + 1.0) * kPi / (2.0 * order);
        const double invQ = 2.0 * std::sin(theta); // 1/Q of this pole pair
        const double norm = 1.0 / (1.0 + k * invQ + k2);
        Section s;
        s.b0 = k2 * norm;
        s.b1 = 2.0 * s.b0;
        s.b2 = s.b0;
        s.a1 = 2.0 * (k2 - 1.0) * norm;
        s.a2 = (1.0 - k * invQ + k2) * norm;
        f.m_sections.push_back(s);
    }
    if (order % 2 == 1) {
        const double norm = 1.0 / (1.0 + k);
        Section s;
        s.b0 = k * norm;
        s.b1 = s.b0;
        s.a1 = (k - 1.0) * norm;
        f.m_sections.push_back(s);
    }
    return f;
}

void ButterworthFilter::runCascade(std::vector<double> &signal) const
{
    if (signal.empty())
        return;
    double steadyInput = signal.front();
    for (const Section &s : m_sections) {
        // Transposed direct form II, state set to the steady state of a constant input.
        const double gain = dcGain(s);
        double z2 = (s.b2 - s.a2 * gain) * steadyInput;
        double z1 = (s.b1 - s.a1 * gain) * steadyInput + z2;
        for (double &v : signal) {
            const double x = v;
            const double y = s.b0 * x + z1;
            z1 = s.b1 * x - s.a1 * y + z2;
            z2 = s.b2 * x - s.a2 * y;
            v = y;
        }
        steadyInput *= gain;
    }
}

std::vector<double> ButterworthFilter::filter(const std::vector<double> &x) const
{
    std::vector<double> y(x);
    runCascade(y);
    return y;
}

std::vector<double> ButterworthFilter::filtfilt(const std::vector<double> &x) const
{
    const int n = int(x.size());
    if (n < 2)
        return x;
    const int padlen = std::min(3 * (m_order + 1), n - 1);

    std::vector<double> ext;
    ext.reserve(size_t(n + 2 * padlen));
    for (int i = padlen; i >= 1; --i)
        ext.push_back(2.0 * x[0] - x[size_t(i)]);
    ext.insert(ext.end(), x.begin(), x.end());
    for (int i = 1; i <= padlen; ++i)
        ext.push_back(2.0 * x[size_t(n - 1)] - x[size_t(n - 1 - i)]);

    runCascade(ext);
    std::reverse(ext.begin(), ext.end());
    runCascade(ext);
    std::reverse(ext.begin(), ext.end());
    return std::vector<double>(ext.begin() + padlen, ext.begin() + padlen + n);
}

double ButterworthFilter::magnitudeAt(double frequencyHz) const
{
    const std::complex<double> z1 = std::polar(1.0, -2.0 * kPi * frequencyHz / m_sampleRateHz);
    const std::complex<double> z2 = z1 * z1;
    std::complex<double> h(1.0, 0.0);
    for (const Section &s : m_sections)
        h *= (s.b0 + s.b1 * z1 + s.b2 * z2) / (1.0 + s.a1 * z1 + s.a2 * z2);
    return std::abs(h);
}

} // namespace fa
