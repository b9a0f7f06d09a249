#pragma once

#include <QFutureWatcher>
#include <QWidget>

#include <atomic>
#include <memory>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace fa::ui {

/// The checkpoints of the selected run (fa::listCheckpoints: step, time, loss, validation
/// accuracy) with five actions:
/// - Resume: asks the owner to continue the run (resumeRequested(); the Train workspace queues its
///   job again, TrainingRun::resume continues from the newest checkpoint);
/// - New Run From Checkpoint: asks the owner to start a new run whose network starts from the
///   selected checkpoint's weights (newRunRequested(); the Train workspace puts the folder in
///   the run form's init), e.g. triplet fine-tuning from an MAE step other than the last;
/// - Evaluate (triplet runs): the selected checkpoint's triplet prediction accuracy on the
///   project's judged triplets (fa::TripletDataset::fromProject + fa::evaluateTriplets), overall
///   and per type, computed on a worker thread and shown under the list;
/// - Use for Sampling (triplet runs): embeds every face of the project with the selected
///   checkpoint (fa::computeProjectEmbeddings, worker thread) so that the Label workspace's
///   uncertainty sampling uses them (embeddingsComputed()).
/// - Diagnose (triplet runs): on videos the user picks (one person each, at least two),
///   how much of the selected checkpoint's space is expression rather than identity
///   (fa::diagnoseEncoder: leave-one-video-out ridge probes to the landmark solver's curves and
///   an identity probe), on a worker thread, summarised under the list: whether the encoder is
///   worth training a rig decoder on.
/// Work in progress shows a progress bar with Cancel; failures give a dialog naming what failed.
/// The GUI thread never waits for the work, except the destructor (cancels, then waits).
class CheckpointPanel : public QWidget
{
    Q_OBJECT
public:
    explicit CheckpointPanel(QWidget *parent = nullptr);
    ~CheckpointPanel() override;

    void setProjectDirectory(const QString &directory);
    /// The run shown (empty: none); `kind` "mae" or "triplet"; `resumable`: Resume enabled.
    void setRun(const QString &runDir, const QString &kind, bool resumable);
    void setResumable(bool resumable);
    /// Re-reads the checkpoint list (a new checkpoint was written).
    void refresh();

    QTableWidget *table() const { return m_table; }
    /// The selected checkpoint folder, else the newest, else empty.
    QString selectedCheckpoint() const;
    bool isBusy() const { return m_watcher.isRunning(); }
    /// The last evaluation's text ("Step 500: 81.7 % of 120 triplets ..."), empty before.
    QString evaluationText() const;

    void evaluateSelected();
    /// Diagnose Encoder on `videos` (the button asks for them).
    void diagnoseSelected(const QStringList &videos);
    void useSelectedForSampling();
    void cancelWork();

Q_SIGNALS:
    void resumeRequested(const QString &runDir);
    /// `checkpointDir`: the selected checkpoint folder (holding model.pt).
    void newRunRequested(const QString &checkpointDir);
    /// `count` faces of the project now have embeddings from `checkpointDir`.
    void embeddingsComputed(qint64 count, const QString &checkpointDir);
    void evaluated(double accuracy);
    void diagnosed();

private:
    struct Outcome
    {
        bool ok = false;
        QString error;
        QString text;          ///< evaluation summary
        double accuracy = 0;
        qint64 embedded = 0;
    };
    enum class Work { None, Evaluate, Embed, Diagnose };
    void startWork(Work work, const QString &checkpointDir, const QStringList &videos = {});
    void onProgress(double fraction);
    void onFinished();
    void updateButtons();

    QString m_projectDirectory;
    QString m_runDir;
    QString m_kind;
    bool m_resumable = false;
    QTableWidget *m_table;
    QPushButton *m_resume;
    QPushButton *m_newRun;
    QPushButton *m_evaluate;
    QPushButton *m_sample;
    QPushButton *m_diagnose;
    QPushButton *m_cancel;
    QProgressBar *m_progress;
    QLabel *m_result;
    Work m_work = Work::None;
    QString m_workCheckpoint;
    std::shared_ptr<std::atomic_bool> m_cancelFlag;
    QFutureWatcher<Outcome> m_watcher;
};

} // namespace fa::ui
