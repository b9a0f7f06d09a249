#include "avatar_argument.h"

#include "avatar/avatar_loader.h"
#include "avatar/mannequin_head.h"

namespace fa::cli {

std::unique_ptr<Avatar> loadAvatarArgument(const QString &path, const QString &purpose, QString *error)
{
    if (path.isEmpty())
        return createMannequinHead();
    AvatarLoader loader;
    std::unique_ptr<Avatar> avatar = loader.load(path);
    if (!avatar) {
        *error = loader.errorString();
        return nullptr;
    }
    if (avatar->rig().controlCount() == 0) {
        *error = QStringLiteral("%1: the avatar has no morph targets (blendshapes) to %2").arg(path, purpose);
        return nullptr;
    }
    return avatar;
}

} // namespace fa::cli
