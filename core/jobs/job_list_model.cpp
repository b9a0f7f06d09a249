#include "jobs/job_list_model.h"

#include "jobs/job.h"

namespace fa {

JobListModel::JobListModel(QObject *parent) : QAbstractTableModel(parent) {}

int JobListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_jobs.size());
}

int JobListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JobListModel::data(const QModelIndex &index, int role) const
{
    const Job *job = m_jobs.value(index.row());
    if (!index.isValid() || !job)
        return QVariant();
    switch (role) {
    case JobIdRole: return job->id();
    case StateRole: return int(job->state());
    case ProgressRole: return job->progress();
    case Qt::ToolTipRole:
        if (!job->error().isEmpty())
            return job->error();
        return job->status().isEmpty() ? job->title() : job->status();
    case Qt::DisplayRole:
        switch (index.column()) {
        case TitleColumn: return job->title();
        case StateColumn:
            if (job->state() == JobState::Running && job->isPauseRequested())
                return tr("Pausing…");
            return jobStateLabel(job->state());
        case ProgressColumn: return QStringLiteral("%1 %").arg(qRound(job->progress() * 100));
        case StepColumn:
            return job->totalSteps() > 0 ? QStringLiteral("%1 / %2").arg(job->step()).arg(job->totalSteps())
                                         : QString::number(job->step());
        case ErrorColumn: return job->error().section(QLatin1Char('\n'), 0, 0);
        default: return QVariant();
        }
    default: return QVariant();
    }
}

QVariant JobListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TitleColumn: return tr("Job");
    case StateColumn: return tr("State");
    case ProgressColumn: return tr("Progress");
    case StepColumn: return tr("Step");
    case ErrorColumn: return tr("Error");
    default: return QVariant();
    }
}

int JobListModel::rowOf(qint64 jobId) const
{
    for (int row = 0; row < m_jobs.size(); ++row) {
        if (m_jobs.at(row)->id() == jobId)
            return row;
    }
    return -1;
}

void JobListModel::addJob(Job *job)
{
    const int row = int(m_jobs.size());
    beginInsertRows(QModelIndex(), row, row);
    m_jobs.append(job);
    endInsertRows();
    connect(job, &Job::stateChanged, this, [this, job] { jobChanged(job); });
    connect(job, &Job::progressChanged, this, [this, job] { jobChanged(job); });
}

void JobListModel::removeJob(qint64 jobId)
{
    const int row = rowOf(jobId);
    if (row < 0)
        return;
    beginRemoveRows(QModelIndex(), row, row);
    disconnect(m_jobs.at(row), nullptr, this, nullptr);
    m_jobs.removeAt(row);
    endRemoveRows();
}

void JobListModel::clear()
{
    beginResetModel();
    for (Job *job : std::as_const(m_jobs))
        disconnect(job, nullptr, this, nullptr);
    m_jobs.clear();
    endResetModel();
}

void JobListModel::jobChanged(Job *job)
{
    const int row = rowOf(job->id());
    if (row >= 0)
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

} // namespace fa
