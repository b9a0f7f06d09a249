#pragma once

#include "projectio/face_importer.h"

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>

#include <atomic>
#include <memory>

class QProgressDialog;
class QWidget;

namespace fa::ui {

/// Runs a FaceImporter on a worker thread for the Label workspace, with a progress dialog
/// (Cancel stops it between frames and files) and, when it is done, a summary dialog with the
/// import log under "Show Details": one line per file (faces found, added, too small, or why
/// none) and the problems ("PATH: what" per bad file). Both dialogs are modeless for
/// the event loop (open(), not exec()), so the GUI and tests keep running.
///
/// The worker opens its own Project on the same folder (projects belong to one thread); the
/// faces it adds are committed one by one and are visible to the GUI's Project at once.
class FaceImportRunner : public QObject
{
    Q_OBJECT
public:
    /// `dialogParent`: the window the dialogs belong to (may be null).
    explicit FaceImportRunner(QWidget *dialogParent, QObject *parent = nullptr);
    ~FaceImportRunner() override; ///< cancels an import still running and waits for it

    /// Starts importing `paths` (files or folders) into the project in `projectDirectory`.
    /// False when an import is running already.
    bool start(const QString &projectDirectory, const QStringList &paths,
               const fa::FaceImportOptions &options = {});
    void cancel();
    bool isRunning() const { return m_watcher.isRunning(); }
    /// Whether the summary dialog is shown when an import ends (default true).
    void setShowsReport(bool shows) { m_showsReport = shows; }

    /// The report of the last import that ran (empty before); error() is set instead when it
    /// could not run (project not openable, database failure).
    const fa::FaceImportReport &lastReport() const { return m_report; }
    QString lastError() const { return m_error; }
    /// The summary dialog's text for a report (also used by the dialog).
    static QString summary(const fa::FaceImportReport &report);
    /// The import log: FileImportReport::line() of each file, then the problems not among them.
    static QString log(const fa::FaceImportReport &report);

Q_SIGNALS:
    void progressed(double fraction, const QString &status);
    /// The import ended (completed, cancelled or failed: see lastReport()/lastError()).
    void finished(bool ok);

private:
    struct Outcome
    {
        std::optional<fa::FaceImportReport> report;
        QString error;
    };
    void onProgress(double fraction, const QString &status);
    void onFinished();

    QPointer<QWidget> m_dialogParent;
    QPointer<QProgressDialog> m_progress;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QFutureWatcher<Outcome> m_watcher;
    fa::FaceImportReport m_report;
    QString m_error;
    bool m_showsReport = true;
};

} // namespace fa::ui
