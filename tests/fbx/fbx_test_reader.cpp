#include "fbx_test_reader.h"

#include <QtEndian>

#include <cstring>

const FbxTestNode *FbxTestNode::child(const QByteArray &childName) const
{
    for (const FbxTestNode &c : children)
        if (c.name == childName)
            return &c;
    return nullptr;
}

std::vector<const FbxTestNode *> FbxTestNode::all(const QByteArray &childName) const
{
    std::vector<const FbxTestNode *> out;
    for (const FbxTestNode &c : children)
        if (c.name == childName)
            out.push_back(&c);
    return out;
}

const FbxTestNode *FbxTestReader::find(const QByteArray &name) const
{
    for (const FbxTestNode &n : m_top)
        if (n.name == name)
            return &n;
    return nullptr;
}

bool FbxTestReader::fail(const QString &what, qsizetype at)
{
    m_error = QStringLiteral("offset %1: %2").arg(at).arg(what);
    return false;
}

quint64 FbxTestReader::word(qsizetype &pos)
{
    if (m_version >= 7500) {
        const quint64 v = qFromLittleEndian<quint64>(m_data.constData() + pos);
        pos += 8;
        return v;
    }
    const quint32 v = qFromLittleEndian<quint32>(m_data.constData() + pos);
    pos += 4;
    return v;
}

bool FbxTestReader::parse(const QByteArray &data)
{
    m_data = data;
    m_top.clear();
    if (data.size() < 27 || std::memcmp(data.constData(), "Kaydara FBX Binary  \x00\x1a\x00", 23) != 0)
        return fail(QStringLiteral("bad header"), 0);
    m_version = int(qFromLittleEndian<quint32>(data.constData() + 23));
    qsizetype pos = 27;
    for (;;) {
        FbxTestNode node;
        bool isNull = false;
        if (!readNode(pos, &node, &isNull))
            return false;
        if (isNull)
            break;
        m_top.push_back(std::move(node));
    }
    m_footer = pos;
    return true;
}

bool FbxTestReader::readNode(qsizetype &pos, FbxTestNode *node, bool *isNull)
{
    const int headerSize = m_version >= 7500 ? 25 : 13;
    if (pos + headerSize > m_data.size())
        return fail(QStringLiteral("record header past the end"), pos);
    const qsizetype start = pos;
    const quint64 end = word(pos);
    const quint64 count = word(pos);
    const quint64 length = word(pos);
    const int nameLength = quint8(m_data[pos++]);
    if (end == 0) {
        for (qsizetype i = start; i < start + headerSize; ++i)
            if (m_data[i] != 0)
                return fail(QStringLiteral("null record not all zero"), i);
        *isNull = true;
        return true;
    }
    if (end > quint64(m_data.size()) || end < quint64(pos))
        return fail(QStringLiteral("end offset out of range"), start);
    node->name = m_data.mid(pos, nameLength);
    pos += nameLength;
    const qsizetype propertiesEnd = pos + qsizetype(length);
    for (quint64 i = 0; i < count; ++i) {
        FbxTestProperty p;
        if (!readProperty(pos, propertiesEnd, &p))
            return false;
        node->properties.push_back(std::move(p));
    }
    if (pos != propertiesEnd)
        return fail(QStringLiteral("property length mismatch in %1").arg(QString::fromLatin1(node->name)), pos);
    if (quint64(pos) < end) {
        for (;;) {
            FbxTestNode child;
            bool childNull = false;
            if (!readNode(pos, &child, &childNull))
                return false;
            if (childNull)
                break;
            node->children.push_back(std::move(child));
        }
    }
    if (quint64(pos) != end)
        return fail(QStringLiteral("end offset of %1 not reached").arg(QString::fromLatin1(node->name)), pos);
    return true;
}

