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
};

} // namespace fa
