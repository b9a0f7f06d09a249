#pragma once

#include "animate/key_selection.h"

#include <QPointF>
#include <QRectF>

#include <optional>
#include <vector>

namespace fa {
class KeyframeCurve;
class RigAnimation;
}

namespace fa::ui {

class CurveViewTransform;

/// Where keys are on screen, for drawing and for the mouse. A key is drawn at (its frame, its
/// FINAL value: the channel's calibration applied to the key's raw value, clamped like
/// RigAnimation::value), so it sits on the drawn curve.
class KeyHitTester
{
public:
    struct KeyRef
    {
        int channel = -1;
        int frame = 0;
        bool operator==(const KeyRef &other) const { return channel == other.channel && frame == other.frame; }
    };

    /// Keys of a channel are drawn (and clickable) when its keys in the visible frame range are
    /// on average at least this many pixels apart.
    static constexpr double kMinKeySpacing = 6.0;
    /// Click radius around a key's centre, pixels.
    static constexpr double kHitRadius = 6.0;

    /// The drawn value of a key with raw value `raw` in `channel`.
    static float finalValue(const RigAnimation &animation, int channel, float raw);
    /// Index range [*begin, *end) of the keys of `curve` with firstFrame <= frame <= lastFrame.
    static void keyRange(const KeyframeCurve &curve, double firstFrame, double lastFrame, int *begin, int *end);
    /// Whether the keys of `curve` are drawn at this zoom (see kMinKeySpacing).
    static bool keysDrawn(const KeyframeCurve &curve, const CurveViewTransform &transform);

    /// The drawn key nearest to `position` within `radius` pixels among `channels` (later
    /// channels win ties: they are drawn on top), or nullopt. Channels whose keys are not drawn
    /// are skipped.
    static std::optional<KeyRef> keyAt(const RigAnimation &animation, const std::vector<int> &channels,
                                       const CurveViewTransform &transform, QPointF position,
                                       double radius = kHitRadius);
    /// Every key of `channels` whose drawn position lies inside `rect` (edges included), drawn
    /// at this zoom or not (a box over a dense curve selects the frames under it).
    static KeySelection keysIn(const RigAnimation &animation, const std::vector<int> &channels,
                               const CurveViewTransform &transform, const QRectF &rect);
};

} // namespace fa::ui
