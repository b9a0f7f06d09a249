#include "jobs/job_manager.h"

#include "jobs/job_list_model.h"
#include "jobs/job_store.h"
#include "jobs/training_job.h"
#include "project/project.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QLockFile>
#include <QRegularExpression>

#include <algorithm>

namespace fa {
namespace {

constexpr qint64 kStepWriteIntervalMs = 2000;
const QString kRunsFolder = QStringLiteral("runs");

/// Stands in for a job whose kind this build cannot run (listed, never runnable).
class UnavailableJob : public Job
{
public:
    UnavailableJob(const JobRecord &record, const QString &projectDirectory, QString why)
        : Job(record, projectDirectory), m_why(std::move(why))
    {
    }

protected:
    Outcome execute(JobContext &, QString *error) override
    {
        *error = m_why;
        return Outcome::Failed;
    }

private:
    QString m_why;
};

} // namespace

JobManager::JobManager(QObject *parent)
    : QObject(parent), m_factory(trainingJobFactory()), m_model(new JobListModel(this))
{
}

JobManager::~JobManager()
{
    closeProject();
}

QString JobManager::projectDirectory() const
{
    return m_project ? m_project->directory() : QString();
}

void JobManager::setJobFactory(JobFactory factory)
{
    m_factory = std::move(factory);
}

bool JobManager::openProject(const QString &directory, QString *error)
{
    closeProject();
    m_stoppingAll = false;
    std::unique_ptr<Project> project = Project::open(directory, error);
    if (!project)
        return false;
    const QString runs = QDir(project->directory()).filePath(kRunsFolder);
    if (!QDir().mkpath(runs)) {
        if (error)
            *error = QStringLiteral("%1: cannot create the runs folder").arg(QDir::toNativeSeparators(runs));
        return false;
    }
    m_project = std::move(project);
    m_store = std::make_unique<JobStore>(*m_project);

    for (JobRecord record : m_store->all()) {
        bool foreign = false;
        if (record.state == JobState::Queued || jobStateIsActive(record.state)) {
            QLockFile probe(lockFilePath(record));
            probe.setStaleLockTime(0); // only a dead owner makes a lock stale, never its age
            if (probe.tryLock(0)) {
                // Nobody owns it: the studio that ran or queued it is gone.
                probe.unlock();
                QString writeError;
                record.state = JobState::Interrupted;
                if (!m_store->setState(record.id, JobState::Interrupted, record.error, &writeError))
                    Q_EMIT persistenceFailed(writeError);
            } else {
                foreign = true;
            }
        }
        addEntry(makeJob(record), foreign);
    }
    return true;
}

void JobManager::closeProject()
{
    if (!m_project)
        return;
    m_stoppingAll = true; // nothing new starts while closing
    // Shutdown: the one place where the owner's thread waits for a worker (one step at most).
    for (Entry &e : m_entries) {
        if (e.foreign)
            continue;
        if (e.job->hasWorker())
            e.job->stopAndWait(); // -> finished -> onFinished persists Interrupted (or Cancelled)
        else if (e.job->state() == JobState::Queued)
            e.job->interrupt();   // -> Interrupted, persisted: resumable next time
    }
    m_model->clear();
    m_queue.clear();
    m_entries.clear(); // jobs are stopped; their locks are released here
    m_store.reset();
    m_project.reset();
    m_stoppingAll = false;
}

JobManager::JobFactory JobManager::trainingJobFactory()
{
    return &TrainingJob::create;
}

std::unique_ptr<Job> JobManager::makeJob(const JobRecord &record)
{
    QString why;
    std::unique_ptr<Job> job = m_factory ? m_factory(record, m_project->directory(), &why) : nullptr;
    if (!job) {
        if (why.isEmpty())
            why = tr("unknown job kind \"%1\"").arg(record.kind);
        job = std::make_unique<UnavailableJob>(record, m_project->directory(),
                                               tr("This job cannot run: %1").arg(why));
    }
    return job;
}

void JobManager::addEntry(std::unique_ptr<Job> job, bool foreign)
{
    Job *raw = job.get();
    Entry e;
    e.job = std::move(job);
    e.foreign = foreign;
    m_entries.push_back(std::move(e));
    connect(raw, &Job::stateChanged, this, [this, raw] { onStateChanged(raw); });
    connect(raw, &Job::progressChanged, this, [this, raw] { onProgress(raw); });
    connect(raw, &Job::finished, this, [this, raw] { onFinished(raw); });
    m_model->addJob(raw);
    Q_EMIT jobAdded(raw);
}

QString JobManager::lockFilePath(const JobRecord &record) const
{
    const QString base = m_project ? m_project->directory() : QString();
    return QDir(base).filePath(QDir::cleanPath(record.runDirectory) + QStringLiteral(".lock"));
}

bool JobManager::takeLock(Entry &e, QString *error)
{
    if (e.lock)
        return true;
    auto lock = std::make_unique<QLockFile>(lockFilePath(e.job->record()));
    lock->setStaleLockTime(0);
    if (!lock->tryLock(0)) {
        if (error) {
            *error = lock->error() == QLockFile::LockFailedError
                         ? tr("%1: the run is in use by another FreeAvatar Studio")
                               .arg(QDir::toNativeSeparators(e.job->runDirectory()))
                         : tr("%1: cannot create the lock file")
                               .arg(QDir::toNativeSeparators(lockFilePath(e.job->record())));
        }
        return false;
    }
    e.lock = std::move(lock);
    e.foreign = false;
    return true;
}

QString JobManager::uniqueRunDirectory(const QString &name) const
{
    QString base = name;
    base.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]+")), QStringLiteral("-"));
    if (base.isEmpty() || base.startsWith(QLatin1Char('.')))
        base.prepend(QStringLiteral("run"));
    const QDir project(m_project->directory());
    for (int n = 1;; ++n) {
        const QString candidate =
            kRunsFolder + QLatin1Char('/') + (n == 1 ? base : QStringLiteral("%1-%2").arg(base).arg(n));
        const bool taken = QFileInfo::exists(project.filePath(candidate))
                           || QFileInfo::exists(project.filePath(candidate + QStringLiteral(".lock")))
                           || std::any_of(m_entries.begin(), m_entries.end(), [&](const Entry &e) {
                                  return QDir::cleanPath(e.job->record().runDirectory) == candidate;
                              });
        if (!taken)
            return candidate;
    }
}

