#include "avatar/avatar_loader.h"

#include "avatar/avatar_import_process.h"
#include "avatar/avatar_import_reply.h"

namespace fa {

// The import itself (Assimp and everything after it) lives in AssimpAvatarImport and runs in
// the import program; this class only runs that program and checks what comes back.

void AvatarLoader::reset()
{
    m_error.clear();
    m_animationNames.clear();
}

bool AvatarLoader::runImport(bool avatar, const QString &path, AvatarImportReply *reply)
{
    AvatarImportProcess process;
    process.setTimeout(m_importTimeoutMs);
    if (!process.run(avatar ? AvatarImportProcess::Mode::Avatar : AvatarImportProcess::Mode::MorphAnimations, path,
                     reply)) {
        m_error = process.errorString();
        return false;
    }
    m_warnings << reply->warnings;
    if (!reply->error.isEmpty()) {
        m_error = reply->error;
        return false;
    }
    if (avatar && !reply->avatar) {
        m_error = QStringLiteral("%1: the importer's reply is invalid (neither an avatar nor an error)").arg(path);
        return false;
    }
    if (reply->animationNames.size() != qsizetype(reply->clips.size())) {
        m_error = QStringLiteral("%1: the importer's reply is invalid (%2 clips, %3 names)")
                      .arg(path).arg(reply->clips.size()).arg(reply->animationNames.size());
        return false;
    }
    return true;
}

std::unique_ptr<Avatar> AvatarLoader::load(const QString &path)
{
    reset();
    AvatarImportReply reply;
    if (!runImport(true, path, &reply))
        return nullptr;
    return std::move(reply.avatar);
}

std::vector<AnimationClip> AvatarLoader::loadMorphAnimations(const QString &path)
{
    reset();
    AvatarImportReply reply;
    if (!runImport(false, path, &reply))
        return {};
    m_animationNames = reply.animationNames;
    return std::move(reply.clips);
}

} // namespace fa
