#include "face/face_box_smoother.h"

#include <algorithm>
#include <cmath>

namespace fa {

FaceBoxSmoother::FaceBoxSmoother(const Options &options)
    : m_options(options)
{
}

void FaceBoxSmoother::setOptions(const Options &options)
{
    m_options = options;
    reset();
}

void FaceBoxSmoother::reset()
{
    m_hasState = false;
}

cv::Rect2f FaceBoxSmoother::update(const cv::Rect2f &box)
{
    if (!(box.width > 0) || !(box.height > 0)) {
        reset();
        return box;
    }
    const double cx = box.x + box.width / 2.0;
    const double cy = box.y + box.height / 2.0;

    if (m_hasState) {
        const double side = std::max(m_last.width, m_last.height);
        const double move = std::hypot(cx - (m_last.x + m_last.width / 2.0),
                                       cy - (m_last.y + m_last.height / 2.0)) / side;
        const double grow = std::max(box.width / m_last.width, m_last.width / box.width);
        if (move > m_options.jumpThreshold || grow > 1.0 + m_options.jumpThreshold)
            reset();
    }
    if (!m_hasState) {
        const OneEuroFilter::Params params{m_options.minCutoff, m_options.beta, m_options.derivativeCutoff};
        for (OneEuroFilter &f : m_filters)
            f = OneEuroFilter(params);
        m_unit = std::max(box.width, box.height);
        m_frame = 0;
        m_hasState = true;
    }

    const double time = double(m_frame++) / std::max(m_options.frameRate, 1e-6);
    const double raw[4] = {cx, cy, box.width, box.height};
    double out[4];
    for (size_t i = 0; i < m_filters.size(); ++i)
        out[i] = m_filters[i].filter(raw[i] / m_unit, time) * m_unit;
    m_last = cv::Rect2f(float(out[0] - out[2] / 2), float(out[1] - out[3] / 2), float(out[2]), float(out[3]));
    return m_last;
}

} // namespace fa
