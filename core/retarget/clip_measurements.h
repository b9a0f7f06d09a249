#pragma once

#include "retarget/frame_measurement.h"

#include <QByteArray>
#include <QSize>
#include <QString>

#include <optional>
#include <vector>

namespace fa {

/// The result of the measuring pass of a retarget (VideoMeasurer): one FrameMeasurement per
/// decoded frame of the chosen time range, in decoding order, with the video they came from.
/// ClipSolver turns it into an AnimationClip; frame i of the measurements is frame i of the clip.
///
/// Size: 669 bytes per frame with a face serialized (68 landmarks dominate; 29 without), so
/// 10 minutes at 30 fps take about 12 MB; about 1.3 kB per frame in memory.
class ClipMeasurements
{
public:
    ClipMeasurements() = default;
    /// `fps` > 0 (the container's rate, VideoInfo::fps); `frameSize` in display orientation.
    ClipMeasurements(const QString &videoPath, double fps, const QSize &frameSize);

    QString videoPath() const { return m_videoPath; }
    /// A session whose video moved points its measurements at the new place.
    void setVideoPath(const QString &path) { m_videoPath = path; }
    double fps() const { return m_fps; }
    QSize frameSize() const { return m_frameSize; }

    int frameCount() const { return int(m_frames.size()); }
    bool isEmpty() const { return m_frames.empty(); }
    const FrameMeasurement &frame(int index) const { return m_frames[size_t(index)]; }
    const std::vector<FrameMeasurement> &frames() const { return m_frames; }
    void append(const FrameMeasurement &frame) { m_frames.push_back(frame); }
    void reserve(int frames) { m_frames.reserve(size_t(frames)); }
    void clearFrames() { m_frames.clear(); }

    /// Frames with a usable face (FrameMeasurement::hasFace()) among the first `frames`
    /// (all when < 0).
    int faceCount(int frames = -1) const;
    /// Per frame 1 when it has a usable face, else 0 (the clip's faceFound mask).
    std::vector<unsigned char> faceMask() const;
    /// Index of the measurement of video frame `videoFrame`, or -1 when it is not measured.
    /// Frames are consecutive, so this is videoFrame - first video frame, range-checked.
    int indexOfVideoFrame(qint64 videoFrame) const;

    /// Versioned binary form (QDataStream, big-endian; floats bit-exact) for the project's
    /// animate sessions. Layout of version 1: magic "FAMS", quint16 version, video path, fps,
    /// width, height, frame count, then per frame: time (f64), video frame (i64), flags
    /// (bit 0 faceFound, 1 features, 2 pose valid), [box 4 x f32, 68 x 2 x f32 when faceFound],
    /// [20 x f32 features when set], yaw/pitch/roll 3 x f32.
    QByteArray serialize() const;
    /// Reads serialize()'s output back. Returns nullopt with `error` ("clip measurements: what
    /// is wrong") for data that is not measurements, a newer or unknown version, a truncated
    /// blob or trailing bytes.
    static std::optional<ClipMeasurements> deserialize(const QByteArray &data, QString *error);

    /// Exact equality of path, fps, size and every frame.
    bool operator==(const ClipMeasurements &other) const;
    bool operator!=(const ClipMeasurements &other) const { return !(*this == other); }

    static constexpr quint16 kFormatVersion = 1;

private:
    QString m_videoPath;
    double m_fps = 0.0;
    QSize m_frameSize;
    std::vector<FrameMeasurement> m_frames;
};

} // namespace fa
