#pragma once

// The shared avatars of the render tests, loaded once per test executable.

#include "avatar/avatar_loader.h"

#include <QString>

#include <memory>

namespace fa::test {

inline QString facecapPath()
{
    return QStringLiteral(FA_TEST_DATA_DIR "/avatars/facecap/facecap_decoded.glb");
}

inline QString rocketboxPath()
{
    return QStringLiteral(FA_TEST_DATA_DIR "/avatars/rocketbox/Male_Adult_03_facial.fbx");
}

/// The avatar in `path` (nullptr when it does not load; *error says why).
inline std::shared_ptr<const Avatar> loadAvatar(const QString &path, QString *error)
{
    AvatarLoader loader;
    std::shared_ptr<const Avatar> avatar = loader.load(path);
    if (!avatar && error)
        *error = loader.errorString();
    return avatar;
}

/// Index of the morph target `name` in `mesh`, or -1.
inline int targetIndex(const AvatarMesh &mesh, const QString &name)
{
    for (size_t t = 0; t < mesh.morphTargets.size(); ++t)
        if (mesh.morphTargets[t].name == name)
            return int(t);
    return -1;
}

/// The first mesh that has a morph target `name`, or -1.
inline int meshWithTarget(const Avatar &avatar, const QString &name)
{
    for (size_t m = 0; m < avatar.meshes.size(); ++m)
        if (targetIndex(avatar.meshes[m], name) >= 0)
            return int(m);
    return -1;
}

} // namespace fa::test
