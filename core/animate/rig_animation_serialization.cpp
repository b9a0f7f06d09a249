// RigAnimation::serialize / deserialize (the session store keeps the bytes opaque).
//
// Layout (QDataStream, big-endian, Qt_6_0):
//   quint32 magic "FARA", quint32 version (1),
//   QStringList controlNames, quint64 fps (IEEE double bits), quint32 frameCount,
//   frameCount x quint64 frame times (double bits), QByteArray faceFound (frameCount bytes),
//   per channel: quint32 gain bits, quint32 offset bits, quint32 keyCount, quint32 runCount,
//                runCount x (qint32 firstFrame, quint32 length), keyCount x quint32 value bits.
// A run is a stretch of keys on consecutive frames: a dense curve is one run.
#include "animate/rig_animation.h"

#include <QDataStream>
#include <QIODevice>

#include <cstring>
#include <limits>

namespace fa {

namespace {

/// The bits of a float/double as an unsigned integer of the same size, and back (std::bit_cast
/// of C++20): values are stored bit-exact, independent of QDataStream's floating-point precision.
template <typename To, typename From>
To bitCast(From value)
{
    static_assert(sizeof(To) == sizeof(From), "bitCast needs types of the same size");
    To out;
    std::memcpy(&out, &value, sizeof out);
    return out;
}

std::optional<RigAnimation> fail(QString *error, const QString &what)
{
    if (error)
        *error = QStringLiteral("animation data: %1").arg(what);
    return std::nullopt;
}

/// Reads a QStringList as QDataStream writes it (quint32 count, then the strings) without
/// trusting the count: Qt 6.4's reader reserves the count before reading any string, so a
/// corrupt count of 0x46415241 asks for some 28 GB (found by fuzz/fuzz_rig_animation). Every
/// string takes at least its 4-byte length, so a count the remaining bytes cannot hold is
/// refused first. False, with the stream's status set, on a bad count or a short string.
bool readNames(QDataStream &in, qint64 available, QStringList *names)
{
    quint32 count = 0;
    in >> count;
    if (in.status() != QDataStream::Ok)
        return false;
    if (qint64(count) * 4 > available - 4) {
        in.setStatus(QDataStream::ReadCorruptData);
        return false;
    }
    names->reserve(qsizetype(count));
    for (quint32 i = 0; i < count; ++i) {
        QString name;
        in >> name;
        if (in.status() != QDataStream::Ok)
            return false;
        names->append(name);
    }
    return true;
}

} // namespace

QByteArray RigAnimation::serialize() const
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_0);
    out << kSerialMagic << kSerialVersion << m_controlNames << bitCast<quint64>(m_fps)
        << quint32(frameCount());
    for (double t : m_times)
        out << bitCast<quint64>(t);
    out << QByteArray(reinterpret_cast<const char *>(m_faceFound.data()),
                      qsizetype(m_faceFound.size()));
    for (int c = 0; c < channelCount(); ++c) {
        const ChannelCalibration calibration = m_calibrations[size_t(c)];
        const std::vector<KeyframeCurve::Key> &keys = m_curves[size_t(c)].keys();
        std::vector<std::pair<qint32, quint32>> runs;
        for (const KeyframeCurve::Key &key : keys) {
            if (!runs.empty() && runs.back().first + qint64(runs.back().second) == key.frame)
                ++runs.back().second;
            else
                runs.emplace_back(key.frame, 1u);
        }
        out << bitCast<quint32>(calibration.gain) << bitCast<quint32>(calibration.offset)
            << quint32(keys.size()) << quint32(runs.size());
        for (const auto &[first, length] : runs)
            out << first << length;
        for (const KeyframeCurve::Key &key : keys)
            out << bitCast<quint32>(key.value);
    }
    return bytes;
}

std::optional<RigAnimation> RigAnimation::deserialize(const QByteArray &data, QString *error)
{
    QDataStream in(data);
    in.setVersion(QDataStream::Qt_6_0);
    quint32 magic = 0, version = 0;
    in >> magic >> version;
    if (in.status() != QDataStream::Ok || magic != kSerialMagic)
        return fail(error, QStringLiteral("not a rig animation (bad header)"));
    if (version != kSerialVersion)
        return fail(error, QStringLiteral("version %1 is not supported (this build reads %2)")
                               .arg(version).arg(kSerialVersion));
    QStringList names;
    quint64 fpsBits = 0;
    quint32 frameCount = 0;
    readNames(in, data.size() - in.device()->pos(), &names);
    in >> fpsBits >> frameCount;
    const qint64 remaining = data.size() - in.device()->pos();
    if (in.status() != QDataStream::Ok || qint64(frameCount) * 9 > remaining)
        return fail(error, QStringLiteral("truncated header"));
    RigAnimation animation;
    animation.initChannels(names);
    animation.m_fps = bitCast<double>(fpsBits);
    animation.m_times.resize(frameCount);
    for (double &t : animation.m_times) {
        quint64 bits = 0;
        in >> bits;
        t = bitCast<double>(bits);
    }
    QByteArray mask;
    in >> mask;
    if (in.status() != QDataStream::Ok || mask.size() != qsizetype(frameCount))
        return fail(error, QStringLiteral("truncated frame data"));
    animation.m_faceFound.assign(mask.begin(), mask.end());
    for (int c = 0; c < animation.channelCount(); ++c) {
        quint32 gain = 0, offset = 0, keyCount = 0, runCount = 0;
        in >> gain >> offset >> keyCount >> runCount;
        const qint64 left = data.size() - in.device()->pos();
        if (in.status() != QDataStream::Ok || qint64(keyCount) * 4 + qint64(runCount) * 8 > left
            || runCount > keyCount)
            return fail(error, QStringLiteral("truncated curve of channel %1").arg(names[c]));
        animation.m_calibrations[size_t(c)] = {bitCast<float>(gain), bitCast<float>(offset)};
        std::vector<KeyframeCurve::Key> keys;
        keys.reserve(keyCount);
        qint64 previous = std::numeric_limits<qint64>::min();
        for (quint32 r = 0; r < runCount; ++r) {
            qint32 first = 0;
            quint32 length = 0;
            in >> first >> length;
            if (first <= previous || length == 0 || keys.size() + length > keyCount
                || qint64(first) + length - 1 > std::numeric_limits<qint32>::max())
                return fail(error, QStringLiteral("bad keys in channel %1").arg(names[c]));
            for (quint32 i = 0; i < length; ++i)
                keys.push_back({int(first + qint64(i)), 0.0f});
            previous = qint64(first) + length - 1;
        }
        if (keys.size() != keyCount)
            return fail(error, QStringLiteral("bad key count in channel %1").arg(names[c]));
        for (KeyframeCurve::Key &key : keys) {
            quint32 bits = 0;
            in >> bits;
            key.value = bitCast<float>(bits);
        }
        animation.m_curves[size_t(c)] = KeyframeCurve::fromKeys(std::move(keys));
    }
    if (in.status() != QDataStream::Ok)
        return fail(error, QStringLiteral("truncated data"));
    if (!in.atEnd())
        return fail(error, QStringLiteral("%1 unexpected bytes after the last channel")
                               .arg(data.size() - in.device()->pos()));
    return animation;
}

} // namespace fa
