#pragma once

#include <QMainWindow>

class QMenu;
class QTabWidget;

namespace fa::ui {
class AnimateWorkspace;
class FileInfoView;
class LabelWorkspace;
class TrainWorkspace;
} // namespace fa::ui

namespace fa::studio {

/// The studio's main window: workspaces in tabs, "Label" (a project's labelling, statistics,
/// face import and triplet sampling: fa::ui::LabelWorkspace), "Inspect" (what the studio
/// sees in a video or an avatar: fa::ui::FileInfoView) and "Train" (the project's training jobs
/// and their dashboard: fa::ui::TrainWorkspace) and "Animate" (a video retargeted onto an
/// avatar, curves edited and exported: fa::ui::AnimateWorkspace, whose sessions are saved in the
/// open project). Projects are created and opened from the
/// File menu (Open Recent keeps the last RecentProjects::kMaximum), the command line or a
/// dropped folder; videos and avatars from the menu, the command line or a dropped file.
/// Window geometry and state and the last workspace are remembered (QSettings "mainWindow/…").
/// Closing the window while a training job runs asks first; the job then stops after its
/// current step and stays resumable.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    enum class Workspace { Label = 0, Inspect = 1, Train = 2, Animate = 3 }; ///< tab indexes (remembered)

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Shows a video or avatar in the Inspect workspace.
    void openFile(const QString &path);
    /// Opens the project in `directory` in the Label workspace and starts labelling it as
    /// `annotator` (empty: the name remembered on this machine, asked once); the Train
    /// workspace shows its jobs. A folder that is not a usable project gives a dialog naming it
    /// and what is wrong (Project::open's error) and false; the project open before stays open.
    bool openProject(const QString &directory, const QString &annotator = QString());
    /// Creates a project in `directory` (an empty or new folder) and opens it; a dialog and
    /// false on failure.
    bool newProject(const QString &directory);
    /// Opens the Animate workspace on `video` and `avatar` (either may be empty) and starts
    /// solving when the video opened. False when a file cannot be opened (a dialog says why).
    bool animate(const QString &video, const QString &avatar);

    Workspace currentWorkspace() const;
    void setCurrentWorkspace(Workspace workspace);
    fa::ui::LabelWorkspace *labelWorkspace() const { return m_label; }
    fa::ui::FileInfoView *inspector() const { return m_infoView; }
    fa::ui::TrainWorkspace *trainWorkspace() const { return m_train; }
    fa::ui::AnimateWorkspace *animateWorkspace() const { return m_animate; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createMenus();
    void fillRecentMenu();
    void newProjectWithDialog();
    void openProjectWithDialog();
    void openWithDialog();
    void showAbout();
    void updateTitle();

    QTabWidget *m_workspaces;
    fa::ui::LabelWorkspace *m_label;
    fa::ui::FileInfoView *m_infoView;
    fa::ui::TrainWorkspace *m_train;
    fa::ui::AnimateWorkspace *m_animate;
    QMenu *m_recentMenu = nullptr;
};

} // namespace fa::studio
