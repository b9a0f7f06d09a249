#include "fbx/fbx_scene_builder.h"

#include "animation/animation_clip.h"
#include "avatar/avatar.h"
#include "fbx/fbx_binary_writer.h"
#include "fbx/fbx_transform.h"

#include <QDateTime>

#include <algorithm>
#include <cmath>

namespace fa {

namespace {

// Version numbers of the records, as the FBX SDK 2014+ and Blender's exporter write them.
constexpr int kHeaderVersion = 1003;
constexpr int kModelVersion = 232;
constexpr int kGeometryVersion = 124;
constexpr int kLayerElementVersion = 101;
constexpr int kLayerVersion = 100;
constexpr int kShapeVersion = 100;
constexpr int kBlendShapeVersion = 100;
constexpr int kChannelVersion = 100;
constexpr int kAnimKeyVersion = 4009;
// KeyAttrFlags: linear interpolation (0x4) with generic clamp-progressive auto tangents
// (0x100 | 0x2000 | 0x4000), the combination Blender writes; tangents do not matter for linear keys.
constexpr qint32 kKeyFlags = 0x4 | 0x100 | 0x2000 | 0x4000;

QByteArray nameClass(const QString &name, const char *cls)
{
    return name.toUtf8() + QByteArray("\x00\x01", 2) + QByteArray(cls);
}

FbxNode &prop(FbxNode &props, const char *name, const char *type, const char *label,
              const char *flags)
{
    return props.addChild("P").addString(QByteArray(name)).addString(QByteArray(type))
        .addString(QByteArray(label)).addString(QByteArray(flags));
}

void propInt(FbxNode &props, const char *name, int value)
{
    prop(props, name, "int", "Integer", "").addInt32(value);
}

void propEnum(FbxNode &props, const char *name, int value)
{
    prop(props, name, "enum", "", "").addInt32(value);
}

void propBool(FbxNode &props, const char *name, bool value)
{
    prop(props, name, "bool", "", "").addInt32(value ? 1 : 0);
}

void propDouble(FbxNode &props, const char *name, double value)
{
    prop(props, name, "double", "Number", "").addDouble(value);
}

void propNumber(FbxNode &props, const char *name, double value)
{
    prop(props, name, "Number", "", "A").addDouble(value);
}

void propVector(FbxNode &props, const char *name, const QVector3D &v, const char *type = "Vector3D",
                const char *label = "Vector", const char *flags = "")
{
    prop(props, name, type, label, flags).addDouble(v.x()).addDouble(v.y()).addDouble(v.z());
}

void propString(FbxNode &props, const char *name, const QString &value, const char *label = "")
{
    prop(props, name, "KString", label, "").addString(value);
}

void propTime(FbxNode &props, const char *name, qint64 ticks)
{
    prop(props, name, "KTime", "Time", "").addInt64(ticks);
}

// FBX TimeMode enumeration (FbxTime::EMode) for the rates both Blender and Assimp map;
// anything else is eCustom (14) with CustomFrameRate.
int timeMode(double fps)
{
    static const struct { double fps; int mode; } modes[] = {
        {120.0, 1}, {100.0, 2}, {60.0, 3}, {50.0, 4}, {48.0, 5}, {30.0, 6},
        {30.0 / 1.001, 9}, {25.0, 10}, {24.0, 11}, {24.0 / 1.001, 13},
    };
    for (const auto &m : modes)
        if (std::abs(fps - m.fps) < 1e-4)
            return m.mode;
    return 14;
}

// Mesh data in the frame the Model's Lcl transform expects: either the avatar mesh unchanged
// (transform decomposed) or baked into avatar space (transform with shear).
struct MeshFrame
{
    FbxTransform transform;
    bool baked = false;
    QMatrix4x4 matrix;
    QMatrix3x3 normalMatrix;

