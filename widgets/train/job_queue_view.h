#pragma once

#include <QPointer>
#include <QWidget>

class QPushButton;
class QTableView;

namespace fa {
class JobManager;
}

namespace fa::ui {

/// The Train workspace's job queue: the JobManager's jobs (JobListModel: title, state, a
/// progress bar, step, error) with Pause, Resume, Cancel and Remove for the selected job.
/// A refused action (e.g. removing a running job) gives a dialog naming the job and why.
class JobQueueView : public QWidget
{
    Q_OBJECT
public:
    explicit JobQueueView(QWidget *parent = nullptr);

    /// The manager whose jobs are shown (may be null); not owned.
    void setManager(fa::JobManager *manager);
    /// The selected job's id, or 0.
    qint64 selectedJobId() const;
    void selectJob(qint64 id);
    QTableView *table() const { return m_table; }

    void pauseSelected();
    void resumeSelected();
    void cancelSelected();
    void removeSelected();

Q_SIGNALS:
    /// The selection changed (0: none).
    void jobSelected(qint64 id);

private:
    void updateButtons();
    void report(const QString &action, const QString &error);

    QPointer<fa::JobManager> m_manager;
    QTableView *m_table;
    QPushButton *m_pause;
    QPushButton *m_resume;
    QPushButton *m_cancel;
    QPushButton *m_remove;
};

} // namespace fa::ui
