#include "jobs/job_control.h"

#include <QMutexLocker>

namespace fa {

void JobControl::requestStop()
{
    QMutexLocker lock(&m_mutex);
    m_stop.store(true, std::memory_order_release);
    m_condition.wakeAll();
}

void JobControl::pause()
{
    QMutexLocker lock(&m_mutex);
    m_pause.store(true, std::memory_order_release);
}

void JobControl::resume()
{
    QMutexLocker lock(&m_mutex);
    m_pause.store(false, std::memory_order_release);
    m_condition.wakeAll();
}

bool JobControl::waitWhilePaused(const std::function<void()> &onPaused, const std::function<void()> &onResumed)
{
    if (!pauseRequested() || stopRequested())
        return false;
    if (onPaused)
        onPaused();
    {
        QMutexLocker lock(&m_mutex);
        while (m_pause.load(std::memory_order_acquire) && !m_stop.load(std::memory_order_acquire))
            m_condition.wait(&m_mutex);
    }
    if (onResumed)
        onResumed();
    return true;
}

} // namespace fa
