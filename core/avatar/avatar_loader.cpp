#include "avatar/avatar_loader.h"

#include "avatar/gltf_file.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>

#include <assimp/Importer.hpp>
#include <assimp/config.h>
#include <assimp/postprocess.h>
#include <assimp/scene.h>

#include <algorithm>
#include <cmath>
#include <exception>

namespace fa {
namespace {

QString toQString(const aiString &s)
{
    return QString::fromUtf8(s.C_Str(), int(s.length));
}

QMatrix4x4 toQMatrix(const aiMatrix4x4 &m)
{
    // Both aiMatrix4x4 (a1..d4) and this QMatrix4x4 constructor are row-major.
    return QMatrix4x4(float(m.a1), float(m.a2), float(m.a3), float(m.a4),
                      float(m.b1), float(m.b2), float(m.b3), float(m.b4),
                      float(m.c1), float(m.c2), float(m.c3), float(m.c4),
                      float(m.d1), float(m.d2), float(m.d3), float(m.d4));
}

QVector3D toQVector(const aiVector3D &v)
{
    return QVector3D(float(v.x), float(v.y), float(v.z));
}

// Imports `path`; on failure returns nullptr and sets `error` ("FILE: ...").
const aiScene *importScene(Assimp::Importer &importer, const QString &path, unsigned flags,
                           QString *error)
{
    const QFileInfo info(path);
    if (!info.exists()) {
        *error = QStringLiteral("%1: no such file").arg(path);
        return nullptr;
    }
    if (info.isDir() || !info.isReadable()) {
        *error = QStringLiteral("%1: not a readable file").arg(path);
        return nullptr;
    }
    // Positions stay in the file's units; Avatar::unitScaleToMeters records them.
    importer.SetPropertyBool(AI_CONFIG_FBX_CONVERT_TO_M, false);
    const aiScene *scene = nullptr;
    QString assimpError;
    try {
        scene = importer.ReadFile(QFile::encodeName(info.absoluteFilePath()).constData(), flags);
        if (!scene)
            assimpError = QString::fromUtf8(importer.GetErrorString());
    } catch (const std::exception &e) {
        scene = nullptr;
        assimpError = QString::fromUtf8(e.what());
    } catch (...) {
        scene = nullptr;
        assimpError = QStringLiteral("unknown exception");
    }
    if (scene && scene->mRootNode && !(scene->mFlags & AI_SCENE_FLAGS_INCOMPLETE))
        return scene;
    if (scene) // Incomplete: Assimp read something, but not a scene with geometry.
        assimpError = QStringLiteral("the scene is incomplete (no geometry)");

    const QStringList unsupported = GltfFile(path).unsupportedRequiredExtensions();
    if (!unsupported.isEmpty()) {
        *error = QStringLiteral("%1: requires glTF extension %2, which Assimp 5.2.5 cannot decode; "
                                "decompress the file first (e.g. gltf-transform copy) [Assimp: %3]")
                     .arg(path, GltfFile::describeExtensions(unsupported), assimpError);
    } else if (assimpError.contains(QLatin1String("No suitable reader"))
               && !importer.IsExtensionSupported(QStringLiteral(".%1").arg(info.suffix()).toStdString())) {
        *error = QStringLiteral("%1: not a 3-D scene format Assimp can read").arg(path);
    } else {
        *error = QStringLiteral("%1: cannot be imported (corrupt or not a valid %2 file): %3")
                     .arg(path, info.suffix().toUpper(), assimpError);
    }
    return nullptr;
}

// Builds Avatar::meshes and Avatar::textures from an imported scene.
class SceneConverter
{
public:
    SceneConverter(const aiScene *scene, const QString &path, Avatar *avatar, QStringList *warnings)
        : m_scene(scene), m_path(path), m_avatar(avatar), m_warnings(warnings)
    {
        aiString format;
        m_gltf = scene->mMetaData && scene->mMetaData->Get("SourceAsset_Format", format)
                 && toQString(format).contains(QLatin1String("glTF"), Qt::CaseInsensitive);
    }

