#pragma once

#include "fbx/fbx_node.h"

#include <QByteArray>

#include <vector>

namespace fa {

/// Serialises top-level FbxNode records into the bytes of a binary FBX file.
///
/// Layout (as read by Blender's parse_fbx.py and Assimp's FBXBinaryTokenizer.cpp):
/// - header: the 23 bytes "Kaydara FBX Binary  \x00\x1a\x00", then the version as uint32 LE
///   (27 bytes in all);
/// - records: end offset (absolute, from the start of the file), property count and property
///   byte length, each uint32 for versions < 7500 and uint64 from 7500 on; the name length
///   (uint8) and name; the properties; then the children followed by a null record (13 zero bytes
///   before 7500, 25 from 7500 on) when the record has children or FbxNode::alwaysBlock();
/// - a null record closing the top level;
/// - the footer: a 16-byte footer id, 4 zero bytes, zero padding to a 16-byte boundary (a full
///   16 bytes when already aligned), the version as uint32, 120 zero bytes and a 16-byte magic.
///   The footer id belongs with the root FileId/CreationTime records: a scene must write
///   fileId() and creationTime() there. Constants as written by Blender's encode_bin.py.
class FbxBinaryWriter
{
public:
    /// The 16 bytes of the root `FileId` record matching the footer id.
    static QByteArray fileId();
    /// The root `CreationTime` string matching the footer id.
    static QByteArray creationTime();

    /// `version` is 7400 (32-bit record headers) or 7500 and later (64-bit record headers).
    explicit FbxBinaryWriter(int version) : m_version(version) {}

    int version() const { return m_version; }
    /// The whole file.
    QByteArray serialize(const std::vector<FbxNode> &topLevel) const;

private:
    bool wide() const { return m_version >= 7500; }
    int nullRecordSize() const { return wide() ? 25 : 13; }
    void writeNode(QByteArray &out, const FbxNode &node) const;
    void writeHeaderWord(QByteArray &out, quint64 value) const;

    int m_version;
};

} // namespace fa
