#pragma once

#include <QMatrix4x4>
#include <QSize>
#include <QVector3D>

namespace fa {

/// A perspective camera orbiting a target point (a value type; no GL).
///
/// The eye sits at `distance` from `target` in the direction given by `yaw` and `pitch`
/// (degrees): yaw 0, pitch 0 looks down -Z from +Z (the front view of an avatar whose face
/// points at +Z, the glTF/Assimp convention); positive yaw turns the eye towards +X (the
/// avatar's left when it faces +Z), positive pitch raises it towards +Y. World up is +Y; pitch
/// is kept within [-89, 89] so the view never flips. Units are the avatar's (avatar space,
/// AvatarMesh::transform applied).
///
/// The field of view `fovDegrees` spans the SMALLER side of the viewport: vertical when the
/// viewport is wider than tall, horizontal otherwise, so frame() fits the sphere in any shape.
/// Clip planes follow the distance: near = distance / 20, far = distance * 20 (24-bit depth
/// keeps ample precision over that 400:1 range).
class OrbitCamera
{
public:
    static constexpr float kDefaultFovDegrees = 30.0f;
    static constexpr float kMaxPitchDegrees = 89.0f;

    /// Front view (yaw = pitch = 0) centred on `centre`, at the distance where a sphere of
    /// `radius` just fits the field of view: distance = radius / sin(fov / 2). A radius <= 0
    /// (or not finite) is taken as 1.
    void frame(const QVector3D &centre, float radius);
    /// Adds to yaw (wrapped to (-180, 180]) and pitch (clamped to +-89).
    void orbit(float yawDegrees, float pitchDegrees);
    /// Multiplies the distance by `factor` (< 1 moves closer); factors <= 0 are ignored and the
    /// distance never drops below 1e-6.
    void zoom(float factor);
    /// Moves the target (and so the eye) by `right` and `up` along the view's right and up
    /// axes, in avatar units.
    void pan(float right, float up);

    /// Avatar units covered by one pixel at the target's depth, for a viewport of `pixels`
    /// (turns mouse drags into pan()); 0 for an empty viewport.
    float unitsPerPixel(const QSize &pixels) const;

    QVector3D eye() const;
    /// World-to-eye matrix (right-handed, looking down -Z in eye space).
    QMatrix4x4 view() const;
    /// OpenGL perspective projection for `aspect` = width / height (see the class comment).
    QMatrix4x4 projection(float aspect) const;
    /// Vertical field of view actually used for `aspect`, in degrees.
    float verticalFovDegrees(float aspect) const;

    QVector3D target() const { return m_target; }
    void setTarget(const QVector3D &target) { m_target = target; }
    float yaw() const { return m_yaw; }
    void setYaw(float degrees);
    float pitch() const { return m_pitch; }
    void setPitch(float degrees);
    float distance() const { return m_distance; }
    void setDistance(float distance);
    float fovDegrees() const { return m_fov; }
    /// Clamped to [1, 170] degrees.
    void setFovDegrees(float degrees);

    bool operator==(const OrbitCamera &other) const;
    bool operator!=(const OrbitCamera &other) const { return !(*this == other); }

private:
    QVector3D m_target;
    float m_yaw = 0.0f;
    float m_pitch = 0.0f;
    float m_distance = 1.0f;
    float m_fov = kDefaultFovDegrees;
};

} // namespace fa
