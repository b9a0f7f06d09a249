#pragma once

#include "animate/channel_calibration.h"
#include "animate/curve_filter.h"
#include "animate/key_selection.h"
#include "animate/rig_animation.h"
#include "animation/keyframe_curve.h"

#include <QList>
#include <QObject>
#include <QString>

#include <map>
#include <vector>

class QUndoStack;

namespace fa {

/// The document of the Animate workspace: owns the RigAnimation and its QUndoStack (Tiled
/// document.h). Every edit is ONE undo step; commands own detached copies of the before/after
/// curves of the channels they change only (ChangeCurvesCommand, ChangeCalibrationCommand,
/// ReplaceAnimationCommand).
///
/// Merge ids (Tiled changevalue.h): mergeId >= 0 makes consecutive commands with the same id one
/// undo step (a drag); -1 never merges. Use nextMergeId() for a fresh id per drag.
///
/// Key edits work on the RAW curves (before calibration). Frames are clamped to
/// [0, frameCount() - 1]; values are not clamped (the final value is).
class AnimateDocument : public QObject
{
    Q_OBJECT

public:
    explicit AnimateDocument(QObject *parent = nullptr);
    ~AnimateDocument() override;

    const RigAnimation &animation() const { return m_animation; }
    QUndoStack *undoStack() const { return m_undoStack; }

    /// Not undoable: replaces the animation and clears the undo stack (load, streaming solve).
    /// Emits animationReset().
    void resetAnimation(RigAnimation animation);

    /// Sets whole curves (channel -> new curve) as one step named `text`. Channels whose curve
    /// does not change are left out; nothing is pushed when none changes.
    void setCurves(const std::map<int, KeyframeCurve> &curves, const QString &text,
                   int mergeId = -1);
    /// Keys at `frame` (clamped) with each curve's current interpolated value.
    void insertKeys(const std::vector<int> &channels, int frame);
    void deleteKeys(const KeySelection &selection);
    /// Moves the selected keys by frameDelta frames and valueDelta (raw units). Moved keys
    /// replace unselected keys at their destination; destination frames are clamped (when two
    /// moved keys land on one frame, the one that moved least far wins). With mergeId >= 0 the
    /// selection and deltas are relative to the state BEFORE the first command of the merge
    /// chain: a drag passes its total delta on every mouse move.
    void moveKeys(const KeySelection &selection, int frameDelta, float valueDelta,
                  int mergeId = -1);
    /// Sets the value (raw units) of every selected key.
    void setKeyValues(const KeySelection &selection, float value, int mergeId = -1);
    /// Filters each selected channel over the span [first selected key, last selected key] of
    /// its raw curve (sampled by interpolation) and writes dense keys on every frame of the
    /// span. False + error (nothing changed) when the filter cannot be designed (cutoff >=
    /// Nyquist = fps / 2, bad order) or a span is too short (Butterworth: filtfilt needs more
    /// than 3 (order + 1) frames; every kind: at least 2 frames).
    bool filterKeys(const KeySelection &selection, const CurveFilter &filter, QString *error);
    /// fa::reduceKeys() on the keys within each selected channel's span (keys outside the span
    /// are kept; the span's first and last keys are kept).
    void reduceKeys(const KeySelection &selection, double tolerance);
    void setCalibration(int channel, ChannelCalibration calibration, int mergeId = -1);
    /// Replaces the whole animation as one undoable step (neutral re-solve). Emits
    /// animationReset() on do, undo and redo.
    void replaceAnimation(RigAnimation animation, const QString &text);

    /// A fresh merge id (>= 1000, increasing) for one drag.
    static int nextMergeId();

    // For the undo commands (they own the before/after state and call these on redo/undo).
    void applyCurves(const std::map<int, KeyframeCurve> &curves);
    void applyCalibration(int channel, ChannelCalibration calibration);
    void applyAnimation(const RigAnimation &animation);

Q_SIGNALS:
    /// After edits, undo and redo of curves; channels ascending.
    void curvesChanged(const QList<int> &channels);
    void calibrationChanged(int channel);
    /// After resetAnimation(), replaceAnimation() and its undo/redo (channels may differ).
    void animationReset();

private:
    std::map<int, KeyframeCurve> baseCurves(const KeySelection &selection, int mergeId) const;
    void pushCurves(std::map<int, KeyframeCurve> after, const QString &text, int mergeId);

    RigAnimation m_animation;
    QUndoStack *m_undoStack = nullptr;
};

} // namespace fa
