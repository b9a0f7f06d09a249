#pragma once

#include "animation/animation_clip.h"
#include "avatar/avatar.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace fa {

/// The Assimp 5.2.5 import behind AvatarLoader, run in the calling process. AvatarLoader's
/// documentation describes what load() and loadMorphAnimations() return, their conventions and
/// their errors; this class is that behaviour without the child process.
///
/// Assimp can abort() or crash on a hostile file (an out-of-range skin-cluster index in an FBX
/// trips an ai_assert; a glTF whose JSON nests 200,000 levels deep overflows rapidjson's
/// stack), so only the import program (app/importer, freeavatar-import) and benchmarks use this
/// class; everything else goes through AvatarLoader, which runs that program. Exceptions Assimp
/// throws are caught; crashes are not.
///
/// Before Assimp runs, a glTF file (GLB magic or .gltf name) whose JSON does not parse
/// (GltfFile::jsonError(): malformed, or nested more than 1,024 levels) fails with
/// "FILE: invalid glTF JSON (...)".
///
/// Not thread-safe per instance.
class AssimpAvatarImport
{
public:
    /// As AvatarLoader::load(); warnings() holds this call's warnings only.
    std::unique_ptr<Avatar> load(const QString &path);
    /// As AvatarLoader::loadMorphAnimations(); warnings() holds this call's warnings only.
    std::vector<AnimationClip> loadMorphAnimations(const QString &path);

    QStringList animationNames() const { return m_animationNames; }
    /// "FILE: what is wrong" for the last failed call; empty after success.
    QString errorString() const { return m_error; }
    /// Non-fatal problems of the last call, one line each ("FILE: ...").
    QStringList warnings() const { return m_warnings; }

private:
    void reset();

    QString m_error;
    QStringList m_warnings;
    QStringList m_animationNames;
};

} // namespace fa
