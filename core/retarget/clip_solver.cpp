#include "retarget/clip_solver.h"

#include "common/arkit.h"
#include "common/error_text.h"

#include <algorithm>
#include <limits>

namespace fa {
namespace {

// Writes the solve of one frame into `row` (controlNames() order). Frames without a face leave
// the row as it is (the held values); a failed pose fit keeps the previous angles, and an eye
// whose iris is not in view (closed) keeps its previous gaze: its four eyeLook weights and its
// yaw and pitch.
void solveInto(const FrameMeasurement &frame, const LandmarkSolver &solver, std::vector<float> &row)
{
    if (!frame.features)
        return;
    const std::array<float, arkit::kShapeCount> weights = solver.solve(*frame.features);
    const bool leftVisible = solver.irisVisible(*frame.features, true);
    const bool rightVisible = solver.irisVisible(*frame.features, false);
    using S = ArkitShape;
    for (int i = 0; i < arkit::kShapeCount; ++i) {
        const S shape = S(i);
        const bool leftLook = shape == S::EyeLookDownLeft || shape == S::EyeLookInLeft || shape == S::EyeLookOutLeft
                              || shape == S::EyeLookUpLeft;
        const bool rightLook = shape == S::EyeLookDownRight || shape == S::EyeLookInRight
                               || shape == S::EyeLookOutRight || shape == S::EyeLookUpRight;
        if ((leftLook && !leftVisible) || (rightLook && !rightVisible))
            continue;
        row[size_t(i)] = weights[size_t(i)];
    }
    if (frame.pose.valid) {
        row[arkit::kShapeCount + 0] = frame.pose.yaw;
        row[arkit::kShapeCount + 1] = frame.pose.pitch;
        row[arkit::kShapeCount + 2] = frame.pose.roll;
    }
    for (const bool left : {true, false}) {
        const LandmarkSolver::Gaze gaze = solver.gaze(*frame.features, left);
        if (!gaze.visible)
            continue;
        const size_t first = arkit::kShapeCount + arkit::kHeadChannelCount + (left ? 0 : 2);
        row[first] = gaze.yaw;
        row[first + 1] = gaze.pitch;
    }
}

/// Calibrates `solver` on the face frames among the first `frames` measurements, with their
/// head poses (a failed pose fit counts as a turned head).
void calibrateOnFaces(LandmarkSolver &solver, const ClipMeasurements &measurements, int frames)
{
    std::vector<LandmarkFeatures> features;
    std::vector<std::pair<float, float>> yawPitch;
    features.reserve(size_t(frames));
    yawPitch.reserve(size_t(frames));
    constexpr float unknown = std::numeric_limits<float>::quiet_NaN();
    for (int i = 0; i < frames; ++i) {
        const FrameMeasurement &frame = measurements.frame(i);
        if (!frame.features)
            continue;
        features.push_back(*frame.features);
        yawPitch.emplace_back(frame.pose.valid ? frame.pose.yaw : unknown, frame.pose.valid ? frame.pose.pitch : unknown);
    }
    solver.calibrateFromClip(features, yawPitch);
}

} // namespace

QStringList ClipSolver::controlNames()
{
    return arkit::canonicalNames() + arkit::rotationChannelNames();
}

std::optional<LandmarkSolver> ClipSolver::calibrate(const ClipMeasurements &measurements,
                                                    qint64 neutralVideoFrame, QString *error)
{
    const QString &video = measurements.videoPath();
    if (measurements.isEmpty()) {
        failWith(error, QStringLiteral("%1: no frame in the chosen time range").arg(video));
        return std::nullopt;
    }
    const int faces = measurements.faceCount();
    if (faces == 0) {
        failWith(error, QStringLiteral("%1: no face found in any of the %2 frames")
                            .arg(video)
                            .arg(measurements.frameCount()));
        return std::nullopt;
    }
    LandmarkSolver solver;
    if (neutralVideoFrame >= 0) {
        const qint64 first = measurements.frames().front().videoFrame;
        const qint64 i = neutralVideoFrame - first;
        if (i < 0 || i >= qint64(measurements.frameCount())) {
            failWith(error, QStringLiteral("%1: neutral frame %2 is outside the retargeted frames %3-%4")
                                .arg(video)
                                .arg(neutralVideoFrame)
                                .arg(first)
                                .arg(measurements.frames().back().videoFrame));
            return std::nullopt;
        }
        const FrameMeasurement &neutral = measurements.frame(int(i));
        if (!neutral.features) {
            failWith(error, QStringLiteral("%1: no face found on neutral frame %2").arg(video).arg(neutralVideoFrame));
            return std::nullopt;
        }
        solver.setNeutral(*neutral.features);
    } else {
        calibrateOnFaces(solver, measurements, measurements.frameCount());
    }
    return solver;
}

std::optional<AnimationClip> ClipSolver::solve(const ClipMeasurements &measurements, qint64 neutralVideoFrame,
                                               const SmoothingOptions &smoothing, QString *error)
{
    const std::optional<LandmarkSolver> solver = calibrate(measurements, neutralVideoFrame, error);
    if (!solver)
        return std::nullopt;
    AnimationClip clip(controlNames(), measurements.fps() > 0 ? measurements.fps() : 30.0);
    std::vector<float> row(size_t(clip.controlCount()), 0.0f);
    for (const FrameMeasurement &frame : measurements.frames()) {
        solveInto(frame, *solver, row);
        clip.appendFrame(frame.timeSeconds, row, frame.hasFace());
    }
    if (!smoothClip(clip, smoothing, error))
        return std::nullopt;
    return clip;
}

ClipSolver::ClipSolver(qint64 neutralVideoFrame, int recalibrationInterval)
    : m_neutralVideoFrame(neutralVideoFrame), m_recalibrationInterval(std::max(1, recalibrationInterval))
{
    reset();
}

void ClipSolver::reset()
{
    m_clip = AnimationClip(controlNames(), 30.0);
    m_solver = LandmarkSolver();
    m_calibrated = m_namedNeutral = false;
    m_facesAtCalibration = m_facesCounted = m_framesCounted = 0;
    m_row.assign(size_t(m_clip.controlCount()), 0.0f);
}

void ClipSolver::updateCalibration(const ClipMeasurements &measurements, int last)
{
    for (; m_framesCounted < last; ++m_framesCounted)
        m_facesCounted += measurements.frame(m_framesCounted).hasFace() ? 1 : 0;
    if (m_namedNeutral)
        return;
    if (m_neutralVideoFrame >= 0) {
        const int neutral = measurements.indexOfVideoFrame(m_neutralVideoFrame);
        if (neutral >= 0 && neutral < last && measurements.frame(neutral).hasFace()) {
            m_solver.setNeutral(*measurements.frame(neutral).features);
            m_calibrated = m_namedNeutral = true;
            return;
        }
    }
    if (m_facesCounted == 0)
        return;
    // Every recalibrationInterval() new faces, or every 10 % more on long takes, so that the
    // calibrations of an hour's stream cost O(n log n) in all, not O(n^2).
    if (m_calibrated && m_facesCounted < m_facesAtCalibration + std::max(m_recalibrationInterval, m_facesAtCalibration / 10))
        return;
    calibrateOnFaces(m_solver, measurements, last);
    m_calibrated = true;
    m_facesAtCalibration = m_facesCounted;
}

bool ClipSolver::solveRange(const ClipMeasurements &measurements, int first, int last, QString *error)
{
    if (first != m_clip.frameCount() || first < 0 || last < first || last > measurements.frameCount())
        return failWith(error, QStringLiteral("%1: cannot solve frames %2-%3: %4 rows are solved and %5 frames measured")
                                   .arg(measurements.videoPath())
                                   .arg(first)
                                   .arg(last)
                                   .arg(m_clip.frameCount())
                                   .arg(measurements.frameCount()));
    if (m_clip.frameCount() == 0)
        m_clip.setFps(measurements.fps() > 0 ? measurements.fps() : 30.0);
    // Frames [first, last) are solved with the calibration of [0, last): at least the frames being
    // solved take part, so a face is never solved before a calibration exists.
    updateCalibration(measurements, last);
    for (int i = first; i < last; ++i) {
        const FrameMeasurement &frame = measurements.frame(i);
        if (m_calibrated)
            solveInto(frame, m_solver, m_row);
        m_clip.appendFrame(frame.timeSeconds, m_row, frame.hasFace());
    }
    return true;
}

} // namespace fa
