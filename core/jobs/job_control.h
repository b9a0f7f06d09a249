#pragma once

#include <QMutex>
#include <QWaitCondition>

#include <atomic>
#include <functional>

namespace fa {

/// The flags a job's owner (GUI thread) and its worker thread share: stop and pause. Thread-safe.
/// The worker polls stopRequested() and calls waitWhilePaused() between steps; pausing blocks
/// it on a wait condition (no polling, no CPU) until resume() or requestStop().
class JobControl
{
public:
    /// Asks the worker to stop at its next check; wakes it when paused.
    void requestStop();
    bool stopRequested() const { return m_stop.load(std::memory_order_acquire); }

    /// Asks the worker to pause at its next pause point.
    void pause();
    /// Lets a paused worker continue.
    void resume();
    bool pauseRequested() const { return m_pause.load(std::memory_order_acquire); }

    /// Worker side: returns at once unless a pause is requested; otherwise calls `onPaused`,
    /// blocks until resume() or requestStop(), calls `onResumed` and returns true.
    bool waitWhilePaused(const std::function<void()> &onPaused, const std::function<void()> &onResumed);

private:
    QMutex m_mutex;
    QWaitCondition m_condition;
    std::atomic_bool m_stop{false};
    std::atomic_bool m_pause{false};
};

} // namespace fa
