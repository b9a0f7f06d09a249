#include "animation/clip_smoothing.h"

#include "animation/animation_clip.h"
#include "animation/butterworth_filter.h"
#include "common/arkit.h"

#include <algorithm>

namespace fa {
namespace {

// Head angles are filtered in quarter turns so that One-Euro's beta (Hz per unit/s) means the
// same for a head turn as for a blendshape weight.
constexpr double kDegreesPerUnit = 90.0;

bool isHeadChannel(const QString &name)
{
    return fa::arkit::rotationChannelNames().contains(name, Qt::CaseInsensitive);
}

struct Run
{
    int first = 0;
    int count = 0;
};

// Runs of consecutive face-found frames.
std::vector<Run> faceFoundRuns(const AnimationClip &clip)
{
    std::vector<Run> runs;
    int f = 0;
    while (f < clip.frameCount()) {
        if (!clip.faceFound(f)) {
            ++f;
            continue;
        }
        Run run{f, 0};
        while (f < clip.frameCount() && clip.faceFound(f)) {
            ++run.count;
            ++f;
        }
        runs.push_back(run);
    }
    return runs;
}

} // namespace

bool smoothClip(AnimationClip &clip, const SmoothingOptions &options, QString *error)
{
    if (options.method == SmoothingMethod::None)
        return true;

    std::optional<ButterworthFilter> butterworth;
    if (options.method == SmoothingMethod::Butterworth) {
        QString designError;
        butterworth = ButterworthFilter::lowPass(options.butterworthOrder,
                                                 options.butterworthCutoffHz, clip.fps(),
                                                 &designError);
        if (!butterworth) {
            if (error)
                *error = QStringLiteral("%1 (clip at %2 fps)").arg(designError).arg(clip.fps());
            return false;
        }
    }

    const std::vector<Run> runs = faceFoundRuns(clip);
    OneEuroFilter oneEuro(options.oneEuro);
    for (int c = 0; c < clip.controlCount(); ++c) {
        const bool head = isHeadChannel(clip.controlNames().at(c));
        const double scale = head ? kDegreesPerUnit : 1.0;
        for (const Run &run : runs) {
            if (run.count < 2)
                continue;
            std::vector<double> curve(static_cast<size_t>(run.count));
            for (int i = 0; i < run.count; ++i)
                curve[size_t(i)] = double(clip.value(run.first + i, c)) / scale;

            if (butterworth) {
                curve = butterworth->filtfilt(curve);
            } else {
                oneEuro.reset();
                for (int i = 0; i < run.count; ++i)
                    curve[size_t(i)] = oneEuro.filter(curve[size_t(i)],
                                                      clip.frameTime(run.first + i));
            }

            for (int i = 0; i < run.count; ++i) {
                double v = curve[size_t(i)] * scale;
                if (!head)
                    v = std::clamp(v, 0.0, 1.0);
                clip.setValue(run.first + i, c, float(v));
            }
        }
        if (!head) {
            // Frames outside the filtered runs are clamped too, as documented.
            for (int f = 0; f < clip.frameCount(); ++f)
                clip.setValue(f, c, std::clamp(clip.value(f, c), 0.0f, 1.0f));
        }
    }
    return true;
}

std::optional<SmoothingMethod> smoothingMethodFromString(const QString &name)
{
    const QString key = name.trimmed().toLower();
    if (key == QLatin1String("none"))
        return SmoothingMethod::None;
    if (key == QLatin1String("one-euro") || key == QLatin1String("oneeuro")
        || key == QLatin1String("1euro"))
        return SmoothingMethod::OneEuro;
    if (key == QLatin1String("butterworth"))
        return SmoothingMethod::Butterworth;
    return std::nullopt;
}

QString smoothingMethodName(SmoothingMethod method)
{
    switch (method) {
    case SmoothingMethod::None:
        return QStringLiteral("none");
    case SmoothingMethod::OneEuro:
        return QStringLiteral("one-euro");
    case SmoothingMethod::Butterworth:
        return QStringLiteral("butterworth");
    }
    return QString();
}

} // namespace fa
