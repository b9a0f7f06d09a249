#pragma once

namespace fa {

/// Per-channel calibration of a rig curve: final = gain * curve + offset (then clamped to [0,1]
/// for blendshape weights; head angles in degrees are not clamped). Identity by default.
struct ChannelCalibration
{
    float gain = 1.0f;
    float offset = 0.0f;

    bool isIdentity() const { return gain == 1.0f && offset == 0.0f; }
    float apply(float value) const { return gain * value + offset; }
    bool operator==(const ChannelCalibration &other) const
    {
        return gain == other.gain && offset == other.offset;
    }
    bool operator!=(const ChannelCalibration &other) const { return !(*this == other); }
};

} // namespace fa
