#pragma once

#include "avatar/rig_definition.h"

#include <QImage>
#include <QMatrix4x4>
#include <QString>
#include <QVector2D>
#include <QVector3D>

#include <vector>

namespace fa {

/// One morph target (blendshape) of a mesh: per-vertex offsets from the base mesh, in the
/// mesh's own space and units. `positionDeltas` has one entry per mesh vertex; `normalDeltas`
/// is empty or has one entry per vertex.
struct MorphTarget
{
    QString name;
    std::vector<QVector3D> positionDeltas;
    std::vector<QVector3D> normalDeltas;
};

/// A triangle mesh of an avatar. Attribute arrays are per vertex; `uvs` may be empty.
/// `indices` holds three vertex indices per triangle. `transform` takes mesh space to avatar
/// space (the product of the node transforms above the mesh).
struct AvatarMesh
{
    QString name;
    std::vector<QVector3D> positions;
    std::vector<QVector3D> normals;
    std::vector<QVector2D> uvs;
    std::vector<quint32> indices;
    std::vector<MorphTarget> morphTargets;
    int textureIndex = -1; ///< Index into Avatar::textures (base colour), or -1.
    QMatrix4x4 transform;

    int vertexCount() const { return int(positions.size()); }
    int triangleCount() const { return int(indices.size() / 3); }
};

/// An avatar: meshes with morph targets, textures and the rig they define.
///
/// The rig's controls are the distinct morph-target names over all meshes, in first-seen order;
/// a control drives every morph target of that name on every mesh.
struct Avatar
{
    QString name;       ///< Display name (file base name, or "Mannequin").
    QString sourcePath; ///< File it came from; empty for a procedural avatar.
    std::vector<AvatarMesh> meshes;
    std::vector<QImage> textures;

    /// The rig: distinct morph-target names, ranges [0,1].
    RigDefinition rig() const;
    int vertexCount() const;
    int triangleCount() const;
};

} // namespace fa
