#pragma once

#include "avatar/avatar.h"

#include <QHash>
#include <QImage>
#include <QMatrix4x4>
#include <QString>
#include <QStringList>

#include <assimp/scene.h>

namespace fa {

/// Builds Avatar::meshes and Avatar::textures from a scene Assimp has imported (the part of
/// AssimpAvatarImport::load() after Assimp; see AvatarLoader for the conventions). Internal to
/// the in-process import: only fa_assimp_import includes it.
///
/// Does not own the scene, the avatar or the warnings list; all must outlive the converter.
/// Problems that do not stop the import (missing textures, meshes without triangles, morph
/// targets of the wrong size) become lines "FILE: ..." in `warnings`.
class AssimpSceneConverter
{
public:
    AssimpSceneConverter(const aiScene *scene, const QString &path, Avatar *avatar, QStringList *warnings);

    /// Appends one AvatarMesh per mesh of `node` and its descendants, each with the product of
    /// the node transforms from the root (`parentTransform` is the one above `node`).
    void convertNode(const aiNode *node, const QMatrix4x4 &parentTransform);

    /// Metres per file unit: Assimp's FBX importer records UnitScaleFactor (centimetres per
    /// unit); 1 for every other format.
    static double unitScaleToMeters(const aiScene *scene);

    static QString toQString(const aiString &s);

private:
    void convertMesh(const aiMesh *mesh, const aiNode *node, const QMatrix4x4 &transform);
    MorphTarget convertTarget(const aiMesh *mesh, unsigned a, const QString &meshName);
    static aiTextureType baseColorType(const aiMaterial *material, aiString *file);
    void applyUvTransform(const aiMaterial *material, std::vector<QVector2D> *uvs);
    int baseColorTexture(const aiMaterial *material);
    QImage loadTexture(const aiString &file, const QString &key);

    const aiScene *m_scene;
    QString m_path;
    Avatar *m_avatar;
    QStringList *m_warnings;
    bool m_gltf = false;
    QHash<QString, int> m_textureIndex; // material texture path -> index in textures, or -1
};

} // namespace fa
