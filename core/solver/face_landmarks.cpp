#include "solver/face_landmarks.h"

#include <algorithm>
#include <cmath>

namespace fa {

bool FaceLandmarks::isEmpty() const
{
    float minX = points[0].x, maxX = points[0].x, minY = points[0].y, maxY = points[0].y;
    for (const cv::Point2f &p : points) {
        if (!std::isfinite(p.x) || !std::isfinite(p.y))
            return true;
        minX = std::min(minX, p.x);
        maxX = std::max(maxX, p.x);
        minY = std::min(minY, p.y);
        maxY = std::max(maxY, p.y);
    }
    return maxX - minX <= 0.f || maxY - minY <= 0.f;
}

} // namespace fa
