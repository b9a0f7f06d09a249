#include "avatar/avatar_import_reply.h"

#include <QImage>

#include <cstring>
#include <type_traits>

namespace fa {
namespace {

constexpr char kReplyMagic[8] = {'F', 'A', 'I', 'M', 'P', 'O', 'R', 'T'};
constexpr quint32 kByteOrderMark = 0x01020304u;

static_assert(sizeof(QVector3D) == 3 * sizeof(float) && std::is_trivially_copyable_v<QVector3D>,
              "QVector3D arrays are copied as raw floats");
static_assert(sizeof(QVector2D) == 2 * sizeof(float) && std::is_trivially_copyable_v<QVector2D>,
              "QVector2D arrays are copied as raw floats");

// The bytes of one row of `width` pixels of `format`, as QImage lays rows out (32-bit aligned);
// 0 for an invalid format.
quint64 imageRowBytes(quint64 width, int format)
{
    if (format <= int(QImage::Format_Invalid) || format >= int(QImage::NImageFormats))
        return 0;
    const quint64 depth = QImage::toPixelFormat(QImage::Format(format)).bitsPerPixel();
    return ((width * depth + 31) >> 5) << 2;
}

class ReplyWriter
{
public:
    template<typename T>
    void value(T v)
    {
        static_assert(std::is_arithmetic_v<T>);
        m_bytes.append(reinterpret_cast<const char *>(&v), sizeof v);
    }
    void bytes(const void *data, quint64 size) { m_bytes.append(static_cast<const char *>(data), qsizetype(size)); }
    void string(const QString &s)
    {
        const QByteArray utf8 = s.toUtf8();
        value(quint32(utf8.size()));
        m_bytes.append(utf8);
    }
    void strings(const QStringList &list)
    {
        value(quint32(list.size()));
        for (const QString &s : list)
            string(s);
    }
    template<typename T>
    void array(const std::vector<T> &v)
    {
        value(quint64(v.size()));
        bytes(v.data(), v.size() * sizeof(T));
    }
    QByteArray &data() { return m_bytes; }

private:
    QByteArray m_bytes;
};

// Reads what ReplyWriter wrote, never past the end: every count is checked against the bytes
// left before anything is allocated. The first failure sticks (why()) and stops all reads.
class ReplyReader
{
public:
    ReplyReader(const char *begin, const char *end) : m_pos(begin), m_end(end) {}

    quint64 left() const { return quint64(m_end - m_pos); }
    QString why() const { return m_why; }