    void convertNode(const aiNode *node, const QMatrix4x4 &parentTransform)
    {
        const QMatrix4x4 transform = parentTransform * toQMatrix(node->mTransformation);
        for (unsigned i = 0; i < node->mNumMeshes; ++i)
            if (node->mMeshes[i] < m_scene->mNumMeshes)
                convertMesh(m_scene->mMeshes[node->mMeshes[i]], node, transform);
        for (unsigned i = 0; i < node->mNumChildren; ++i)
            convertNode(node->mChildren[i], transform);
    }

private:
    void convertMesh(const aiMesh *mesh, const aiNode *node, const QMatrix4x4 &transform)
    {
        AvatarMesh out;
        out.name = mesh->mName.length > 0 ? toQString(mesh->mName) : toQString(node->mName);
        out.transform = transform;
        const unsigned n = mesh->mNumVertices;
        for (unsigned f = 0; f < mesh->mNumFaces; ++f) {
            const aiFace &face = mesh->mFaces[f];
            if (face.mNumIndices != 3)
                continue; // points and lines (Triangulate leaves them)
            if (face.mIndices[0] >= n || face.mIndices[1] >= n || face.mIndices[2] >= n)
                continue;
            out.indices.insert(out.indices.end(), face.mIndices, face.mIndices + 3);
        }
        if (out.indices.empty()) {
            *m_warnings << QStringLiteral("%1: mesh \"%2\" has no triangles; skipped").arg(m_path, out.name);
            return;
        }
        out.positions.resize(n);
        out.normals.resize(n);
        for (unsigned v = 0; v < n; ++v) {
            out.positions[v] = toQVector(mesh->mVertices[v]);
            out.normals[v] = mesh->mNormals ? toQVector(mesh->mNormals[v]) : QVector3D();
        }
        if (mesh->HasTextureCoords(0)) {
            out.uvs.resize(n);
            for (unsigned v = 0; v < n; ++v)
                out.uvs[v] = QVector2D(float(mesh->mTextureCoords[0][v].x), float(mesh->mTextureCoords[0][v].y));
        }
        for (unsigned a = 0; a < mesh->mNumAnimMeshes; ++a)
            out.morphTargets.push_back(convertTarget(mesh, a, out.name));
        if (mesh->mMaterialIndex < m_scene->mNumMaterials) {
            const aiMaterial *material = m_scene->mMaterials[mesh->mMaterialIndex];
            out.textureIndex = baseColorTexture(material);
            applyUvTransform(material, &out.uvs);
        }
        m_avatar->meshes.push_back(std::move(out));
    }

    // aiAnimMesh holds absolute replacement positions/normals (glTF and FBX importers add the
    // file's offsets to the base mesh); store deltas = target - base.
    MorphTarget convertTarget(const aiMesh *mesh, unsigned a, const QString &meshName)
    {
        const aiAnimMesh *anim = mesh->mAnimMeshes[a];
        const unsigned n = mesh->mNumVertices;
        MorphTarget target;
        target.name = toQString(anim->mName);
        if (target.name.isEmpty())
            target.name = QStringLiteral("target%1").arg(a);
        target.positionDeltas.assign(n, QVector3D());
        if (anim->mNumVertices != n) {
            *m_warnings << QStringLiteral("%1: morph target \"%2\" of mesh \"%3\" has %4 vertices, the mesh %5; "
                                          "treated as empty")
                               .arg(m_path, target.name, meshName)
                               .arg(anim->mNumVertices)
                               .arg(n);
            return target;
        }
        if (anim->mVertices)
            for (unsigned v = 0; v < n; ++v)
                target.positionDeltas[v] = toQVector(anim->mVertices[v] - mesh->mVertices[v]);
        if (anim->mNormals && mesh->mNormals) {
            target.normalDeltas.resize(n);
            for (unsigned v = 0; v < n; ++v)
                target.normalDeltas[v] = toQVector(anim->mNormals[v] - mesh->mNormals[v]);
        }
        return target;
    }

