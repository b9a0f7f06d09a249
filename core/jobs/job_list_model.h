#pragma once

#include <QAbstractTableModel>
#include <QList>

namespace fa {

class Job;

/// The jobs of a JobManager for a queue panel: one row per job (oldest first), columns Title,
/// State, Progress (0..1 under ProgressRole, "42 %" for display), Step ("120 / 2000") and Error
/// (first line; the whole text as tool tip). Rows follow the jobs' signals. Owned and filled by
/// JobManager; views only read it.
class JobListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { TitleColumn, StateColumn, ProgressColumn, StepColumn, ErrorColumn, ColumnCount };
    enum Role {
        JobIdRole = Qt::UserRole + 1, ///< qint64, any column
        StateRole,                    ///< int(fa::JobState)
        ProgressRole,                 ///< double 0..1
    };

    explicit JobListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    Job *jobAt(int row) const { return m_jobs.value(row); }
    int rowOf(qint64 jobId) const;

    // For JobManager.
    void addJob(Job *job);
    void removeJob(qint64 jobId);
    void clear();

private:
    void jobChanged(Job *job);

    QList<Job *> m_jobs;
};

} // namespace fa
