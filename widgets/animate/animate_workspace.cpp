#include "animate/animate_workspace.h"

#include "animate/animate_document.h"
#include "animate/neural_preview_panel.h"
#include "animate/channel_model.h"
#include "animate/playback_controller.h"
#include "animate/rig_animation.h"
#include "animate/solve_job.h"
#include "animate/transport_bar.h"
#include "animate/video_panel.h"
#include "avatar/avatar.h"
#include "animator/animator_model.h"
#include "project/project.h"
#include "avatar/rig_mapping.h"
#include "common/arkit.h"
#include "retarget/clip_measurements.h"
#include "timeline/channel_list_view.h"
#include "timeline/curve_editor.h"
#include "timeline/key_value_editor.h"
#include "timeline/time_axis.h"
#include "timeline/time_ruler.h"
#include "viewport/avatar_viewport.h"

#include <QAction>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QSplitter>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

namespace fa::ui {

AnimateWorkspace::AnimateWorkspace(QWidget *parent)
    : QWidget(parent), m_document(new AnimateDocument(this)), m_channels(new ChannelModel(m_document, this)),
      m_axis(new TimeAxis(this)), m_playback(new PlaybackController(this)), m_solve(new SolveJob(this))
{
    setAcceptDrops(true);
    buildActions();
    buildLayout();

    connect(m_axis, &TimeAxis::currentFrameChanged, this, &AnimateWorkspace::showFrame);
    connect(m_axis, &TimeAxis::currentFrameChanged, m_playback, &PlaybackController::setCurrentFrame);
    connect(m_playback, &PlaybackController::frameRequested, m_axis, &TimeAxis::setCurrentFrame);
    connect(m_document, &AnimateDocument::animationReset, this, &AnimateWorkspace::animationReplaced);
    connect(m_document, &AnimateDocument::curvesChanged, this, [this] { showFrame(currentFrame()); });
    connect(m_document, &AnimateDocument::calibrationChanged, this, [this] { showFrame(currentFrame()); });
    connect(m_document->undoStack(), &QUndoStack::indexChanged, this, &AnimateWorkspace::scheduleAutosave);
    connect(m_solve, &SolveJob::progressed, this, &AnimateWorkspace::solveProgressed);
    connect(m_solve, &SolveJob::updated, this, &AnimateWorkspace::solveUpdated);
    connect(m_solve, &SolveJob::finished, this, &AnimateWorkspace::solveEnded);
    connect(this, &AnimateWorkspace::avatarChanged, this, &AnimateWorkspace::fillSolverChoices);
    fillSolverChoices();
    connect(m_curves, &CurveEditor::selectionChanged, this, &AnimateWorkspace::updateActions);
    connect(m_video, &VideoPanel::decodeFailed, this, [this](const QString &error) { m_status->setText(error); });
    // A renderer loaded after the frame was shown renders the frame shown now.
    connect(m_neural, &NeuralPreviewPanel::modelLoaded, this, [this] { showFrame(currentFrame()); });
    connect(m_viewport, &AvatarViewport::renderFailed, this,
            [this](const QString &error) { showError(tr("Avatar Viewport"), error); });
    updateActions();
}

AnimateWorkspace::~AnimateWorkspace()
{
    m_solve->cancel();
    if (m_autosave && m_savePending)
        saveSession();
}

void AnimateWorkspace::buildActions()
{
    auto add = [this](const QString &text, const QKeySequence &key, auto slot) {
        auto *action = new QAction(text, this);
        if (!key.isEmpty())
            action->setShortcut(key);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
        return action;
    };
    // Playback keys.
    add(tr("Play/Pause"), QKeySequence(Qt::Key_Space), [this] { m_playback->togglePlay(); });
    add(tr("Play Backwards"), QKeySequence(Qt::Key_J), [this] { m_playback->shuttleBackward(); });
    add(tr("Stop"), QKeySequence(Qt::Key_K), [this] { m_playback->pause(); });
    add(tr("Play Forwards"), QKeySequence(Qt::Key_L), [this] { m_playback->shuttleForward(); });
    add(tr("Previous Frame"), QKeySequence(Qt::Key_Left), [this] { m_playback->stepBackward(); });
    add(tr("Next Frame"), QKeySequence(Qt::Key_Right), [this] { m_playback->stepForward(); });
    add(tr("First Frame"), QKeySequence(Qt::Key_Home), [this] { m_playback->goToStart(); });
    add(tr("Last Frame"), QKeySequence(Qt::Key_End), [this] { m_playback->goToEnd(); });

    QAction *undo = m_document->undoStack()->createUndoAction(this, tr("Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = m_document->undoStack()->createRedoAction(this, tr("Redo"));
    redo->setShortcut(QKeySequence::Redo);
    for (QAction *a : {undo, redo}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
    }

    m_toolBar = new QToolBar(this);
    m_toolBar->addAction(tr("Open Video…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Video"), QString(),
                                                          tr("Videos (*.mp4 *.mov *.avi *.mkv *.webm);;All files (*)"));
        if (!path.isEmpty())
            openVideo(path);
    });
    m_toolBar->addAction(tr("Open Avatar…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Avatar"), QString(),
                                                          tr("Avatars (*.glb *.gltf *.fbx *.obj *.dae);;All files (*)"));
        if (!path.isEmpty())
            openAvatar(path);
    });
    m_toolBar->addSeparator();
    m_solverChoice = new QComboBox(m_toolBar);
    m_solverChoice->setToolTip(tr("The solver: the landmark solver (no training), or an animator model of the project "
                                  "(freeavatar train rig-decoder) trained for this avatar"));
    m_solverChoice->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_toolBar->addWidget(m_solverChoice);
    m_solveAction = m_toolBar->addAction(tr("Solve"), this, &AnimateWorkspace::startSolve);
    m_solveAction->setToolTip(tr("Measure the video's faces and solve the rig curves with the chosen solver"));
    m_cancelAction = m_toolBar->addAction(tr("Cancel"), this, &AnimateWorkspace::cancelSolve);
    m_neutralAction = m_toolBar->addAction(tr("Neutral = This Frame"), this, &AnimateWorkspace::setNeutralToCurrentFrame);
    m_neutralAction->setToolTip(tr("Re-solve with the frame shown as the actor's neutral pose"));
    m_toolBar->addSeparator();
    m_toolBar->addAction(undo);
    m_toolBar->addAction(redo);
    m_smoothAction = m_toolBar->addAction(tr("Smooth…"), this, &AnimateWorkspace::smoothSelection);
    m_reduceAction = m_toolBar->addAction(tr("Reduce Keys…"), this, &AnimateWorkspace::reduceSelection);
    m_toolBar->addSeparator();
    m_overlayAction = m_toolBar->addAction(tr("Landmarks"));
    m_overlayAction->setCheckable(true);
    m_overlayAction->setChecked(true);
    m_overlayAction->setToolTip(tr("Show the face box and landmarks over the video"));
    m_toolBar->addSeparator();
    QAction *sessions = m_toolBar->addAction(tr("Sessions"), this, &AnimateWorkspace::showSessionsMenu);
    sessions->setToolTip(tr("Open a retarget session saved in the project"));
    m_saveAction = add(tr("Save Session"), QKeySequence::Save, [this] {
        QString error;
        if (!saveSession(&error))
            showError(tr("Save Session"), error);
    });
    m_toolBar->addAction(m_saveAction);
    m_exportAction = add(tr("Export…"), QKeySequence(Qt::CTRL | Qt::Key_E), [this] { showExportDialog(); });
    m_toolBar->addAction(m_exportAction);
}

