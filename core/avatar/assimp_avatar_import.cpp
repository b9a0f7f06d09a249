#include "avatar/assimp_avatar_import.h"

#include "avatar/assimp_scene_converter.h"
#include "avatar/gltf_file.h"

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

// Imports `path`; on failure returns nullptr and sets `error` ("FILE: ..."). `gltf` is the
// file's glTF JSON (empty for other formats): a glTF file whose JSON does not parse is refused
// before Assimp sees it (rapidjson recurses once per nesting level and overflows the stack on
// deep documents), and its required extensions explain Assimp's failures.
const aiScene *importScene(Assimp::Importer &importer, const QString &path, const GltfFile &gltf,
                           unsigned flags, QString *error)
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
    if (!gltf.jsonError().isEmpty()) {
        *error = QStringLiteral("%1: invalid glTF JSON (%2)").arg(path, gltf.jsonError());
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

    const QStringList unsupported = gltf.unsupportedRequiredExtensions();
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

void AssimpAvatarImport::reset()
{
    m_error.clear();
    m_warnings.clear();
    m_animationNames.clear();
}

std::unique_ptr<Avatar> AssimpAvatarImport::load(const QString &path)
{
    reset();
    Assimp::Importer importer;
    const unsigned flags = aiProcess_Triangulate | aiProcess_JoinIdenticalVertices
                           | aiProcess_GenSmoothNormals | aiProcess_ValidateDataStructure;
    const GltfFile gltf(path);
    const aiScene *scene = importScene(importer, path, gltf, flags, &m_error);
    if (!scene)
        return nullptr;

    auto avatar = std::make_unique<Avatar>();
    avatar->name = QFileInfo(path).completeBaseName();
    avatar->sourcePath = QFileInfo(path).absoluteFilePath();
    avatar->unitScaleToMeters = AssimpSceneConverter::unitScaleToMeters(scene);
    AssimpSceneConverter converter(scene, path, avatar.get(), &m_warnings);
    converter.convertNode(scene->mRootNode, QMatrix4x4());
    if (avatar->meshes.empty()) {
        m_error = QStringLiteral("%1: contains no triangle mesh").arg(path);
        return nullptr;
    }
    const QStringList unsupported = gltf.unsupportedRequiredExtensions();
    if (!unsupported.isEmpty())
        m_warnings << QStringLiteral("%1: requires glTF extension %2, which Assimp 5.2.5 does not implement; "
                                     "the avatar may be incomplete")
                          .arg(path, GltfFile::describeExtensions(unsupported));
    return avatar;
}

std::vector<AnimationClip> AssimpAvatarImport::loadMorphAnimations(const QString &path)
{
    reset();
    Assimp::Importer importer;
    const GltfFile gltf(path);
    const aiScene *scene = importScene(importer, path, gltf, aiProcess_ValidateDataStructure, &m_error);
    if (!scene)
        return {};

    aiString format;
    const bool gltf2 = scene->mMetaData && scene->mMetaData->Get("SourceAsset_Format", format)
                       && AssimpSceneConverter::toQString(format).contains(QLatin1String("glTF2"));
    // Assimp's glTF 2 importer keeps the file's animation order.
    // Assimp does not dequantise integer weights (see GltfFile::decodeAssimpWeight).
    const std::vector<QHash<QString, int>> weightTypes =
        gltf2 ? gltf.morphWeightComponentTypes() : std::vector<QHash<QString, int>>();

    std::vector<AnimationClip> clips;
    for (unsigned a = 0; a < scene->mNumAnimations; ++a) {
        const aiAnimation *animation = scene->mAnimations[a];
        if (animation->mNumMorphMeshChannels == 0)
            continue;
        const QString animationName = AssimpSceneConverter::toQString(animation->mName);
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
                                  .arg(path, animationName, AssimpSceneConverter::toQString(channel->mName));
                continue;
            }
            const int componentType = a < weightTypes.size()
                                          ? weightTypes[a].value(AssimpSceneConverter::toQString(channel->mName), 5126)
                                          : 5126;
            unsigned targetCount = 0;
            for (const aiMesh *mesh : meshes)
                targetCount = std::max(targetCount, mesh->mNumAnimMeshes);
            curves.emplace_back(channel, int(targetCount), componentType);
            for (const aiMesh *mesh : meshes)
                for (unsigned t = 0; t < mesh->mNumAnimMeshes; ++t) {
                    QString name = AssimpSceneConverter::toQString(mesh->mAnimMeshes[t]->mName);
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
