#pragma once

#include <QByteArray>
#include <QString>

#include <vector>

/// A minimal binary FBX reader for the tests: parses the header, every record (32- or 64-bit
/// headers by version) and the properties of every type, decompressing zlib arrays. It checks
/// what Blender's parse_fbx.py and Assimp's tokenizer check (end offsets reached exactly, null
/// records all zero, array byte lengths) and reports the byte offset where the footer starts.
struct FbxTestProperty
{
    char type = 0;
    qint64 integer = 0;            ///< Y, C, I, L
    double real = 0.0;             ///< F, D
    QByteArray bytes;              ///< S, R
    std::vector<double> numbers;   ///< f, d, l, i, b (every array converted)
    quint32 encoding = 0;          ///< arrays: 0 raw, 1 zlib
};

struct FbxTestNode
{
    QByteArray name;
    std::vector<FbxTestProperty> properties;
    std::vector<FbxTestNode> children;

    /// First child of that name, or nullptr.
    const FbxTestNode *child(const QByteArray &childName) const;
    /// Every child of that name.
    std::vector<const FbxTestNode *> all(const QByteArray &childName) const;
};

class FbxTestReader
{
public:
    bool parse(const QByteArray &data);

    QString errorString() const { return m_error; }
    int version() const { return m_version; }
    const std::vector<FbxTestNode> &topLevel() const { return m_top; }
    /// Offset of the first byte after the closing null record (the footer id).
    qsizetype footerOffset() const { return m_footer; }
    const FbxTestNode *find(const QByteArray &name) const;

private:
    bool readNode(qsizetype &pos, FbxTestNode *node, bool *isNull);
    bool readProperty(qsizetype &pos, qsizetype end, FbxTestProperty *p);
    bool fail(const QString &what, qsizetype at);
    quint64 word(qsizetype &pos);

    QByteArray m_data;
    QString m_error;
    int m_version = 0;
    std::vector<FbxTestNode> m_top;
    qsizetype m_footer = 0;
};
