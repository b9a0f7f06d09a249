#include "avatar/assimp_scene_converter.h"

#include <QDir>
#include <QFileInfo>

#include <cmath>

namespace fa {
namespace {

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

} // namespace

AssimpSceneConverter::AssimpSceneConverter(const aiScene *scene, const QString &path, Avatar *avatar,
                                           QStringList *warnings)
    : m_scene(scene), m_path(path), m_avatar(avatar), m_warnings(warnings)
{
    aiString format;
    m_gltf = scene->mMetaData && scene->mMetaData->Get("SourceAsset_Format", format)
             && toQString(format).contains(QLatin1String("glTF"), Qt::CaseInsensitive);
}

QString AssimpSceneConverter::toQString(const aiString &s)
{
    return QString::fromUtf8(s.C_Str(), int(s.length));
}

double AssimpSceneConverter::unitScaleToMeters(const aiScene *scene)
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

void AssimpSceneConverter::convertNode(const aiNode *node, const QMatrix4x4 &parentTransform)
{
    const QMatrix4x4 transform = parentTransform * toQMatrix(node->mTransformation);
    for (unsigned i = 0; i < node->mNumMeshes; ++i)
        if (node->mMeshes[i] < m_scene->mNumMeshes)
            convertMesh(m_scene->mMeshes[node->mMeshes[i]], node, transform);
    for (unsigned i = 0; i < node->mNumChildren; ++i)
        convertNode(node->mChildren[i], transform);
}

void AssimpSceneConverter::convertMesh(const aiMesh *mesh, const aiNode *node, const QMatrix4x4 &transform)
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
MorphTarget AssimpSceneConverter::convertTarget(const aiMesh *mesh, unsigned a, const QString &meshName)
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
aiTextureType AssimpSceneConverter::baseColorType(const aiMaterial *material, aiString *file)
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
void AssimpSceneConverter::applyUvTransform(const aiMaterial *material, std::vector<QVector2D> *uvs)
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

int AssimpSceneConverter::baseColorTexture(const aiMaterial *material)
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

QImage AssimpSceneConverter::loadTexture(const aiString &file, const QString &key)
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

} // namespace fa
