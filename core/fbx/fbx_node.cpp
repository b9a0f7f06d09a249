#include "fbx/fbx_node.h"

#include <QtEndian>

#include <cstring>

namespace fa {

namespace {

template<typename T>
void appendLittleEndian(QByteArray &out, T value)
{
    char bytes[sizeof(T)];
    qToLittleEndian(value, bytes);
    out.append(bytes, int(sizeof(T)));
}

} // namespace

void FbxNode::beginProperty(char type)
{
    m_properties.append(type);
    ++m_propertyCount;
}

FbxNode &FbxNode::addInt16(qint16 value)
{
    beginProperty('Y');
    appendLittleEndian(m_properties, value);
    return *this;
}

FbxNode &FbxNode::addBool(bool value)
{
    beginProperty('C');
    m_properties.append(value ? char(1) : char(0));
    return *this;
}

FbxNode &FbxNode::addInt32(qint32 value)
{
    beginProperty('I');
    appendLittleEndian(m_properties, value);
    return *this;
}

FbxNode &FbxNode::addInt64(qint64 value)
{
    beginProperty('L');
    appendLittleEndian(m_properties, value);
    return *this;
}

FbxNode &FbxNode::addFloat(float value)
{
    beginProperty('F');
    quint32 bits;
    std::memcpy(&bits, &value, sizeof bits);
    appendLittleEndian(m_properties, bits);
    return *this;
}

FbxNode &FbxNode::addDouble(double value)
{
    beginProperty('D');
    quint64 bits;
    std::memcpy(&bits, &value, sizeof bits);
    appendLittleEndian(m_properties, bits);
    return *this;
}

FbxNode &FbxNode::addString(const QByteArray &value)
{
    beginProperty('S');
    appendLittleEndian(m_properties, quint32(value.size()));
    m_properties.append(value);
    return *this;
}

FbxNode &FbxNode::addString(const QString &value)
{
    return addString(value.toUtf8());
}

FbxNode &FbxNode::addRaw(const QByteArray &value)
{
    beginProperty('R');
    appendLittleEndian(m_properties, quint32(value.size()));
    m_properties.append(value);
    return *this;
}

void FbxNode::appendArray(char type, const char *data, int count, int elementSize)
{
    // The host is little-endian on every platform the studio targets (x86-64, arm64), so the
    // in-memory bytes are the file bytes.
    static_assert(Q_BYTE_ORDER == Q_LITTLE_ENDIAN, "binary FBX arrays are written from memory");
    beginProperty(type);
    const QByteArray raw = QByteArray::fromRawData(data, count * elementSize);
    quint32 encoding = 0;
    QByteArray payload;
    if (raw.size() > kCompressThreshold) {
        // qCompress prepends the uncompressed size as a 4-byte big-endian integer; what follows
        // is a plain zlib stream (header, deflate data, adler32), which is what FBX stores.
        payload = qCompress(raw, 1).mid(4);
        encoding = 1;
    } else {
        payload = QByteArray(raw.constData(), raw.size());
    }
    appendLittleEndian(m_properties, quint32(count));
    appendLittleEndian(m_properties, encoding);
    appendLittleEndian(m_properties, quint32(payload.size()));
    m_properties.append(payload);
}

FbxNode &FbxNode::addFloatArray(const std::vector<float> &values)
{
    appendArray('f', reinterpret_cast<const char *>(values.data()), int(values.size()), 4);
    return *this;
}

FbxNode &FbxNode::addDoubleArray(const std::vector<double> &values)
{
    appendArray('d', reinterpret_cast<const char *>(values.data()), int(values.size()), 8);
    return *this;
}

FbxNode &FbxNode::addInt64Array(const std::vector<qint64> &values)
{
    appendArray('l', reinterpret_cast<const char *>(values.data()), int(values.size()), 8);
    return *this;
}

FbxNode &FbxNode::addInt32Array(const std::vector<qint32> &values)
{
    appendArray('i', reinterpret_cast<const char *>(values.data()), int(values.size()), 4);
    return *this;
}

FbxNode &FbxNode::addBoolArray(const std::vector<bool> &values)
{
    std::vector<char> bytes(values.size());
    for (size_t i = 0; i < values.size(); ++i)
        bytes[i] = values[i] ? 1 : 0;
    appendArray('b', bytes.data(), int(bytes.size()), 1);
    return *this;
}

FbxNode &FbxNode::addChild(const QByteArray &name)
{
    m_children.push_back(std::make_unique<FbxNode>(name));
    return *m_children.back();
}

FbxNode &FbxNode::addChildInt32(const QByteArray &name, qint32 value)
{
    return addChild(name).addInt32(value);
}

FbxNode &FbxNode::addChildInt64(const QByteArray &name, qint64 value)
{
    return addChild(name).addInt64(value);
}

FbxNode &FbxNode::addChildDouble(const QByteArray &name, double value)
{
    return addChild(name).addDouble(value);
}

FbxNode &FbxNode::addChildString(const QByteArray &name, const QByteArray &value)
{
    return addChild(name).addString(value);
}

bool FbxNode::alwaysBlock() const
{
    return m_propertyCount == 0 || m_name == "AnimationStack" || m_name == "AnimationLayer";
}

} // namespace fa
