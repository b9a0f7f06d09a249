#pragma once

#include "fbx/animation_export.h"

#include <QWidget>

#include <memory>
#include <vector>

class QAction;
class QComboBox;
class QLabel;
class QProgressBar;
class QToolBar;

namespace fa {
class AnimateDocument;
class ChannelModel;
class ClipMeasurements;
class Project;
struct Avatar;
struct AnimateSessionRecord;
} // namespace fa

namespace fa::ui {

class AvatarViewport;
class ChannelListView;
class CurveEditor;
class KeyValueEditor;
class NeuralPreviewPanel;
class PlaybackController;
class SolveJob;
class TimeAxis;
class TimeRuler;
class VideoPanel;

/// The Animate workspace: the actor's video beside the avatar making the same face (and, with
/// a trained neural renderer of the project, its image of the same rig: NeuralPreviewPanel),
/// the rig curves below on a timeline, editing, and export.
///
/// A session is one video retargeted onto one avatar by one solver, chosen in the toolbar: the
/// landmark solver, or a trained animator model of the project (a rig-decoder run under runs/
/// that drives the avatar: the learnt FreeAvatar solver, whose curves are the avatar's own
/// controls and which the neural preview then shows through that avatar's renderer). The
/// per-frame measurements (face box, landmarks, features; ClipMeasurements), the editable curves
/// (AnimateDocument: 52 ARKit weights + head yaw/pitch/roll, keys, calibration) and the view
/// (channels shown, colours, current frame). With a project open, the session is saved in it
/// (AnimateSessionStore): on Save, after every solve and on every edit once it has been saved,
/// and reopened as it was.
///
/// Solving runs on a worker thread (SolveJob) with progress and cancel; the curves fill in as
/// frames are measured (a provisional calibration from the frames so far) and are replaced by
/// the final solve when the video ends. While solving, the curves are read-only.
///
/// Keys (while the workspace has focus): Space play/pause, J/K/L shuttle, Left/Right a frame,
/// Home/End, Ctrl+Z/Ctrl+Shift+Z undo/redo, Ctrl+S save, Ctrl+E export; the curve editor adds
/// its own (Delete, I, F, Ctrl+A). Errors are shown in dialogs; nothing is lost on a failed
/// save or export.
class AnimateWorkspace : public QWidget
{
    Q_OBJECT
public:
    explicit AnimateWorkspace(QWidget *parent = nullptr);
    ~AnimateWorkspace() override;

    /// The project sessions are saved in (not owned; may be null: sessions then live until
    /// closed). Closes the current session.
    void setProject(Project *project);
    Project *project() const { return m_project; }

    /// Opens a video (a dialog naming the file on error). Starts a new session when the video
    /// changes; does not solve (startSolve()). With no avatar open, the avatar becomes the
    /// built-in mannequin head (as `freeavatar retarget` without --avatar).
    bool openVideo(const QString &path);
    /// Opens an avatar (a dialog on error; an avatar with no ARKit control is refused).
    bool openAvatar(const QString &path);
    /// Opens a dropped or named file as video or avatar by its suffix.
    bool openFile(const QString &path);

    /// The solvers the toolbar offers for the avatar: "" (the landmark solver), then the
    /// project's animator models that drive it (AnimatorModel::findRuns).
    QStringList solverChoices() const;
    /// Chooses the solver of the next solve ("" = landmarks, or an animator run of
    /// solverChoices()); false for anything else.
    bool setSolverChoice(const QString &animatorRun);
    QString solverChoice() const;
    /// True when the current curves came from the learnt solver.
    bool isLearntSession() const { return m_learntSession; }

    void startSolve();
    void cancelSolve();
    bool isSolving() const;

    /// Re-solves with the frame shown now as the actor's neutral pose (one undo step).
    bool setNeutralToCurrentFrame();

