#pragma once

#include <QtGlobal>

namespace fa {

/// Progress of a running retarget (or of its measuring pass, VideoMeasurer), reported after
/// every decoded frame.
struct RetargetProgress
{
    qint64 framesDone = 0;
    qint64 framesTotal = 0; ///< Frames expected in the chosen time range (from the container).
    qint64 facesFound = 0;  ///< Frames so far with a usable face (FrameMeasurement::features set).
    double elapsedSeconds = 0.0;
};

} // namespace fa