    QVector3D point(const QVector3D &p) const { return baked ? matrix.map(p) : p; }
    QVector3D vector(const QVector3D &v) const { return baked ? matrix.mapVector(v) : v; }
    QVector3D normal(const QVector3D &n) const
    {
        if (!baked)
            return n;
        const float *a = normalMatrix.constData(); // column-major
        return QVector3D(a[0] * n.x() + a[3] * n.y() + a[6] * n.z(),
                         a[1] * n.x() + a[4] * n.y() + a[7] * n.z(),
                         a[2] * n.x() + a[5] * n.y() + a[8] * n.z()).normalized();
    }
};

MeshFrame meshFrame(const AvatarMesh &mesh)
{
    MeshFrame frame;
    if (const auto t = FbxTransform::fromMatrix(mesh.transform)) {
        frame.transform = *t;
    } else {
        frame.baked = true;
        frame.matrix = mesh.transform;
        frame.normalMatrix = mesh.transform.normalMatrix();
    }
    return frame;
}

void appendVector(std::vector<double> &out, const QVector3D &v)
{
    out.push_back(v.x());
    out.push_back(v.y());
    out.push_back(v.z());
}

} // namespace

FbxSceneBuilder::FbxSceneBuilder(const Avatar &avatar, const AnimationClip &clip,
                                 const FbxWriterOptions &options)
    : m_avatar(avatar)
    , m_clip(clip)
    , m_options(options)
{
    m_animated = clip.frameCount() > 0;
    if (m_animated) {
        m_stopTicks = toTicks(clip.frameTime(clip.frameCount() - 1) - clip.frameTime(0));
        // Assimp treats LocalStart = LocalStop = 0 as "no range" and then offsets morph keys by an
        // uninitialised minimum; a one-frame clip therefore spans one frame period.
        if (m_stopTicks <= 0)
            m_stopTicks = toTicks(1.0 / clip.fps());
    }
}

qint64 FbxSceneBuilder::toTicks(double seconds)
{
    return qint64(std::llround(seconds * double(kTicksPerSecond)));
}

void FbxSceneBuilder::connect(const char *type, qint64 source, qint64 destination,
                              const QByteArray &property)
{
    FbxNode &c = m_connections.addChild("C");
    c.addString(QByteArray(type)).addInt64(source).addInt64(destination);
    if (!property.isEmpty())
        c.addString(property);
}

std::vector<FbxNode> FbxSceneBuilder::build()
{
    FbxNode objects("Objects");
    qint64 layerId = 0;
    if (m_animated) {
        const qint64 stackId = newId();
        layerId = newId();
        FbxNode &stack = objects.addChild("AnimationStack");
        stack.addInt64(stackId).addString(nameClass(QString::fromLatin1(animationName()), "AnimStack"))
            .addString(QByteArray());
        FbxNode &props = stack.addChild("Properties70");
        propTime(props, "LocalStart", 0);
        propTime(props, "LocalStop", m_stopTicks);
        propTime(props, "ReferenceStart", 0);
        propTime(props, "ReferenceStop", m_stopTicks);
        objects.addChild("AnimationLayer").addInt64(layerId)
            .addString(nameClass(QString::fromLatin1(animationName()), "AnimLayer")).addString(QByteArray());
        connect("OO", layerId, stackId);
    }
    for (const AvatarMesh &mesh : m_avatar.meshes)
        addMesh(objects, mesh, layerId);

    std::vector<FbxNode> top;
    top.push_back(headerExtension());
    top.emplace_back("FileId").addRaw(FbxBinaryWriter::fileId());
    top.emplace_back("CreationTime").addString(FbxBinaryWriter::creationTime());
    top.emplace_back("Creator").addString(QByteArrayLiteral("FreeAvatar Studio FBX writer"));
    top.push_back(globalSettings());
    top.push_back(documents());
    top.emplace_back("References");
    top.push_back(definitions());
    top.push_back(std::move(objects));
    top.push_back(std::move(m_connections));
    top.push_back(takes());
    return top;
}

void FbxSceneBuilder::addMesh(FbxNode &objects, const AvatarMesh &mesh, qint64 layerId)
{
    // Model names are made unique: Assimp keys morph animation channels by model name
    // ("<name>*<geometry index>"), so two models of one name would share one channel.
    const QString base = mesh.name.isEmpty() ? QStringLiteral("Mesh") : mesh.name;
    QString name = base;
    for (int suffix = 2; m_modelNames.contains(name); ++suffix)
        name = QStringLiteral("%1_%2").arg(base).arg(suffix);
    m_modelNames.insert(name);
    const MeshFrame frame = meshFrame(mesh);
    const qint64 modelId = newId();

    FbxNode &model = objects.addChild("Model");
    model.addInt64(modelId).addString(nameClass(name, "Model")).addString(QByteArrayLiteral("Mesh"));
    model.addChildInt32("Version", kModelVersion);
    FbxNode &props = model.addChild("Properties70");
    propVector(props, "Lcl Translation", frame.transform.translation, "Lcl Translation", "", "A");
    propVector(props, "Lcl Rotation", frame.transform.rotationDegrees, "Lcl Rotation", "", "A");
    propVector(props, "Lcl Scaling", frame.transform.scaling, "Lcl Scaling", "", "A");
    propInt(props, "DefaultAttributeIndex", 0);
    propEnum(props, "InheritType", 1);
    model.addChildInt32("MultiLayer", 0);
    model.addChildInt32("MultiTake", 0);
    model.addChild("Shading").addBool(true);
    model.addChildString("Culling", QByteArrayLiteral("CullingOff"));
    ++m_counts.models;
    connect("OO", modelId, 0);

    std::vector<std::pair<qint64, QString>> channels;
    const qint64 geometryId = addGeometry(objects, mesh, name, &channels);
    connect("OO", geometryId, modelId);
    if (!m_animated)
        return;
    for (const auto &[channelId, targetName] : channels) {
        const int control = m_clip.controlIndex(targetName);
        if (control >= 0)
            addCurve(objects, channelId, control, layerId);
    }
}

qint64 FbxSceneBuilder::addGeometry(FbxNode &objects, const AvatarMesh &mesh, const QString &name,
                                    std::vector<std::pair<qint64, QString>> *channels)
{
    const MeshFrame frame = meshFrame(mesh);
    const qint64 geometryId = newId();
    FbxNode &geometry = objects.addChild("Geometry");
    geometry.addInt64(geometryId).addString(nameClass(name, "Geometry")).addString(QByteArrayLiteral("Mesh"));
    geometry.addChild("Properties70");
    geometry.addChildInt32("GeometryVersion", kGeometryVersion);
    ++m_counts.meshGeometries;

    std::vector<double> vertices;
    vertices.reserve(mesh.positions.size() * 3);
    QVector3D lo(1e30f, 1e30f, 1e30f), hi(-1e30f, -1e30f, -1e30f);
    for (const QVector3D &p : mesh.positions) {
        const QVector3D q = frame.point(p);
        appendVector(vertices, q);
        for (int k = 0; k < 3; ++k) {
            lo[k] = std::min(lo[k], q[k]);
            hi[k] = std::max(hi[k], q[k]);
        }
    }
    geometry.addChild("Vertices").addDoubleArray(vertices);

    std::vector<qint32> polygonVertices(mesh.indices.begin(), mesh.indices.end());
    for (size_t i = 2; i < polygonVertices.size(); i += 3)
        polygonVertices[i] = ~polygonVertices[i]; // last corner of each triangle: -(index + 1)
    geometry.addChild("PolygonVertexIndex").addInt32Array(polygonVertices);

    const bool writeNormals = m_options.writeNormals && !mesh.normals.empty();
    if (writeNormals) {
        std::vector<double> normals;
        normals.reserve(mesh.indices.size() * 3);
        for (quint32 index : mesh.indices)
            appendVector(normals, frame.normal(mesh.normals[index]));
        FbxNode &layer = geometry.addChild("LayerElementNormal").addInt32(0);
        layer.addChildInt32("Version", kLayerElementVersion);
        layer.addChildString("Name", QByteArray());
        layer.addChildString("MappingInformationType", QByteArrayLiteral("ByPolygonVertex"));
        layer.addChildString("ReferenceInformationType", QByteArrayLiteral("Direct"));
        layer.addChild("Normals").addDoubleArray(normals);
    }
    const bool writeUvs = !mesh.uvs.empty();
    if (writeUvs) {
        std::vector<double> uvs;
        uvs.reserve(mesh.uvs.size() * 2);
        for (const QVector2D &uv : mesh.uvs) {
            uvs.push_back(uv.x());
            uvs.push_back(uv.y());
        }
        FbxNode &layer = geometry.addChild("LayerElementUV").addInt32(0);
        layer.addChildInt32("Version", kLayerElementVersion);
        layer.addChildString("Name", QByteArrayLiteral("UVMap"));
        layer.addChildString("MappingInformationType", QByteArrayLiteral("ByPolygonVertex"));
        layer.addChildString("ReferenceInformationType", QByteArrayLiteral("IndexToDirect"));
        layer.addChild("UV").addDoubleArray(uvs);
        layer.addChild("UVIndex").addInt32Array(
            std::vector<qint32>(mesh.indices.begin(), mesh.indices.end()));
    }
    FbxNode &layer = geometry.addChild("Layer").addInt32(0);
    layer.addChildInt32("Version", kLayerVersion);
    if (writeNormals) {
        FbxNode &element = layer.addChild("LayerElement");
        element.addChildString("Type", QByteArrayLiteral("LayerElementNormal"));
        element.addChildInt32("TypedIndex", 0);
    }
    if (writeUvs) {
        FbxNode &element = layer.addChild("LayerElement");
        element.addChildString("Type", QByteArrayLiteral("LayerElementUV"));
        element.addChildInt32("TypedIndex", 0);
    }

    if (mesh.morphTargets.empty())
        return geometryId;

    const qint64 blendShapeId = newId();
    FbxNode &blendShape = objects.addChild("Deformer");
    blendShape.addInt64(blendShapeId).addString(nameClass(name, "Deformer"))
        .addString(QByteArrayLiteral("BlendShape"));
    blendShape.addChildInt32("Version", kBlendShapeVersion);
    ++m_counts.blendShapes;
    connect("OO", blendShapeId, geometryId);

    // A vertex belongs to a shape when its offset is above float noise for the mesh's size.
    const double diagonal = mesh.positions.empty() ? 0.0 : double((hi - lo).length());
    const double positionEpsilon = std::max(1e-6 * diagonal, 1e-12);
    const double normalEpsilon = 1e-5;
    for (const MorphTarget &target : mesh.morphTargets) {
        std::vector<qint32> indexes;
        std::vector<double> deltas;
        std::vector<double> normalDeltas;
        for (size_t v = 0; v < target.positionDeltas.size(); ++v) {
            const QVector3D d = frame.vector(target.positionDeltas[v]);
            QVector3D dn;
            if (!target.normalDeltas.empty()) {
                dn = target.normalDeltas[v];
                if (frame.baked && !mesh.normals.empty())
                    dn = frame.normal(mesh.normals[v] + dn) - frame.normal(mesh.normals[v]);
                else
                    dn = frame.vector(dn);
            }
            const double moved = std::max({std::abs(d.x()), std::abs(d.y()), std::abs(d.z())});
            const double turned = std::max({std::abs(dn.x()), std::abs(dn.y()), std::abs(dn.z())});
            if (moved <= positionEpsilon && turned <= normalEpsilon)
                continue;
            indexes.push_back(qint32(v));
            appendVector(deltas, d);
            appendVector(normalDeltas, dn);
        }
        if (indexes.empty()) {
            // Keeps the shape (and its name) in every reader: Blender asserts one FullWeights
            // value per index, and the FBX SDK (Unity) rejects shapes without vertices.
            indexes.push_back(0);
            deltas.assign(3, 0.0);
            normalDeltas.assign(3, 0.0);
        }

        const qint64 shapeId = newId();
        FbxNode &shape = objects.addChild("Geometry");
        shape.addInt64(shapeId).addString(nameClass(target.name, "Geometry"))
            .addString(QByteArrayLiteral("Shape"));
        shape.addChildInt32("Version", kShapeVersion);
        shape.addChild("Indexes").addInt32Array(indexes);
        shape.addChild("Vertices").addDoubleArray(deltas);
        shape.addChild("Normals").addDoubleArray(normalDeltas);
        ++m_counts.shapeGeometries;

        const qint64 channelId = newId();
        FbxNode &channel = objects.addChild("Deformer");
        channel.addInt64(channelId).addString(nameClass(target.name, "SubDeformer"))
            .addString(QByteArrayLiteral("BlendShapeChannel"));
        channel.addChildInt32("Version", kChannelVersion);
        channel.addChildDouble("DeformPercent", 0.0);
        channel.addChild("FullWeights").addDoubleArray(std::vector<double>(indexes.size(), 100.0));
        propNumber(channel.addChild("Properties70"), "DeformPercent", 0.0);
        ++m_counts.channels;

        connect("OO", channelId, blendShapeId);
        connect("OO", shapeId, channelId);
        channels->emplace_back(channelId, target.name);
    }
    return geometryId;
}

void FbxSceneBuilder::addCurve(FbxNode &objects, qint64 channelId, int control, qint64 layerId)
{
    const int frames = m_clip.frameCount();
    std::vector<qint64> times(static_cast<size_t>(frames));
    std::vector<float> values(static_cast<size_t>(frames));
    const double t0 = m_clip.frameTime(0);
    for (int f = 0; f < frames; ++f) {
        times[size_t(f)] = toTicks(m_clip.frameTime(f) - t0);
        values[size_t(f)] = m_clip.value(f, control) * 100.0f;
    }

    const qint64 nodeId = newId();
    FbxNode &node = objects.addChild("AnimationCurveNode");
    node.addInt64(nodeId).addString(nameClass(QStringLiteral("DeformPercent"), "AnimCurveNode"))
        .addString(QByteArray());
    propNumber(node.addChild("Properties70"), "d|DeformPercent", double(values.front()));

    const qint64 curveId = newId();
    FbxNode &curve = objects.addChild("AnimationCurve");
    curve.addInt64(curveId).addString(nameClass(QString(), "AnimCurve")).addString(QByteArray());
    curve.addChildDouble("Default", double(values.front()));
    curve.addChildInt32("KeyVer", kAnimKeyVersion);
    curve.addChild("KeyTime").addInt64Array(times);
    curve.addChild("KeyValueFloat").addFloatArray(values);
    curve.addChild("KeyAttrFlags").addInt32Array({kKeyFlags});
    // Slopes and weights of the key attribute; unused by linear keys (values as Blender writes).
    curve.addChild("KeyAttrDataFloat").addFloatArray({0.0f, 0.0f, 9.419963346924634e-30f, 0.0f});
    curve.addChild("KeyAttrRefCount").addInt32Array({qint32(frames)});
    ++m_counts.curveNodes;

    connect("OO", nodeId, layerId);
    connect("OP", nodeId, channelId, QByteArrayLiteral("DeformPercent"));
    connect("OP", curveId, nodeId, QByteArrayLiteral("d|DeformPercent"));
}

FbxNode FbxSceneBuilder::headerExtension() const
{
    FbxNode header("FBXHeaderExtension");
    header.addChildInt32("FBXHeaderVersion", kHeaderVersion);
    header.addChildInt32("FBXVersion", m_options.version);
    header.addChildInt32("EncryptionType", 0);
    const QDateTime now = QDateTime::currentDateTime();
    FbxNode &stamp = header.addChild("CreationTimeStamp");
    stamp.addChildInt32("Version", 1000);
    stamp.addChildInt32("Year", now.date().year());
    stamp.addChildInt32("Month", now.date().month());
    stamp.addChildInt32("Day", now.date().day());
    stamp.addChildInt32("Hour", now.time().hour());
    stamp.addChildInt32("Minute", now.time().minute());
    stamp.addChildInt32("Second", now.time().second());
    stamp.addChildInt32("Millisecond", now.time().msec());
    header.addChildString("Creator", QByteArrayLiteral("FreeAvatar Studio FBX writer"));

    FbxNode &info = header.addChild("SceneInfo");
    info.addString(nameClass(QStringLiteral("GlobalInfo"), "SceneInfo")).addString(QByteArrayLiteral("UserData"));
    info.addChildString("Type", QByteArrayLiteral("UserData"));
    info.addChildInt32("Version", 100);
    FbxNode &meta = info.addChild("MetaData");
    meta.addChildInt32("Version", 100);
    for (const char *key : {"Title", "Subject", "Author", "Keywords", "Revision", "Comment"})
        meta.addChildString(QByteArray(key), QByteArray());
    FbxNode &props = info.addChild("Properties70");
    prop(props, "Original", "Compound", "", "");
    propString(props, "Original|ApplicationVendor", QStringLiteral("FreeAvatar"));
    propString(props, "Original|ApplicationName", QStringLiteral("FreeAvatar Studio"));
    propString(props, "Original|ApplicationVersion", QStringLiteral("0.1"));
    prop(props, "LastSaved", "Compound", "", "");
    propString(props, "LastSaved|ApplicationVendor", QStringLiteral("FreeAvatar"));
    propString(props, "LastSaved|ApplicationName", QStringLiteral("FreeAvatar Studio"));
    propString(props, "LastSaved|ApplicationVersion", QStringLiteral("0.1"));
    return header;
}

FbxNode FbxSceneBuilder::globalSettings() const
{
    FbxNode settings("GlobalSettings");
    settings.addChildInt32("Version", 1000);
    FbxNode &props = settings.addChild("Properties70");
    // Y up, front axis +Z (parity odd), X coord axis, right-handed: FBX's default system, which
    // is also glTF's; Blender maps it to (up Y, forward -Z).
    propInt(props, "UpAxis", 1);
    propInt(props, "UpAxisSign", 1);
    propInt(props, "FrontAxis", 2);
    propInt(props, "FrontAxisSign", 1);
    propInt(props, "CoordAxis", 0);
    propInt(props, "CoordAxisSign", 1);
    propInt(props, "OriginalUpAxis", 1);
    propInt(props, "OriginalUpAxisSign", 1);
    // Centimetres per file unit (the avatar's units: 100 for metres).
    const double unitScale = m_avatar.unitScaleToMeters > 0 ? m_avatar.unitScaleToMeters * 100.0 : 100.0;
    propDouble(props, "UnitScaleFactor", unitScale);
    propDouble(props, "OriginalUnitScaleFactor", unitScale);
    propVector(props, "AmbientColor", QVector3D(0, 0, 0), "ColorRGB", "Color");
    propString(props, "DefaultCamera", QStringLiteral("Producer Perspective"));
    const double fps = m_clip.fps() > 0 ? m_clip.fps() : 30.0;
    propEnum(props, "TimeMode", timeMode(fps));
    propTime(props, "TimeSpanStart", 0);
    propTime(props, "TimeSpanStop", m_animated ? m_stopTicks : kTicksPerSecond);
    propDouble(props, "CustomFrameRate", fps);
    return settings;
}

FbxNode FbxSceneBuilder::documents() const
{
    FbxNode docs("Documents");
    docs.addChildInt32("Count", 1);
    FbxNode &doc = docs.addChild("Document");
    doc.addInt64(999999).addString(QByteArrayLiteral("Scene")).addString(QByteArrayLiteral("Scene"));
    FbxNode &props = doc.addChild("Properties70");
    prop(props, "SourceObject", "object", "", "");
    propString(props, "ActiveAnimStackName",
               m_animated ? QString::fromLatin1(animationName()) : QString());
    doc.addChildInt64("RootNode", 0);
    return docs;
}

FbxNode FbxSceneBuilder::definitions() const
{
    FbxNode defs("Definitions");
    const int geometries = m_counts.meshGeometries + m_counts.shapeGeometries;
    const int deformers = m_counts.blendShapes + m_counts.channels;
    const int stacks = m_animated ? 1 : 0;
    defs.addChildInt32("Version", 100);
    defs.addChildInt32("Count", 1 + m_counts.models + geometries + deformers + 2 * stacks
                                    + 2 * m_counts.curveNodes);

    auto objectType = [&defs](const char *type, int count) -> FbxNode & {
        FbxNode &t = defs.addChild("ObjectType").addString(QByteArray(type));
        t.addChildInt32("Count", count);
        return t;
    };
    objectType("GlobalSettings", 1);

    FbxNode &model = objectType("Model", m_counts.models).addChild("PropertyTemplate");
    model.addString(QByteArrayLiteral("FbxNode"));
    FbxNode &mp = model.addChild("Properties70");
    propEnum(mp, "QuaternionInterpolate", 0);
    propVector(mp, "RotationOffset", QVector3D());
    propVector(mp, "RotationPivot", QVector3D());
    propVector(mp, "ScalingOffset", QVector3D());
    propVector(mp, "ScalingPivot", QVector3D());
    propEnum(mp, "RotationOrder", 0);
    propVector(mp, "PreRotation", QVector3D());
    propVector(mp, "PostRotation", QVector3D());
    propBool(mp, "RotationActive", false);
    propEnum(mp, "InheritType", 0);
    propVector(mp, "GeometricTranslation", QVector3D());
    propVector(mp, "GeometricRotation", QVector3D());
    propVector(mp, "GeometricScaling", QVector3D(1, 1, 1));
    propVector(mp, "Lcl Translation", QVector3D(), "Lcl Translation", "", "A");
    propVector(mp, "Lcl Rotation", QVector3D(), "Lcl Rotation", "", "A");
    propVector(mp, "Lcl Scaling", QVector3D(1, 1, 1), "Lcl Scaling", "", "A");
    prop(mp, "Visibility", "Visibility", "", "A").addDouble(1.0);
    prop(mp, "Visibility Inheritance", "Visibility Inheritance", "", "").addInt32(1);
    propInt(mp, "DefaultAttributeIndex", -1);
    propBool(mp, "Show", true);

    FbxNode &geometry = objectType("Geometry", geometries).addChild("PropertyTemplate");
    geometry.addString(QByteArrayLiteral("FbxMesh"));
    FbxNode &gp = geometry.addChild("Properties70");
    propVector(gp, "Color", QVector3D(0.8f, 0.8f, 0.8f), "ColorRGB", "Color");
    propVector(gp, "BBoxMin", QVector3D());
    propVector(gp, "BBoxMax", QVector3D());
    propBool(gp, "Primary Visibility", true);
    propBool(gp, "Casts Shadows", true);
    propBool(gp, "Receive Shadows", true);

    if (deformers > 0)
        objectType("Deformer", deformers);
    if (stacks > 0) {
        FbxNode &stack = objectType("AnimationStack", 1).addChild("PropertyTemplate");
        stack.addString(QByteArrayLiteral("FbxAnimStack"));
        FbxNode &sp = stack.addChild("Properties70");
        propString(sp, "Description", QString());
        propTime(sp, "LocalStart", 0);
        propTime(sp, "LocalStop", 0);
        propTime(sp, "ReferenceStart", 0);
        propTime(sp, "ReferenceStop", 0);

        FbxNode &layer = objectType("AnimationLayer", 1).addChild("PropertyTemplate");
        layer.addString(QByteArrayLiteral("FbxAnimLayer"));
        FbxNode &lp = layer.addChild("Properties70");
        propNumber(lp, "Weight", 100.0);
        propBool(lp, "Mute", false);
        propBool(lp, "Solo", false);
        propBool(lp, "Lock", false);
        propVector(lp, "Color", QVector3D(0.8f, 0.8f, 0.8f), "ColorRGB", "Color");
        propEnum(lp, "BlendMode", 0);
        propEnum(lp, "RotationAccumulationMode", 0);
        propEnum(lp, "ScaleAccumulationMode", 0);
        prop(lp, "BlendModeBypass", "ULongLong", "", "").addInt64(0);
    }
    if (m_counts.curveNodes > 0) {
        FbxNode &node = objectType("AnimationCurveNode", m_counts.curveNodes).addChild("PropertyTemplate");
        node.addString(QByteArrayLiteral("FbxAnimCurveNode"));
        prop(node.addChild("Properties70"), "d", "Compound", "", "");
        objectType("AnimationCurve", m_counts.curveNodes);
    }
    return defs;
}

FbxNode FbxSceneBuilder::takes() const
{
    FbxNode takes("Takes");
    takes.addChildString("Current", m_animated ? QByteArray(animationName()) : QByteArray());
    if (m_animated) {
        FbxNode &take = takes.addChild("Take").addString(QByteArray(animationName()));
        take.addChildString("FileName", QByteArray(animationName()) + ".tak");
        take.addChild("LocalTime").addInt64(0).addInt64(m_stopTicks);
        take.addChild("ReferenceTime").addInt64(0).addInt64(m_stopTicks);
    }
    return takes;
}

} // namespace fa
