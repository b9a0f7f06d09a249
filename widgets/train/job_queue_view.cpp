#include "train/job_queue_view.h"

#include "jobs/job.h"
#include "jobs/job_list_model.h"
#include "jobs/job_manager.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace fa::ui {

namespace {

/// Draws the Progress column as a progress bar.
class ProgressDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        if (index.column() != fa::JobListModel::ProgressColumn) {
            QStyledItemDelegate::paint(painter, option, index);
            return;
        }
        QStyleOptionProgressBar bar;
        bar.rect = option.rect.adjusted(2, 2, -2, -2);
        bar.minimum = 0;
        bar.maximum = 1000;
        bar.progress = int(index.data(fa::JobListModel::ProgressRole).toDouble() * 1000);
        bar.text = index.data().toString();
        bar.textVisible = true;
        bar.state = option.state | QStyle::State_Horizontal;
        QApplication::style()->drawControl(QStyle::CE_ProgressBar, &bar, painter);
    }
};

} // namespace

JobQueueView::JobQueueView(QWidget *parent)
    : QWidget(parent)
    , m_table(new QTableView(this))
    , m_pause(new QPushButton(tr("Pause"), this))
    , m_resume(new QPushButton(tr("Resume"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_remove(new QPushButton(tr("Remove"), this))
{
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setItemDelegate(new ProgressDelegate(m_table));
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_pause->setToolTip(tr("Pause the selected job after its current step"));
    m_resume->setToolTip(tr("Continue a paused job, or queue an interrupted, cancelled or failed one "
                            "again from its last checkpoint"));
    m_cancel->setToolTip(tr("Stop the selected job after its current step (its checkpoints stay)"));
    m_remove->setToolTip(tr("Remove the selected job from the list (its run folder stays on disk)"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_pause);
    buttons->addWidget(m_resume);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table);
    layout->addLayout(buttons);

    connect(m_pause, &QPushButton::clicked, this, &JobQueueView::pauseSelected);
    connect(m_resume, &QPushButton::clicked, this, &JobQueueView::resumeSelected);
    connect(m_cancel, &QPushButton::clicked, this, &JobQueueView::cancelSelected);
    connect(m_remove, &QPushButton::clicked, this, &JobQueueView::removeSelected);
    updateButtons();
}

void JobQueueView::setManager(fa::JobManager *manager)
{
    if (m_manager)
        disconnect(m_manager->model(), nullptr, this, nullptr);
    m_manager = manager;
    m_table->setModel(manager ? manager->model() : nullptr);
    if (manager) {
        m_table->horizontalHeader()->setSectionResizeMode(fa::JobListModel::TitleColumn, QHeaderView::Stretch);
        m_table->setColumnWidth(fa::JobListModel::ProgressColumn, 110);
        connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
            updateButtons();
            Q_EMIT jobSelected(selectedJobId());
        });
        connect(manager->model(), &QAbstractItemModel::dataChanged, this, &JobQueueView::updateButtons);
        connect(manager->model(), &QAbstractItemModel::rowsRemoved, this, &JobQueueView::updateButtons);
        connect(manager->model(), &QAbstractItemModel::modelReset, this, &JobQueueView::updateButtons);
    }
    updateButtons();
}

qint64 JobQueueView::selectedJobId() const
{
    if (!m_table->selectionModel())
        return 0;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : rows.first().data(fa::JobListModel::JobIdRole).toLongLong();
}

void JobQueueView::selectJob(qint64 id)
{
    if (!m_manager)
        return;
    const int row = m_manager->model()->rowOf(id);
    if (row >= 0)
        m_table->selectRow(row);
}

void JobQueueView::updateButtons()
{
    const fa::Job *job = m_manager ? m_manager->job(selectedJobId()) : nullptr;
    const bool own = job && !m_manager->isForeign(job->id());
    const fa::JobState state = job ? job->state() : fa::JobState::Finished;
    m_pause->setEnabled(own && state == fa::JobState::Running && !job->isPauseRequested());
    m_resume->setEnabled(own && (job->isPauseRequested() || fa::jobStateIsResumable(state)));
    m_cancel->setEnabled(own && (state == fa::JobState::Queued || fa::jobStateIsActive(state)));
    m_remove->setEnabled(own && !job->hasWorker() && !fa::jobStateIsActive(state));
}

void JobQueueView::report(const QString &action, const QString &error)
{
    QMessageBox::warning(this, action, tr("%1 failed: %2").arg(action, error));
}

void JobQueueView::pauseSelected()
{
    QString error;
    if (m_manager && !m_manager->pause(selectedJobId(), &error))
        report(tr("Pause"), error);
    updateButtons();
}

void JobQueueView::resumeSelected()
{
    QString error;
    if (m_manager && !m_manager->resume(selectedJobId(), &error))
        report(tr("Resume"), error);
    updateButtons();
}

void JobQueueView::cancelSelected()
{
    QString error;
    if (m_manager && !m_manager->cancel(selectedJobId(), &error))
        report(tr("Cancel"), error);
    updateButtons();
}

void JobQueueView::removeSelected()
{
    QString error;
    if (m_manager && !m_manager->remove(selectedJobId(), &error))
        report(tr("Remove"), error);
    updateButtons();
}

} // namespace fa::ui