void AnimateWorkspace::buildLayout()
{
    m_video = new VideoPanel(this);
    m_viewport = new AvatarViewport(this);
    m_neural = new NeuralPreviewPanel(this);
    m_ruler = new TimeRuler(m_axis, this);
    m_channelList = new ChannelListView(m_channels, this);
    m_curves = new CurveEditor(m_document, m_channels, m_axis, this);
    m_keyValue = new KeyValueEditor(m_curves, this);
    m_progress = new QProgressBar(this);
    m_progress->setMaximumWidth(220);
    m_progress->setVisible(false);
    m_status = new QLabel(this);
    connect(m_overlayAction, &QAction::toggled, m_video, &VideoPanel::setOverlayVisible);

    auto *views = new QSplitter(Qt::Horizontal, this);
    views->addWidget(m_video);
    views->addWidget(m_viewport);
    views->addWidget(m_neural);
    views->setStretchFactor(0, 3);
    views->setStretchFactor(1, 3);
    views->setStretchFactor(2, 2);

    auto *curveColumn = new QWidget(this);
    auto *curveLayout = new QVBoxLayout(curveColumn);
    curveLayout->setContentsMargins(0, 0, 0, 0);
    curveLayout->setSpacing(0);
    curveLayout->addWidget(m_ruler);
    curveLayout->addWidget(m_curves, 1);
    auto *curvesSplit = new QSplitter(Qt::Horizontal, this);
    curvesSplit->addWidget(m_channelList);
    curvesSplit->addWidget(curveColumn);
    curvesSplit->setStretchFactor(1, 1);

    auto *timeline = new QWidget(this);
    auto *timelineLayout = new QVBoxLayout(timeline);
    timelineLayout->setContentsMargins(0, 0, 0, 0);
    auto *transportRow = new QHBoxLayout;
    transportRow->addWidget(new TransportBar(m_playback, m_axis, this), 1);
    transportRow->addWidget(m_keyValue);
    timelineLayout->addLayout(transportRow);
    timelineLayout->addWidget(curvesSplit, 1);

    auto *vertical = new QSplitter(Qt::Vertical, this);
    vertical->addWidget(views);
    vertical->addWidget(timeline);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 2);

    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_progress);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_toolBar);
    layout->addWidget(vertical, 1);
    layout->addLayout(statusRow);
}

