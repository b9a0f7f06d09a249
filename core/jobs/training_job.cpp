#include "jobs/training_job.h"

#include "jobs/training_samples_folder.h"
#include "training/training_run.h"

#include <QDir>
#include <QFileInfo>

namespace fa {

std::unique_ptr<Job> TrainingJob::create(const JobRecord &record, const QString &projectDirectory, QString *error)
{
    if (!isTrainingKind(record.kind)) {
        if (error)
            *error = tr("unknown job kind \"%1\"").arg(record.kind);
        return nullptr;
    }
    QString why;
    std::optional<TrainingConfig> config = TrainingConfig::fromYaml(record.configYaml.toUtf8(), &why);
    if (!config || !config->validate(&why)) {
        if (error)
            *error = tr("the training configuration is not valid: %1").arg(why);
        return nullptr;
    }
    if (config->kind != record.kind) {
        if (error)
            *error = tr("the configuration is for a %1 run, not %2").arg(config->kind, record.kind);
        return nullptr;
    }
    return std::unique_ptr<Job>(new TrainingJob(record, projectDirectory, *config));
}

QString TrainingJob::titleFor(const TrainingConfig &config)
{
    const QString steps = config.steps == 1 ? tr("1 step") : tr("%1 steps").arg(config.steps);
    const QString kind = config.isMae()        ? QStringLiteral("MAE")
                         : config.isRenderer()   ? tr("Renderer")
                         : config.isRigDecoder() ? tr("Rig decoder")
                                                 : tr("Triplet");
    return tr("%1 %2, %3").arg(kind, config.preset, steps);
}

TrainingJob::TrainingJob(const JobRecord &record, const QString &projectDirectory, const TrainingConfig &config)
    : Job(record, projectDirectory), m_config(config)
{
}

TrainingJob::~TrainingJob()
{
    stopAndWait(); // the worker uses this object's members
}

Job::Outcome TrainingJob::execute(JobContext &context, QString *error)
{
    const QString runDir = context.runDirectory();
    std::unique_ptr<TrainingRun> run;
    if (QFileInfo::exists(QDir(runDir).filePath(QStringLiteral("config.yaml"))))
        run = TrainingRun::resume(runDir, error); // queued again: continue from the newest checkpoint
    else
        run = TrainingRun::create(m_config, runDir, error);
    if (!run)
        return Outcome::Failed;

    const qint64 total = run->config().steps;
    const auto progress = [&context, &run, total](double fraction, const QString &status) {
        context.reportProgress(fraction, status, run->step(), total);
    };
    context.reportProgress(double(run->step()) / double(std::max<qint64>(1, total)), tr("Loading data…"),
                           run->step(), total);
    if (!run->prepare(progress, error))
        return Outcome::Failed;
    if (context.stopRequested())
        return Outcome::Stopped;

    // Events posted to this object die with it, and it outlives the worker (~TrainingJob joins).
    const QString device = run->deviceDescription();
    QMetaObject::invokeMethod(this, [this, device] {
        m_device = device;
        Q_EMIT deviceKnown(device);
    }, Qt::QueuedConnection);

    TrainingCallbacks callbacks;
    callbacks.metricsLogged = [this, &context](const TrainingMetrics &metrics) {
        context.reportProgress(double(metrics.step) / double(std::max<qint64>(1, metrics.totalSteps)),
                               tr("Step %1 of %2, loss %3").arg(metrics.step).arg(metrics.totalSteps)
                                   .arg(metrics.loss, 0, 'g', 4),
                               metrics.step, metrics.totalSteps);
        QMetaObject::invokeMethod(this, [this, metrics] {
            m_metrics.push_back(metrics);
            Q_EMIT metricsLogged(metrics);
        }, Qt::QueuedConnection);
    };
    callbacks.samplesReady = [this, runDir](const TrainingSamples &samples) {
        QString ignored; // the live images still reach the dashboard; only the replay is missing
        TrainingSamplesFolder::write(runDir, samples, &ignored);
        QMetaObject::invokeMethod(this, [this, samples] { Q_EMIT samplesReady(samples); }, Qt::QueuedConnection);
    };
    callbacks.checkpointWritten = [this](qint64 step, const QString &checkpointDir) {
        QMetaObject::invokeMethod(this, [this, step, checkpointDir] { Q_EMIT checkpointWritten(step, checkpointDir); },
                                  Qt::QueuedConnection);
    };
    callbacks.progress = progress;
    callbacks.stopRequested = [&context] { return context.stopRequested(); };
    callbacks.pausePoint = [&context] { context.pausePoint(); };

    switch (run->run(callbacks, error)) {
    case TrainingRun::Outcome::Finished: return Outcome::Finished;
    case TrainingRun::Outcome::Stopped: return Outcome::Stopped;
    case TrainingRun::Outcome::Failed: return Outcome::Failed;
    }
    return Outcome::Failed;
}

} // namespace fa