    bool fail(const QString &why)
    {
        if (m_why.isEmpty())
            m_why = why;
        m_pos = m_end;
        return false;
    }
    template<typename T>
    bool value(T *v)
    {
        return bytes(v, sizeof(T));
    }
    bool bytes(void *out, quint64 size)
    {
        if (size > left())
            return fail(QStringLiteral("truncated"));
        if (size > 0)
            std::memcpy(out, m_pos, size_t(size));
        m_pos += size;
        return true;
    }
    bool string(QString *s)
    {
        quint32 size = 0;
        if (!value(&size))
            return false;
        if (size > left())
            return fail(QStringLiteral("a string of %1 bytes where %2 are left").arg(size).arg(left()));
        *s = QString::fromUtf8(m_pos, qsizetype(size));
        m_pos += size;
        return true;
    }
    bool strings(QStringList *list)
    {
        quint32 count = 0;
        if (!value(&count))
            return false;
        if (count > left() / sizeof(quint32))
            return fail(QStringLiteral("%1 strings where %2 bytes are left").arg(count).arg(left()));
        list->clear();
        list->reserve(qsizetype(count));
        for (quint32 i = 0; i < count; ++i) {
            QString s;
            if (!string(&s))
                return false;
            *list << s;
        }
        return true;
    }
    template<typename T>
    bool array(std::vector<T> *v, const char *what)
    {
        quint64 count = 0;
        if (!value(&count))
            return false;
        if (count > left() / sizeof(T))
            return fail(QStringLiteral("%1 %2 where %3 bytes are left").arg(count).arg(QLatin1String(what)).arg(left()));
        v->resize(size_t(count));
        return bytes(v->data(), count * sizeof(T));
    }

private:
    const char *m_pos;
    const char *m_end;
    QString m_why;
};

void writeTexture(ReplyWriter &out, const QImage &texture)
{
    const bool standard = quint64(texture.bytesPerLine()) == imageRowBytes(quint64(texture.width()), int(texture.format()));
    const QImage image = standard ? texture : texture.copy();
    out.value(qint32(image.width()));
    out.value(qint32(image.height()));
    out.value(qint32(image.format()));
    out.value(qint32(image.bytesPerLine()));
    const QList<QRgb> colors = image.colorTable();
    out.value(quint32(colors.size()));
    for (QRgb c : colors)
        out.value(quint32(c));
    out.bytes(image.constBits(), quint64(image.sizeInBytes()));
}

bool readTexture(ReplyReader &in, QImage *image)
{
    qint32 width = 0, height = 0, format = 0, bytesPerLine = 0;
    quint32 colorCount = 0;
    if (!in.value(&width) || !in.value(&height) || !in.value(&format) || !in.value(&bytesPerLine)
        || !in.value(&colorCount))
        return false;
    if (width <= 0 || height <= 0)
        return in.fail(QStringLiteral("a %1x%2 texture").arg(width).arg(height));
    const quint64 rowBytes = imageRowBytes(quint64(width), format);
    if (rowBytes == 0)
        return in.fail(QStringLiteral("texture format %1").arg(format));
    if (quint64(bytesPerLine) != rowBytes)
        return in.fail(QStringLiteral("a %1-pixel texture row of %2 bytes").arg(width).arg(bytesPerLine));
    if (colorCount > 256 || colorCount > in.left() / sizeof(quint32))
        return in.fail(QStringLiteral("a texture with %1 palette colours").arg(colorCount));
    QList<QRgb> colors(qsizetype(colorCount), 0);
    for (QRgb &c : colors)
        if (!in.value(&c))
            return false;
    if (quint64(height) > in.left() / rowBytes)
        return in.fail(QStringLiteral("a texture of %1 rows of %2 bytes where %3 bytes are left")
                           .arg(height).arg(rowBytes).arg(in.left()));
    QImage decoded(width, height, QImage::Format(format));
    if (decoded.isNull() || quint64(decoded.bytesPerLine()) != rowBytes)
        return in.fail(QStringLiteral("a %1x%2 texture QImage cannot hold").arg(width).arg(height));
    if (!colors.isEmpty())
        decoded.setColorTable(colors);
    if (!in.bytes(decoded.bits(), quint64(height) * rowBytes))
        return false;
    *image = decoded;
    return true;
}

void writeMesh(ReplyWriter &out, const AvatarMesh &mesh)
{
    out.string(mesh.name);
    out.bytes(mesh.transform.constData(), 16 * sizeof(float));
    out.value(qint32(mesh.textureIndex));
    out.array(mesh.positions);
    out.array(mesh.normals);
    out.array(mesh.uvs);
    out.array(mesh.indices);
    out.value(quint32(mesh.morphTargets.size()));
    for (const MorphTarget &target : mesh.morphTargets) {
        out.string(target.name);
        out.array(target.positionDeltas);
        out.array(target.normalDeltas);
    }
}

bool readMesh(ReplyReader &in, int index, int textureCount, AvatarMesh *mesh)
{
    float transform[16];
    qint32 textureIndex = -1;
    quint32 targetCount = 0;
    if (!in.string(&mesh->name) || !in.bytes(transform, sizeof transform) || !in.value(&textureIndex)
        || !in.array(&mesh->positions, "positions") || !in.array(&mesh->normals, "normals")
        || !in.array(&mesh->uvs, "uvs") || !in.array(&mesh->indices, "indices") || !in.value(&targetCount))
        return false;
    mesh->transform = QMatrix4x4(transform).transposed(); // the constructor reads row-major
    mesh->textureIndex = textureIndex;
    const size_t n = mesh->positions.size();
    const QString at = QStringLiteral("mesh %1: ").arg(index);
    if (textureIndex < -1 || textureIndex >= textureCount)
        return in.fail(at + QStringLiteral("texture %1 of %2").arg(textureIndex).arg(textureCount));
    if (mesh->normals.size() != n || !(mesh->uvs.empty() || mesh->uvs.size() == n))
        return in.fail(at + QStringLiteral("%1 normals and %2 uvs for %3 vertices")
                                .arg(mesh->normals.size()).arg(mesh->uvs.size()).arg(n));
    if (mesh->indices.empty() || mesh->indices.size() % 3 != 0)
        return in.fail(at + QStringLiteral("%1 indices").arg(mesh->indices.size()));
    for (quint32 i : mesh->indices)
        if (i >= n)
            return in.fail(at + QStringLiteral("index %1 outside its %2 vertices").arg(i).arg(n));
    // Each target needs at least a name size and two array sizes.
    if (targetCount > in.left() / (sizeof(quint32) + 2 * sizeof(quint64)))
        return in.fail(at + QStringLiteral("%1 morph targets where %2 bytes are left").arg(targetCount).arg(in.left()));
    mesh->morphTargets.resize(targetCount);
    for (MorphTarget &target : mesh->morphTargets) {
        if (!in.string(&target.name) || !in.array(&target.positionDeltas, "position deltas")
            || !in.array(&target.normalDeltas, "normal deltas"))
            return false;
        if (target.positionDeltas.size() != n || !(target.normalDeltas.empty() || target.normalDeltas.size() == n))
            return in.fail(at + QStringLiteral("morph target \"%1\" with %2 position and %3 normal deltas for %4 vertices")
                                    .arg(target.name).arg(target.positionDeltas.size())
                                    .arg(target.normalDeltas.size()).arg(n));
    }
    return true;
}

void writeAvatar(ReplyWriter &out, const Avatar &avatar)
{
    out.string(avatar.name);
    out.string(avatar.sourcePath);
    out.value(avatar.unitScaleToMeters);
    out.value(quint32(avatar.textures.size()));
    for (const QImage &texture : avatar.textures)
        writeTexture(out, texture);
    out.value(quint32(avatar.meshes.size()));
    for (const AvatarMesh &mesh : avatar.meshes)
        writeMesh(out, mesh);
}

bool readAvatar(ReplyReader &in, Avatar *avatar)
{
    quint32 textureCount = 0, meshCount = 0;
    if (!in.string(&avatar->name) || !in.string(&avatar->sourcePath) || !in.value(&avatar->unitScaleToMeters)
        || !in.value(&textureCount))
        return false;
    // A texture takes at least 20 bytes of header and one 4-byte row.
    if (textureCount > in.left() / 24)
        return in.fail(QStringLiteral("%1 textures where %2 bytes are left").arg(textureCount).arg(in.left()));
    avatar->textures.resize(textureCount);
    for (QImage &texture : avatar->textures)
        if (!readTexture(in, &texture))
            return false;
    if (!in.value(&meshCount))
        return false;
    // A mesh takes at least 4 + 64 + 4 + 4 * 8 + 4 bytes and three indices.
    if (meshCount > in.left() / 120)
        return in.fail(QStringLiteral("%1 meshes where %2 bytes are left").arg(meshCount).arg(in.left()));
    avatar->meshes.resize(meshCount);
    for (quint32 m = 0; m < meshCount; ++m)
        if (!readMesh(in, int(m), int(textureCount), &avatar->meshes[m]))
            return false;
    if (avatar->meshes.empty())
        return in.fail(QStringLiteral("an avatar without meshes"));
    return true;
}

void writeClip(ReplyWriter &out, const AnimationClip &clip)
{
    out.strings(clip.controlNames());
    out.value(clip.fps());
    out.value(quint64(clip.frameCount()));
    out.bytes(clip.frameTimes().data(), clip.frameTimes().size() * sizeof(double));
    out.bytes(clip.values().data(), clip.values().size() * sizeof(float));
    for (int f = 0; f < clip.frameCount(); ++f)
        out.value(quint8(clip.faceFound(f) ? 1 : 0));
}

bool readClip(ReplyReader &in, AnimationClip *clip)
{
    QStringList controls;
    double fps = 0;
    quint64 frames = 0;
    if (!in.strings(&controls) || !in.value(&fps) || !in.value(&frames))
        return false;
    const quint64 perFrame = sizeof(double) + quint64(controls.size()) * sizeof(float) + 1;
    if (frames > in.left() / perFrame)
        return in.fail(QStringLiteral("a clip of %1 frames of %2 controls where %3 bytes are left")
                           .arg(frames).arg(controls.size()).arg(in.left()));
    std::vector<double> times(frames);
    std::vector<float> values(frames * quint64(controls.size()));
    std::vector<quint8> found(frames);
    if (!in.bytes(times.data(), frames * sizeof(double)) || !in.bytes(values.data(), values.size() * sizeof(float))
        || !in.bytes(found.data(), frames))
        return false;
    *clip = AnimationClip(controls, fps);
    for (quint64 f = 0; f < frames; ++f)
        clip->appendFrame(times[f], values.data() + f * quint64(controls.size()), found[f] != 0);
    return true;
}

} // namespace

QByteArray AvatarImportReply::encode() const
{
    ReplyWriter out;
    out.bytes(kReplyMagic, sizeof kReplyMagic);
    out.value(kVersion);
    out.value(kByteOrderMark);
    out.value(quint64(0)); // body size, filled in below
    const qsizetype bodyStart = out.data().size();
    out.string(error);
    out.strings(warnings);
    out.strings(animationNames);
    out.value(quint8(avatar ? 1 : 0));
    if (avatar)
        writeAvatar(out, *avatar);
    out.value(quint32(clips.size()));
    for (const AnimationClip &clip : clips)
        writeClip(out, clip);
    const quint64 bodySize = quint64(out.data().size() - bodyStart);
    std::memcpy(out.data().data() + bodyStart - sizeof bodySize, &bodySize, sizeof bodySize);
    return out.data();
}

bool AvatarImportReply::decode(const QByteArray &bytes, QString *why)
{
    *this = AvatarImportReply();
    ReplyReader in(bytes.constData(), bytes.constData() + bytes.size());
    char magic[sizeof kReplyMagic] = {};
    quint32 version = 0, byteOrder = 0;
    quint64 bodySize = 0;
    quint8 hasAvatar = 0;
    quint32 clipCount = 0;
    bool ok = in.bytes(magic, sizeof magic)
              && (std::memcmp(magic, kReplyMagic, sizeof magic) == 0 || in.fail(QStringLiteral("no reply header")))
              && in.value(&version)
              && (version == kVersion || in.fail(QStringLiteral("version %1, expected %2").arg(version).arg(kVersion)))
              && in.value(&byteOrder)
              && (byteOrder == kByteOrderMark || in.fail(QStringLiteral("another byte order")))
              && in.value(&bodySize)
              && (bodySize == in.left()
                  || in.fail(QStringLiteral("%1 bytes of body where the header says %2").arg(in.left()).arg(bodySize)))
              && in.string(&error) && in.strings(&warnings) && in.strings(&animationNames) && in.value(&hasAvatar);
    if (ok && hasAvatar) {
        avatar = std::make_unique<Avatar>();
        ok = readAvatar(in, avatar.get());
    }
    ok = ok && in.value(&clipCount);
    // A clip takes at least 4 + 8 + 8 bytes.
    if (ok && clipCount > in.left() / 20)
        ok = in.fail(QStringLiteral("%1 clips where %2 bytes are left").arg(clipCount).arg(in.left()));
    if (ok) {
        clips.resize(clipCount);
        for (AnimationClip &clip : clips)
            if (!(ok = readClip(in, &clip)))
                break;
    }
    if (ok && in.left() != 0)
        ok = in.fail(QStringLiteral("%1 bytes after the reply").arg(in.left()));
    if (!ok) {
        *why = in.why();
        *this = AvatarImportReply();
    }
    return ok;
}

} // namespace fa
