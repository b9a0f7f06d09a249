#pragma once

#include "jobs/job_control.h"
#include "jobs/job_record.h"

#include <QElapsedTimer>
#include <QObject>

#include <memory>

class QThread;

namespace fa {

class Job;

/// What a job's work sees of its job, on the worker thread: the stop flag, the pause point and
/// the progress channel to the owner's thread. Passed to Job::execute(); lives as long as the
/// work runs.
class JobContext
{
public:
    /// Polled between steps: true once the job was cancelled or interrupted.
    bool stopRequested() const { return m_control->stopRequested(); }
    /// Called between steps: blocks (on a wait condition) while the job is paused. The job's
    /// state becomes Paused while it blocks and Running again when it returns.
    void pausePoint();
    /// Progress for the owner: `fraction` 0..1, a status line, the step reached (-1: unchanged)
    /// and the run's length (-1: unchanged). Delivered by queued calls at most 20 times a second
    /// (the last value is never lost: it is delivered with the job's end).
    void reportProgress(double fraction, const QString &status, qint64 step = -1, qint64 totalSteps = -1);

    /// The job's row as it was when the work started.
    const JobRecord &record() const { return m_record; }
    QString projectDirectory() const { return m_projectDirectory; }
    /// The run folder, absolute (<project>/<record().runDirectory>).
    QString runDirectory() const;

private:
    friend class Job;
    JobContext(Job *job, std::shared_ptr<JobControl> control, JobRecord record, QString projectDirectory);
    void deliver(bool force);

    Job *m_job;
    std::shared_ptr<JobControl> m_control;
    JobRecord m_record;
    QString m_projectDirectory;
    QElapsedTimer m_throttle;
    double m_fraction = 0;
    QString m_status;
    qint64 m_step = -1;
    qint64 m_totalSteps = -1;
    bool m_pending = false;
};

/// A long piece of work in a project (a training run), with a title, a state (JobState),
/// progress 0..1 with a status line, a step counter, an error text, cancel and pause/resume.
/// The object lives on the GUI thread; its work (execute(), implemented by subclasses) runs on a
/// QThread of its own, started by start() and never taken from the global thread pool (a run
/// holds a thread for hours and would starve QtConcurrent's other users).
///
/// Why a thread and not a child process (Shotcut runs its jobs as processes): the training code
/// reports its failures instead of crashing (no exception crosses the core API; c10::Error and
/// std::exception are caught at the job boundary here and in TrainingRun), and a thread lets the
/// dashboard receive metrics and sample images (QImage) as plain values through queued calls,
/// pause on a wait condition between steps and cancel through a flag, with no IPC protocol,
/// serialisation or second executable to find, and without loading LibTorch and the data twice.
/// The cost is that a hard crash of the work (a driver fault) takes the studio down; the job is
/// then still 'running' in the project and becomes 'interrupted' when the project is next opened,
/// to be resumed from its last checkpoint (JobManager), so no finished work is lost.
///
/// Control (GUI thread): start() (Queued, or a resumable state, -> Running), pause() (Running ->
/// Paused once the worker reaches its next pause point), resume() (Paused -> Running), cancel()
/// (Queued -> Cancelled at once; Running/Paused -> Cancelled when the worker has stopped),
/// interrupt() (Queued -> Interrupted at once; Running/Paused -> Interrupted when the worker has
/// stopped: the studio closes or the project changes).
/// The end is signalled by finished(); Failed keeps error().
///
/// Subclasses: implement execute(); a subclass with members the work uses calls stopAndWait()
/// first in its destructor (the worker must not outlive them).
class Job : public QObject
{
    Q_OBJECT
public:
    ~Job() override; ///< requests stop (interrupt) and waits for the worker

    qint64 id() const { return m_record.id; }
    QString kind() const { return m_record.kind; }
    QString title() const { return m_record.title; }
    JobState state() const { return m_record.state; }
    QString error() const { return m_record.error; }
    qint64 step() const { return m_record.step; }
    qint64 totalSteps() const { return m_record.totalSteps; }
    double progress() const { return m_progress; }
    QString status() const { return m_status; }
    /// The job's row as the owner sees it now (state, step, error up to date).
    const JobRecord &record() const { return m_record; }
    QString projectDirectory() const { return m_projectDirectory; }
    /// The run folder, absolute.
    QString runDirectory() const;
    /// True while a pause was asked and not yet resumed (the state turns Paused only when the
    /// worker has reached its pause point).
    bool isPauseRequested() const { return m_control && m_control->pauseRequested(); }
    /// True while the worker thread exists (Running/Paused, or stopping).
    bool hasWorker() const { return m_thread != nullptr; }

    /// Starts the work on a new thread. Allowed from Queued and from the resumable states
    /// (Failed, Cancelled, Interrupted: the work then continues from where it can). False (and
    /// nothing happens) otherwise.
    bool start();
    bool pause();
    bool resume();
    bool cancel();
    bool interrupt();
    /// Puts a resumable job back to Queued (JobManager's queue). False otherwise.
    bool requeue();
    /// Niceness added to the worker thread when it starts (Linux: setpriority on the thread; the
    /// threads it creates, torch's intra-op pool and the data loader's, inherit it). 0 = as the
    /// owner's thread. Takes effect at the next start().
    void setWorkerNice(int nice) { m_workerNice = nice; }
    int workerNice() const { return m_workerNice; }
    /// Requests stop (interrupt when not cancelled) and blocks until the worker has returned;
    /// the state is final when it returns. For shutdown only: the GUI waits up to one step.
    void stopAndWait();

Q_SIGNALS:
    void stateChanged(fa::JobState state);
    /// Progress, status line or step changed.
    void progressChanged(double fraction, const QString &status);
    /// The work returned: `state` is Finished, Failed, Cancelled or Interrupted.
    void finished(fa::JobState state);

protected:
    Job(const JobRecord &record, const QString &projectDirectory, QObject *parent = nullptr);

    enum class Outcome { Finished, Stopped, Failed };
    /// The work, on the worker thread. Returns Stopped when context.stopRequested() made it
    /// stop early, Failed with `error` set when it failed. Exceptions are caught (-> Failed).
    virtual Outcome execute(JobContext &context, QString *error) = 0;

private:
    friend class JobContext;
    enum class StopReason { None, Cancel, Interrupt };
    void setState(JobState state);
    void onProgress(double fraction, const QString &status, qint64 step, qint64 totalSteps);
    void onWorkerPaused(bool paused);
    void onWorkerFinished();

    JobRecord m_record;
    QString m_projectDirectory;
    double m_progress = 0;
    QString m_status;
    std::shared_ptr<JobControl> m_control;
    std::unique_ptr<JobContext> m_context; // while a worker exists
    std::unique_ptr<QThread> m_thread;
    quint64 m_generation = 0;
    int m_workerNice = 0;
    StopReason m_stopReason = StopReason::None;
    // Written by the worker before it ends, read on the owner's thread after it ended.
    Outcome m_outcome = Outcome::Failed;
    QString m_outcomeError;
};

} // namespace fa
