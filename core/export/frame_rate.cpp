#include "export/frame_rate.h"

#include <algorithm>
#include <cmath>

namespace fa {

double estimateFrameRate(const std::vector<double> &timesSeconds, double fallback)
{
    std::vector<double> intervals;
    for (size_t i = 1; i < timesSeconds.size(); ++i) {
        const double dt = timesSeconds[i] - timesSeconds[i - 1];
        if (dt > 0.0 && std::isfinite(dt))
            intervals.push_back(dt);
    }
    if (intervals.empty())
        return fallback;

    std::vector<double> sorted(intervals);
    std::nth_element(sorted.begin(), sorted.begin() + long(sorted.size() / 2), sorted.end());
    const double median = sorted[sorted.size() / 2];
    double fps = 1.0 / median;

    const bool uniform = std::all_of(intervals.begin(), intervals.end(), [median](double dt) {
        return std::abs(dt - median) <= 0.25 * median;
    });
    if (uniform && intervals.size() == timesSeconds.size() - 1) {
        const double span = timesSeconds.back() - timesSeconds.front();
        if (span > 0.0)
            fps = double(timesSeconds.size() - 1) / span;
    }

    static const double kStandard[] = {24000.0 / 1001.0, 24.0, 25.0, 30000.0 / 1001.0, 30.0,
                                       48.0, 50.0, 60000.0 / 1001.0, 60.0, 90.0, 100.0,
                                       120000.0 / 1001.0, 120.0};
    // The nearest standard rate, when within 0.03 % (29.97 and 30 are 0.1 % apart).
    double nearest = kStandard[0];
    for (double rate : kStandard) {
        if (std::abs(fps - rate) < std::abs(fps - nearest))
            nearest = rate;
    }
    return std::abs(fps - nearest) <= 0.0003 * nearest ? nearest : fps;
}

QByteArray formatFixed(double value, int decimals)
{
    if (!std::isfinite(value))
        return QByteArrayLiteral("0");
    QByteArray text = QByteArray::number(value, 'f', decimals);
    if (text.contains('.')) {
        while (text.endsWith('0'))
            text.chop(1);
        if (text.endsWith('.'))
            text.chop(1);
    }
    if (text == "-0")
        text = "0";
    return text;
}

} // namespace fa
