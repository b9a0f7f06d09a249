#include "main_window.h"

#include "animate/animate_workspace.h"
#include "file_info_view.h"
#include "jobs/job_manager.h"
#include "label/label_workspace.h"
#include "project/project.h"
#include "recent_projects.h"
#include "train/train_workspace.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>

namespace fa::studio {

namespace {
const QString kGeometryKey = QStringLiteral("mainWindow/geometry");
const QString kStateKey = QStringLiteral("mainWindow/state");
const QString kWorkspaceKey = QStringLiteral("mainWindow/workspace");
const QString kLastFolderKey = QStringLiteral("mainWindow/lastFolder");
const QString kProjectFolderKey = QStringLiteral("mainWindow/lastProjectFolder");
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_workspaces(new QTabWidget(this))
    , m_label(new fa::ui::LabelWorkspace(this))
    , m_infoView(new fa::ui::FileInfoView(this))
    , m_train(new fa::ui::TrainWorkspace(this))
    , m_animate(new fa::ui::AnimateWorkspace(this))
{
    setWindowTitle(tr("FreeAvatar Studio"));
    setObjectName(QStringLiteral("MainWindow"));
    m_workspaces->addTab(m_label, tr("Label"));
    m_workspaces->addTab(m_infoView, tr("Inspect"));
    m_workspaces->addTab(m_train, tr("Train"));
    m_workspaces->addTab(m_animate, tr("Animate"));
    setCentralWidget(m_workspaces);
    setAcceptDrops(true);
    createMenus();

    connect(m_infoView, &fa::ui::FileInfoView::fileShown, this,
            [this](const QString &path) { statusBar()->showMessage(tr("Opened %1").arg(path), 5000); });
    connect(m_infoView, &fa::ui::FileInfoView::readFailed, this, [this](const QString &message) {
        QMessageBox::warning(this, tr("Cannot open file"), message);
    });
    connect(m_label, &fa::ui::LabelWorkspace::projectChanged, this, &MainWindow::updateTitle);
    connect(m_label, &fa::ui::LabelWorkspace::tripletsSampled, this,
            [this](int count) { statusBar()->showMessage(tr("Added %n triplet(s)", nullptr, count), 5000); });
    connect(m_train, &fa::ui::TrainWorkspace::embeddingsComputed, this, [this](qint64 count) {
        statusBar()->showMessage(
            tr("%n face(s) have embeddings: Sample Triplets can use the uncertainty strategy", nullptr, int(count)),
            8000);
    });
    connect(m_animate, &fa::ui::AnimateWorkspace::statusMessage, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    statusBar()->showMessage(tr("Ready"));

    QSettings settings;
    resize(1100, 720);
    restoreGeometry(settings.value(kGeometryKey).toByteArray());
    restoreState(settings.value(kStateKey).toByteArray());
    m_workspaces->setCurrentIndex(settings.value(kWorkspaceKey, 0).toInt());
}

MainWindow::~MainWindow()
{
    // The Label workspace owns the project and is destroyed first (creation order): let the
    // Animate workspace save a pending session while the project is still open.
    m_animate->setProject(nullptr);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New Project…"), this, &MainWindow::newProjectWithDialog)->setShortcut(QKeySequence::New);
    QAction *openProject = file->addAction(tr("Open &Project…"), this, &MainWindow::openProjectWithDialog);
    openProject->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    fillRecentMenu();
    file->addSeparator();
    QAction *open = file->addAction(tr("&Open Video or Avatar…"), this, &MainWindow::openWithDialog);
    open->setShortcut(QKeySequence::Open);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *project = menuBar()->addMenu(tr("&Project"));
    project->addActions(m_label->projectActions());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About FreeAvatar Studio"), this, &MainWindow::showAbout);
}

void MainWindow::fillRecentMenu()
{
    m_recentMenu->clear();
    const QStringList projects = RecentProjects::list();
    for (const QString &directory : projects) {
        QAction *action = m_recentMenu->addAction(QDir::toNativeSeparators(directory));
        connect(action, &QAction::triggered, this, [this, directory] { this->openProject(directory); });
    }
    if (projects.isEmpty())
        m_recentMenu->addAction(tr("No recent projects"))->setEnabled(false);
    m_recentMenu->addSeparator();
    QAction *clear = m_recentMenu->addAction(tr("&Clear Menu"), this, [] { RecentProjects::clear(); });
    clear->setEnabled(!projects.isEmpty());
}

void MainWindow::openFile(const QString &path)
{
    setCurrentWorkspace(Workspace::Inspect);
    m_infoView->showFile(path);
}

bool MainWindow::openProject(const QString &directory, const QString &annotator)
{
    QString error;
    std::unique_ptr<fa::Project> project = fa::Project::open(directory, &error);
    if (!project) {
        QMessageBox::warning(this, tr("Cannot open project"),
                             tr("The folder %1 cannot be opened as a project.\n\n%2")
                                 .arg(QDir::toNativeSeparators(directory), error));
        return false;
    }
    RecentProjects::add(project->directory());
    const QString projectDirectory = project->directory();
    setCurrentWorkspace(Workspace::Label);
    m_animate->setProject(nullptr); // saves its session in the old project while that is still open
    if (!m_label->setProject(std::move(project), annotator, &error)) {
        QMessageBox::warning(this, tr("Cannot start labelling"),
                             tr("The project in %1 is open, but labelling cannot start.\n\n%2")
                                 .arg(QDir::toNativeSeparators(directory), error));
    }
    if (!m_train->setProjectDirectory(projectDirectory, &error)) {
        QMessageBox::warning(this, tr("Cannot open training jobs"),
                             tr("The project in %1 is open, but its training jobs cannot be shown.\n\n%2")
                                 .arg(QDir::toNativeSeparators(directory), error));
    }
    m_animate->setProject(m_label->project());
    statusBar()->showMessage(tr("Opened project %1").arg(QDir::toNativeSeparators(directory)), 5000);
    return true;
}

bool MainWindow::animate(const QString &video, const QString &avatar)
{
    setCurrentWorkspace(Workspace::Animate);
    if (!avatar.isEmpty() && !m_animate->openAvatar(avatar))
        return false;
    if (video.isEmpty())
        return true;
    if (!m_animate->openVideo(video))
        return false;
    m_animate->startSolve();
    return true;
}

bool MainWindow::newProject(const QString &directory)
{
    QString error;
    if (!fa::Project::create(directory, &error)) {
        QMessageBox::warning(this, tr("Cannot create project"),
                             tr("No project could be created in %1.\n\n%2")
                                 .arg(QDir::toNativeSeparators(directory), error));
        return false;
    }
    return openProject(directory);
}

void MainWindow::newProjectWithDialog()
{
    QSettings settings;
    const QString directory = QFileDialog::getExistingDirectory(
        this, tr("New Project: choose an empty folder"), settings.value(kProjectFolderKey).toString());
    if (directory.isEmpty())
        return;
    settings.setValue(kProjectFolderKey, QFileInfo(directory).absolutePath());
    newProject(directory);
}

void MainWindow::openProjectWithDialog()
{
    QSettings settings;
    const QString directory = QFileDialog::getExistingDirectory(
        this, tr("Open Project"), settings.value(kProjectFolderKey).toString());
    if (directory.isEmpty())
        return;
    settings.setValue(kProjectFolderKey, QFileInfo(directory).absolutePath());
    openProject(directory);
}

MainWindow::Workspace MainWindow::currentWorkspace() const
{
    const QWidget *current = m_workspaces->currentWidget();
    return current == m_infoView ? Workspace::Inspect
           : current == m_train  ? Workspace::Train
           : current == m_animate ? Workspace::Animate
                                  : Workspace::Label;
}

void MainWindow::setCurrentWorkspace(Workspace workspace)
{
    QWidget *widgets[] = {m_label, m_infoView, m_train, m_animate};
    m_workspaces->setCurrentWidget(widgets[int(workspace)]);
}

void MainWindow::updateTitle()
{
    const fa::Project *project = m_label->project();
    setWindowTitle(project ? tr("%1 — FreeAvatar Studio").arg(QFileInfo(project->directory()).fileName())
                           : tr("FreeAvatar Studio"));
}

void MainWindow::openWithDialog()
{
    QSettings settings;
    const QString folder = settings.value(kLastFolderKey).toString();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Video or Avatar"), folder,
        tr("Videos and avatars (*.mp4 *.mov *.avi *.mkv *.webm *.glb *.gltf *.fbx *.obj);;All files (*)"));
    if (path.isEmpty())
        return;
    settings.setValue(kLastFolderKey, QFileInfo(path).absolutePath());
    openFile(path);
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About FreeAvatar Studio"),
                       tr("<b>FreeAvatar Studio</b> %1<br>Expression-driven avatar animation "
                          "(FreeAvatar, arXiv 2409.13180).").arg(QStringLiteral(FA_VERSION)));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    const fa::JobManager *jobs = m_train->jobManager();
    if (jobs && jobs->hasActiveJobs()
        && QMessageBox::question(this, tr("Quit"),
                                 tr("A training job is running. Quit anyway?\n\nIt stops after its current step "
                                    "and can be resumed from its last checkpoint in the Train workspace."))
               != QMessageBox::Yes) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState());
    settings.setValue(kWorkspaceKey, m_workspaces->currentIndex());
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.first().isLocalFile())
        return;
    const QString path = urls.first().toLocalFile();
    if (QFileInfo(path).isDir())
        openProject(path);
    else if (currentWorkspace() == Workspace::Animate)
        m_animate->openFile(path); // the workspace's own drop (outside its area)
    else
        openFile(path);
}

} // namespace fa::studio
