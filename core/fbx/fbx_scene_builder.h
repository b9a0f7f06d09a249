#pragma once

#include "fbx/fbx_node.h"
#include "fbx/fbx_writer.h"

#include <QByteArray>
#include <QSet>
#include <QString>

#include <vector>

namespace fa {

struct Avatar;
struct AvatarMesh;
class AnimationClip;

/// Builds the top-level records of an FBX scene (FBXHeaderExtension … Takes) for FbxWriter.
/// The inputs must have passed FbxWriter's validation (consistent arrays, increasing frame times,
/// positive fps); see fbx_writer.h for what the scene holds.
class FbxSceneBuilder
{
public:
    /// FBX time unit: ticks per second (FBX SDK's KTime; Blender's FBX_KTIME).
    static constexpr qint64 kTicksPerSecond = 46186158000LL;
    /// Name of the animation stack and layer (Blender names its action "<object>|FaceAnimation").
    static const char *animationName() { return "FaceAnimation"; }

    FbxSceneBuilder(const Avatar &avatar, const AnimationClip &clip, const FbxWriterOptions &options);

    std::vector<FbxNode> build();

    /// Clip frame time → FBX ticks relative to the first frame.
    static qint64 toTicks(double seconds);

private:
    struct Counts
    {
        int models = 0;
        int meshGeometries = 0;
        int shapeGeometries = 0;
        int blendShapes = 0;
        int channels = 0;
        int curveNodes = 0;
    };

    qint64 newId() { return m_nextId++; }
    FbxNode headerExtension() const;
    FbxNode globalSettings() const;
    FbxNode documents() const;
    FbxNode definitions() const;
    FbxNode takes() const;
    void addMesh(FbxNode &objects, const AvatarMesh &mesh, qint64 layerId);
    qint64 addGeometry(FbxNode &objects, const AvatarMesh &mesh, const QString &name,
                       std::vector<std::pair<qint64, QString>> *channels);
    void addCurve(FbxNode &objects, qint64 channelId, int control, qint64 layerId);
    void connect(const char *type, qint64 source, qint64 destination,
                 const QByteArray &property = QByteArray());

    const Avatar &m_avatar;
    const AnimationClip &m_clip;
    FbxWriterOptions m_options;
    bool m_animated = false;
    qint64 m_stopTicks = 0;
    qint64 m_nextId = 1000000;
    Counts m_counts;
    QSet<QString> m_modelNames;
    FbxNode m_connections{QByteArrayLiteral("Connections")};
};

} // namespace fa