    // The texture type that holds the base colour (glTF sets both), or aiTextureType_NONE.
    static aiTextureType baseColorType(const aiMaterial *material, aiString *file)
    {
        for (aiTextureType type : {aiTextureType_BASE_COLOR, aiTextureType_DIFFUSE})
            if (material->GetTexture(type, 0, file) == AI_SUCCESS)
                return type;
        return aiTextureType_NONE;
    }

    // Bakes the base-colour texture's UV transform (glTF KHR_texture_transform, FBX texture
    // translation/scaling) into the UVs. Assimp 5.2.5's aiProcess_TransformUVCoords gets the
    // glTF case wrong (it scales about the texture centre: facecap's UVs land at u 0.5..1.3),
    // so the transform is applied here. For glTF, Assimp stores what the glTF importer derived
    // from the extension (uv' = T R S uv in glTF's top-left UV space, with Assimp's v = 1 - v):
    //   mScaling = S, mRotation = -r,
    //   mTranslation = (0.5 sx (sin r - cos r + 1) + ox, 0.5 sy (sin r + cos r - 1) + 1 - sy - oy),
    // which is inverted here to recover the offset o and apply the extension's own formula.
    void applyUvTransform(const aiMaterial *material, std::vector<QVector2D> *uvs)
    {
        aiString file;
        const aiTextureType type = baseColorType(material, &file);
        aiUVTransform t;
        if (uvs->empty() || type == aiTextureType_NONE
            || material->Get(AI_MATKEY_UVTRANSFORM(type, 0), t) != AI_SUCCESS)
            return;
        const double sx = t.mScaling.x, sy = t.mScaling.y;
        if (!m_gltf) { // FBX: translation and scaling only
            if (t.mRotation != 0)
                *m_warnings << QStringLiteral("%1: texture rotation of %2 ignored").arg(m_path, toQString(file));
            for (QVector2D &uv : *uvs)
                uv = QVector2D(float(sx * uv.x() + t.mTranslation.x), float(sy * uv.y() + t.mTranslation.y));
            return;
        }
        const double r = -t.mRotation, c = std::cos(r), s = std::sin(r);
        const double ox = t.mTranslation.x - 0.5 * sx * (s - c + 1.0);
        const double oy = 0.5 * sy * (s + c - 1.0) + 1.0 - sy - t.mTranslation.y;
        for (QVector2D &uv : *uvs) {
            const double u = uv.x(), v = 1.0 - uv.y(); // glTF UV space
            const double u2 = ox + c * sx * u + s * sy * v;
            const double v2 = oy - s * sx * u + c * sy * v;
            uv = QVector2D(float(u2), float(1.0 - v2));
        }
    }

    int baseColorTexture(const aiMaterial *material)
    {
        aiString file;
        if (baseColorType(material, &file) == aiTextureType_NONE)
            return -1;
        const QString key = toQString(file);
        const auto cached = m_textureIndex.constFind(key);
        if (cached != m_textureIndex.cend())
            return *cached;
        const QImage image = loadTexture(file, key);
        int index = -1;
        if (!image.isNull()) {
            index = int(m_avatar->textures.size());
            m_avatar->textures.push_back(image);
        }
        m_textureIndex.insert(key, index);
        return index;
    }

