#include "avatar/gltf_file.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtEndian>

#include <algorithm>
#include <cstring>

namespace fa {

GltfFile::GltfFile(const QString &path)
{
    // GLB layout (glTF 2.0 spec, "Binary glTF Layout"): 12-byte header (magic "glTF",
    // version, length), then chunk 0 = uint32 length, uint32 type "JSON", the JSON text.
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return;
    const QByteArray head = file.read(20);
    QByteArray json;
    if (head.size() == 20 && head.startsWith("glTF")) {
        const quint32 chunkLength = qFromLittleEndian<quint32>(head.constData() + 12);
        if (head.mid(16, 4) != "JSON" || chunkLength > quint32(file.size()))
            return;
        json = file.read(qint64(chunkLength));
    } else if (path.endsWith(QStringLiteral(".gltf"), Qt::CaseInsensitive)) {
        json = head + file.readAll();
    } else {
        return; // not glTF
    }
    // Some exporters pad the JSON chunk with NUL bytes instead of spaces.
    qsizetype end = json.size();
    while (end > 0 && (json.at(end - 1) == '\0' || json.at(end - 1) == ' ' || json.at(end - 1) == '\n'
                       || json.at(end - 1) == '\r' || json.at(end - 1) == '\t'))
        --end;
    const qsizetype begin = json.startsWith("\xEF\xBB\xBF") ? 3 : 0;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json.mid(begin, end - begin), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        m_jsonError = QStringLiteral("%1 at byte %2").arg(parseError.errorString()).arg(parseError.offset + begin);
        return;
    }
    const QJsonObject object = document.object();
    if (object.contains(QStringLiteral("asset")))
        m_json = object;
}

QStringList GltfFile::unsupportedRequiredExtensions() const
{
    // The extensions named in Assimp 5.2.5's glTF 2 importer (Debian's build links Draco).
    static const QStringList known = {
        QStringLiteral("KHR_draco_mesh_compression"), QStringLiteral("KHR_materials_pbrSpecularGlossiness"),
        QStringLiteral("KHR_materials_unlit"), QStringLiteral("KHR_lights_punctual"),
        QStringLiteral("KHR_texture_transform"), QStringLiteral("KHR_materials_sheen"),
        QStringLiteral("KHR_materials_clearcoat"), QStringLiteral("KHR_materials_transmission"),
        QStringLiteral("KHR_materials_volume"), QStringLiteral("KHR_materials_ior"),
        QStringLiteral("KHR_texture_basisu")};
    QStringList result;
    const QJsonArray required = m_json.value(QStringLiteral("extensionsRequired")).toArray();
    for (const QJsonValue &v : required)
        if (!known.contains(v.toString()))
            result << v.toString();
    return result;
}

std::vector<QHash<QString, int>> GltfFile::morphWeightComponentTypes() const
{
    const QJsonArray nodes = m_json.value(QStringLiteral("nodes")).toArray();
    const QJsonArray accessors = m_json.value(QStringLiteral("accessors")).toArray();
    std::vector<QHash<QString, int>> result;
    for (const QJsonValue &animation : m_json.value(QStringLiteral("animations")).toArray()) {
        const QJsonArray samplers = animation[QStringLiteral("samplers")].toArray();
        QHash<QString, int> types;
        for (const QJsonValue &channel : animation[QStringLiteral("channels")].toArray()) {
            const QJsonObject target = channel[QStringLiteral("target")].toObject();
            if (target.value(QStringLiteral("path")).toString() != QLatin1String("weights"))
                continue;
            const int node = target.value(QStringLiteral("node")).toInt(-1);
            const int output = samplers.at(channel[QStringLiteral("sampler")].toInt(-1)).toObject()
                                   .value(QStringLiteral("output")).toInt(-1);
            if (node < 0 || output < 0 || output >= accessors.size())
                continue;
            QString name = nodes.at(node).toObject().value(QStringLiteral("name")).toString();
            if (name.isEmpty())
                name = QStringLiteral("nodes[%1]").arg(node);
            types.insert(name, accessors.at(output).toObject().value(QStringLiteral("componentType")).toInt(5126));
        }
        result.push_back(types);
    }
    return result;
}

float GltfFile::decodeAssimpWeight(double weight, int componentType)
{
    const float f = float(weight);
    if (componentType == 5126)
        return f;
    quint32 bits = 0;
    std::memcpy(&bits, &f, sizeof bits);
    switch (componentType) {
    case 5121: return float(bits & 0xffu) / 255.0f;
    case 5123: return float(bits & 0xffffu) / 65535.0f;
    case 5120: return std::max(float(qint8(bits & 0xffu)) / 127.0f, -1.0f);
    case 5122: return std::max(float(qint16(bits & 0xffffu)) / 32767.0f, -1.0f);
    default: return f;
    }
}

QString GltfFile::describeExtensions(const QStringList &extensions)
{
    QStringList parts;
    for (const QString &e : extensions)
        parts << (e == QLatin1String("EXT_meshopt_compression")
                      ? e + QStringLiteral(" (meshoptimizer-compressed buffers)")
                      : e);
    return parts.join(QStringLiteral(", "));
}

} // namespace fa
