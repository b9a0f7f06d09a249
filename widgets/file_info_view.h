#pragma once

#include <QFutureWatcher>
#include <QWidget>

#include <optional>

class QLabel;
class QPlainTextEdit;

namespace fa::ui {

/// Shows what the studio sees in a video or an avatar (fa::describeFile). The file is read on
/// a worker thread; the view stays responsive and shows "Reading..." meanwhile. A file that
/// cannot be read emits readFailed(message) so that the window can show a dialog.
class FileInfoView : public QWidget
{
    Q_OBJECT
public:
    explicit FileInfoView(QWidget *parent = nullptr);
    ~FileInfoView() override;

    /// Starts reading `path`; a read still running for an earlier path is abandoned.
    void showFile(const QString &path);
    QString currentFile() const { return m_path; }
    QString text() const;

Q_SIGNALS:
    void fileShown(const QString &path);
    void readFailed(const QString &message);

private:
    struct Outcome
    {
        QString path;
        std::optional<QString> text;
        QString error;
    };
    void onFinished();

    QLabel *m_title;
    QPlainTextEdit *m_text;
    QString m_path;
    QFutureWatcher<Outcome> m_watcher;
};

} // namespace fa::ui
