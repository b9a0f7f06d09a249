#include "avatar_argument.h"

#include "avatar/avatar_loader.h"
#include "avatar/mannequin_head.h"

#include <QFileInfo>

namespace fa::cli {

std::unique_ptr<Avatar> loadAvatarArgument(const QString &path, const QString &purpose, QString *error)
{
    // "mannequin" names the built-in head too (as in `train rig-decoder --avatar mannequin:RUN`),
    // unless a file of that name is there.
    if (path.isEmpty() || (path.compare(QLatin1String("mannequin"), Qt::CaseInsensitive) == 0 && !QFileInfo::exists(path)))
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
