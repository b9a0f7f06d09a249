#pragma once

#include "jobs/job.h"
#include "jobs/job_manager.h"
#include "training/training_config.h"
#include "training/training_metrics.h"

#include <QString>

#include <vector>

namespace fa {

/// A training run as a job (kinds "mae" and "triplet"): the row's configYaml is the run's
/// TrainingConfig; the work is fa::TrainingRun in the job's run folder (<project>/runs/<name>).
/// A new job creates the run (TrainingRun::create); a job whose run folder already holds a run
/// (an interrupted, cancelled or failed one queued again) continues it from its newest
/// checkpoint (TrainingRun::resume). Cancel and interrupt stop between steps, after TrainingRun
/// wrote a checkpoint of the current step.
///
/// Metrics, samples and checkpoints reach the owner's thread by queued calls and are re-emitted
/// there as signals; the points received by this object are kept (metrics(); a resumed run logs
/// again the steps after its checkpoint: readers keep the latest point of a step). Sample
/// images are also written to RUN_DIR/samples (TrainingSamplesFolder) on the worker thread.
class TrainingJob : public Job
{
    Q_OBJECT
public:
    /// The factory JobManager uses for "mae"/"triplet" rows: null with `error` when the YAML is
    /// not a valid TrainingConfig of that kind.
    static std::unique_ptr<Job> create(const JobRecord &record, const QString &projectDirectory, QString *error);
    /// "MAE tiny, 2000 steps" / "Triplet small, 500 steps".
    static QString titleFor(const TrainingConfig &config);

    ~TrainingJob() override;

    const TrainingConfig &config() const { return m_config; }
    /// Points received since this object was made, in arrival order.
    const std::vector<TrainingMetrics> &metrics() const { return m_metrics; }
    /// "CPU, 2 threads" / "CUDA: ...": known once the run has prepared; empty before.
    QString deviceDescription() const { return m_device; }

Q_SIGNALS:
    void metricsLogged(const fa::TrainingMetrics &metrics);
    void samplesReady(const fa::TrainingSamples &samples);
    void checkpointWritten(qint64 step, const QString &checkpointDir);
    void deviceKnown(const QString &description);

protected:
    Outcome execute(JobContext &context, QString *error) override;

private:
    TrainingJob(const JobRecord &record, const QString &projectDirectory, const TrainingConfig &config);

    TrainingConfig m_config;
    std::vector<TrainingMetrics> m_metrics;
    QString m_device;
};

} // namespace fa