void AnimateWorkspace::showError(const QString &title, const QString &text)
{
    m_status->setText(text);
    QMessageBox::warning(this, title, text);
}

int AnimateWorkspace::currentFrame() const
{
    return m_axis->currentFrame();
}

void AnimateWorkspace::setCurrentFrame(int frame)
{
    m_axis->setCurrentFrame(frame);
}

std::vector<float> AnimateWorkspace::rigValuesAt(int frame) const
{
    std::vector<float> rig(m_rigSource.size(), 0.0f);
    const RigAnimation &animation = m_document->animation();
    if (frame < 0 || frame >= animation.frameCount())
        return rig;
    for (size_t c = 0; c < m_rigSource.size(); ++c)
        if (m_rigSource[c] >= 0)
            rig[c] = animation.value(frame, m_rigSource[c]);
    return rig;
}

void AnimateWorkspace::updateRigRouting()
{
    m_rigSource.clear();
    if (!m_avatar)
        return;
    const RigMapping mapping = RigMapping::fromArkit(m_avatar->rig());
    const RigAnimation &animation = m_document->animation();

    std::vector<int> channelOfShape(arkit::kShapeCount, -1);
    for (int ch = 0; ch < animation.channelCount(); ++ch) {
        const int shape = arkit::indexOf(animation.controlNames()[ch]);
        if (shape >= 0 && channelOfShape[size_t(shape)] < 0)
            channelOfShape[size_t(shape)] = ch;
    }
    // A channel named as the control drives it (the learnt solver's curves are the avatar's own
    // controls); otherwise the channel of the control's ARKit shape (the landmark solver's).
    m_rigSource.assign(size_t(mapping.controlCount()), -1);
    for (int c = 0; c < mapping.controlCount(); ++c) {
        m_rigSource[size_t(c)] = animation.channelIndex(m_avatar->rig().control(c).name);
        const int shape = mapping.arkitIndexForControl(c);
        if (m_rigSource[size_t(c)] < 0 && shape >= 0)
            m_rigSource[size_t(c)] = channelOfShape[size_t(shape)];
    }
}

