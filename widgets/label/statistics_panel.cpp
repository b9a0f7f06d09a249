#include "label/statistics_panel.h"

#include "label/triplet_votes_dialog.h"
#include "project/project.h"

#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

namespace fa::ui {

namespace {

constexpr int kMaxListedTriplets = 500; // low-agreement rows shown (and crops looked up)

QString percent(double fraction)
{
    return std::isnan(fraction) ? QStringLiteral("—") : QStringLiteral("%1 %").arg(100 * fraction, 0, 'f', 1);
}

QTableWidgetItem *item(const QString &text, Qt::Alignment alignment = Qt::AlignRight | Qt::AlignVCenter)
{
    auto *cell = new QTableWidgetItem(text);
    cell->setTextAlignment(alignment);
    cell->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return cell;
}

QTableWidget *table(const QStringList &headers, QWidget *parent)
{
    auto *widget = new QTableWidget(0, int(headers.size()), parent);
    widget->setHorizontalHeaderLabels(headers);
    widget->verticalHeader()->hide();
    widget->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    widget->horizontalHeader()->setStretchLastSection(true);
    widget->setSelectionBehavior(QAbstractItemView::SelectRows);
    widget->setEditTriggers(QAbstractItemView::NoEditTriggers);
    return widget;
}

/// The votes on a triplet (AgreementReport::triplets is sorted by id); zeros when it has none.
std::array<int, 3> votesOf(const fa::AgreementReport &agreement, qint64 tripletId)
{
    const auto it = std::lower_bound(agreement.triplets.begin(), agreement.triplets.end(), tripletId,
                                     [](const fa::TripletAgreement &t, qint64 id) { return t.tripletId < id; });
    return it != agreement.triplets.end() && it->tripletId == tripletId ? it->counts : std::array<int, 3>{};
}

} // namespace

StatisticsPanel::StatisticsPanel(QWidget *parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_status(new QLabel(this))
    , m_annotators(table({tr("Annotator"), tr("Judgments"), tr("Agreement with majority"), tr("Gold accuracy")}, this))
    , m_lowAgreement(table({tr("Triplet"), tr("Votes for 1 / 2 / 3")}, this))
{
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *refreshButton = new QPushButton(tr("Refresh"), this);
    connect(refreshButton, &QPushButton::clicked, this, &StatisticsPanel::refresh);
    connect(m_lowAgreement, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        showTriplet(m_lowAgreement->item(row, 0)->data(Qt::UserRole).toLongLong());
    });
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, &StatisticsPanel::onFinished);

    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(refreshButton, 0, Qt::AlignTop);
    layout->addLayout(top);
    layout->addWidget(m_status);
    layout->addWidget(new QLabel(tr("Annotators"), this));
    layout->addWidget(m_annotators, 1);
    layout->addWidget(new QLabel(tr("Low-agreement triplets (no strict majority; double-click to look)"), this));
    layout->addWidget(m_lowAgreement, 1);
}

StatisticsPanel::~StatisticsPanel()
{
    m_watcher.waitForFinished();
}

void StatisticsPanel::setProjectDirectory(const QString &directory)
{
    m_directory = directory;
    m_statistics.reset();
    m_cropPaths.clear();
    m_summary->clear();
    m_annotators->setRowCount(0);
    m_lowAgreement->setRowCount(0);
    m_status->clear();
    if (!directory.isEmpty())
        refresh();
}

QString StatisticsPanel::summaryText() const
{
    return m_summary->text();
}

void StatisticsPanel::noteJudgment()
{
    if (++m_sinceRefresh >= m_interval)
        refresh();
}

void StatisticsPanel::refresh()
{
    if (m_directory.isEmpty())
        return;
    m_sinceRefresh = 0;
    if (m_watcher.isRunning()) {
        m_pending = true;
        return;
    }
    m_status->setText(tr("Reading the project…"));
    m_watcher.setFuture(QtConcurrent::run(&StatisticsPanel::compute, m_directory));
}