std::optional<qint64> JobManager::enqueue(const QString &kind, const QString &title, const QString &configYaml,
                                          qint64 totalSteps, QString *error, const QString &runName)
{
    if (!m_project) {
        if (error)
            *error = tr("no project is open");
        return std::nullopt;
    }
    JobRecord record;
    record.kind = kind;
    record.title = title.isEmpty() ? kind : title;
    record.configYaml = configYaml;
    record.totalSteps = std::max<qint64>(0, totalSteps);
    record.state = JobState::Queued;
    const QString name = runName.isEmpty()
                             ? QStringLiteral("%1-%2").arg(kind, QDateTime::currentDateTime().toString(
                                                                     QStringLiteral("yyyyMMdd-HHmmss")))
                             : runName;
    record.runDirectory = uniqueRunDirectory(name);

    QString why;
    std::unique_ptr<Job> probe = m_factory ? m_factory(record, m_project->directory(), &why) : nullptr;
    if (!probe) {
        if (error)
            *error = why.isEmpty() ? tr("unknown job kind \"%1\"").arg(kind) : why;
        return std::nullopt;
    }
    probe.reset();
    const std::optional<qint64> id = m_store->add(record, error);
    if (!id)
        return std::nullopt;
    record.id = *id;
    addEntry(makeJob(record), false);
    Entry *e = entry(*id);
    if (!takeLock(*e, error)) {
        QString ignored;
        m_store->remove(*id, &ignored);
        m_model->removeJob(*id);
        m_entries.pop_back();
        return std::nullopt;
    }
    m_queue.push_back(*id);
    scheduleNext();
    return id;
}

bool JobManager::cancel(qint64 id, QString *error)
{
    Entry *e = entry(id);
    if (!e || e->foreign) {
        if (error)
            *error = e ? tr("the job belongs to another FreeAvatar Studio") : tr("no job %1").arg(id);
        return false;
    }
    if (!e->job->cancel()) {
        if (error)
            *error = tr("\"%1\" is %2: nothing to cancel")
                         .arg(e->job->title(), jobStateLabel(e->job->state()).toLower());
        return false;
    }
    return true;
}

bool JobManager::pause(qint64 id, QString *error)
{
    Entry *e = entry(id);
    if (!e || e->foreign || !e->job->pause()) {
        if (error)
            *error = !e ? tr("no job %1").arg(id) : tr("\"%1\" is not running").arg(e->job->title());
        return false;
    }
    Q_EMIT m_model->dataChanged(m_model->index(m_model->rowOf(id), 0),
                                m_model->index(m_model->rowOf(id), JobListModel::ColumnCount - 1));
    return true;
}

