#pragma once

#include <QMainWindow>

namespace fa::ui {
class FileInfoView;
}

namespace fa::studio {

/// The studio's main window. Workspaces (Label, Train, Animate) are added by later work; today it
/// opens videos and avatars (menu, command line, or drag and drop) and shows what the studio
/// sees in them. Window geometry and state are remembered between sessions (QSettings).
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    void openFile(const QString &path);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void openWithDialog();
    void showAbout();

    fa::ui::FileInfoView *m_infoView;
};

} // namespace fa::studio
