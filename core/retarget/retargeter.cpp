#include "retarget/retargeter.h"

#include "retarget/clip_solver.h"
#include "retarget/video_measurer.h"

#include <QElapsedTimer>

namespace fa {

bool Retargeter::fail(const QString &error)
{
    m_error = error;
    return false;
}

bool Retargeter::run(const RetargetOptions &options, const ProgressCallback &progress)
{
    m_error.clear();
    m_warning.clear();
    m_canceled = false;
    m_clip = AnimationClip();
    m_measurements = ClipMeasurements();
    m_elapsedSeconds = m_setupSeconds = 0.0;
    QElapsedTimer timer;
    timer.start();

    // Pass 1: decode, track, measure.
    VideoMeasurer measurer;
    VideoMeasurer::FrameCallback onFrame;
    if (progress)
        onFrame = [&progress](const FrameMeasurement &, const RetargetProgress &status) { return progress(status); };
    const bool measured = measurer.measure(options, onFrame);
    m_setupSeconds = measurer.setupSeconds();
    m_canceled = measurer.wasCanceled();
    m_measurements = measurer.takeMeasurements();
    m_warning = measurer.warningString();
    if (!measured)
        return fail(measurer.errorString());

    // Pass 2: neutral pose (the named frame, or automatic from every frame with a face), solve,
    // smooth.
    std::optional<AnimationClip> clip = ClipSolver::solve(m_measurements, options.neutralFrame, options.smoothing, &m_error);
    if (!clip)
        return false;
    m_clip = std::move(*clip);
    m_elapsedSeconds = timer.nsecsElapsed() * 1e-9;
    return true;
}

} // namespace fa