    QImage loadTexture(const aiString &file, const QString &key)
    {
        if (const aiTexture *embedded = m_scene->GetEmbeddedTexture(file.C_Str())) {
            QImage image;
            if (embedded->mHeight == 0) { // compressed file bytes (PNG, JPEG, ...)
                image = QImage::fromData(reinterpret_cast<const uchar *>(embedded->pcData), int(embedded->mWidth));
            } else { // raw aiTexel (B, G, R, A bytes) = QImage::Format_ARGB32 on little endian
                image = QImage(reinterpret_cast<const uchar *>(embedded->pcData), int(embedded->mWidth),
                               int(embedded->mHeight), QImage::Format_ARGB32)
                            .copy();
            }
            if (image.isNull())
                *m_warnings << QStringLiteral("%1: embedded texture %2 (%3) cannot be decoded; skipped")
                                   .arg(m_path, key, QString::fromLatin1(embedded->achFormatHint));
            return image;
        }
        // External file: as written (absolute or relative to the avatar), then by name beside it.
        QString written = key;
        written.replace(QLatin1Char('\\'), QLatin1Char('/'));
        const QDir dir = QFileInfo(m_path).absoluteDir();
        const QStringList candidates = {dir.absoluteFilePath(written),
                                        dir.absoluteFilePath(QFileInfo(written).fileName())};
        for (const QString &candidate : candidates) {
            if (!QFileInfo::exists(candidate))
                continue;
            QImage image(candidate);
            if (!image.isNull())
                return image;
            *m_warnings << QStringLiteral("%1: texture %2 cannot be decoded; skipped").arg(m_path, candidate);
            return {};
        }
        *m_warnings << QStringLiteral("%1: texture %2 not found; skipped").arg(m_path, key);
        return {};
    }

    const aiScene *m_scene;
    QString m_path;
    Avatar *m_avatar;
    QStringList *m_warnings;
    bool m_gltf = false;
    QHash<QString, int> m_textureIndex; // material texture path -> index in textures, or -1
};

double unitScaleToMeters(const aiScene *scene)
{
    // Only Assimp's FBX importer sets UnitScaleFactor: centimetres per file unit.
    if (!scene->mMetaData)
        return 1.0;
    double cmPerUnit = 0.0;
    float asFloat = 0.0f;
    if (scene->mMetaData->Get("UnitScaleFactor", cmPerUnit) && cmPerUnit > 0.0)
        return cmPerUnit / 100.0;
    if (scene->mMetaData->Get("UnitScaleFactor", asFloat) && asFloat > 0.0f)
        return double(asFloat) / 100.0;
    return 1.0;
}

void collectNodes(const aiNode *node, const aiString &name, std::vector<const aiNode *> *out)
{
    if (node->mName == name)
        out->push_back(node);
    for (unsigned i = 0; i < node->mNumChildren; ++i)
        collectNodes(node->mChildren[i], name, out);
}

// Meshes a morph channel animates: those of the nodes named like the channel (glTF, FBX), else
// the meshes of that name (aiMeshMorphAnim's documented meaning).
std::vector<const aiMesh *> animatedMeshes(const aiScene *scene, const aiString &channelName)
{
    std::vector<const aiNode *> nodes;
    collectNodes(scene->mRootNode, channelName, &nodes);
    std::vector<const aiMesh *> meshes;
    for (const aiNode *node : nodes)
        for (unsigned i = 0; i < node->mNumMeshes; ++i)
            if (node->mMeshes[i] < scene->mNumMeshes && scene->mMeshes[node->mMeshes[i]]->mNumAnimMeshes > 0)
                meshes.push_back(scene->mMeshes[node->mMeshes[i]]);
    if (meshes.empty())
        for (unsigned i = 0; i < scene->mNumMeshes; ++i)
            if (scene->mMeshes[i]->mName == channelName && scene->mMeshes[i]->mNumAnimMeshes > 0)
                meshes.push_back(scene->mMeshes[i]);
    // Assimp's FBX importer names a mesh's morph channel "<model name>*<mesh index in the node>".
    const QString name = QString::fromUtf8(channelName.C_Str());
    const int star = name.lastIndexOf(QLatin1Char('*'));
    if (meshes.empty() && star > 0) {
        bool ok = false;
        const unsigned index = name.mid(star + 1).toUInt(&ok);
        nodes.clear();
        collectNodes(scene->mRootNode, aiString(name.left(star).toStdString()), &nodes);
        for (const aiNode *node : nodes)
            if (ok && index < node->mNumMeshes && node->mMeshes[index] < scene->mNumMeshes
                && scene->mMeshes[node->mMeshes[index]]->mNumAnimMeshes > 0)
                meshes.push_back(scene->mMeshes[node->mMeshes[index]]);
    }
    return meshes;
}

// One morph channel as a dense keys x targets matrix, for piecewise-linear sampling.
struct ChannelCurves
{
    std::vector<double> ticks;
    int targetCount = 0;
    std::vector<float> weights; // keys x targetCount, row-major

