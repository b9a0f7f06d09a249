#pragma once

#include "animate/channel_calibration.h"
#include "animation/animation_clip.h"
#include "animation/keyframe_curve.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace fa {

/// The editable animation of an Animate session: one KeyframeCurve and one ChannelCalibration
/// per rig control, over the frames of a solved clip (frame times in seconds from the source
/// video, face-found mask and fps kept from the clip).
///
/// Curves hold RAW values (what the solver produced, as edited); the final value of a channel
/// is gain * curve + offset, clamped to [0,1] unless the channel is an angle (headYaw,
/// headPitch, headRoll: degrees). Frames are 0 .. frameCount() - 1.
class RigAnimation
{
public:
    RigAnimation() = default;

    /// Dense keys (one per frame) with the clip's values, identity calibration.
    static RigAnimation fromClip(const AnimationClip &clip);

    const QStringList &controlNames() const { return m_controlNames; }
    int channelCount() const { return int(m_controlNames.size()); }
    /// Index of a control by exact name, or -1.
    int channelIndex(const QString &name) const { return m_controlNames.indexOf(name); }

    double fps() const { return m_fps; }
    int frameCount() const { return int(m_times.size()); }
    /// Seconds from the start of the source video.
    double frameTime(int frame) const { return m_times[size_t(frame)]; }
    const std::vector<double> &frameTimes() const { return m_times; }
    bool faceFound(int frame) const { return m_faceFound[size_t(frame)] != 0; }
    const std::vector<unsigned char> &faceFoundMask() const { return m_faceFound; }

    /// headYaw / headPitch / headRoll (degrees, never clamped).
    bool isAngle(int channel) const { return m_isAngle[size_t(channel)] != 0; }

    const KeyframeCurve &curve(int channel) const { return m_curves[size_t(channel)]; }
    void setCurve(int channel, const KeyframeCurve &curve) { m_curves[size_t(channel)] = curve; }
    ChannelCalibration calibration(int channel) const { return m_calibrations[size_t(channel)]; }
    void setCalibration(int channel, ChannelCalibration calibration)
    {
        m_calibrations[size_t(channel)] = calibration;
    }

    /// Final value: gain * curve + offset, clamped to [0,1] unless isAngle(channel).
    float value(int frame, int channel) const;
    /// Final values of every channel at `frame` (channelCount() floats, controlNames() order).
    std::vector<float> frameValues(int frame) const;
    /// Final values of frames firstFrame .. firstFrame + count - 1 into out[0 .. count-1].
    void sampleChannel(int channel, int firstFrame, int count, float *out) const;

    /// Frames first .. last (inclusive; last -1 = the last frame; both clamped to the range) as
    /// a clip of final values with the original frame times, face mask, fps and control names
    /// (what LiveLinkCsv / GenericCsv / FbxWriter take). Empty clip when the range is empty.
    AnimationClip toClip(int firstFrame = 0, int lastFrame = -1) const;

    /// Versioned compact binary (QDataStream, magic "FARA", version kSerialVersion): names, fps,
    /// times, mask, calibrations, and each curve's keys as runs of consecutive frames plus float
    /// values (a dense curve costs 4 bytes per frame).
    QByteArray serialize() const;
    /// nullopt + error ("animation data: what is wrong") for garbage, truncated data, another
    /// version, or inconsistent contents.
    static std::optional<RigAnimation> deserialize(const QByteArray &data, QString *error);

    static constexpr quint32 kSerialMagic = 0x46415241; // "FARA"
    static constexpr quint32 kSerialVersion = 1;

    bool operator==(const RigAnimation &other) const;
    bool operator!=(const RigAnimation &other) const { return !(*this == other); }

private:
    float finalValue(int channel, float raw) const;
    void initChannels(const QStringList &names);

    QStringList m_controlNames;
    double m_fps = 30.0;
    std::vector<double> m_times;
    std::vector<unsigned char> m_faceFound;
    std::vector<unsigned char> m_isAngle;
    std::vector<KeyframeCurve> m_curves;
    std::vector<ChannelCalibration> m_calibrations;
};

} // namespace fa
