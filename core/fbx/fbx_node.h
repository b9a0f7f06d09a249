#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

namespace fa {

/// One record of a binary FBX file: a name, an ordered list of typed properties and child records.
///
/// Properties are encoded when added (little-endian, as in the file), so a node is cheap to keep
/// and to serialise with FbxBinaryWriter. Property type codes follow the binary FBX layout that
/// Blender's io_scene_fbx (encode_bin.py / parse_fbx.py) and Assimp's FBXBinaryTokenizer read:
///   Y int16, C bool (1 byte), I int32, L int64, F float32, D float64,
///   S string (uint32 length + bytes, no terminator), R raw bytes (uint32 length + bytes),
///   f/d/l/i/b arrays of float32/float64/int64/int32/bool: uint32 element count, uint32 encoding
///   (0 raw, 1 zlib deflate stream with zlib header), uint32 byte length, then the data.
/// Arrays larger than kCompressThreshold bytes are zlib-compressed (encoding 1), smaller ones are
/// stored raw (encoding 0), like the FBX SDK and Blender do.
class FbxNode
{
public:
    /// Arrays whose raw payload exceeds this many bytes are written zlib-compressed.
    static constexpr int kCompressThreshold = 128;

    FbxNode() = default;
    FbxNode(FbxNode &&) = default;
    FbxNode &operator=(FbxNode &&) = default;
    explicit FbxNode(const QByteArray &name) : m_name(name) {}

    const QByteArray &name() const { return m_name; }

    FbxNode &addInt16(qint16 value);
    FbxNode &addBool(bool value);
    FbxNode &addInt32(qint32 value);
    FbxNode &addInt64(qint64 value);
    FbxNode &addFloat(float value);
    FbxNode &addDouble(double value);
    /// 'S' property: raw bytes (object names use "Name\x00\x01Class").
    FbxNode &addString(const QByteArray &value);
    /// 'S' property, UTF-8 encoded.
    FbxNode &addString(const QString &value);
    FbxNode &addRaw(const QByteArray &value);
    FbxNode &addFloatArray(const std::vector<float> &values);
    FbxNode &addDoubleArray(const std::vector<double> &values);
    FbxNode &addInt64Array(const std::vector<qint64> &values);
    FbxNode &addInt32Array(const std::vector<qint32> &values);
    FbxNode &addBoolArray(const std::vector<bool> &values);

    /// Appends a child record and returns it. References stay valid while the node lives
    /// (children are held by pointer).
    FbxNode &addChild(const QByteArray &name);
    /// Shorthand for addChild(name) followed by one property, returning the child.
    FbxNode &addChildInt32(const QByteArray &name, qint32 value);
    FbxNode &addChildInt64(const QByteArray &name, qint64 value);
    FbxNode &addChildDouble(const QByteArray &name, double value);
    FbxNode &addChildString(const QByteArray &name, const QByteArray &value);

    /// Number of properties and their encoded bytes (type codes included).
    int propertyCount() const { return m_propertyCount; }
    const QByteArray &encodedProperties() const { return m_properties; }
    const std::vector<std::unique_ptr<FbxNode>> &children() const { return m_children; }

    /// Whether the serialiser must close this record with a null record even without children:
    /// true for records without properties (so that `Name: {}` and `Name:` differ) and for the
    /// AnimationStack/AnimationLayer records, which the FBX SDK always writes as blocks
    /// (observation recorded in Blender's encode_bin.py).
    bool alwaysBlock() const;

private:
    void beginProperty(char type);
    void appendArray(char type, const char *data, int count, int elementSize);

    QByteArray m_name;
    QByteArray m_properties;
    int m_propertyCount = 0;
    std::vector<std::unique_ptr<FbxNode>> m_children;
};

} // namespace fa