StatisticsPanel::Outcome StatisticsPanel::compute(const QString &directory)
{
    Outcome outcome;
    outcome.directory = directory;
    std::unique_ptr<fa::Project> project = fa::Project::open(directory, &outcome.error);
    if (!project)
        return outcome;
    outcome.statistics = fa::computeProjectStatistics(*project, &outcome.error);
    if (!outcome.statistics)
        return outcome;
    const std::vector<qint64> &low = outcome.statistics->agreement.lowAgreement;
    for (size_t i = 0; i < low.size() && i < size_t(kMaxListedTriplets); ++i) {
        const std::optional<fa::TripletRecord> triplet = project->triplets().triplet(low[i]);
        if (!triplet)
            continue;
        std::array<QString, 3> paths;
        for (size_t k = 0; k < 3; ++k) {
            if (const std::optional<fa::FaceRecord> face = project->faces().face(triplet->faceIds[k]))
                paths[k] = project->absolutePath(face->cropPath);
        }
        outcome.cropPaths.insert(low[i], paths);
    }
    return outcome;
}

void StatisticsPanel::onFinished()
{
    const Outcome outcome = m_watcher.result();
    if (outcome.directory == m_directory) {
        if (outcome.statistics) {
            m_statistics = outcome.statistics;
            m_cropPaths = outcome.cropPaths;
            m_status->clear();
            fill(*m_statistics);
            Q_EMIT refreshed();
        } else {
            m_status->setText(tr("Cannot read the statistics: %1").arg(outcome.error));
            Q_EMIT refreshFailed(outcome.error);
        }
    }
    if (m_pending || outcome.directory != m_directory) {
        m_pending = false;
        refresh();
    }
}

void StatisticsPanel::fill(const fa::ProjectStatistics &s)
{
    const fa::AgreementReport &agreement = s.agreement;
    const QString kappa = std::isnan(agreement.fleissKappa)
        ? tr("— (needs triplets with two or more judgments)")
        : tr("%1 (over %2 triplets)").arg(agreement.fleissKappa, 0, 'f', 3).arg(agreement.kappaTriplets);
    m_summary->setText(tr("Faces: %1\nTriplets: %2\nJudgments: %3 (and %4 skips)\n"
                          "Complete triplets: %5 (%6 judgments each)\nFleiss' kappa: %7")
                           .arg(s.faces).arg(s.triplets).arg(s.judgments).arg(s.skips)
                           .arg(s.completeTriplets).arg(s.judgmentsPerTriplet).arg(kappa));

    // Every registered annotator, with the agreement figures of those who have voted.
    m_annotators->setRowCount(int(s.annotators.size()));
    for (int row = 0; row < int(s.annotators.size()); ++row) {
        const QString &name = s.annotators.at(row);
        const auto it = std::find_if(agreement.annotators.begin(), agreement.annotators.end(),
                                     [&](const fa::AnnotatorAgreement &a) { return a.annotator == name; });
        const fa::AnnotatorAgreement figures = it != agreement.annotators.end() ? *it : fa::AnnotatorAgreement{};
        m_annotators->setItem(row, 0, item(name, Qt::AlignLeft | Qt::AlignVCenter));
        m_annotators->setItem(row, 1, item(QString::number(figures.judgments)));
        m_annotators->setItem(row, 2, item(percent(figures.majorityAgreement)));
        m_annotators->setItem(row, 3, item(percent(figures.goldAccuracy)));
    }

    const int rows = int(std::min<size_t>(agreement.lowAgreement.size(), size_t(kMaxListedTriplets)));
    m_lowAgreement->setRowCount(rows);
    for (int row = 0; row < rows; ++row) {
        const qint64 id = agreement.lowAgreement[size_t(row)];
        QTableWidgetItem *idItem = item(QString::number(id));
        idItem->setData(Qt::UserRole, id);
        m_lowAgreement->setItem(row, 0, idItem);
        const std::array<int, 3> counts = votesOf(agreement, id);
        const QString votes = QStringLiteral("%1 / %2 / %3").arg(counts[0]).arg(counts[1]).arg(counts[2]);
        m_lowAgreement->setItem(row, 1, item(votes, Qt::AlignLeft | Qt::AlignVCenter));
    }
}

void StatisticsPanel::showTriplet(qint64 tripletId)
{
    if (!m_statistics || !m_cropPaths.contains(tripletId))
        return;
    auto *dialog = new TripletVotesDialog(tripletId, m_cropPaths.value(tripletId),
                                          votesOf(m_statistics->agreement, tripletId), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

} // namespace fa::ui
