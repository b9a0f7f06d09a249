#include "jobs/job.h"

#include <QDir>
#include <QPointer>
#include <QThread>

#include <algorithm>
#include <cerrno>
#include <exception>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace fa {
namespace {
constexpr qint64 kProgressIntervalMs = 50; // at most 20 progress updates a second reach the owner

/// Lowers the calling thread's scheduling priority by `nice` (Linux: niceness is per thread and
/// inherited by the threads it creates). QThread::setPriority cannot do this on Linux, where
/// SCHED_OTHER has no static priorities. Best effort: failures are ignored.
void lowerThisThreadPriority(int nice)
{
#ifdef Q_OS_LINUX
    if (nice <= 0)
        return;
    const id_t tid = id_t(::syscall(SYS_gettid));
    errno = 0;
    const int current = ::getpriority(PRIO_PROCESS, tid);
    if (errno == 0)
        ::setpriority(PRIO_PROCESS, tid, std::min(19, current + nice));
#else
    Q_UNUSED(nice);
#endif
}
} // namespace

// ---- JobContext (worker thread) ----

JobContext::JobContext(Job *job, std::shared_ptr<JobControl> control, JobRecord record, QString projectDirectory)
    : m_job(job), m_control(std::move(control)), m_record(std::move(record)),
      m_projectDirectory(std::move(projectDirectory))
{
    m_throttle.start();
}

QString JobContext::runDirectory() const
{
    return QDir(m_projectDirectory).filePath(m_record.runDirectory);
}

void JobContext::pausePoint()
{
    Job *job = m_job;
    m_control->waitWhilePaused(
        [job] { QMetaObject::invokeMethod(job, [job] { job->onWorkerPaused(true); }, Qt::QueuedConnection); },
        [job] { QMetaObject::invokeMethod(job, [job] { job->onWorkerPaused(false); }, Qt::QueuedConnection); });
}

void JobContext::reportProgress(double fraction, const QString &status, qint64 step, qint64 totalSteps)
{
    m_fraction = qBound(0.0, fraction, 1.0);
    m_status = status;
    if (step >= 0)
        m_step = step;
    if (totalSteps >= 0)
        m_totalSteps = totalSteps;
    m_pending = true;
    deliver(false);
}

void JobContext::deliver(bool force)
{
    if (!m_pending || (!force && m_throttle.elapsed() < kProgressIntervalMs))
        return;
    m_throttle.restart();
    m_pending = false;
    // The job outlives its worker (its destructor joins it), and events posted to it die with it.
    Job *job = m_job;
    const double fraction = m_fraction;
    const QString status = m_status;
    const qint64 step = m_step;
    const qint64 total = m_totalSteps;
    QMetaObject::invokeMethod(
        job, [job, fraction, status, step, total] { job->onProgress(fraction, status, step, total); },
        Qt::QueuedConnection);
}

// ---- Job (owner's thread) ----

Job::Job(const JobRecord &record, const QString &projectDirectory, QObject *parent)
    : QObject(parent), m_record(record), m_projectDirectory(projectDirectory)
{
    if (m_record.totalSteps > 0)
        m_progress = qBound(0.0, double(m_record.step) / double(m_record.totalSteps), 1.0);
    if (m_record.state == JobState::Finished)
        m_progress = 1;
}

Job::~Job()
{
    stopAndWait();
}

QString Job::runDirectory() const
{
    return QDir(m_projectDirectory).filePath(m_record.runDirectory);
}

void Job::setState(JobState state)
{
    if (m_record.state == state)
        return;
    m_record.state = state;
    Q_EMIT stateChanged(state);
}

bool Job::start()
{
    if (m_thread || !(m_record.state == JobState::Queued || jobStateIsResumable(m_record.state)))
        return false;
    m_control = std::make_shared<JobControl>();
    m_stopReason = StopReason::None;
    m_outcome = Outcome::Failed;
    m_outcomeError.clear();
    m_record.error.clear();
    m_context.reset(new JobContext(this, m_control, m_record, m_projectDirectory));
    JobContext *context = m_context.get();
    const int nice = m_workerNice;
    m_thread.reset(QThread::create([this, context, nice] {
        lowerThisThreadPriority(nice);
        Outcome outcome = Outcome::Failed;
        QString error;
        try { // the job boundary: nothing escapes into Qt's thread code
            outcome = execute(*context, &error);
        } catch (const std::exception &e) {
            outcome = Outcome::Failed;
            error = tr("The job stopped on an unexpected error: %1").arg(QString::fromUtf8(e.what()));
        } catch (...) {
            outcome = Outcome::Failed;
            error = tr("The job stopped on an unexpected error.");
        }
        if (outcome == Outcome::Failed && error.isEmpty())
            error = tr("The job failed without saying why.");
        m_outcome = outcome;
        m_outcomeError = error;
    }));
    m_thread->setObjectName(QStringLiteral("fa job %1").arg(m_record.id));
    // QThread::finished is emitted on the worker thread: queued to this object's thread. The
    // generation tells a late notification of an earlier worker (stopAndWait, start) apart.
    const quint64 generation = ++m_generation;
    connect(m_thread.get(), &QThread::finished, this, [this, generation] {
        if (generation == m_generation)
            onWorkerFinished();
    }, Qt::QueuedConnection);
    setState(JobState::Running);
    m_status = tr("Starting…");
    Q_EMIT progressChanged(m_progress, m_status);
    m_thread->start();
    return true;
}

