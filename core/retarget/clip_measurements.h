#pragma once

#include "retarget/frame_measurement.h"

#include <QByteArray>
#include <QSize>
#include <QString>

#include <deque>
#include <optional>
#include <vector>

namespace fa {

/// The result of the measuring pass of a retarget (VideoMeasurer): one FrameMeasurement per
/// decoded frame of the chosen time range, in decoding order, with the video they came from.
/// ClipSolver turns it into an AnimationClip; frame i of the measurements is frame i of the clip.
///
/// Size: about 750 bytes per frame with a face and its landmarks serialized (the 68 landmarks
/// dominate; 208 without them, 29 without a face), so 10 minutes at 30 fps take about 14 MB;
/// in memory about 1 kB per frame with landmarks, 250 bytes without.
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
    /// A deque: frames are appended while a video of unknown length is measured, and a
    /// vector's growth would hold two copies at once (an hour: 50 MB more at the peak).
    const std::deque<FrameMeasurement> &frames() const { return m_frames; }
    /// Appends a frame; returns the stored copy.
    const FrameMeasurement &append(FrameMeasurement frame)
    {
        m_frames.push_back(std::move(frame));
        return m_frames.back();
    }
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
    /// animate sessions. Layout of version 2: magic "FAMS", quint16 version, video path, fps,
    /// width, height, frame count, then per frame: time (f64), video frame (i64), flags
    /// (bit 0 faceFound, 1 features, 2 pose valid, 3 landmarks kept), [box 4 x f32 when
    /// faceFound], [68 x 2 x f32 when landmarks kept], [u8 count, count x f32 features when
    /// set], yaw/pitch/roll 3 x f32. Version 1 (read, not written) kept landmarks with every
    /// face and 20 features without a count; the features added since are recomputed from the
    /// landmarks, and its frames have no gaze measurement.
    QByteArray serialize() const;
    /// Reads serialize()'s output back. Returns nullopt with `error` ("clip measurements: what
    /// is wrong") for data that is not measurements, a newer or unknown version, a truncated
    /// blob or trailing bytes.
    static std::optional<ClipMeasurements> deserialize(const QByteArray &data, QString *error);

    /// Exact equality of path, fps, size and every frame.
    bool operator==(const ClipMeasurements &other) const;
    bool operator!=(const ClipMeasurements &other) const { return !(*this == other); }

    static constexpr quint16 kFormatVersion = 2;

private:
    QString m_videoPath;
    double m_fps = 0.0;
    QSize m_frameSize;
    std::deque<FrameMeasurement> m_frames;
};

} // namespace fa
