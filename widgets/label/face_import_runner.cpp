#include "label/face_import_runner.h"

#include "project/project.h"

#include <QElapsedTimer>
#include <QMessageBox>
#include <QProgressDialog>
#include <QtConcurrent/QtConcurrentRun>

namespace fa::ui {

namespace {
constexpr int kProgressSteps = 1000;
constexpr qint64 kProgressIntervalMs = 50; // at most 20 progress updates a second reach the GUI
} // namespace

FaceImportRunner::FaceImportRunner(QWidget *dialogParent, QObject *parent)
    : QObject(parent)
    , m_dialogParent(dialogParent)
{
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, &FaceImportRunner::onFinished);
}

FaceImportRunner::~FaceImportRunner()
{
    if (m_cancel)
        *m_cancel = true;
    m_watcher.waitForFinished();
    delete m_progress;
}

bool FaceImportRunner::start(const QString &projectDirectory, const QStringList &paths,
                             const fa::FaceImportOptions &options)
{
    if (isRunning())
        return false;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    m_report = {};
    m_error.clear();

    m_progress = new QProgressDialog(tr("Importing faces…"), tr("Cancel"), 0, kProgressSteps, m_dialogParent);
    m_progress->setWindowTitle(tr("Import Faces"));
    m_progress->setWindowModality(Qt::WindowModal);
    m_progress->setMinimumDuration(0);
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    connect(m_progress, &QProgressDialog::canceled, this, &FaceImportRunner::cancel);
    m_progress->setValue(0);
    m_progress->show();

    const std::shared_ptr<std::atomic_bool> cancelFlag = m_cancel;
    m_watcher.setFuture(QtConcurrent::run([this, projectDirectory, paths, options, cancelFlag] {
        Outcome outcome;
        std::unique_ptr<fa::Project> project = fa::Project::open(projectDirectory, &outcome.error);
        if (!project)
            return outcome;
        QElapsedTimer throttle;
        throttle.start();
        const auto progress = [this, &throttle](double fraction, const QString &status) {
            if (throttle.elapsed() < kProgressIntervalMs && fraction < 1)
                return;
            throttle.restart();
            // `this` outlives the worker (the destructor waits for it).
            QMetaObject::invokeMethod(this, [this, fraction, status] { onProgress(fraction, status); },
                                      Qt::QueuedConnection);
        };
        try { // the job boundary: nothing may escape into the GUI thread's result()
            outcome.report = fa::FaceImporter(options).run(*project, paths, progress, cancelFlag.get(), &outcome.error);
        } catch (const std::exception &e) {
            outcome.report.reset();
            outcome.error = tr("The import stopped: %1").arg(QString::fromUtf8(e.what()));
        }
        return outcome;
    }));
    return true;
}

void FaceImportRunner::cancel()
{
    if (m_cancel)
        *m_cancel = true;
    if (m_progress)
        m_progress->setLabelText(tr("Cancelling…"));
}

void FaceImportRunner::onProgress(double fraction, const QString &status)
{
    if (m_progress && !m_progress->wasCanceled()) {
        m_progress->setValue(int(fraction * kProgressSteps));
        m_progress->setLabelText(status);
    }
    Q_EMIT progressed(fraction, status);
}

QString FaceImportRunner::summary(const fa::FaceImportReport &report)
{
    QString text = report.cancelled ? tr("The import was cancelled.\n\n") : QString();
    text += tr("Files imported: %1\nFaces added: %2\nNear duplicates dropped: %3\n"
               "Faces too small, skipped: %4\nImages smaller than the minimum face size: %5\n"
               "Files already in the project: %6\nImages or frames without a face: %7\nProblems: %8")
                .arg(report.filesImported).arg(report.facesAdded).arg(report.nearDuplicatesDropped)
                .arg(report.facesTooSmall).arg(report.imagesTooSmall).arg(report.filesAlreadyInProject)
                .arg(report.framesWithoutFace).arg(report.problems.size());
    return text;
}

QString FaceImportRunner::log(const fa::FaceImportReport &report)
{
    QStringList lines;
    for (const fa::FileImportReport &file : report.files)
        lines << file.line();
    for (const QString &problem : report.problems)
        if (!lines.contains(problem))
            lines << problem;
    return lines.join(QLatin1Char('\n'));
}

void FaceImportRunner::onFinished()
{
    const Outcome outcome = m_watcher.result();
    if (m_progress) {
        m_progress->hide();
        m_progress->deleteLater();
    }
    m_report = outcome.report.value_or(fa::FaceImportReport{});
    m_error = outcome.report ? QString() : outcome.error;
    if (m_showsReport) {
        auto *box = new QMessageBox(m_dialogParent);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setWindowTitle(tr("Import Faces"));
        if (!outcome.report) {
            box->setIcon(QMessageBox::Warning);
            box->setText(tr("The faces could not be imported: %1").arg(m_error));
        } else {
            box->setIcon(m_report.problems.isEmpty() ? QMessageBox::Information : QMessageBox::Warning);
            box->setText(summary(m_report));
            box->setDetailedText(log(m_report));
        }
        box->open();
    }
    Q_EMIT finished(outcome.report.has_value());
}

} // namespace fa::ui