void AnimateWorkspace::showFrame(int frame)
{
    const RigAnimation &animation = m_document->animation();
    if (frame >= 0 && frame < animation.frameCount()) {
        m_video->showTime(animation.frameTime(frame));
        const FrameMeasurement *m = m_measurements && frame < m_measurements->frameCount()
                                        ? &m_measurements->frame(frame) : nullptr;
        if (m) {
            QVector<QPointF> points;
            if (m->faceFound)
                points = QVector<QPointF>(m->landmarks.begin(), m->landmarks.end());
            m_video->setOverlay(m->faceFound, m->faceBox, points);
        } else {
            m_video->setOverlay(animation.faceFound(frame), QRectF(), {});
        }
    }
    if (m_avatar) {
        const std::vector<float> rig = rigValuesAt(frame);
        m_viewport->setRigValues(rig);
        if (m_neural->hasModel())
            m_neural->requestRig(m_avatar->rig().names(), rig);
    }
}

void AnimateWorkspace::animationReplaced()
{
    const RigAnimation &animation = m_document->animation();
    const bool lengthChanged = m_axis->frameCount() != animation.frameCount();
    m_axis->setFps(animation.fps() > 0 ? animation.fps() : 30.0);
    m_axis->setFrameCount(animation.frameCount());
    if (lengthChanged && !isSolving())
        m_axis->showAll();
    m_playback->setClip(animation.frameCount(), animation.fps());
    m_ruler->setFaceMask(animation.faceFoundMask());
    updateRigRouting();
    showFrame(currentFrame());
    updateActions();
}

void AnimateWorkspace::fillSolverChoices()
{
    const QString current = m_solverChoice->currentData().toString();
    const QSignalBlocker blocker(m_solverChoice);
    m_solverChoice->clear();
    m_solverChoice->addItem(tr("Landmark solver"), QString());
    for (const QString &run : AnimatorModel::findRuns(m_project ? m_project->directory() : QString(), m_avatarPath))
        m_solverChoice->addItem(tr("Animator %1").arg(QFileInfo(run).fileName()), run);
    const int index = m_solverChoice->findData(current);
    m_solverChoice->setCurrentIndex(index >= 0 ? index : 0);
}

QStringList AnimateWorkspace::solverChoices() const
{
    QStringList choices;
    for (int i = 0; i < m_solverChoice->count(); ++i)
        choices << m_solverChoice->itemData(i).toString();
    return choices;
}

bool AnimateWorkspace::setSolverChoice(const QString &animatorRun)
{
    const int index = m_solverChoice->findData(animatorRun);
    if (index < 0)
        return false;
    m_solverChoice->setCurrentIndex(index);
    return true;
}

QString AnimateWorkspace::solverChoice() const
{
    return m_solverChoice->currentData().toString();
}

void AnimateWorkspace::updateActions()
{
    const bool solving = isSolving();
    const bool haveClip = m_document->animation().frameCount() > 0;
    m_solveAction->setEnabled(!solving && !m_videoPath.isEmpty());
    m_cancelAction->setEnabled(solving);
    // The learnt solver has no neutral calibration of the rig: the action re-solves with landmarks.
    m_neutralAction->setEnabled(!solving && !m_learntSession && m_measurements && m_measurements->frameCount() > 0);
    m_solverChoice->setEnabled(!solving);
    const bool haveSelection = m_curves->selectedKeyCount() > 0;
    m_smoothAction->setEnabled(!solving && haveSelection);
    m_reduceAction->setEnabled(!solving && haveSelection);
    m_saveAction->setEnabled(!solving && haveClip);
    m_exportAction->setEnabled(!solving && haveClip);
    m_curves->setEnabled(!solving);
    m_keyValue->setEnabled(!solving);
}

} // namespace fa::ui
