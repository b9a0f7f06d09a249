#include "animation/gaussian_filter.h"

#include <cmath>

namespace fa {

std::vector<double> gaussianKernel(double sigmaFrames)
{
    if (!(sigmaFrames > 0.0) || !std::isfinite(sigmaFrames))
        return {1.0};
    // scipy: lw = int(truncate * sd + 0.5); phi_x = exp(-0.5 / sigma2 * x ** 2); phi_x /= sum.
    const int radius = int(4.0 * sigmaFrames + 0.5);
    std::vector<double> kernel(size_t(2 * radius + 1));
    const double scale = -0.5 / (sigmaFrames * sigmaFrames);
    double sum = 0.0;
    for (int k = -radius; k <= radius; ++k) {
        const double w = std::exp(scale * double(k) * double(k));
        kernel[size_t(k + radius)] = w;
        sum += w;
    }
    for (double &w : kernel)
        w /= sum;
    return kernel;
}

namespace {

// Index into [0, n) of position i under the half-sample symmetric extension, periodic with
// period 2n: d c b a | a b c d | d c b a.
int reflectIndex(long long i, int n)
{
    const long long period = 2LL * n;
    long long m = i % period;
    if (m < 0)
        m += period;
    return int(m < n ? m : period - 1 - m);
}

} // namespace

std::vector<double> gaussianSmooth(const std::vector<double> &x, double sigmaFrames)
{
    if (x.empty() || !(sigmaFrames > 0.0) || !std::isfinite(sigmaFrames))
        return x;
    const std::vector<double> kernel = gaussianKernel(sigmaFrames);
    const int radius = int(kernel.size() / 2);
    const int n = int(x.size());
    // Extended copy with `radius` reflected samples on both sides.
    std::vector<double> ext(size_t(n + 2 * radius));
    for (int i = 0; i < n + 2 * radius; ++i)
        ext[size_t(i)] = x[size_t(reflectIndex(i - radius, n))];
    std::vector<double> y(x.size());
    for (int i = 0; i < n; ++i) {
        double sum = 0.0;
        const double *window = ext.data() + i;
        for (size_t k = 0; k < kernel.size(); ++k)
            sum += kernel[k] * window[k];
        y[size_t(i)] = sum;
    }
    return y;
}

} // namespace fa