bool FbxTestReader::readProperty(qsizetype &pos, qsizetype end, FbxTestProperty *p)
{
    if (pos >= end)
        return fail(QStringLiteral("property past the property list"), pos);
    p->type = m_data[pos++];
    const char *d = m_data.constData();
    auto need = [&](qsizetype n) { return pos + n <= end; };
    switch (p->type) {
    case 'Y':
        if (!need(2)) break;
        p->integer = qFromLittleEndian<qint16>(d + pos);
        pos += 2;
        return true;
    case 'C':
        if (!need(1)) break;
        p->integer = d[pos] ? 1 : 0;
        pos += 1;
        return true;
    case 'I':
        if (!need(4)) break;
        p->integer = qFromLittleEndian<qint32>(d + pos);
        pos += 4;
        return true;
    case 'L':
        if (!need(8)) break;
        p->integer = qFromLittleEndian<qint64>(d + pos);
        pos += 8;
        return true;
    case 'F': {
        if (!need(4)) break;
        const quint32 bits = qFromLittleEndian<quint32>(d + pos);
        float f;
        std::memcpy(&f, &bits, 4);
        p->real = f;
        pos += 4;
        return true;
    }
    case 'D': {
        if (!need(8)) break;
        const quint64 bits = qFromLittleEndian<quint64>(d + pos);
        double v;
        std::memcpy(&v, &bits, 8);
        p->real = v;
        pos += 8;
        return true;
    }
    case 'S':
    case 'R': {
        if (!need(4)) break;
        const quint32 n = qFromLittleEndian<quint32>(d + pos);
        pos += 4;
        if (!need(n)) break;
        p->bytes = m_data.mid(pos, n);
        pos += n;
        return true;
    }
    case 'f':
    case 'd':
    case 'l':
    case 'i':
    case 'b': {
        if (!need(12)) break;
        const quint32 count = qFromLittleEndian<quint32>(d + pos);
        p->encoding = qFromLittleEndian<quint32>(d + pos + 4);
        const quint32 stored = qFromLittleEndian<quint32>(d + pos + 8);
        pos += 12;
        if (!need(stored)) break;
        const int size = (p->type == 'd' || p->type == 'l') ? 8 : (p->type == 'b' ? 1 : 4);
        QByteArray raw = m_data.mid(pos, stored);
        pos += stored;
        if (p->encoding == 1) {
            QByteArray withLength(4, '\0');
            qToBigEndian(quint32(count) * quint32(size), withLength.data());
            raw = qUncompress(withLength + raw);
        } else if (p->encoding != 0) {
            return fail(QStringLiteral("unknown array encoding %1").arg(p->encoding), pos);
        }
        if (raw.size() != qsizetype(count) * size)
            return fail(QStringLiteral("array holds %1 bytes for %2 elements").arg(raw.size()).arg(count), pos);
        const char *r = raw.constData();
        for (quint32 i = 0; i < count; ++i) {
            switch (p->type) {
            case 'f': {
                const quint32 bits = qFromLittleEndian<quint32>(r + 4 * i);
                float f;
                std::memcpy(&f, &bits, 4);
                p->numbers.push_back(f);
                break;
            }
            case 'd': {
                const quint64 bits = qFromLittleEndian<quint64>(r + 8 * i);
                double v;
                std::memcpy(&v, &bits, 8);
                p->numbers.push_back(v);
                break;
            }
            case 'l':
                p->numbers.push_back(double(qFromLittleEndian<qint64>(r + 8 * i)));
                break;
            case 'i':
                p->numbers.push_back(qFromLittleEndian<qint32>(r + 4 * i));
                break;
            default:
                p->numbers.push_back(r[i] ? 1.0 : 0.0);
                break;
            }
        }
        return true;
    }
    default:
        return fail(QStringLiteral("unknown property type %1").arg(QChar::fromLatin1(p->type)), pos - 1);
    }
    return fail(QStringLiteral("property of type %1 past the property list").arg(QChar::fromLatin1(p->type)), pos);
}
