#pragma once

#include "avatar/avatar.h"
#include "render/orbit_camera.h"

#include <QPointF>
#include <QRect>
#include <QSize>
#include <QString>
#include <QVector3D>

#include <vector>

namespace fa {

/// The avatar's face framed like a real face crop: the front-view camera that puts the
/// avatar's eye centres exactly where FaceCropper (core/face/face_cropper.h) puts a real
/// face's eyes, so that face crops and avatar renders share one image space. Default framing:
/// FaceCropper's WholeFace, eyes `eyeDistance` = 0.25 of the side apart, centred, at height
/// `eyeLine` = 0.34 of the side (the same numbers; core/render does not link core/face).
///
/// Eye centres (avatar space, AvatarMesh::transform applied, avatar units), found from the mesh
/// without avatar-specific constants, first that applies:
/// 1. EyeBlink: per side, the mean of base + 0.5 * delta over the vertices that the ARKit
///    eyeBlinkLeft/Right shape moves (any spelling arkit::indexOf() accepts), weighted by
///    |delta|: the upper lid at mid-travel, i.e. about the centre of the eye opening.
/// 2. EyeShapes: the same over the vertices that the side's other eye shapes move (eyeLook*,
///    eyeSquint, eyeWide), for rigs without blinks.
/// 3. FaceBounds: the box of faceBounds()'s meshes: eyes at its vertical middle, 0.21 of its
///    width left and right of its centre line, 0.15 of its depth behind its front. Rough (the
///    proportions of an average adult head seen whole); used for rigs without ARKit eye shapes.
/// "Left" is the avatar's own left (ARKit), seen on the image's right in the front view.
///
/// Region boxes (image pixels of a framed size x size image): the mouth box bounds the
/// vertices that the rig's Mouth and Jaw controls move (rigRegion(), core/animation), the eye
/// box those of its Eyes controls, each at base and at full activation (weight 1), projected
/// with the framing camera and clamped to the image. "Moves" means |delta| of at least 5 % of
/// that target's largest |delta| (so that far-off vertices a shape barely nudges do not widen
/// the box) and above AvatarMesh::targetMoves()'s noise tolerance. rigRegion() knows the ARKit
/// names only: a rig whose controls are not ARKit shapes has every control in Other and so no
/// boxes (null QRect); callers then fall back to the whole image.
///
/// A value type; computing it costs one pass over the morph targets (no GL).
class FaceFraming
{
public:
    static constexpr float kDefaultEyeDistance = 0.25f; ///< FaceCropper WholeFace
    static constexpr float kDefaultEyeLine = 0.34f;     ///< FaceCropper WholeFace

    enum class EyeSource { EyeBlink, EyeShapes, FaceBounds, None };

    FaceFraming() = default;
    /// Eye centres and region vertices of `avatar` (see the class comment). An avatar without
    /// vertices gives EyeSource::None, eyes at (+-0.5, 0, 0) and no boxes.
    explicit FaceFraming(const Avatar &avatar);

    QVector3D leftEye() const { return m_leftEye; }
    QVector3D rightEye() const { return m_rightEye; }
    EyeSource eyeSource() const { return m_eyeSource; }
    /// "eyeBlink", "eye shapes", "face bounds" or "none".
    static QString eyeSourceName(EyeSource source);

    /// The front view (yaw = pitch = 0, field of view `fovDegrees` across the side) whose
    /// projection puts the eyes at FaceCropper's targets for a square image of any size:
    /// the eyes' midpoint centred horizontally, at height eyeLine * size (pixel-centre
    /// convention), the eyes eyeDistance * size apart. The answer does not depend on the
    /// size. For a non-square viewport the same camera frames the central square of the
    /// smaller side like this (OrbitCamera's field of view spans the smaller side).
    OrbitCamera camera(float eyeDistance = kDefaultEyeDistance, float eyeLine = kDefaultEyeLine,
                       float fovDegrees = OrbitCamera::kDefaultFovDegrees) const;

    /// Avatar-space point -> image pixel of a `size` image seen through `camera`, pixel-centre
    /// coordinates as FaceCropper's (pixel (i, j) is centred on (i, j), top row y = 0).
    static QPointF project(const OrbitCamera &camera, const QSize &size, const QVector3D &point);

    /// Region boxes in a `size` image seen through `camera`: x0, y0 inclusive, right()/bottom()
    /// inclusive (QRect), clamped to the image; null when the rig has no controls of the
    /// region or none of them moves a vertex, or when the box lies wholly outside the image.
    QRect mouthBox(const OrbitCamera &camera, const QSize &size) const;
    QRect eyeBox(const OrbitCamera &camera, const QSize &size) const;

    /// The moved vertices behind the boxes (avatar space), base and fully activated positions.
    const std::vector<QVector3D> &mouthPoints() const { return m_mouthPoints; }
    const std::vector<QVector3D> &eyePoints() const { return m_eyePoints; }

private:
    static QRect box(const std::vector<QVector3D> &points, const OrbitCamera &camera, const QSize &size);

    QVector3D m_leftEye{0.5f, 0.0f, 0.0f};
    QVector3D m_rightEye{-0.5f, 0.0f, 0.0f};
    EyeSource m_eyeSource = EyeSource::None;
    std::vector<QVector3D> m_mouthPoints;
    std::vector<QVector3D> m_eyePoints;
};

} // namespace fa
