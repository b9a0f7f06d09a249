#include "main_window.h"

#include "file_info_view.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>

namespace fa::studio {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_infoView(new fa::ui::FileInfoView(this))
{
    setWindowTitle(tr("FreeAvatar Studio"));
    setObjectName(QStringLiteral("MainWindow"));
    setCentralWidget(m_infoView);
    setAcceptDrops(true);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open Video or Avatar..."), this, &MainWindow::openWithDialog);
    open->setShortcut(QKeySequence::Open);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About FreeAvatar Studio"), this, &MainWindow::showAbout);

    connect(m_infoView, &fa::ui::FileInfoView::fileShown, this,
            [this](const QString &path) { statusBar()->showMessage(tr("Opened %1").arg(path), 5000); });
    connect(m_infoView, &fa::ui::FileInfoView::readFailed, this, [this](const QString &message) {
        QMessageBox::warning(this, tr("Cannot open file"), message);
    });
    statusBar()->showMessage(tr("Ready"));

    QSettings settings;
    resize(1100, 720);
    restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
}

void MainWindow::openFile(const QString &path)
{
    m_infoView->showFile(path);
}

void MainWindow::openWithDialog()
{
    QSettings settings;
    const QString folder = settings.value(QStringLiteral("mainWindow/lastFolder")).toString();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Video or Avatar"), folder,
        tr("Videos and avatars (*.mp4 *.mov *.avi *.mkv *.webm *.glb *.gltf *.fbx *.obj);;All files (*)"));
    if (path.isEmpty())
        return;
    settings.setValue(QStringLiteral("mainWindow/lastFolder"), QFileInfo(path).absolutePath());
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
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/state"), saveState());
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
    if (!urls.isEmpty() && urls.first().isLocalFile())
        openFile(urls.first().toLocalFile());
}

} // namespace fa::studio
