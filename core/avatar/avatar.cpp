#include "avatar/avatar.h"

#include <QSet>

namespace fa {

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
