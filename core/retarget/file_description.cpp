#include "retarget/file_description.h"

#include "avatar/avatar_loader.h"
#include "avatar/rig_mapping.h"
#include "media/video_reader.h"

#include <QFileInfo>
#include <QStringList>

namespace fa {
namespace {

QString listSome(const QStringList &names, int most = 12)
{
    if (names.size() <= most)
        return names.join(QStringLiteral(", "));
    return names.mid(0, most).join(QStringLiteral(", "))
        + QStringLiteral(", ... (%1 more)").arg(names.size() - most);
}

std::optional<QString> describeVideo(const QString &path, QString *error)
{
    VideoReader reader;
    if (!reader.open(path)) {
        *error = reader.errorString();
        return std::nullopt;
    }
    const VideoInfo &v = reader.info();
    QString text;
    text += QStringLiteral("Video:     %1\n").arg(path);
    text += QStringLiteral("Container: %1\n").arg(v.container);
    text += QStringLiteral("Codec:     %1\n").arg(v.codec);
    text += QStringLiteral("Size:      %1x%2 (as displayed)\n").arg(v.width).arg(v.height);
    text += QStringLiteral("Rate:      %1 fps\n").arg(v.fps, 0, 'f', 3);
    text += QStringLiteral("Frames:    %1\n").arg(v.frameCount);
    text += QStringLiteral("Duration:  %1 s\n").arg(v.durationSeconds, 0, 'f', 3);
    text += QStringLiteral("Rotation:  %1 degrees\n").arg(v.rotationDegrees);
    text += QStringLiteral("Audio:     %1\n").arg(v.hasAudio ? QStringLiteral("yes") : QStringLiteral("no"));
    return text;
}

std::optional<QString> describeAvatar(const QString &path, QString *error)
{
    AvatarLoader loader;
    std::unique_ptr<Avatar> avatar = loader.load(path);
    if (!avatar) {
        *error = loader.errorString();
        return std::nullopt;
    }
    QString text;
    text += QStringLiteral("Avatar:    %1\n").arg(path);
    text += QStringLiteral("Meshes:    %1 (%2 vertices, %3 triangles)\n")
                .arg(avatar->meshes.size()).arg(avatar->vertexCount()).arg(avatar->triangleCount());
    for (const AvatarMesh &mesh : avatar->meshes)
        text += QStringLiteral("  %1: %2 vertices, %3 triangles, %4 morph targets%5\n")
                    .arg(mesh.name).arg(mesh.vertexCount()).arg(mesh.triangleCount())
                    .arg(mesh.morphTargets.size())
                    .arg(mesh.uvs.empty() ? QString() : QStringLiteral(", UVs"));
    text += QStringLiteral("Textures:  %1\n").arg(avatar->textures.size());
    const RigDefinition rig = avatar->rig();
    const RigMapping mapping = RigMapping::fromArkit(rig);
    text += QStringLiteral("Rig:       %1 controls (morph targets)\n").arg(rig.controlCount());
    text += QStringLiteral("ARKit:     %1 of 52 ARKit blendshapes found\n").arg(mapping.mappedShapeCount());
    if (!mapping.missingArkitShapes().isEmpty())
        text += QStringLiteral("Missing:   %1\n").arg(listSome(mapping.missingArkitShapes()));
    if (!mapping.unmappedControls().isEmpty())
        text += QStringLiteral("Unmapped:  %1\n").arg(listSome(mapping.unmappedControls()));
    const std::vector<AnimationClip> clips = loader.loadMorphAnimations(path);
    for (const AnimationClip &clip : clips)
        text += QStringLiteral("Animation: %1 frames, %2 s, %3 controls\n")
                    .arg(clip.frameCount()).arg(clip.duration(), 0, 'f', 2).arg(clip.controlCount());
    for (const QString &warning : loader.warnings())
        text += QStringLiteral("Warning:   %1\n").arg(warning);
    return text;
}

} // namespace

bool looksLikeAvatarFile(const QString &path)
{
    static const QStringList extensions = {
        QStringLiteral("glb"), QStringLiteral("gltf"), QStringLiteral("fbx"), QStringLiteral("obj"),
        QStringLiteral("dae"), QStringLiteral("blend"), QStringLiteral("3ds"), QStringLiteral("ply")};
    return extensions.contains(QFileInfo(path).suffix().toLower());
}

std::optional<QString> describeFile(const QString &path, QString *error)
{
    if (!QFileInfo::exists(path)) {
        *error = QStringLiteral("%1: no such file").arg(path);
        return std::nullopt;
    }
    return looksLikeAvatarFile(path) ? describeAvatar(path, error) : describeVideo(path, error);
}

} // namespace fa