    /// Saves the session in the project; false with `error` when there is no project, nothing
    /// to save or the write fails.
    bool saveSession(QString *error = nullptr);
    /// Opens session `id` of the project as it was saved.
    bool openSession(qint64 id, QString *error = nullptr);
    qint64 sessionId() const { return m_sessionId; }
    /// Closes the session (saving it first when it is in a project).
    void closeSession();

    /// Exports frames [first, last] to `path` (the Export dialog's action). `message` names what
    /// was written; on failure `message` is the error.
    bool exportAnimation(AnimationExportFormat format, const QString &path, int firstFrame, int lastFrame,
                         QString *message);
    /// Shows the Export dialog, exports, and reports in a dialog.
    void showExportDialog();

    int currentFrame() const;
    void setCurrentFrame(int frame);

    AnimateDocument *document() const { return m_document; }
    ChannelModel *channelModel() const { return m_channels; }
    AvatarViewport *viewport() const { return m_viewport; }
    NeuralPreviewPanel *neuralPreview() const { return m_neural; }
    VideoPanel *videoPanel() const { return m_video; }
    CurveEditor *curveEditor() const { return m_curves; }
    TimeAxis *timeAxis() const { return m_axis; }
    PlaybackController *playback() const { return m_playback; }
    const Avatar *avatar() const { return m_avatar.get(); }
    QString videoPath() const { return m_videoPath; }
    QString avatarPath() const { return m_avatarPath; }
    /// The avatar's rig values shown at `frame` (Avatar::rig() order).
    std::vector<float> rigValuesAt(int frame) const;

Q_SIGNALS:
    /// After a solve ends: ok, or the error ("" when cancelled... see `cancelled`).
    void solveFinished(bool ok, bool cancelled, const QString &error);
    /// A line for the status bar (saved, exported, solving...).
    void statusMessage(const QString &message);
    /// The avatar shown changed (opened, the mannequin head by default, or closed).
    void avatarChanged();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void buildActions();
    void buildLayout();
    void showFrame(int frame);
    void animationReplaced();
    void updateActions();
    void updateRigRouting();
    void fillSolverChoices();
    void solveProgressed(int done, int total);
    void solveUpdated();
    void solveEnded(bool ok, bool cancelled, const QString &error);
    void smoothSelection();
    void reduceSelection();
    void showSessionsMenu();
    void scheduleAutosave();
    void resetSession();
    void useDefaultAvatarIfNone();
    bool applySessionRecord(const AnimateSessionRecord &record, QString *error);
    void showError(const QString &title, const QString &text);

    Project *m_project = nullptr;
    qint64 m_sessionId = -1;
    qint64 m_neutralFrame = -1; ///< video frame of the neutral pose; -1 automatic
    QString m_videoPath;
    QString m_avatarPath;
    std::shared_ptr<const Avatar> m_avatar;
    std::vector<int> m_rigSource; ///< per avatar control: document channel, or -1
    std::unique_ptr<ClipMeasurements> m_measurements;

    AnimateDocument *m_document;
    ChannelModel *m_channels;
    TimeAxis *m_axis;
    PlaybackController *m_playback;
    SolveJob *m_solve;
    VideoPanel *m_video = nullptr;
    AvatarViewport *m_viewport = nullptr;
    NeuralPreviewPanel *m_neural = nullptr;
    TimeRuler *m_ruler = nullptr;
    ChannelListView *m_channelList = nullptr;
    CurveEditor *m_curves = nullptr;
    KeyValueEditor *m_keyValue = nullptr;
    QToolBar *m_toolBar = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QAction *m_solveAction = nullptr;
    QComboBox *m_solverChoice = nullptr;
    bool m_learntSession = false;
    QAction *m_cancelAction = nullptr;
    QAction *m_neutralAction = nullptr;
    QAction *m_smoothAction = nullptr;
    QAction *m_reduceAction = nullptr;
    QAction *m_saveAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_overlayAction = nullptr;
    bool m_autosave = false;
    bool m_savePending = false;
};

} // namespace fa::ui
