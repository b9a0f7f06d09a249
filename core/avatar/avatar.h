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

    /// Largest |positionDelta| over all vertices, in mesh units (0 for an empty target).
    float maxPositionDelta() const;
};

/// A triangle mesh of an avatar. Attribute arrays are per vertex; `uvs` may be empty.
/// UVs follow Assimp's (OpenGL) convention: origin at the bottom-left of the texture, v up, so
/// texel row = (1 - v) * (height - 1) in a QImage.
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
    /// Diagonal of the axis-aligned bounding box of `positions`, in mesh units.
    float boundingBoxDiagonal() const;
    /// True when target `t` moves some vertex by more than `relativeTolerance` × the bounding-box
    /// diagonal. The tolerance absorbs float noise: FBX files often store shapes that move
    /// vertices they do not change by ~1e-5 units (Rocketbox body mesh).
    bool targetMoves(int t, float relativeTolerance = 1e-4f) const;
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
    /// Metres per unit of `positions` (and of the deltas): 1 for glTF; for FBX the file's
    /// UnitScaleFactor / 100 (FBX counts in centimetres: 0.01 for Rocketbox); 1 where the
    /// format does not say. Positions are kept in the file's units.
    double unitScaleToMeters = 1.0;

    /// The rig: distinct morph-target names, ranges [0,1].
    RigDefinition rig() const;
    int vertexCount() const;
    int triangleCount() const;
};

} // namespace fa
