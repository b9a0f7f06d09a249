// AnimateWorkspace: opening files, solving, sessions, editing commands and export.
#include "animate/animate_workspace.h"

#include "animate/animate_document.h"
#include "animate/channel_model.h"
#include "animate/export_dialog.h"
#include "animate/filter_dialog.h"
#include "animate/neural_preview_panel.h"
#include "animate/playback_controller.h"
#include "animate/rig_animation.h"
#include "animate/solve_job.h"
#include "animate/video_panel.h"
#include "avatar/avatar.h"
#include "avatar/avatar_loader.h"
#include "avatar/mannequin_head.h"
#include "training/animator_run_info.h"
#include "avatar/rig_mapping.h"
#include "common/error_text.h"
#include "project/animate_session_store.h"
#include "project/project.h"
#include "retarget/clip_measurements.h"
#include "retarget/clip_solver.h"
#include "retarget/retarget_options.h"
#include "timeline/curve_editor.h"
#include "timeline/time_axis.h"
#include "viewport/avatar_viewport.h"

#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QComboBox>
#include <QFileInfo>
#include <QInputDialog>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QTimer>
#include <QUndoStack>

namespace fa::ui {

namespace {

bool isAvatarFile(const QString &path)
{
    static const QStringList suffixes = {QStringLiteral("glb"), QStringLiteral("gltf"), QStringLiteral("fbx"),
                                         QStringLiteral("obj"), QStringLiteral("dae"), QStringLiteral("blend"),
                                         QStringLiteral("3ds"), QStringLiteral("ply")};
    return suffixes.contains(QFileInfo(path).suffix().toLower());
}

// How long edits wait before an automatic save of a session already in the project.
constexpr int kAutosaveDelayMs = 1500;

} // namespace

void AnimateWorkspace::setProject(Project *project)
{
    closeSession();
    m_neural->setProject(project ? project->directory() : QString(),
                         project ? project->linkedRunFolders() : QStringList());
    m_project = project;
    fillSolverChoices();
}

bool AnimateWorkspace::openFile(const QString &path)
{
    return isAvatarFile(path) ? openAvatar(path) : openVideo(path);
}

bool AnimateWorkspace::openVideo(const QString &path)
{
    if (isSolving())
        cancelSolve();
    QString error;
    if (!m_video->setVideo(path, &error)) {
        showError(tr("Open Video"), error);
        return false;
    }
    if (path != m_videoPath) { // a new session with the same avatar
        if (m_project && m_autosave && m_savePending && !saveSession(&error))
            showError(tr("Save Session"), error);
        m_sessionId = -1;
        m_neutralFrame = -1;
        m_measurements.reset();
        m_autosave = m_savePending = false;
        m_document->resetAnimation(RigAnimation());
        m_videoPath = path;
    }
    useDefaultAvatarIfNone();
    m_status->setText(tr("Video %1: press Solve to retarget it").arg(QFileInfo(path).fileName()));
    updateActions();
    return true;
}

void AnimateWorkspace::useDefaultAvatarIfNone()
{
    if (m_avatar)
        return;
    // As `freeavatar retarget` without --avatar: the studio's own mannequin head.
    m_avatar = createMannequinHead();
    m_avatarPath.clear();
    m_viewport->setAvatar(m_avatar);
    updateRigRouting();
    showFrame(currentFrame());
    Q_EMIT avatarChanged();
}

bool AnimateWorkspace::openAvatar(const QString &path)
{
    QApplication::setOverrideCursor(Qt::WaitCursor);
    AvatarLoader loader;
    std::unique_ptr<Avatar> avatar = loader.load(path);
    QApplication::restoreOverrideCursor();
    if (!avatar) {
        showError(tr("Open Avatar"), loader.errorString());
        return false;
    }
    const RigMapping mapping = RigMapping::fromArkit(avatar->rig());
    if (mapping.mappedCount() == 0) {
        showError(tr("Open Avatar"), tr("%1: none of its %2 morph targets is an ARKit blendshape, so the "
                                        "landmark solver cannot drive it").arg(path).arg(avatar->rig().controlCount()));
        return false;
    }
    m_avatar = std::move(avatar);
    m_avatarPath = path;
    m_viewport->setAvatar(m_avatar);
    updateRigRouting();
    showFrame(currentFrame());
    Q_EMIT avatarChanged();
    m_status->setText(tr("Avatar %1: %2 of its %3 controls follow ARKit blendshapes")
                          .arg(QFileInfo(path).fileName()).arg(mapping.mappedCount()).arg(m_avatar->rig().controlCount()));
    scheduleAutosave();
    return true;
}

bool AnimateWorkspace::isSolving() const
{
    return m_solve->isRunning();
}

void AnimateWorkspace::startSolve()
{
    if (isSolving() || m_videoPath.isEmpty())
        return;
    m_playback->pause();
    // The chosen solver. An animator model's description (a small JSON file) is checked against
    // the avatar here; its networks load on the solve's worker thread.
    const QString animatorRun = solverChoice();
    m_solve->setLearntSolver(animatorRun, m_avatarPath);
    if (!animatorRun.isEmpty()) {
        QString error;
        const std::optional<AnimatorRunInfo> info = AnimatorRunInfo::read(animatorRun, &error);
        const AnimatorAvatar *avatar = info ? info->findAvatar(m_avatarPath) : nullptr;
        if (!avatar) {
            showError(tr("Solve"), info ? tr("%1 does not drive this avatar").arg(animatorRun) : error);
            return;
        }
        // The preview shows the decoder's rig through this avatar's neural renderer.
        m_neural->setRun(avatar->rendererRun);
    }
    m_measurements.reset();
    if (!m_solve->start(m_videoPath, m_neutralFrame)) {
        showError(tr("Solve"), m_solve->errorString());
        return;
    }
    m_progress->setRange(0, 0);
    m_progress->setVisible(true);
    m_status->setText(tr("Solving %1…").arg(QFileInfo(m_videoPath).fileName()));
    updateActions();
}

void AnimateWorkspace::cancelSolve()
{
    m_solve->cancel();
}

void AnimateWorkspace::solveProgressed(int done, int total)
{
    m_progress->setRange(0, std::max(1, total));
    m_progress->setValue(std::min(done, total));
    m_progress->setFormat(tr("%1 of %2 frames").arg(done).arg(total));
}

void AnimateWorkspace::solveUpdated()
{
    // Provisional curves (calibration from the frames so far): not undoable, replaced at the end.
    m_measurements = std::make_unique<ClipMeasurements>(m_solve->measurements());
    m_document->resetAnimation(RigAnimation::fromClip(m_solve->clip()));
}

void AnimateWorkspace::solveEnded(bool ok, bool cancelled, const QString &error)
{
    m_progress->setVisible(false);
    if (ok) {
        m_learntSession = m_solve->usesLearntSolver();
        m_measurements = std::make_unique<ClipMeasurements>(m_solve->measurements());
        m_document->resetAnimation(RigAnimation::fromClip(m_solve->clip()));
        updateRigRouting();
        m_axis->showAll();
        const RigAnimation &animation = m_document->animation();
        int faces = 0;
        for (int f = 0; f < animation.frameCount(); ++f)
            faces += animation.faceFound(f) ? 1 : 0;
        m_status->setText(tr("Solved %1 frames (%2 with a face)").arg(animation.frameCount()).arg(faces));
        if (m_project) {
            QString saveError;
            if (!saveSession(&saveError))
                showError(tr("Save Session"), saveError);
        }
    } else if (cancelled) {
        m_status->setText(tr("Solving cancelled: the curves show the frames measured so far"));
    } else {
        showError(tr("Solve"), error);
    }
    updateActions();
    Q_EMIT solveFinished(ok, cancelled, error);
}

bool AnimateWorkspace::setNeutralToCurrentFrame()
{
    if (isSolving() || !m_measurements || currentFrame() >= m_measurements->frameCount())
        return false;
    const FrameMeasurement &frame = m_measurements->frame(currentFrame());
    if (!frame.faceFound) {
        showError(tr("Neutral Frame"), tr("Frame %1 has no face: pick a frame where the actor's face was found.")
                                            .arg(currentFrame()));
        return false;
    }
    QString error;
    const std::optional<AnimationClip> clip = ClipSolver::solve(*m_measurements, frame.videoFrame,
                                                                RetargetOptions().smoothing, &error);
    if (!clip) {
        showError(tr("Neutral Frame"), error);
        return false;
    }
    RigAnimation solved = RigAnimation::fromClip(*clip);
    const RigAnimation &old = m_document->animation();
    for (int ch = 0; ch < solved.channelCount(); ++ch) { // calibration is the animator's: keep it
        const int oldChannel = old.channelIndex(solved.controlNames()[ch]);
        if (oldChannel >= 0)
            solved.setCalibration(ch, old.calibration(oldChannel));
    }
    m_neutralFrame = frame.videoFrame;
    m_document->replaceAnimation(std::move(solved), tr("Re-solve with neutral frame %1").arg(currentFrame()));
    m_status->setText(tr("Re-solved with frame %1 as the neutral pose").arg(currentFrame()));
    return true;
}

void AnimateWorkspace::smoothSelection()
{
    const KeySelection selection = m_curves->selection();
    if (selection.empty())
        return;
    FilterDialog dialog(m_document->animation().fps(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QString error;
    if (!m_document->filterKeys(selection, dialog.filter(), &error))
        showError(tr("Smooth Keys"), error);
}

void AnimateWorkspace::reduceSelection()
{
    const KeySelection selection = m_curves->selection();
    if (selection.empty())
        return;
    bool ok = false;
    const double tolerance = QInputDialog::getDouble(this, tr("Reduce Keys"),
                                                     tr("Largest change of a curve (weight units):"), 0.01, 0.0001,
                                                     1.0, 4, &ok);
    if (ok)
        m_document->reduceKeys(selection, tolerance);
}

// --- sessions -------------------------------------------------------------------------------

void AnimateWorkspace::resetSession()
{
    m_solve->cancel();
    m_sessionId = -1;
    m_neutralFrame = -1;
    m_learntSession = false;
    m_videoPath.clear();
    m_avatarPath.clear();
    m_avatar.reset();
    m_measurements.reset();
    m_autosave = false;
    m_savePending = false;
    m_video->setVideo(QString());
    m_viewport->setAvatar(nullptr);
    m_document->resetAnimation(RigAnimation());
    m_axis->setCurrentFrame(0);
    Q_EMIT avatarChanged();
}

void AnimateWorkspace::closeSession()
{
    if (m_project && m_autosave && m_savePending) {
        QString error;
        if (!saveSession(&error))
            showError(tr("Save Session"), error);
    }
    resetSession();
}

void AnimateWorkspace::scheduleAutosave()
{
    if (!m_project || !m_autosave)
        return;
    m_savePending = true;
    QTimer::singleShot(kAutosaveDelayMs, this, [this] {
        if (!m_savePending || isSolving())
            return;
        QString error;
        if (!saveSession(&error))
            m_status->setText(error);
    });
}

bool AnimateWorkspace::saveSession(QString *error)
{
    if (!m_project)
        return failWith(error, tr("Open or create a project first: retarget sessions are saved in a project."));
    if (m_document->animation().frameCount() == 0 || !m_measurements)
        return failWith(error, tr("Nothing to save yet: solve a video first."));
    AnimateSessionRecord record;
    record.id = m_sessionId;
    record.name = QFileInfo(m_videoPath).completeBaseName()
                  + (m_avatarPath.isEmpty() ? QString() : QStringLiteral(" → ") + QFileInfo(m_avatarPath).completeBaseName());
    record.videoPath = m_videoPath;
    record.avatarPath = m_avatarPath;
    record.solver = QStringLiteral("landmark");
    record.neutralFrame = m_neutralFrame;
    record.measurements = m_measurements->serialize();
    record.animation = m_document->animation().serialize();
    QJsonObject view = m_channels->viewState();
    view.insert(QStringLiteral("currentFrame"), currentFrame());
    view.insert(QStringLiteral("landmarks"), m_video->isOverlayVisible());
    record.viewState = QJsonDocument(view).toJson(QJsonDocument::Compact);
    const qint64 id = m_project->animateSessions().save(record, error);
    if (id <= 0)
        return false;
    m_sessionId = id;
    m_autosave = true;
    m_savePending = false;
    m_document->undoStack()->setClean();
    m_status->setText(tr("Session saved in the project"));
    Q_EMIT statusMessage(m_status->text());
    return true;
}

bool AnimateWorkspace::openSession(qint64 id, QString *error)
{
    if (!m_project)
        return failWith(error, tr("No project is open."));
    const std::optional<AnimateSessionRecord> record = m_project->animateSessions().load(id, error);
    if (!record)
        return false;
    closeSession();
    return applySessionRecord(*record, error);
}

bool AnimateWorkspace::applySessionRecord(const AnimateSessionRecord &record, QString *error)
{
    std::optional<ClipMeasurements> measurements = ClipMeasurements::deserialize(record.measurements, error);
    if (!measurements)
        return false;
    std::optional<RigAnimation> animation = RigAnimation::deserialize(record.animation, error);
    if (!animation)
        return false;
    QString videoError;
    if (!m_video->setVideo(record.videoPath, &videoError))
        m_status->setText(videoError); // the curves stay editable without the video
    m_videoPath = record.videoPath;
    if (!record.avatarPath.isEmpty())
        openAvatar(record.avatarPath);
    useDefaultAvatarIfNone(); // a session saved on the mannequin head, or an avatar gone missing
    m_measurements = std::make_unique<ClipMeasurements>(std::move(*measurements));
    m_neutralFrame = record.neutralFrame;
    m_document->resetAnimation(std::move(*animation));
    const QJsonObject view = QJsonDocument::fromJson(record.viewState).object();
    m_channels->setViewState(view);
    m_overlayAction->setChecked(view.value(QStringLiteral("landmarks")).toBool(true));
    m_axis->showAll();
    m_axis->setCurrentFrame(view.value(QStringLiteral("currentFrame")).toInt(0));
    m_sessionId = record.id;
    m_autosave = true;
    m_savePending = false;
    m_status->setText(tr("Opened session %1").arg(record.name));
    updateActions();
    return true;
}

void AnimateWorkspace::showSessionsMenu()
{
    if (!m_project) {
        showError(tr("Sessions"), tr("Open or create a project first: retarget sessions are saved in a project."));
        return;
    }
    QString error;
    const std::vector<AnimateSessionRecord> sessions = m_project->animateSessions().list(&error);
    if (!error.isEmpty()) {
        showError(tr("Sessions"), error);
        return;
    }
    QMenu menu(this);
    for (const AnimateSessionRecord &s : sessions) {
        QAction *a = menu.addAction(s.name);
        a->setData(s.id);
        a->setCheckable(true);
        a->setChecked(s.id == m_sessionId);
    }
    if (sessions.empty())
        menu.addAction(tr("No saved sessions"))->setEnabled(false);
    QAction *chosen = menu.exec(QCursor::pos());
    if (chosen && chosen->data().isValid() && chosen->data().toLongLong() != m_sessionId) {
        if (!openSession(chosen->data().toLongLong(), &error))
            showError(tr("Open Session"), error);
    }
}

// --- export ---------------------------------------------------------------------------------

bool AnimateWorkspace::exportAnimation(AnimationExportFormat format, const QString &path, int firstFrame,
                                       int lastFrame, QString *message)
{
    const AnimationClip clip = m_document->animation().toClip();
    if (!fa::exportAnimation(path, format, clip, firstFrame, lastFrame, m_avatar.get(), message))
        return false;
    if (message)
        *message = tr("Wrote frames %1-%2 (%3 frames) as %4 to %5")
                       .arg(firstFrame).arg(lastFrame).arg(lastFrame - firstFrame + 1)
                       .arg(animationExportName(format), path);
    return true;
}

void AnimateWorkspace::showExportDialog()
{
    const RigAnimation &animation = m_document->animation();
    if (animation.frameCount() == 0)
        return;
    ExportDialog dialog(animation.frameCount(), m_avatar != nullptr, QFileInfo(m_videoPath).completeBaseName(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QString message;
    if (!exportAnimation(dialog.format(), dialog.path(), dialog.firstFrame(), dialog.lastFrame(), &message)) {
        showError(tr("Export Animation"), message);
        return;
    }
    m_status->setText(message);
    Q_EMIT statusMessage(message);
    QMessageBox::information(this, tr("Export Animation"), message);
}

// --- drag and drop --------------------------------------------------------------------------

void AnimateWorkspace::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void AnimateWorkspace::dropEvent(QDropEvent *event)
{
    bool droppedVideo = false;
    for (const QUrl &url : event->mimeData()->urls()) {
        if (!url.isLocalFile())
            continue;
        const QString path = url.toLocalFile();
        if (isAvatarFile(path))
            openAvatar(path);
        else
            droppedVideo = openVideo(path) || droppedVideo;
    }
    event->acceptProposedAction();
    if (droppedVideo && m_document->animation().frameCount() == 0)
        startSolve();
}

} // namespace fa::ui
