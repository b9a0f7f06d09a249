#include "animate/curve_filter.h"

#include "animation/butterworth_filter.h"
#include "animation/gaussian_filter.h"
#include "common/error_text.h"

namespace fa {

bool applyCurveFilter(const CurveFilter &filter, double fps, const std::vector<double> &times,
                      std::vector<double> &values, QString *error)
{
    const int n = int(values.size());
    if (n < 2)
        return failWith(error, QStringLiteral("Filter: a span of %1 frame(s) is too short to "
                                              "filter (select keys spanning at least 2 frames)")
                                   .arg(n));
    switch (filter.kind) {
    case CurveFilter::Kind::Butterworth: {
        const auto butterworth = ButterworthFilter::lowPass(filter.butterworthOrder,
                                                            filter.cutoffHz, fps, error);
        if (!butterworth)
            return false;
        // scipy.signal.filtfilt requires more samples than its padding 3 (order + 1).
        const int padlen = 3 * (filter.butterworthOrder + 1);
        if (n <= padlen)
            return failWith(error, QStringLiteral("Butterworth filter: a span of %1 frames is too "
                                                  "short for filtfilt's padding of %2 frames "
                                                  "(order %3 needs at least %4 frames)")
                                       .arg(n).arg(padlen).arg(filter.butterworthOrder)
                                       .arg(padlen + 1));
        values = butterworth->filtfilt(values);
        return true;
    }
    case CurveFilter::Kind::OneEuro: {
        if (times.size() != values.size())
            return failWith(error, QStringLiteral("One-Euro filter: %1 frame times for %2 samples")
                                       .arg(times.size()).arg(n));
        OneEuroFilter oneEuro(filter.oneEuro);
        for (int i = 0; i < n; ++i)
            values[size_t(i)] = oneEuro.filter(values[size_t(i)], times[size_t(i)]);
        return true;
    }
    case CurveFilter::Kind::Gaussian:
        if (!(filter.gaussianSigmaFrames > 0.0))
            return failWith(error, QStringLiteral("Gaussian filter: sigma %1 frames is not "
                                                  "positive")
                                       .arg(filter.gaussianSigmaFrames));
        values = gaussianSmooth(values, filter.gaussianSigmaFrames);
        return true;
    }
    return failWith(error, QStringLiteral("Filter: unknown kind"));
}

} // namespace fa
