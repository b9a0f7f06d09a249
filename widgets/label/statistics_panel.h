#pragma once

#include "projectio/project_statistics.h"

#include <QFutureWatcher>
#include <QHash>
#include <QWidget>

#include <array>
#include <optional>

class QLabel;
class QTableWidget;

namespace fa::ui {

/// The numbers of a labelling project: faces, triplets, judgments, complete triplets, Fleiss'
/// kappa, one row per annotator (judgments, agreement with the leave-one-out majority, gold
/// accuracy) and the low-agreement triplets (AgreementReport::lowAgreement); a double-click on
/// one shows its three crops and the votes (TripletVotesDialog).
///
/// The figures are computed off the GUI thread (computeProjectStatistics() on a Project opened
/// for the purpose on a worker thread, since projects belong to one thread): on refresh(), when
/// a project is set, and after every refreshInterval() judgments noted with noteJudgment(). A
/// refresh asked for while one runs is done once it has finished. Failures show in the panel
/// and emit refreshFailed().
///
/// The panel shows other annotators' answers: keep it away from the crops being labelled.
class StatisticsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit StatisticsPanel(QWidget *parent = nullptr);
    ~StatisticsPanel() override; ///< waits for a computation still running

    /// The project folder to read (empty: none); starts a refresh.
    void setProjectDirectory(const QString &directory);
    QString projectDirectory() const { return m_directory; }
    /// Judgments between automatic refreshes (>= 1, default 20).
    void setRefreshInterval(int judgments) { m_interval = std::max(1, judgments); }
    int refreshInterval() const { return m_interval; }

    bool isRefreshing() const { return m_watcher.isRunning(); }
    /// The last figures read (nullopt before the first refresh or after a failure).
    const std::optional<fa::ProjectStatistics> &statistics() const { return m_statistics; }
    QTableWidget *annotatorTable() const { return m_annotators; }
    QTableWidget *lowAgreementTable() const { return m_lowAgreement; }
    QString summaryText() const; ///< the counts as shown, one "Name: value" per line

public Q_SLOTS:
    void refresh();
    /// Counts one judgment; refreshes after refreshInterval() of them.
    void noteJudgment();
    /// Shows the crops and votes of a low-agreement triplet (a dialog, not modal).
    void showTriplet(qint64 tripletId);

Q_SIGNALS:
    void refreshed();
    void refreshFailed(const QString &message);

private:
    struct Outcome
    {
        QString directory;
        std::optional<fa::ProjectStatistics> statistics;
        QHash<qint64, std::array<QString, 3>> cropPaths; ///< low-agreement triplets' crops
        QString error;
    };
    static Outcome compute(const QString &directory);
    void onFinished();
    void fill(const fa::ProjectStatistics &statistics);

    QString m_directory;
    int m_interval = 20;
    int m_sinceRefresh = 0;
    bool m_pending = false;
    std::optional<fa::ProjectStatistics> m_statistics;
    QHash<qint64, std::array<QString, 3>> m_cropPaths;
    QLabel *m_summary;
    QLabel *m_status;
    QTableWidget *m_annotators;
    QTableWidget *m_lowAgreement;
    QFutureWatcher<Outcome> m_watcher;
};

} // namespace fa::ui
