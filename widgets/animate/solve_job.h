#pragma once

#include "animation/animation_clip.h"
#include "retarget/clip_measurements.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <mutex>

class QThread;

namespace fa::ui {

/// Retargets a video off the GUI thread: measures every frame (VideoMeasurer: decode, face,
/// landmarks, features, head pose) and solves the rig curves (ClipSolver), on a QThread of its
/// own (solving a long video takes minutes; the global pool stays free).
///
/// While measuring, updated() is emitted at most every kUpdateIntervalMs with the measurements
/// so far and a PROVISIONAL clip: the frames so far solved with a calibration from the frames so
/// far and no smoothing, so the curves fill in as the video is read. When the video ends, the
/// final clip (automatic or named neutral, Butterworth smoothing: RetargetOptions' defaults) is
/// solved and finished(true, ...) follows. Cancel stops after the current frame:
/// finished(false, true, ...), the measurements and provisional clip so far stay readable.
///
/// With a learnt solver set (setLearntSolver), the job runs the FreeAvatar solver instead
/// (FreeAvatarRetargeter: encoder -> rig decoder with the avatar's identity): progress as frames
/// are measured and decoded, no provisional curves (the decoder's rows are final but smoothing
/// needs the whole clip), the clip in the avatar's own controls.
///
/// measurements() and clip() are copies taken under a lock; read them on the GUI thread after
/// updated() or finished(). The destructor cancels and waits for the thread.
class SolveJob : public QObject
{
    Q_OBJECT
public:
    static constexpr int kUpdateIntervalMs = 250;

    explicit SolveJob(QObject *parent = nullptr);
    ~SolveJob() override;

    /// Starts solving `videoPath` with the neutral pose at video frame `neutralFrame` (-1 =
    /// automatic). False (errorString()) when a job is already running.
    bool start(const QString &videoPath, qint64 neutralFrame);
    /// The solver of the next start()s: the learnt solver of the animator model `animatorRun`
    /// driving `avatar` ("" = the mannequin head, or an avatar file), or the landmark solver when
    /// `animatorRun` is empty. The model is loaded on the worker thread (seconds for ViT-B); a
    /// model that cannot be loaded or does not drive the avatar ends the solve with its error.
    void setLearntSolver(const QString &animatorRun, const QString &avatar);
    /// True when the next (or running) solve is the learnt solver.
    bool usesLearntSolver() const { return !m_animatorRun.isEmpty(); }
    void cancel();
    bool isRunning() const { return m_running; }
    QString errorString() const { return m_error; }

    ClipMeasurements measurements() const;
    AnimationClip clip() const;

Q_SIGNALS:
    void progressed(int framesDone, int framesTotal);
    void updated();
    void finished(bool ok, bool cancelled, const QString &error);

private:
    void run(const QString &videoPath, qint64 neutralFrame);
    void runLearnt(const QString &videoPath, qint64 neutralFrame, const QString &animatorRun, const QString &avatar);
    void publish(const ClipMeasurements &measurements, const AnimationClip &clip);

    QThread *m_thread = nullptr;
    QString m_animatorRun;
    QString m_avatar;
    std::atomic<bool> m_cancel{false};
    bool m_running = false;
    QString m_error;
    mutable std::mutex m_mutex;
    ClipMeasurements m_measurements; // guarded by m_mutex
    AnimationClip m_clip;            // guarded by m_mutex
};

} // namespace fa::ui
