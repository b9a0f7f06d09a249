#include "fbx/fbx_writer.h"

#include "animation/animation_clip.h"
#include "avatar/avatar.h"
#include "common/atomic_file.h"
#include "fbx/fbx_binary_writer.h"
#include "fbx/fbx_scene_builder.h"

#include <cmath>
#include <limits>

namespace fa {

namespace {

bool finite(const QVector3D &v)
{
    return std::isfinite(v.x()) && std::isfinite(v.y()) && std::isfinite(v.z());
}

// Empty when the mesh can be written, else what is wrong with it.
QString checkMesh(const AvatarMesh &mesh, int meshIndex)
{
    const QString label = QStringLiteral("mesh %1 ('%2')").arg(meshIndex).arg(mesh.name);
    const size_t n = mesh.positions.size();
    if (n == 0 || mesh.indices.empty())
        return label + QStringLiteral(" has no vertices or no triangles");
    if (n > size_t(std::numeric_limits<qint32>::max()))
        return label + QStringLiteral(" has too many vertices for FBX");
    if (mesh.indices.size() % 3 != 0)
        return label + QStringLiteral(" has %1 indices, not a multiple of 3").arg(mesh.indices.size());
    for (quint32 index : mesh.indices)
        if (index >= n)
            return label + QStringLiteral(" has index %1 out of range (%2 vertices)").arg(index).arg(n);
    if (!mesh.normals.empty() && mesh.normals.size() != n)
        return label + QStringLiteral(" has %1 normals for %2 vertices").arg(mesh.normals.size()).arg(n);
    if (!mesh.uvs.empty() && mesh.uvs.size() != n)
        return label + QStringLiteral(" has %1 UVs for %2 vertices").arg(mesh.uvs.size()).arg(n);
    for (const QVector3D &p : mesh.positions)
        if (!finite(p))
            return label + QStringLiteral(" has a non-finite vertex position");
    for (const MorphTarget &target : mesh.morphTargets) {
        const QString what = label + QStringLiteral(" morph target '%1'").arg(target.name);
        if (target.name.isEmpty())
            return label + QStringLiteral(" has a morph target without a name");
        if (target.positionDeltas.size() != n)
            return what + QStringLiteral(" has %1 position deltas for %2 vertices")
                              .arg(target.positionDeltas.size()).arg(n);
        if (!target.normalDeltas.empty() && target.normalDeltas.size() != n)
            return what + QStringLiteral(" has %1 normal deltas for %2 vertices")
                              .arg(target.normalDeltas.size()).arg(n);
        for (const QVector3D &d : target.positionDeltas)
            if (!finite(d))
                return what + QStringLiteral(" has a non-finite delta");
    }
    return QString();
}

QString checkClip(const AnimationClip &clip)
{
    if (clip.frameCount() == 0)
        return QString();
    if (!(clip.fps() > 0.0) || !std::isfinite(clip.fps()))
        return QStringLiteral("the clip's frame rate %1 is not positive").arg(clip.fps());
    for (int f = 0; f < clip.frameCount(); ++f) {
        if (!std::isfinite(clip.frameTime(f)))
            return QStringLiteral("frame %1 has a non-finite time").arg(f);
        if (f > 0 && FbxSceneBuilder::toTicks(clip.frameTime(f) - clip.frameTime(0))
                          <= FbxSceneBuilder::toTicks(clip.frameTime(f - 1) - clip.frameTime(0)))
            return QStringLiteral("frame times do not increase at frame %1 (%2 s after %3 s)")
                .arg(f).arg(clip.frameTime(f)).arg(clip.frameTime(f - 1));
        for (int c = 0; c < clip.controlCount(); ++c)
            if (!std::isfinite(clip.value(f, c)))
                return QStringLiteral("control '%1' is not finite at frame %2")
                    .arg(clip.controlNames().at(c)).arg(f);
    }
    return QString();
}

} // namespace

bool FbxWriter::write(const QString &path, const Avatar &avatar, const AnimationClip &clip,
                      const Options &options)
{
    m_error.clear();
    auto fail = [&](const QString &what) {
        m_error = QStringLiteral("%1: %2").arg(path, what);
        return false;
    };
    if (options.version != 7400 && options.version != 7500)
        return fail(QStringLiteral("unsupported FBX version %1 (7400 or 7500)").arg(options.version));
    if (avatar.meshes.empty())
        return fail(QStringLiteral("the avatar has no mesh to export"));
    for (int i = 0; i < int(avatar.meshes.size()); ++i) {
        const QString problem = checkMesh(avatar.meshes[size_t(i)], i);
        if (!problem.isEmpty())
            return fail(problem);
    }
    const QString clipProblem = checkClip(clip);
    if (!clipProblem.isEmpty())
        return fail(clipProblem);

    QByteArray bytes;
    try {
        FbxSceneBuilder builder(avatar, clip, options);
        bytes = FbxBinaryWriter(options.version).serialize(builder.build());
    } catch (const std::exception &e) {
        return fail(QStringLiteral("cannot build the FBX scene: %1").arg(QString::fromUtf8(e.what())));
    }
    if (options.version < 7500 && quint64(bytes.size()) > std::numeric_limits<quint32>::max())
        return fail(QStringLiteral("the scene is over 4 GiB; FBX 7400 cannot hold it (use 7500)"));

    QString error;
    if (!writeFileAtomically(path, bytes, &error)) {
        m_error = error;
        return false;
    }
    return true;
}

} // namespace fa