    ChannelCurves(const aiMeshMorphAnim *channel, int targets, int componentType)
        : targetCount(targets)
    {
        std::vector<const aiMeshMorphKey *> keys;
        for (unsigned k = 0; k < channel->mNumKeys; ++k)
            keys.push_back(&channel->mKeys[k]);
        std::stable_sort(keys.begin(), keys.end(),
                         [](const aiMeshMorphKey *a, const aiMeshMorphKey *b) { return a->mTime < b->mTime; });
        weights.assign(keys.size() * size_t(targets), 0.0f);
        for (size_t k = 0; k < keys.size(); ++k) {
            ticks.push_back(keys[k]->mTime);
            for (unsigned i = 0; i < keys[k]->mNumValuesAndWeights; ++i)
                if (keys[k]->mValues[i] < unsigned(targets))
                    weights[k * size_t(targets) + keys[k]->mValues[i]] =
                        GltfFile::decodeAssimpWeight(keys[k]->mWeights[i], componentType);
        }
    }

    float sample(int target, double tick) const
    {
        const size_t after = size_t(std::upper_bound(ticks.begin(), ticks.end(), tick) - ticks.begin());
        if (after == 0)
            return at(0, target);
        if (after == ticks.size())
            return at(after - 1, target);
        const double span = ticks[after] - ticks[after - 1];
        const float w = span > 0 ? float((tick - ticks[after - 1]) / span) : 0.0f;
        return (1.0f - w) * at(after - 1, target) + w * at(after, target);
    }

