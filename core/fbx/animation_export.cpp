#include "fbx/animation_export.h"

#include "animation/animation_clip.h"
#include "avatar/avatar.h"
#include "avatar/rig_mapping.h"
#include "common/error_text.h"
#include "export/generic_csv.h"
#include "export/live_link_csv.h"
#include "fbx/fbx_writer.h"

namespace fa {

namespace {

AnimationClip cut(const AnimationClip &clip, int first, int last)
{
    AnimationClip out(clip.controlNames(), clip.fps());
    for (int f = first; f <= last; ++f)
        out.appendFrame(clip.frameTime(f), clip.frame(f), clip.faceFound(f));
    return out;
}

} // namespace

QString animationExportFilter(AnimationExportFormat format)
{
    switch (format) {
    case AnimationExportFormat::LiveLinkCsv: return QStringLiteral("Live Link Face CSV (*.csv)");
    case AnimationExportFormat::GenericCsv: return QStringLiteral("Generic CSV (*.csv)");
    case AnimationExportFormat::Fbx: return QStringLiteral("Binary FBX (*.fbx)");
    }
    return {};
}

QString animationExportSuffix(AnimationExportFormat format)
{
    return format == AnimationExportFormat::Fbx ? QStringLiteral("fbx") : QStringLiteral("csv");
}

QString animationExportName(AnimationExportFormat format)
{
    switch (format) {
    case AnimationExportFormat::LiveLinkCsv: return QStringLiteral("Live Link Face CSV");
    case AnimationExportFormat::GenericCsv: return QStringLiteral("generic CSV");
    case AnimationExportFormat::Fbx: return QStringLiteral("binary FBX");
    }
    return {};
}

bool exportAnimation(const QString &path, AnimationExportFormat format, const AnimationClip &arkitClip,
                     int firstFrame, int lastFrame, const Avatar *avatar, QString *error)
{
    if (arkitClip.frameCount() == 0)
        return failWith(error, QStringLiteral("%1: nothing to export: the clip has no frames").arg(path));
    if (firstFrame < 0 || lastFrame >= arkitClip.frameCount() || firstFrame > lastFrame)
        return failWith(error, QStringLiteral("%1: frame range %2-%3 is not inside the clip's frames 0-%4")
                                   .arg(path).arg(firstFrame).arg(lastFrame).arg(arkitClip.frameCount() - 1));
    const AnimationClip range = cut(arkitClip, firstFrame, lastFrame);
    if (format == AnimationExportFormat::LiveLinkCsv)
        return LiveLinkCsv::write(path, range, error);
    if (!avatar)
        return failWith(error, QStringLiteral("%1: the %2 export needs an avatar: open one first")
                                   .arg(path, animationExportName(format)));
    const RigMapping mapping = RigMapping::fromArkit(avatar->rig());
    if (mapping.mappedCount() == 0)
        return failWith(error, QStringLiteral("%1: none of the avatar's %2 controls is an ARKit blendshape")
                                   .arg(path).arg(avatar->rig().controlCount()));
    const AnimationClip avatarClip = mapping.apply(range);
    if (format == AnimationExportFormat::GenericCsv)
        return GenericCsv::write(path, avatarClip, error);
    FbxWriter writer;
    if (!writer.write(path, *avatar, avatarClip))
        return failWith(error, writer.errorString());
    return true;
}

} // namespace fa
