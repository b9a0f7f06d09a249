#pragma once

#include "avatar/avatar.h"
#include "avatar/mannequin_shapes.h"

#include <vector>

// Mesh-building helpers of the procedural mannequin head (see mannequin_head.h). Internal to
// fa_avatar.

namespace fa::mannequin {

/// A mesh under construction, with what the shape fields and the mirroring need per vertex.
struct MeshBuild
{
    AvatarMesh mesh;
    std::vector<VertexInfo> info;  ///< Per vertex.
    std::vector<int> mirror;       ///< Per vertex: the vertex at the mirrored place (x -> -x).
    std::vector<int> normalWeld;   ///< Per vertex: vertex whose normal it shares (seams), or itself.

    int addVertex(const QVector3D &p, const QVector2D &uv, Part part, float lower = 0.0f);
    void addTriangle(int a, int b, int c);
};

/// Mirror of a point or offset through the plane x = 0.
inline QVector3D mirrored(const QVector3D &v)
{
    return {-v.x(), v.y(), v.z()};
}

/// Smooth per-vertex normals (area weighted) of positions over the triangles of `build`,
/// shared between the vertices that normalWeld joins.
std::vector<QVector3D> computeNormals(const MeshBuild &build, const std::vector<QVector3D> &positions);

/// True for the vertex whose value the mirror pass keeps: x > 0, or x == 0 and not the
/// smaller index of a pair of coincident midline vertices (seams).
bool isMirrorSource(const MeshBuild &build, int v);

/// Makes positions exactly mirror-symmetric: every non-source vertex becomes the mirror of its
/// source; vertices that are their own mirror get x = 0.
void symmetrisePositions(MeshBuild &build);

/// Same for one field of per-vertex offsets.
void symmetriseOffsets(const MeshBuild &build, std::vector<QVector3D> &offsets);

/// Flips every triangle when the (closed or nearly closed) mesh encloses negative volume.
void orientOutwards(MeshBuild &build);

/// Closed ellipsoid with its poles on the Z axis (index 0 = front pole), `rings` rings of
/// latitude and `segments` segments of longitude (even). Fills info (part), uvs and mirror.
void appendEllipsoid(MeshBuild &build, const QVector3D &centre, const QVector3D &axes, int rings,
                     int segments, Part part);

/// Appends a spherical cap (front pole on +Z) of angular radius capAngle at radius(gamma)
/// around centre: an open disc used for the iris.
void appendCap(MeshBuild &build, const QVector3D &centre, float capAngle, int rings, int segments,
               float (*radius)(float gamma), Part part);

/// Upper or lower row of teeth: a horseshoe-shaped bar from yBottom to yTop whose front is at
/// zFront (x = 0), with shallow gaps between teeth. Mirror-symmetric.
void appendTeethArch(MeshBuild &build, float yBottom, float yTop, float zFront, Part part);

} // namespace fa::mannequin
