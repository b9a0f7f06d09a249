#include "retarget/frame_measurement.h"

#include <algorithm>

namespace fa {
namespace {

bool sameFeatures(const std::optional<LandmarkFeatures> &a, const std::optional<LandmarkFeatures> &b)
{
    if (a.has_value() != b.has_value())
        return false;
    if (!a)
        return true;
    if (a->valid != b->valid)
        return false;
    for (int i = 0; i < LandmarkFeatures::kCount; ++i)
        if (a->value(i) != b->value(i))
            return false;
    return true;
}

// QRectF's and QPointF's operator== are fuzzy; measurements compare exactly.
bool samePoint(const QPointF &a, const QPointF &b)
{
    return a.x() == b.x() && a.y() == b.y();
}

bool sameRect(const QRectF &a, const QRectF &b)
{
    return a.x() == b.x() && a.y() == b.y() && a.width() == b.width() && a.height() == b.height();
}

} // namespace

bool FrameMeasurement::operator==(const FrameMeasurement &other) const
{
    return timeSeconds == other.timeSeconds && videoFrame == other.videoFrame && faceFound == other.faceFound
        && sameRect(faceBox, other.faceBox) && sameFeatures(features, other.features)
        && pose.yaw == other.pose.yaw && pose.pitch == other.pose.pitch && pose.roll == other.pose.roll
        && pose.valid == other.pose.valid
        && std::equal(landmarks.begin(), landmarks.end(), other.landmarks.begin(), other.landmarks.end(), samePoint);
}

} // namespace fa
