#include "render/face_bounds.h"

#include <algorithm>
#include <limits>

namespace fa {

namespace {

struct Box
{
    QVector3D lo{std::numeric_limits<float>::max(), std::numeric_limits<float>::max(),
                 std::numeric_limits<float>::max()};
    QVector3D hi{-std::numeric_limits<float>::max(), -std::numeric_limits<float>::max(),
                 -std::numeric_limits<float>::max()};
    bool empty = true;

    void add(const QVector3D &p)
    {
        lo = QVector3D(std::min(lo.x(), p.x()), std::min(lo.y(), p.y()), std::min(lo.z(), p.z()));
        hi = QVector3D(std::max(hi.x(), p.x()), std::max(hi.y(), p.y()), std::max(hi.z(), p.z()));
        empty = false;
    }
    void add(const AvatarMesh &mesh)
    {
        for (const QVector3D &p : mesh.positions)
            add(mesh.transform.map(p));
    }
    BoundingSphere sphere() const
    {
        if (empty)
            return {};
        return {(lo + hi) / 2.0f, (hi - lo).length() / 2.0f};
    }
};

bool hasMovingTarget(const AvatarMesh &mesh)
{
    for (int t = 0; t < int(mesh.morphTargets.size()); ++t)
        if (mesh.targetMoves(t))
            return true;
    return false;
}

} // namespace

BoundingSphere meshBounds(const AvatarMesh &mesh)
{
    Box box;
    box.add(mesh);
    return box.sphere();
}

BoundingSphere faceBounds(const Avatar &avatar)
{
    Box box;
    for (const AvatarMesh &mesh : avatar.meshes)
        if (hasMovingTarget(mesh))
            box.add(mesh);
    return box.empty ? avatarBounds(avatar) : box.sphere();
}

BoundingSphere avatarBounds(const Avatar &avatar)
{
    Box box;
    for (const AvatarMesh &mesh : avatar.meshes)
        box.add(mesh);
    return box.sphere();
}

} // namespace fa
