#include "fbx/fbx_binary_writer.h"

#include <QtEndian>

namespace fa {

namespace {

// "Kaydara FBX Binary" + two spaces + NUL, 0x1A, NUL.
const char kHeaderMagic[] = "Kaydara FBX Binary  \x00\x1a\x00";
constexpr int kHeaderMagicSize = 23;

// FileId / CreationTime / footer id triple: the values Blender's encode_bin.py writes, which
// Autodesk's reader accepts as consistent.
const char kFileId[] = "\x28\xb3\x2a\xeb\xb6\x24\xcc\xc2\xbf\xc8\xb0\x2a\xa9\x2b\xfc\xf1";
const char kCreationTime[] = "1970-01-01 10:00:00:000";
const char kFooterId[] = "\xfa\xbc\xab\x09\xd0\xc8\xd4\x66\xb1\x76\xfb\x83\x1c\xf7\x26\x7e";
const char kFooterMagic[] = "\xf8\x5a\x8c\x6a\xde\xf5\xd9\x7e\xec\xe9\x0c\xe3\x75\x8f\x29\x0b";

void appendUInt32(QByteArray &out, quint32 value)
{
    char bytes[4];
    qToLittleEndian(value, bytes);
    out.append(bytes, 4);
}

void patchWord(QByteArray &out, qsizetype at, quint64 value, bool wide)
{
    if (wide) {
        char bytes[8];
        qToLittleEndian(value, bytes);
        out.replace(at, 8, bytes, 8);
    } else {
        char bytes[4];
        qToLittleEndian(quint32(value), bytes);
        out.replace(at, 4, bytes, 4);
    }
}

} // namespace

QByteArray FbxBinaryWriter::fileId()
{
    return QByteArray(kFileId, 16);
}

QByteArray FbxBinaryWriter::creationTime()
{
    return QByteArray(kCreationTime);
}

void FbxBinaryWriter::writeHeaderWord(QByteArray &out, quint64 value) const
{
    if (wide()) {
        char bytes[8];
        qToLittleEndian(value, bytes);
        out.append(bytes, 8);
    } else {
        appendUInt32(out, quint32(value));
    }
}

void FbxBinaryWriter::writeNode(QByteArray &out, const FbxNode &node) const
{
    const qsizetype start = out.size();
    writeHeaderWord(out, 0); // end offset, patched below
    writeHeaderWord(out, quint64(node.propertyCount()));
    writeHeaderWord(out, quint64(node.encodedProperties().size()));
    out.append(char(quint8(node.name().size())));
    out.append(node.name());
    out.append(node.encodedProperties());
    if (!node.children().empty() || node.alwaysBlock()) {
        for (const auto &child : node.children())
            writeNode(out, *child);
        out.append(QByteArray(nullRecordSize(), '\0'));
    }
    patchWord(out, start, quint64(out.size()), wide());
}

QByteArray FbxBinaryWriter::serialize(const std::vector<FbxNode> &topLevel) const
{
    QByteArray out;
    out.append(kHeaderMagic, kHeaderMagicSize);
    appendUInt32(out, quint32(m_version));
    for (const FbxNode &node : topLevel)
        writeNode(out, node);
    out.append(QByteArray(nullRecordSize(), '\0'));

    out.append(kFooterId, 16);
    out.append(QByteArray(4, '\0'));
    int pad = int(((out.size() + 15) & ~qsizetype(15)) - out.size());
    if (pad == 0)
        pad = 16;
    out.append(QByteArray(pad, '\0'));
    appendUInt32(out, quint32(m_version));
    out.append(QByteArray(120, '\0'));
    out.append(kFooterMagic, 16);
    return out;
}

} // namespace fa
