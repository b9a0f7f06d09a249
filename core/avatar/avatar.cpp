#include "avatar/avatar.h"

#include <QSet>

#include <algorithm>
#include <cmath>
#include <limits>

namespace fa {

float MorphTarget::maxPositionDelta() const
{
    float maxSquared = 0.0f;
    for (const QVector3D &d : positionDeltas)
        maxSquared = std::max(maxSquared, d.lengthSquared());
    return std::sqrt(maxSquared);
}

float AvatarMesh::boundingBoxDiagonal() const
{
    if (positions.empty())
        return 0.0f;
    constexpr float inf = std::numeric_limits<float>::infinity();
    QVector3D lo(inf, inf, inf), hi(-inf, -inf, -inf);
    for (const QVector3D &p : positions)
        for (int i = 0; i < 3; ++i) {
            lo[i] = std::min(lo[i], p[i]);
            hi[i] = std::max(hi[i], p[i]);
        }
    return (hi - lo).length();
}

bool AvatarMesh::targetMoves(int t, float relativeTolerance) const
{
    if (t < 0 || t >= int(morphTargets.size()))
        return false;
    return morphTargets[size_t(t)].maxPositionDelta() > relativeTolerance * boundingBoxDiagonal();
}

RigDefinition Avatar::rig() const
{
    RigDefinition rig;
    QSet<QString> seen;
    for (const AvatarMesh &mesh : meshes)
        for (const MorphTarget &target : mesh.morphTargets)
            if (!seen.contains(target.name)) {
                seen.insert(target.name);
                rig.addControl({target.name, 0.0f, 1.0f});
            }
    return rig;
}

int Avatar::vertexCount() const
{
    int n = 0;
    for (const AvatarMesh &mesh : meshes)
        n += mesh.vertexCount();
    return n;
}

int Avatar::triangleCount() const
{
    int n = 0;
    for (const AvatarMesh &mesh : meshes)
        n += mesh.triangleCount();
    return n;
}

} // namespace fa
