#include "animation/one_euro_filter.h"

#include <cmath>

namespace fa {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kTinyCutoff = 1e-6; // Hz

double sanitisedCutoff(double hz)
{
    return (std::isfinite(hz) && hz > 0.0) ? hz : kTinyCutoff;
}

} // namespace

OneEuroFilter::OneEuroFilter(const Params &params)
{
    setParams(params);
}

void OneEuroFilter::setParams(const Params &params)
{
    m_params.minCutoff = sanitisedCutoff(params.minCutoff);
    m_params.derivativeCutoff = sanitisedCutoff(params.derivativeCutoff);
    m_params.beta = (std::isfinite(params.beta) && params.beta > 0.0) ? params.beta : 0.0;
}

double OneEuroFilter::alpha(double cutoffHz, double periodSeconds)
{
    const double tau = 1.0 / (2.0 * kPi * cutoffHz);
    return 1.0 / (1.0 + tau / periodSeconds);
}

double OneEuroFilter::filter(double x, double timeSeconds)
{
    if (!m_initialised) {
        m_initialised = true;
        m_previousTime = timeSeconds;
        m_previousValue = x;
        m_previousDerivative = 0.0;
        return x;
    }
    const double te = timeSeconds - m_previousTime;
    if (!(te > 0.0) || !std::isfinite(te))
        return m_previousValue;

    const double dx = (x - m_previousValue) / te;
    const double dxHat = m_previousDerivative
            + alpha(m_params.derivativeCutoff, te) * (dx - m_previousDerivative);
    const double cutoff = m_params.minCutoff + m_params.beta * std::abs(dxHat);
    const double xHat = m_previousValue + alpha(cutoff, te) * (x - m_previousValue);

    m_previousTime = timeSeconds;
    m_previousValue = xHat;
    m_previousDerivative = dxHat;
    return xHat;
}

void OneEuroFilter::reset()
{
    m_initialised = false;
    m_previousTime = 0.0;
    m_previousValue = 0.0;
    m_previousDerivative = 0.0;
}

} // namespace fa
