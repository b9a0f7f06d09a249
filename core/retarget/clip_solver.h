#pragma once

#include "animation/animation_clip.h"
#include "animation/clip_smoothing.h"
#include "retarget/clip_measurements.h"
#include "solver/landmark_solver.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace fa {

/// Pass 2 of a retarget: ClipMeasurements -> AnimationClip, without touching the video, so that
/// picking another neutral frame or smoothing re-solves a clip in milliseconds.
///
/// The clip's controls are controlNames(): the 52 canonical ARKit names (weights in [0,1])
/// followed by headYaw, headPitch, headRoll and each eye's yaw and pitch (degrees, HeadPose
/// conventions). Frame i of the clip
/// is measurement i (same time stamp); its faceFound flag is FrameMeasurement::hasFace().
/// Frames without a face hold the last solved values (all 0 before the first face); a face
/// whose head-pose fit failed keeps the previous angles.
///
/// Two ways to use it:
///  - solve(): the final solve, identical to what Retargeter::run returns for the same video,
///    range and options (Retargeter::run is VideoMeasurer::measure + solve()).
///  - an instance as a STREAMING solver while VideoMeasurer is still measuring: solveRange()
///    appends rows for newly measured frames with a PROVISIONAL neutral pose, so the curve
///    editor can draw them at once. Provisional calibration:
///      * with a neutral video frame that has been measured with a face: that frame
///        (LandmarkSolver::setNeutral), as in the final solve;
///      * otherwise LandmarkSolver::calibrateFromClip over every face frame measured so far,
///        recomputed whenever recalibrationInterval() more face frames (or 10 % more, on
///        takes of over recalibrationInterval() x 10 faces) have arrived since the last
///        calibration (rows already appended are not re-solved, so segments of a streamed
///        clip may use different neutrals).
///    Streamed rows are not smoothed. When measuring ends, the caller replaces the streamed
///    clip with solve()'s.
class ClipSolver
{
public:
    /// Face frames between two provisional recalibrations (about 1 s at 30 fps): a
    /// calibration costs O(face frames x log), so the total stays small.
    static constexpr int kDefaultRecalibrationInterval = 30;

    /// 52 ARKit names (fa::arkit::canonicalNames()) + fa::arkit::rotationChannelNames().
    static QStringList controlNames();

    /// The final solve. `neutralVideoFrame` is a video frame number (0-based, whole video, as
    /// FrameMeasurement::videoFrame and RetargetOptions::neutralFrame); -1 = automatic
    /// (LandmarkSolver::calibrateFromClip over every face frame). Returns nullopt with `error`
    /// ("VIDEO: what is wrong", VIDEO = measurements.videoPath()) when there is no frame, no
    /// face in any frame, the neutral frame is outside the measured frames or has no face, or
    /// smoothing fails (e.g. a Butterworth cutoff at or above Nyquist).
    static std::optional<AnimationClip> solve(const ClipMeasurements &measurements, qint64 neutralVideoFrame,
                                              const SmoothingOptions &smoothing, QString *error);

    /// The neutral calibration solve() uses (same errors, except smoothing).
    static std::optional<LandmarkSolver> calibrate(const ClipMeasurements &measurements,
                                                   qint64 neutralVideoFrame, QString *error);

    // --- Streaming ---

    /// A streaming solver with an empty clip(); `neutralVideoFrame` as in solve().
    explicit ClipSolver(qint64 neutralVideoFrame = -1,
                        int recalibrationInterval = kDefaultRecalibrationInterval);

    /// Appends to clip() the rows of measurements [first, last), solved with the provisional
    /// calibration of the frames [0, last) (see the class comment). `first` must equal
    /// clip().frameCount() (rows are appended in order) and 0 <= first <= last <=
    /// measurements.frameCount(); the first call takes fps from the measurements. Returns
    /// false with `error` (clip unchanged) otherwise. Frames before any face is measured get
    /// zero rows.
    bool solveRange(const ClipMeasurements &measurements, int first, int last, QString *error);

    /// The streamed rows so far (controls controlNames()).
    const AnimationClip &clip() const { return m_clip; }
    /// Empties clip() and forgets the provisional calibration (a new measuring run).
    void reset();
    qint64 neutralVideoFrame() const { return m_neutralVideoFrame; }
    int recalibrationInterval() const { return m_recalibrationInterval; }
    /// True once a (provisional or named) neutral pose is in use.
    bool isCalibrated() const { return m_calibrated; }

private:
    void updateCalibration(const ClipMeasurements &measurements, int last);

    qint64 m_neutralVideoFrame = -1;
    int m_recalibrationInterval = kDefaultRecalibrationInterval;
    AnimationClip m_clip;
    LandmarkSolver m_solver;
    bool m_calibrated = false;
    bool m_namedNeutral = false; ///< calibrated on the named neutral frame: final, never refreshed
    int m_facesAtCalibration = 0;
    int m_facesCounted = 0;      ///< face frames among the first m_framesCounted measurements
    int m_framesCounted = 0;
    std::vector<float> m_row;    ///< the held values (last solved row)
};

} // namespace fa