    float at(size_t key, int target) const { return weights[key * size_t(targetCount) + size_t(target)]; }
};

} // namespace

void AvatarLoader::reset()
{
    m_error.clear();
    m_animationNames.clear();
}

std::unique_ptr<Avatar> AvatarLoader::load(const QString &path)
{
    reset();
    Assimp::Importer importer;
    const unsigned flags = aiProcess_Triangulate | aiProcess_JoinIdenticalVertices
                           | aiProcess_GenSmoothNormals | aiProcess_ValidateDataStructure;
    const aiScene *scene = importScene(importer, path, flags, &m_error);
    if (!scene)
        return nullptr;

    auto avatar = std::make_unique<Avatar>();
    avatar->name = QFileInfo(path).completeBaseName();
    avatar->sourcePath = QFileInfo(path).absoluteFilePath();
    avatar->unitScaleToMeters = unitScaleToMeters(scene);
    SceneConverter converter(scene, path, avatar.get(), &m_warnings);
    converter.convertNode(scene->mRootNode, QMatrix4x4());
    if (avatar->meshes.empty()) {
        m_error = QStringLiteral("%1: contains no triangle mesh").arg(path);
        return nullptr;
    }
    const QStringList unsupported = GltfFile(path).unsupportedRequiredExtensions();
    if (!unsupported.isEmpty())
        m_warnings << QStringLiteral("%1: requires glTF extension %2, which Assimp 5.2.5 does not implement; "
                                     "the avatar may be incomplete")
                          .arg(path, GltfFile::describeExtensions(unsupported));
    return avatar;
}

std::vector<AnimationClip> AvatarLoader::loadMorphAnimations(const QString &path)
{
    reset();
    Assimp::Importer importer;
    const aiScene *scene = importScene(importer, path, aiProcess_ValidateDataStructure, &m_error);
    if (!scene)
        return {};

    aiString format;
    const bool gltf2 = scene->mMetaData && scene->mMetaData->Get("SourceAsset_Format", format)
                       && toQString(format).contains(QLatin1String("glTF2"));
    // Assimp's glTF 2 importer keeps the file's animation order.
    // Assimp does not dequantise integer weights (see GltfFile::decodeAssimpWeight).
    const std::vector<QHash<QString, int>> weightTypes =
        gltf2 ? GltfFile(path).morphWeightComponentTypes() : std::vector<QHash<QString, int>>();

    std::vector<AnimationClip> clips;
    for (unsigned a = 0; a < scene->mNumAnimations; ++a) {
        const aiAnimation *animation = scene->mAnimations[a];
        if (animation->mNumMorphMeshChannels == 0)
            continue;
        const QString animationName = toQString(animation->mName);
        const double ticksPerSecond = animation->mTicksPerSecond > 0 ? animation->mTicksPerSecond : 25.0;

        // Controls, each owned by the first channel that animates a target of that name.
        struct Source
        {
            size_t curves;
            int target;
        };
        QStringList controls;
        std::vector<Source> sources;
        std::vector<ChannelCurves> curves;
        std::vector<double> ticks;
        for (unsigned c = 0; c < animation->mNumMorphMeshChannels; ++c) {
            const aiMeshMorphAnim *channel = animation->mMorphMeshChannels[c];
            const std::vector<const aiMesh *> meshes = animatedMeshes(scene, channel->mName);
            if (channel->mNumKeys == 0 || meshes.empty()) {
                m_warnings << QStringLiteral("%1: animation \"%2\": morph channel \"%3\" animates no mesh "
                                             "with morph targets; ignored")
                                  .arg(path, animationName, toQString(channel->mName));
                continue;
            }
            const int componentType = a < weightTypes.size()
                                          ? weightTypes[a].value(toQString(channel->mName), 5126)
                                          : 5126;
            unsigned targetCount = 0;
            for (const aiMesh *mesh : meshes)
                targetCount = std::max(targetCount, mesh->mNumAnimMeshes);
            curves.emplace_back(channel, int(targetCount), componentType);
            for (const aiMesh *mesh : meshes)
                for (unsigned t = 0; t < mesh->mNumAnimMeshes; ++t) {
                    QString name = toQString(mesh->mAnimMeshes[t]->mName);
                    if (name.isEmpty())
                        name = QStringLiteral("target%1").arg(t);
                    if (!controls.contains(name)) {
                        controls << name;
                        sources.push_back({curves.size() - 1, int(t)});
                    }
                }
            ticks.insert(ticks.end(), curves.back().ticks.begin(), curves.back().ticks.end());
        }
        if (controls.isEmpty())
            continue;

        std::sort(ticks.begin(), ticks.end());
        ticks.erase(std::unique(ticks.begin(), ticks.end(),
                                [](double x, double y) { return std::abs(x - y) < 1e-9 * std::max(1.0, std::abs(y)); }),
                    ticks.end());
        const double first = ticks.front() / ticksPerSecond;
        const double last = ticks.back() / ticksPerSecond;
        const double fps = ticks.size() > 1 && last > first ? double(ticks.size() - 1) / (last - first) : 30.0;

        AnimationClip clip(controls, fps);
        std::vector<float> row(size_t(controls.size()));
        for (double tick : ticks) {
            for (size_t i = 0; i < sources.size(); ++i)
                row[i] = std::clamp(curves[sources[i].curves].sample(sources[i].target, tick), 0.0f, 1.0f);
            clip.appendFrame(tick / ticksPerSecond, row.data(), true);
        }
        clips.push_back(std::move(clip));
        m_animationNames << animationName;
    }
    return clips;
}

} // namespace fa
