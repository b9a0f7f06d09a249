#pragma once

#include <QString>
#include <QStringList>

#include <vector>

namespace fa {

/// Per-frame rig curves: a frames × controls matrix of control values with one time stamp and
/// one face-found flag per frame.
///
/// Values are in the control's own unit: blendshape weights in [0,1], head rotations in degrees
/// (controls named headYaw/headPitch/headRoll). Frame times are seconds from the start of the
/// source video (they need not start at 0 when a clip was cut with --start). Frames where no face
/// was found are kept (mask false) with the values the solver chose for them (the last solved
/// pose, or neutral), so that frame i of the clip is frame i of the video range.
class AnimationClip
{
public:
    AnimationClip() = default;
    AnimationClip(const QStringList &controlNames, double fps);

    double fps() const { return m_fps; }
    void setFps(double fps) { m_fps = fps; }

    int frameCount() const { return int(m_times.size()); }
    int controlCount() const { return int(m_controlNames.size()); }
    const QStringList &controlNames() const { return m_controlNames; }
    /// Index of a control by exact name, or -1.
    int controlIndex(const QString &name) const { return m_controlNames.indexOf(name); }

    /// Appends one frame. `values` holds controlCount() floats.
    void appendFrame(double timeSeconds, const float *values, bool faceFound);
    void appendFrame(double timeSeconds, const std::vector<float> &values, bool faceFound);
    /// Removes every frame, keeping the controls and fps.
    void clearFrames();

    double frameTime(int frame) const { return m_times[size_t(frame)]; }
    bool faceFound(int frame) const { return m_faceFound[size_t(frame)] != 0; }
    void setFaceFound(int frame, bool found) { m_faceFound[size_t(frame)] = found ? 1 : 0; }
    int faceFoundCount() const;

    float value(int frame, int control) const { return m_values[index(frame, control)]; }
    void setValue(int frame, int control, float v) { m_values[index(frame, control)] = v; }
    /// Pointer to the controlCount() values of one frame.
    const float *frame(int frame) const { return m_values.data() + index(frame, 0); }

    /// One control's curve over all frames.
    std::vector<float> channel(int control) const;
    void setChannel(int control, const std::vector<float> &curve);

    /// Row-major frames × controls matrix.
    const std::vector<float> &values() const { return m_values; }
    const std::vector<double> &frameTimes() const { return m_times; }

    /// Clip duration in seconds: frameCount() / fps(), 0 when empty.
    double duration() const { return m_fps > 0 ? frameCount() / m_fps : 0.0; }

private:
    size_t index(int frame, int control) const
    {
        return size_t(frame) * size_t(m_controlNames.size()) + size_t(control);
    }

    double m_fps = 30.0;
    QStringList m_controlNames;
    std::vector<double> m_times;
    std::vector<float> m_values;
    std::vector<unsigned char> m_faceFound;
};

} // namespace fa