bool Job::pause()
{
    if (m_record.state != JobState::Running || !m_control || m_control->stopRequested())
        return false;
    m_control->pause();
    return true;
}

bool Job::resume()
{
    if (!m_control || !jobStateIsActive(m_record.state) || !m_control->pauseRequested())
        return false;
    m_control->resume();
    return true;
}

bool Job::cancel()
{
    if (m_record.state == JobState::Queued && !m_thread) {
        setState(JobState::Cancelled);
        Q_EMIT finished(JobState::Cancelled);
        return true;
    }
    if (!m_thread || !m_control)
        return false;
    m_stopReason = StopReason::Cancel;
    m_status = tr("Cancelling…");
    Q_EMIT progressChanged(m_progress, m_status);
    m_control->requestStop();
    return true;
}

bool Job::interrupt()
{
    if (m_record.state == JobState::Queued && !m_thread) {
        setState(JobState::Interrupted);
        Q_EMIT finished(JobState::Interrupted);
        return true;
    }
    if (!m_thread || !m_control)
        return false;
    if (m_stopReason == StopReason::None)
        m_stopReason = StopReason::Interrupt;
    m_control->requestStop();
    return true;
}

bool Job::requeue()
{
    if (m_thread || !jobStateIsResumable(m_record.state))
        return false;
    m_record.error.clear();
    m_status.clear();
    setState(JobState::Queued);
    return true;
}

void Job::stopAndWait()
{
    if (!m_thread)
        return;
    interrupt();
    m_thread->wait();
    onWorkerFinished(); // the queued notification may never be delivered now
}

void Job::onProgress(double fraction, const QString &status, qint64 step, qint64 totalSteps)
{
    m_progress = fraction;
    m_status = status;
    if (step >= 0)
        m_record.step = step;
    if (totalSteps >= 0)
        m_record.totalSteps = totalSteps;
    Q_EMIT progressChanged(fraction, status);
}

void Job::onWorkerPaused(bool paused)
{
    if (!m_thread)
        return;
    if (paused && m_record.state == JobState::Running) {
        m_status = tr("Paused");
        setState(JobState::Paused);
        Q_EMIT progressChanged(m_progress, m_status);
    } else if (!paused && m_record.state == JobState::Paused) {
        setState(JobState::Running);
    }
}

void Job::onWorkerFinished()
{
    if (!m_thread)
        return; // handled already (stopAndWait)
    // finished() is emitted just before the thread ends: this wait lasts microseconds.
    m_thread->wait();
    m_thread.reset();
    // The last progress the throttle held back.
    if (m_context) {
        if (m_context->m_step >= 0)
            m_record.step = m_context->m_step;
        if (m_context->m_totalSteps >= 0)
            m_record.totalSteps = m_context->m_totalSteps;
        if (m_context->m_pending) {
            m_progress = m_context->m_fraction;
            m_status = m_context->m_status;
        }
        m_context.reset();
    }
    JobState state = JobState::Failed;
    switch (m_outcome) {
    case Outcome::Finished:
        state = JobState::Finished;
        m_progress = 1;
        m_status = tr("Finished");
        break;
    case Outcome::Stopped:
        state = m_stopReason == StopReason::Cancel ? JobState::Cancelled : JobState::Interrupted;
        m_status = state == JobState::Cancelled ? tr("Cancelled") : tr("Interrupted");
        break;
    case Outcome::Failed:
        state = JobState::Failed;
        m_record.error = m_outcomeError;
        m_status = tr("Failed");
        break;
    }
    m_control.reset();
    setState(state);
    Q_EMIT progressChanged(m_progress, m_status);
    Q_EMIT finished(state);
}

} // namespace fa
