#include "face/face_box_smoother.h"

#include <algorithm>
#include <cmath>

namespace fa {

namespace {

constexpr double kPi = 3.14159265358979323846;

// Exponential smoothing factor for a first-order low-pass at `cutoff` Hz sampled at `rate` Hz
// (One-Euro paper, eq. 2: alpha = 1 / (1 + tau / Te), tau = 1 / (2 pi fc)).
double smoothingFactor(double cutoff, double rate)
{
    const double tau = 1.0 / (2.0 * kPi * std::max(cutoff, 1e-6));
    const double period = 1.0 / std::max(rate, 1e-6);
    return 1.0 / (1.0 + tau / period);
}

} // namespace

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

double FaceBoxSmoother::filter(Channel &channel, double raw, double side) const
{
    const double rate = m_options.frameRate;
    // Speed in box sides per second, itself low-passed at derivativeCutoff.
    const double rawSpeed = (raw - channel.value) * rate / side;
    const double aSpeed = smoothingFactor(m_options.derivativeCutoff, rate);
    channel.speed += aSpeed * (rawSpeed - channel.speed);
    const double cutoff = m_options.minCutoff + m_options.beta * std::abs(channel.speed);
    channel.value += smoothingFactor(cutoff, rate) * (raw - channel.value);
    return channel.value;
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
        const double side = std::max(m_w.value, m_h.value);
        const double move = std::hypot(cx - m_cx.value, cy - m_cy.value) / side;
        const double grow = std::max(box.width / m_w.value, m_w.value / box.width);
        if (move > m_options.jumpThreshold || grow > 1.0 + m_options.jumpThreshold)
            reset();
    }
    if (!m_hasState) {
        m_cx = {cx, 0};
        m_cy = {cy, 0};
        m_w = {box.width, 0};
        m_h = {box.height, 0};
        m_hasState = true;
        return box;
    }

    const double side = std::max(m_w.value, m_h.value);
    const double x = filter(m_cx, cx, side);
    const double y = filter(m_cy, cy, side);
    const double w = filter(m_w, box.width, side);
    const double h = filter(m_h, box.height, side);
    return cv::Rect2f(float(x - w / 2), float(y - h / 2), float(w), float(h));
}

} // namespace fa
