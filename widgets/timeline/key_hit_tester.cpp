#include "key_hit_tester.h"

#include "curve_view_transform.h"

#include "animate/rig_animation.h"
#include "animation/keyframe_curve.h"

#include <algorithm>
#include <climits>
#include <cmath>

namespace fa::ui {

float KeyHitTester::finalValue(const RigAnimation &animation, int channel, float raw)
{
    const float v = animation.calibration(channel).apply(raw);
    return animation.isAngle(channel) ? v : std::clamp(v, 0.0f, 1.0f);
}

void KeyHitTester::keyRange(const KeyframeCurve &curve, double firstFrame, double lastFrame, int *begin, int *end)
{
    const double lo = std::ceil(firstFrame);
    const double hi = std::floor(lastFrame);
    if (hi < lo || lo > double(INT_MAX) || hi < double(INT_MIN)) {
        *begin = *end = 0;
        return;
    }
    *begin = curve.lowerBound(int(std::max(lo, double(INT_MIN))));
    *end = hi >= double(INT_MAX) ? curve.keyCount() : curve.lowerBound(int(hi) + 1);
}

bool KeyHitTester::keysDrawn(const KeyframeCurve &curve, const CurveViewTransform &transform)
{
    int begin = 0, end = 0;
    keyRange(curve, transform.firstFrame(), transform.lastFrame(), &begin, &end);
    return double(end - begin) * kMinKeySpacing <= transform.width();
}

std::optional<KeyHitTester::KeyRef> KeyHitTester::keyAt(const RigAnimation &animation, const std::vector<int> &channels,
                                                        const CurveViewTransform &transform, QPointF position,
                                                        double radius)
{
    std::optional<KeyRef> best;
    double bestDistance = radius * radius;
    const double firstFrame = transform.xToFrame(position.x() - radius);
    const double lastFrame = transform.xToFrame(position.x() + radius);
    for (int channel : channels) {
        if (channel < 0 || channel >= animation.channelCount())
            continue;
        const KeyframeCurve &curve = animation.curve(channel);
        if (!keysDrawn(curve, transform))
            continue;
        int begin = 0, end = 0;
        keyRange(curve, firstFrame, lastFrame, &begin, &end);
        for (int i = begin; i < end; ++i) {
            const KeyframeCurve::Key &key = curve.keys()[size_t(i)];
            const QPointF p = transform.map(key.frame, finalValue(animation, channel, key.value));
            const double dx = p.x() - position.x();
            const double dy = p.y() - position.y();
            const double distance = dx * dx + dy * dy;
            if (distance <= bestDistance) {
                bestDistance = distance;
                best = KeyRef{channel, key.frame};
            }
        }
    }
    return best;
}

KeySelection KeyHitTester::keysIn(const RigAnimation &animation, const std::vector<int> &channels,
                                  const CurveViewTransform &transform, const QRectF &rect)
{
    KeySelection selection;
    const QRectF r = rect.normalized();
    const double firstFrame = transform.xToFrame(r.left());
    const double lastFrame = transform.xToFrame(r.right());
    for (int channel : channels) {
        if (channel < 0 || channel >= animation.channelCount())
            continue;
        const KeyframeCurve &curve = animation.curve(channel);
        int begin = 0, end = 0;
        keyRange(curve, firstFrame, lastFrame, &begin, &end);
        std::vector<int> frames;
        for (int i = begin; i < end; ++i) {
            const KeyframeCurve::Key &key = curve.keys()[size_t(i)];
            const double y = transform.valueToY(finalValue(animation, channel, key.value));
            if (y >= r.top() && y <= r.bottom())
                frames.push_back(key.frame);
        }
        if (!frames.empty())
            selection[channel] = std::move(frames);
    }
    return selection;
}

} // namespace fa::ui
