#pragma once

#include "avatar/avatar.h"

#include <QVector3D>

namespace fa {

/// A bounding sphere in avatar space (AvatarMesh::transform applied), avatar units.
struct BoundingSphere
{
    QVector3D centre;
    float radius = 0.0f; ///< 0 when there is nothing to bound.
};

/// The sphere around the axis-aligned box (avatar space) of `mesh`'s transformed positions,
/// centred on the box centre with radius half its diagonal; radius 0 for an empty mesh.
BoundingSphere meshBounds(const AvatarMesh &mesh);

/// What "frame the face" frames: the sphere around the box of every mesh that has a morph
/// target that moves (AvatarMesh::targetMoves, i.e. the face that the rig animates: facecap's
/// head, Rocketbox's head mesh); when no mesh has one, the box of the whole avatar. Radius 0
/// for an avatar without vertices.
BoundingSphere faceBounds(const Avatar &avatar);

/// The sphere around the box of every mesh of `avatar`.
BoundingSphere avatarBounds(const Avatar &avatar);

} // namespace fa
