#pragma once

// Helpers of the Animate tests: whole-animation comparison with a readable first difference.

#include "animate/rig_animation.h"

#include <QString>

#include <algorithm>

namespace fa::test {

/// Empty when equal, else the first difference ("channel jawOpen: key 12 is (12, 0.5), expected
/// (12, 0.25)").
inline QString firstDifference(const RigAnimation &actual, const RigAnimation &expected)
{
    if (actual.controlNames() != expected.controlNames())
        return QStringLiteral("control names differ");
    if (actual.fps() != expected.fps() || actual.frameTimes() != expected.frameTimes()
        || actual.faceFoundMask() != expected.faceFoundMask())
        return QStringLiteral("fps, frame times or face mask differ");
    for (int c = 0; c < actual.channelCount(); ++c) {
        const QString name = actual.controlNames()[c];
        if (actual.calibration(c) != expected.calibration(c))
            return QStringLiteral("channel %1: calibration (%2, %3), expected (%4, %5)")
                .arg(name).arg(actual.calibration(c).gain).arg(actual.calibration(c).offset)
                .arg(expected.calibration(c).gain).arg(expected.calibration(c).offset);
        const auto &a = actual.curve(c).keys();
        const auto &e = expected.curve(c).keys();
        for (size_t i = 0; i < std::min(a.size(), e.size()); ++i) {
            if (a[i] != e[i])
                return QStringLiteral("channel %1: key %2 is (%3, %4), expected (%5, %6)")
                    .arg(name).arg(i).arg(a[i].frame).arg(a[i].value, 0, 'g', 9)
                    .arg(e[i].frame).arg(e[i].value, 0, 'g', 9);
        }
        if (a.size() != e.size())
            return QStringLiteral("channel %1: %2 keys, expected %3").arg(name).arg(a.size()).arg(e.size());
    }
    return actual == expected ? QString() : QStringLiteral("operator== disagrees");
}

} // namespace fa::test

/// QVERIFY that two RigAnimations are equal, naming the first difference and `when`.
#define FA_COMPARE_ANIMATION(actual, expected, when)                                               \
    do {                                                                                           \
        const QString difference_ = fa::test::firstDifference((actual), (expected));               \
        QVERIFY2(difference_.isEmpty(),                                                            \
                 qPrintable(QStringLiteral("%1: %2").arg(QStringLiteral(when), difference_)));     \
    } while (false)
