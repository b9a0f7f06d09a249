#pragma once

#include "training/training_config.h"
#include "training/training_metrics.h"

#include <QColor>
#include <QWidget>

#include <map>
#include <optional>
#include <vector>

class QCheckBox;
class QLabel;
class QListWidget;
class QListWidgetItem;
class QPushButton;
class QSlider;
class QTabWidget;
class QTimer;

namespace fa {
class Job;
class JobManager;
} // namespace fa

namespace fa::ui {

class CheckpointPanel;
class HyperParameterTable;
class JobQueueView;
class MetricChart;
class MetricCharts;
class RunForm;
class SamplesView;

/// The Train workspace (the training dashboard) of a project:
/// - a run form (RunForm: kind, preset, hyper-parameters, data, init) whose Start queues a
///   training job in the project's JobManager (one runs at a time, on its own thread);
/// - the job queue (JobQueueView: pause, resume, cancel, remove);
/// - the runs (every job's run folder, runs/<name> folders found in the project, and folders added
///   with Add Run Folder…): the current one feeds the samples and checkpoints, the checked ones
///   are overlaid in the charts and compared in the hyper-parameter table;
/// - live charts (MetricCharts): training loss (and validation loss), validation accuracy
///   (overall solid, per triplet type dashed), renderer PSNR (held-out and training rigs),
///   learning rate and images/s, with TensorBoard's
///   debiased EMA smoothing (slider 0..0.999). A run's history is read from its metrics.jsonl
///   once, on a worker thread, then extended by the job's metricsLogged signal; charts redraw at most 4 times a second;
/// - samples (SamplesView), the hyper-parameter comparison (HyperParameterTable), checkpoints
///   with resume / evaluate / use for sampling (CheckpointPanel);
/// - the device the runs train on (CPU threads or GPU name and memory).
/// A job that fails, or a job state that cannot be saved, gives a dialog naming it and why (the
/// failed job also stays in the queue with its error).
///
/// The GUI thread never waits for training: jobs report through queued signals; opening another
/// project lets the old project's running job stop in the background (JobManager::stopAll, it
/// stays resumable). Only the destructor (the studio closing) waits for the running step to end.
class TrainWorkspace : public QWidget
{
    Q_OBJECT
public:
    explicit TrainWorkspace(QWidget *parent = nullptr);
    ~TrainWorkspace() override;

    /// Shows the jobs and runs of the project in `directory` (empty: none). False with `error`
    /// when its jobs cannot be opened.
    bool setProjectDirectory(const QString &directory, QString *error);
    QString projectDirectory() const { return m_projectDirectory; }

    /// Queues a training run of `config` (as Start does). The job's id, or nullopt with `error`.
    std::optional<qint64> startRun(const fa::TrainingConfig &config, QString *error);
    /// Lists a run folder (e.g. made by `freeavatar train --out`) among the runs and checks it.
    /// A folder outside the project's runs/ is remembered in the project
    /// (Project::linkRunFolder) and listed again when the project is reopened; one that has
    /// gone by then is listed greyed as "(missing)". Errors: no config.yaml, project not
    /// writable.
    bool addRunFolder(const QString &runDir, QString *error);
    /// Takes a remembered run folder off the list and out of the project (its files stay).
    /// False with `error` when `runDir` is not one, or the project cannot be written.
    bool removeRunFolder(const QString &runDir, QString *error);
    /// True for a run folder listed because it was added (remembered in the project).
    bool isLinkedRun(const QString &runDir) const;

    void setCurrentRun(const QString &runDir);
    QString currentRun() const;
    void setRunChecked(const QString &runDir, bool checked);
    QStringList checkedRuns() const;
    /// The logged points of a run as the charts have them (file + live), for tests. A run's
    /// metrics.jsonl is read on a worker thread when the run is first checked or current: its
    /// points arrive shortly after.
    std::vector<fa::TrainingMetrics> runMetrics(const QString &runDir) const;
    void setSmoothing(double weight);
    /// Redraws the charts now (they otherwise follow within 250 ms).
    void refreshCharts();

    fa::JobManager *jobManager() const { return m_manager; }
    RunForm *runForm() const { return m_form; }
    JobQueueView *jobQueue() const { return m_queue; }
    QListWidget *runList() const { return m_runs; }
    MetricChart *lossChart() const;
    MetricChart *accuracyChart() const;
    MetricChart *psnrChart() const;
    MetricChart *learningRateChart() const;
    MetricChart *throughputChart() const;
    QSlider *smoothingSlider() const { return m_smoothing; }
    SamplesView *samplesView() const { return m_samples; }
    HyperParameterTable *comparisonTable() const { return m_comparison; }
    CheckpointPanel *checkpointPanel() const { return m_checkpoints; }
    QLabel *deviceLabel() const { return m_device; }
    QTabWidget *tabs() const { return m_tabs; }

Q_SIGNALS:
    /// The project's faces got embeddings (Use for Sampling): uncertainty sampling can use them.
    void embeddingsComputed(qint64 count);

private:
    struct RunData
    {
        QString label;
        QString kind;
        QColor color;
        fa::TrainingConfig config;
        bool haveConfig = false;
        qint64 jobId = 0;
        std::vector<fa::TrainingMetrics> metrics;
        bool loaded = false;
        bool dirty = true;
    };

    void attachManager(fa::JobManager *manager);
    void detachManager(fa::JobManager *manager);
    void onJobAdded(fa::Job *job);
    void onMetrics(const QString &runDir, const fa::TrainingMetrics &metrics);
    RunData &addRun(const QString &runDir, const QString &label, qint64 jobId);
    QListWidgetItem *runItem(const QString &runDir) const;
    void loadRun(const QString &runDir, RunData &run);
    void scanRunsFolder();
    void onCurrentRunChanged();
    void onRunsChecked();
    void updateComparison();
    void updateCheckpointActions();
    void drawRun(const QString &runDir, RunData &run);
    void resumeRun(const QString &runDir);
    void addRunFolderWithDialog();
    void removeCurrentRunFolder();
    void addLinkedRuns();
    void setDeviceText(const QString &text);
    void showError(const QString &title, const QString &text);

    QString m_projectDirectory;
    fa::JobManager *m_manager = nullptr;
    RunForm *m_form;
    JobQueueView *m_queue;
    QListWidget *m_runs;
    QTabWidget *m_tabs;
    MetricCharts *m_charts;
    QSlider *m_smoothing;
    QLabel *m_smoothingValue;
    SamplesView *m_samples;
    HyperParameterTable *m_comparison;
    QCheckBox *m_onlyDifferences;
    QPushButton *m_removeRun;
    CheckpointPanel *m_checkpoints;
    QLabel *m_device;
    QTimer *m_redraw;
    std::map<QString, RunData> m_runData; ///< by absolute run folder
    QStringList m_linkedRuns;             ///< added folders remembered in the project
    quint64 m_projectGeneration = 0;      ///< counts project changes (stale history reads are dropped)
    int m_nextColor = 0;
    bool m_persistenceErrorShown = false;
};

} // namespace fa::ui
