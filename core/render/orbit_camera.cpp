#include "render/orbit_camera.h"

#include <QtMath>

#include <algorithm>
#include <cmath>

namespace fa {

namespace {

constexpr float kMinDistance = 1e-6f;

float wrapDegrees(float degrees)
{
    if (!std::isfinite(degrees))
        return 0.0f;
    float wrapped = std::fmod(degrees, 360.0f);
    if (wrapped > 180.0f)
        wrapped -= 360.0f;
    else if (wrapped <= -180.0f)
        wrapped += 360.0f;
    return wrapped;
}

} // namespace

void OrbitCamera::frame(const QVector3D &centre, float radius)
{
    if (!(radius > 0.0f) || !std::isfinite(radius))
        radius = 1.0f;
    m_target = centre;
    m_yaw = 0.0f;
    m_pitch = 0.0f;
    m_distance = std::max(kMinDistance, radius / std::sin(qDegreesToRadians(m_fov) / 2.0f));
}

void OrbitCamera::orbit(float yawDegrees, float pitchDegrees)
{
    setYaw(m_yaw + yawDegrees);
    setPitch(m_pitch + pitchDegrees);
}

void OrbitCamera::zoom(float factor)
{
    if (factor > 0.0f && std::isfinite(factor))
        setDistance(m_distance * factor);
}

void OrbitCamera::pan(float right, float up)
{
    const QMatrix4x4 v = view();
    // Rows of the view matrix's rotation part are the eye's right/up axes in world space.
    const QVector3D rightAxis(v(0, 0), v(0, 1), v(0, 2));
    const QVector3D upAxis(v(1, 0), v(1, 1), v(1, 2));
    m_target += rightAxis * right + upAxis * up;
}

float OrbitCamera::unitsPerPixel(const QSize &pixels) const
{
    if (pixels.isEmpty())
        return 0.0f;
    const float aspect = float(pixels.width()) / float(pixels.height());
    const float halfHeight = m_distance * std::tan(qDegreesToRadians(verticalFovDegrees(aspect)) / 2.0f);
    return 2.0f * halfHeight / float(pixels.height());
}

QVector3D OrbitCamera::eye() const
{
    const float yaw = qDegreesToRadians(m_yaw);
    const float pitch = qDegreesToRadians(m_pitch);
    const QVector3D direction(std::sin(yaw) * std::cos(pitch), std::sin(pitch), std::cos(yaw) * std::cos(pitch));
    return m_target + direction * m_distance;
}

QMatrix4x4 OrbitCamera::view() const
{
    QMatrix4x4 m;
    m.lookAt(eye(), m_target, QVector3D(0, 1, 0));
    return m;
}

float OrbitCamera::verticalFovDegrees(float aspect) const
{
    if (!(aspect > 0.0f) || aspect >= 1.0f)
        return m_fov;
    // The horizontal field is m_fov: tan(v/2) = tan(h/2) / aspect.
    return qRadiansToDegrees(2.0f * std::atan(std::tan(qDegreesToRadians(m_fov) / 2.0f) / aspect));
}

QMatrix4x4 OrbitCamera::projection(float aspect) const
{
    if (!(aspect > 0.0f) || !std::isfinite(aspect))
        aspect = 1.0f;
    QMatrix4x4 m;
    m.perspective(verticalFovDegrees(aspect), aspect, m_distance / 20.0f, m_distance * 20.0f);
    return m;
}

void OrbitCamera::setYaw(float degrees)
{
    m_yaw = wrapDegrees(degrees);
}

void OrbitCamera::setPitch(float degrees)
{
    m_pitch = std::isfinite(degrees) ? std::clamp(degrees, -kMaxPitchDegrees, kMaxPitchDegrees) : 0.0f;
}

void OrbitCamera::setDistance(float distance)
{
    if (std::isfinite(distance))
        m_distance = std::max(kMinDistance, distance);
}

void OrbitCamera::setFovDegrees(float degrees)
{
    if (std::isfinite(degrees))
        m_fov = std::clamp(degrees, 1.0f, 170.0f);
}

bool OrbitCamera::operator==(const OrbitCamera &other) const
{
    return m_target == other.m_target && m_yaw == other.m_yaw && m_pitch == other.m_pitch
        && m_distance == other.m_distance && m_fov == other.m_fov;
}

} // namespace fa
