#pragma once

#include "jobs/job.h"
#include "jobs/job_record.h"

#include <QElapsedTimer>
#include <QObject>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

class QLockFile;

namespace fa {

class JobListModel;
class JobStore;
class Project;

/// The jobs of one project: owns them (fa::Job), runs them one at a time in queue order (a
/// training run takes every core; two would only slow each other), keeps finished and failed
/// ones visible until removed, exposes them as an item model for a queue panel (model()) and
/// persists every job in the project's `jobs` table (JobStore; run folders under
/// <project>/runs/<name>, stored relative to the project). State changes are written at once,
/// the step at most every 2 s while a job runs.
///
/// A job that a live manager owns (queued, running or paused) holds the lock file
/// <project>/runs/<name>.lock (QLockFile; a crashed process's lock is recognised as stale by its
/// dead PID). When a project is opened, jobs the table calls queued/running/paused whose lock
/// nobody holds were left by a studio that closed or crashed: they become Interrupted, which
/// resume() continues from the run's last checkpoint. Jobs whose lock another live studio holds
/// are shown but cannot be controlled here (isForeign()).
///
/// Jobs are built from their rows by a factory (setJobFactory): the default makes training runs
/// (kinds "mae" and "triplet": fa::TrainingJob); tests install their own.
///
/// Everything here runs on the thread that owns the manager (the GUI thread) and never waits for
/// a job, except closeProject() and the destructor (shutdown), which interrupt the running job
/// and wait for its current step to end. stopAll() is the non-blocking way out.
///
/// Errors: functions return false/nullopt with `error` set; database writes that fail while jobs
/// run are reported by persistenceFailed().
class JobManager : public QObject
{
    Q_OBJECT
public:
    /// Builds the job for a row (its id set). Null with `error` when the kind is unknown.
    using JobFactory = std::function<std::unique_ptr<Job>(const JobRecord &record, const QString &projectDirectory,
                                                          QString *error)>;

    explicit JobManager(QObject *parent = nullptr);
    ~JobManager() override; ///< closeProject()

    /// Opens the project's jobs (its own connection to the project in `directory`), marks
    /// leftovers Interrupted (see above) and lists them all. Closes the project open before.
    bool openProject(const QString &directory, QString *error);
    /// Interrupts the running job and waits for it (shutdown only), marks queued jobs
    /// Interrupted, and forgets the project.
    void closeProject();
    bool isOpen() const { return m_project != nullptr; }
    /// The open project (null when none), for project settings read and written on the
    /// manager's thread (e.g. Project::linkedRunFolders).
    Project *project() const { return m_project.get(); }
    QString projectDirectory() const;

    void setJobFactory(JobFactory factory);
    /// Niceness the jobs' worker threads take (Job::setWorkerNice), default kDefaultWorkerNice:
    /// the GUI thread then wins the CPU whenever it has work, and training takes the rest.
    void setWorkerNice(int nice) { m_workerNice = nice; }
    int workerNice() const { return m_workerNice; }
    static constexpr int kDefaultWorkerNice = 10;
    /// Training runs: "mae" and "triplet" -> TrainingJob (TrainingConfig from the row's YAML).
    static JobFactory trainingJobFactory();

    /// Adds a job at the end of the queue and starts it when nothing runs. The run folder is
    /// runs/<runName> (default "<kind>-<yyyyMMdd-HHmmss>"; "-2", "-3", ... added when taken).
    /// Returns the job's id, or nullopt with `error` (no project, unknown kind, database error).
    std::optional<qint64> enqueue(const QString &kind, const QString &title, const QString &configYaml,
                                  qint64 totalSteps, QString *error, const QString &runName = QString());
    /// Queued: Cancelled at once. Running/Paused: stops between steps, then Cancelled.
    bool cancel(qint64 id, QString *error = nullptr);
    /// Running: pauses at the next step boundary.
    bool pause(qint64 id, QString *error = nullptr);
    /// Paused: continues. Failed, Cancelled or Interrupted: queued again; the work continues
    /// from the run's last checkpoint (TrainingRun::resume).
    bool resume(qint64 id, QString *error = nullptr);
    /// Removes a job that is not running or paused from the list and the table. Its run folder
    /// (checkpoints, metrics) stays on disk.
    bool remove(qint64 id, QString *error = nullptr);
    /// Interrupts every running or paused job without waiting and marks the queued ones
    /// Interrupted; allStopped() follows when the last worker has returned (at once when none
    /// runs). Jobs can be resumed later. The manager starts nothing more until openProject():
    /// it is the way to let go of a project without waiting (the studio opens another one).
    void stopAll();

    Job *job(qint64 id) const;
    /// Oldest first.
    std::vector<Job *> jobs() const;
    /// The running or paused job, if any.
    Job *activeJob() const;
    bool hasActiveJobs() const { return activeJob() != nullptr; }
    /// True for a job another live studio owns (its lock is held elsewhere).
    bool isForeign(qint64 id) const;
    /// Absolute path of a job's lock file.
    QString lockFilePath(const JobRecord &record) const;
    JobListModel *model() const { return m_model; }

Q_SIGNALS:
    void jobAdded(fa::Job *job);
    void jobStarted(fa::Job *job);
    /// The job's work ended (Finished, Failed, Cancelled or Interrupted); also for a queued job
    /// cancelled before it ran.
    void jobFinished(fa::Job *job);
    void jobRemoved(qint64 id);
    void allStopped();
    /// A state or progress write to the project failed ("PATH: what").
    void persistenceFailed(const QString &error);

private:
    struct Entry
    {
        std::unique_ptr<Job> job;
        std::unique_ptr<QLockFile> lock; ///< held while this manager owns the job live
        bool foreign = false;
        QElapsedTimer lastStepWrite;
    };
    Entry *entry(qint64 id);
    const Entry *entry(qint64 id) const;
    std::unique_ptr<Job> makeJob(const JobRecord &record);
    bool takeLock(Entry &entry, QString *error);
    void addEntry(std::unique_ptr<Job> job, bool foreign);
    QString uniqueRunDirectory(const QString &name) const;
    void onStateChanged(Job *job);
    void onProgress(Job *job);
    void onFinished(Job *job);
    void persist(const Job &job);
    void scheduleNext();

    std::unique_ptr<Project> m_project;
    std::unique_ptr<JobStore> m_store;
    JobFactory m_factory;
    std::vector<Entry> m_entries; // id order
    std::deque<qint64> m_queue;
    JobListModel *m_model;
    bool m_stoppingAll = false;
    int m_workerNice = kDefaultWorkerNice;
};

} // namespace fa
