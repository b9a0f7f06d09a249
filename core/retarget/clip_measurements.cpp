#include "retarget/clip_measurements.h"

#include "common/error_text.h"

#include <QDataStream>
#include <QIODevice>

#include <algorithm>
#include <cstring>

namespace fa {
namespace {

constexpr quint32 kMagic = 0x46414d53; // "FAMS": FreeAvatar measurements
constexpr quint8 kFaceFoundFlag = 1;
constexpr quint8 kFeaturesFlag = 2;
constexpr quint8 kPoseValidFlag = 4;
constexpr quint8 kLandmarksFlag = 8;      // version 2; version 1 keeps landmarks with every face
constexpr int kVersion1FeatureCount = 20; // the features of version 1, the first 20 of today's
// Bytes of a frame without a face: time, video frame, flags, pose.
constexpr qint64 kMinFrameBytes = 8 + 8 + 1 + 3 * 4;

// Floats go through their bit patterns so that they round-trip exactly whatever the stream's
// floating-point precision setting.
void writeFloat(QDataStream &out, float value)
{
    quint32 bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    out << bits;
}

float readFloat(QDataStream &in)
{
    quint32 bits = 0;
    in >> bits;
    float value = 0.0f;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

bool fail(QString *error, const QString &what)
{
    return failWith(error, QStringLiteral("clip measurements: %1").arg(what));
}

} // namespace

ClipMeasurements::ClipMeasurements(const QString &videoPath, double fps, const QSize &frameSize)
    : m_videoPath(videoPath), m_fps(fps), m_frameSize(frameSize)
{
}

int ClipMeasurements::faceCount(int frames) const
{
    const size_t end = frames < 0 ? m_frames.size() : std::min(m_frames.size(), size_t(frames));
    int count = 0;
    for (size_t i = 0; i < end; ++i)
        count += m_frames[i].hasFace() ? 1 : 0;
    return count;
}

std::vector<unsigned char> ClipMeasurements::faceMask() const
{
    std::vector<unsigned char> mask(m_frames.size());
    for (size_t i = 0; i < m_frames.size(); ++i)
        mask[i] = m_frames[i].hasFace() ? 1 : 0;
    return mask;
}

int ClipMeasurements::indexOfVideoFrame(qint64 videoFrame) const
{
    if (m_frames.empty())
        return -1;
    const qint64 i = videoFrame - m_frames.front().videoFrame;
    if (i < 0 || i >= qint64(m_frames.size()) || m_frames[size_t(i)].videoFrame != videoFrame)
        return -1;
    return int(i);
}

QByteArray ClipMeasurements::serialize() const
{
    QByteArray data;
    data.reserve(int(64 + m_frames.size() * 680));
    QDataStream out(&data, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_0);
    out << kMagic << kFormatVersion << m_videoPath << m_fps << qint32(m_frameSize.width())
        << qint32(m_frameSize.height()) << quint32(m_frames.size());
    for (const FrameMeasurement &f : m_frames) {
        quint8 flags = 0;
        if (f.faceFound)
            flags |= kFaceFoundFlag;
        if (f.features)
            flags |= kFeaturesFlag;
        if (f.pose.valid)
            flags |= kPoseValidFlag;
        if (f.faceFound && f.hasLandmarks())
            flags |= kLandmarksFlag;
        out << f.timeSeconds << f.videoFrame << flags;
        if (f.faceFound) {
            writeFloat(out, float(f.faceBox.x()));
            writeFloat(out, float(f.faceBox.y()));
            writeFloat(out, float(f.faceBox.width()));
            writeFloat(out, float(f.faceBox.height()));
            if (flags & kLandmarksFlag)
                for (const QPointF &p : f.landmarks) {
                    writeFloat(out, float(p.x()));
                    writeFloat(out, float(p.y()));
                }
        }
        if (f.features) {
            out << quint8(LandmarkFeatures::kCount);
            for (int i = 0; i < LandmarkFeatures::kCount; ++i)
                writeFloat(out, f.features->value(i));
        }
        writeFloat(out, f.pose.yaw);
        writeFloat(out, f.pose.pitch);
        writeFloat(out, f.pose.roll);
    }
    return data;
}

std::optional<ClipMeasurements> ClipMeasurements::deserialize(const QByteArray &data, QString *error)
{
    QDataStream in(data);
    in.setVersion(QDataStream::Qt_6_0);
    quint32 magic = 0;
    quint16 version = 0;
    in >> magic;
    if (in.status() != QDataStream::Ok || magic != kMagic) {
        fail(error, QStringLiteral("not FreeAvatar clip measurements (%1 bytes without the \"FAMS\" header)")
                        .arg(data.size()));
        return std::nullopt;
    }
    in >> version;
    if (in.status() != QDataStream::Ok || version < 1 || version > kFormatVersion) {
        fail(error, QStringLiteral("format version %1 is not supported (this build reads version %2)")
                        .arg(version)
                        .arg(kFormatVersion));
        return std::nullopt;
    }
    ClipMeasurements result;
    qint32 width = 0, height = 0;
    quint32 frameCount = 0;
    in >> result.m_videoPath >> result.m_fps >> width >> height >> frameCount;
    if (in.status() != QDataStream::Ok) {
        fail(error, QStringLiteral("truncated header"));
        return std::nullopt;
    }
    result.m_frameSize = QSize(width, height);
    // Reject a count the remaining bytes cannot hold before allocating for it.
    const qint64 remaining = data.size() - in.device()->pos();
    if (qint64(frameCount) * kMinFrameBytes > remaining) {
        fail(error, QStringLiteral("%1 frames announced but only %2 bytes follow").arg(frameCount).arg(remaining));
        return std::nullopt;
    }
    result.m_frames.resize(frameCount);
    for (quint32 i = 0; i < frameCount; ++i) {
        FrameMeasurement &f = result.m_frames[i];
        quint8 flags = 0;
        in >> f.timeSeconds >> f.videoFrame >> flags;
        const quint8 known = kFaceFoundFlag | kFeaturesFlag | kPoseValidFlag | (version >= 2 ? kLandmarksFlag : 0);
        if (flags & ~known) {
            fail(error, QStringLiteral("frame %1 has unknown flags %2").arg(i).arg(flags));
            return std::nullopt;
        }
        f.faceFound = flags & kFaceFoundFlag;
        const bool landmarks = f.faceFound && (version == 1 || (flags & kLandmarksFlag));
        if (f.faceFound) {
            const float x = readFloat(in), y = readFloat(in), w = readFloat(in), h = readFloat(in);
            f.faceBox = QRectF(x, y, w, h);
        }
        if (landmarks) {
            f.landmarks.resize(68);
            for (QPointF &p : f.landmarks) {
                const float px = readFloat(in), py = readFloat(in);
                p = QPointF(px, py);
            }
        }
        if (flags & kFeaturesFlag) {
            quint8 count = kVersion1FeatureCount;
            if (version >= 2)
                in >> count;
            LandmarkFeatures features;
            for (int k = 0; k < int(count); ++k) {
                const float value = readFloat(in);
                if (k < LandmarkFeatures::kCount)
                    features.value(k) = value;
            }
            // Features added since the data was written: those from landmarks are recomputed
            // (exactly, from the same float points); gaze stays unmeasured (strength 0).
            if (int(count) < LandmarkFeatures::kLandmarkCount && landmarks) {
                FaceLandmarks points;
                for (int k = 0; k < FaceLandmarks::kCount; ++k)
                    points.points[size_t(k)] = cv::Point2f(float(f.landmarks[size_t(k)].x()), float(f.landmarks[size_t(k)].y()));
                const LandmarkFeatures recomputed = LandmarkFeatures::compute(points);
                for (int k = int(count); k < LandmarkFeatures::kLandmarkCount; ++k)
                    features.value(k) = recomputed.value(k);
            }
            features.valid = true;
            f.features = features;
        }
        f.pose.yaw = readFloat(in);
        f.pose.pitch = readFloat(in);
        f.pose.roll = readFloat(in);
        f.pose.valid = flags & kPoseValidFlag;
        if (in.status() != QDataStream::Ok) {
            fail(error, QStringLiteral("truncated at frame %1 of %2").arg(i).arg(frameCount));
            return std::nullopt;
        }
    }
    if (!in.atEnd()) {
        fail(error, QStringLiteral("%1 unexpected bytes after the last frame").arg(data.size() - in.device()->pos()));
        return std::nullopt;
    }
    return result;
}

bool ClipMeasurements::operator==(const ClipMeasurements &other) const
{
    return m_videoPath == other.m_videoPath && m_fps == other.m_fps && m_frameSize == other.m_frameSize
        && m_frames == other.m_frames;
}

} // namespace fa
