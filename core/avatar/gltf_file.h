#pragma once

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <vector>

namespace fa {

/// The JSON part of a glTF 2.0 file (.gltf text or .glb binary), read directly so that
/// AvatarLoader can explain and repair what Assimp 5.2.5's glTF importer gets wrong:
/// required extensions it cannot decode (EXT_meshopt_compression, KHR_mesh_quantization), and
/// integer morph-weight animations that it does not dequantise.
class GltfFile
{
public:
    /// Reads the JSON chunk of `path`; isGltf() is false for any other file or a JSON error.
    explicit GltfFile(const QString &path);

    bool isGltf() const { return !m_json.isEmpty(); }

    /// Why the JSON of a glTF file cannot be parsed ("too deeply nested document at byte
    /// 1040"), or empty. Only for files that are glTF by their own account: a GLB (magic
    /// "glTF" with a JSON chunk inside the file) or a file named .gltf. QJsonDocument refuses
    /// malformed JSON, invalid UTF-8 and documents nested more than 1,024 levels (which would
    /// overflow the stack of Assimp's recursive rapidjson parser); trailing NUL and whitespace
    /// padding and a UTF-8 byte-order mark are tolerated.
    QString jsonError() const { return m_jsonError; }

    /// Required extensions (`extensionsRequired`) Assimp 5.2.5 does not implement.
    QStringList unsupportedRequiredExtensions() const;

    /// Per glTF animation (file order, as Assimp keeps it): for each node whose morph weights
    /// it animates, the componentType of the sampler output accessor (5126 FLOAT, 5121
    /// UNSIGNED_BYTE, 5123 UNSIGNED_SHORT, 5120 BYTE, 5122 SHORT). Nodes are named as Assimp
    /// names them: the node's name, else "nodes[i]".
    std::vector<QHash<QString, int>> morphWeightComponentTypes() const;

    /// A morph weight as Assimp 5.2.5 delivers it, decoded for the accessor's componentType.
    /// Assimp's Accessor::ExtractData copies each 1- or 2-byte integer into the low bytes of
    /// a zeroed float, so an UNSIGNED_BYTE weight c arrives as the float whose bit pattern is c
    /// (facecap_decoded.glb: 248 -> 3.48e-43). Decoding follows the glTF 2.0 spec for
    /// normalised integers: c / 255, c / 65535, max(c / 127, -1), max(c / 32767, -1).
    /// FLOAT weights are returned unchanged.
    static float decodeAssimpWeight(double weight, int componentType);

    /// "EXT_meshopt_compression (meshoptimizer-compressed buffers), ..." for an error message.
    static QString describeExtensions(const QStringList &extensions);

private:
    QJsonObject m_json;
    QString m_jsonError;
};

} // namespace fa