bool JobManager::resume(qint64 id, QString *error)
{
    Entry *e = entry(id);
    if (!e) {
        if (error)
            *error = tr("no job %1").arg(id);
        return false;
    }
    Job *job = e->job.get();
    if (jobStateIsActive(job->state()) && !e->foreign) {
        if (!job->resume()) {
            if (error)
                *error = tr("\"%1\" is not paused").arg(job->title());
            return false;
        }
        return true;
    }
    if (!jobStateIsResumable(job->state())) {
        if (error)
            *error = tr("\"%1\" is %2: it cannot be resumed").arg(job->title(), jobStateLabel(job->state()).toLower());
        return false;
    }
    if (!takeLock(*e, error))
        return false;
    job->requeue(); // -> Queued, persisted by onStateChanged
    m_queue.push_back(id);
    scheduleNext();
    return true;
}

bool JobManager::remove(qint64 id, QString *error)
{
    Entry *e = entry(id);
    if (!e) {
        if (error)
            *error = tr("no job %1").arg(id);
        return false;
    }
    if (e->foreign || e->job->hasWorker() || jobStateIsActive(e->job->state())) {
        if (error)
            *error = tr("\"%1\" is running: cancel it first").arg(e->job->title());
        return false;
    }
    if (!m_store->remove(id, error))
        return false;
    m_model->removeJob(id);
    m_queue.erase(std::remove(m_queue.begin(), m_queue.end(), id), m_queue.end());
    m_entries.erase(std::find_if(m_entries.begin(), m_entries.end(),
                                 [id](const Entry &x) { return x.job->id() == id; }));
    Q_EMIT jobRemoved(id);
    return true;
}

void JobManager::stopAll()
{
    m_stoppingAll = true;
    m_queue.clear();
    for (Entry &e : m_entries) {
        if (!e.foreign && (e.job->hasWorker() || e.job->state() == JobState::Queued))
            e.job->interrupt();
    }
    if (!hasActiveJobs())
        Q_EMIT allStopped();
}

JobManager::Entry *JobManager::entry(qint64 id)
{
    for (Entry &e : m_entries) {
        if (e.job->id() == id)
            return &e;
    }
    return nullptr;
}

const JobManager::Entry *JobManager::entry(qint64 id) const
{
    return const_cast<JobManager *>(this)->entry(id);
}

Job *JobManager::job(qint64 id) const
{
    const Entry *e = entry(id);
    return e ? e->job.get() : nullptr;
}

std::vector<Job *> JobManager::jobs() const
{
    std::vector<Job *> result;
    for (const Entry &e : m_entries)
        result.push_back(e.job.get());
    return result;
}

Job *JobManager::activeJob() const
{
    for (const Entry &e : m_entries) {
        if (!e.foreign && (e.job->hasWorker() || jobStateIsActive(e.job->state())))
            return e.job.get();
    }
    return nullptr;
}

bool JobManager::isForeign(qint64 id) const
{
    const Entry *e = entry(id);
    return e && e->foreign;
}

void JobManager::persist(const Job &job)
{
    if (!m_store)
        return;
    QString error;
    if (!m_store->update(job.record(), &error))
        Q_EMIT persistenceFailed(error);
}

void JobManager::onStateChanged(Job *job)
{
    Entry *e = entry(job->id());
    if (!e || e->foreign)
        return;
    persist(*job);
    e->lastStepWrite.start();
    if (job->state() == JobState::Running && job->hasWorker())
        Q_EMIT jobStarted(job);
}

void JobManager::onProgress(Job *job)
{
    Entry *e = entry(job->id());
    if (!e || e->foreign || !job->hasWorker())
        return;
    if (e->lastStepWrite.isValid() && e->lastStepWrite.elapsed() < kStepWriteIntervalMs)
        return;
    e->lastStepWrite.start();
    QString error;
    if (m_store && !m_store->setStep(job->id(), job->step(), job->totalSteps(), &error))
        Q_EMIT persistenceFailed(error);
}

void JobManager::onFinished(Job *job)
{
    Entry *e = entry(job->id());
    if (!e)
        return;
    persist(*job);
    e->lock.reset(); // the job no longer runs here
    m_queue.erase(std::remove(m_queue.begin(), m_queue.end(), job->id()), m_queue.end());
    Q_EMIT jobFinished(job);
    if (m_stoppingAll) {
        if (!hasActiveJobs())
            Q_EMIT allStopped();
        return;
    }
    scheduleNext();
}

void JobManager::scheduleNext()
{
    if (m_stoppingAll || activeJob())
        return;
    while (!m_queue.empty()) {
        const qint64 id = m_queue.front();
        m_queue.pop_front();
        Entry *e = entry(id);
        if (!e || e->job->state() != JobState::Queued)
            continue;
        e->job->setWorkerNice(m_workerNice);
        if (e->job->start())
            return;
    }
}

} // namespace fa
