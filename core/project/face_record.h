#pragma once

#include <QPointF>
#include <QRectF>
#include <QString>

#include <limits>
#include <vector>

namespace fa {

/// One face crop of a project (table `faces`). Coordinates are pixels of the source image or
/// video frame (display orientation), x/y of the box = top-left corner.
struct FaceRecord
{
    qint64 id = 0;
    qint64 sourceId = 0;
    QString cropPath;          ///< relative to the project folder, e.g. "crops/0000012.jpg"
    qint64 frameIndex = 0;     ///< 0 for images
    double timeSeconds = 0;    ///< presentation time in the video, 0 for images
    QRectF box;                ///< detected face box in source pixels
    std::vector<QPointF> landmarks; ///< dlib's 68 points in source pixels, or empty
    float detectionScore = std::numeric_limits<float>::quiet_NaN(); ///< detector's score
    QString category;          ///< emotion category (canonical, lower case), empty if unknown
    QString identity;          ///< person, empty if unknown
    std::vector<float> embedding; ///< expression embedding (16-d, L2-normalised) or empty
    qint64 createdAtMs = 0;    ///< milliseconds since the Unix epoch, UTC
};

} // namespace fa
