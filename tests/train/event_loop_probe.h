#pragma once

// Measures how late the GUI event loop runs a 5 ms timer: the gap between consecutive ticks minus
// the interval is the time the loop was busy elsewhere (a stall). Header-only, for the dashboard
// tests.

#include <QElapsedTimer>
#include <QEventLoop>
#include <QObject>
#include <QTimer>

#include <algorithm>
#include <vector>

namespace fa::test {

class EventLoopProbe : public QObject
{
public:
    explicit EventLoopProbe(int intervalMs = 5) : m_intervalMs(intervalMs)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(intervalMs);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
            const double now = double(m_clock.nsecsElapsed()) / 1e6;
            if (m_last >= 0)
                m_lateness.push_back(std::max(0.0, now - m_last - m_intervalMs));
            m_last = now;
        });
    }
    void start()
    {
        m_lateness.clear();
        m_last = -1;
        m_clock.start();
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    size_t ticks() const { return m_lateness.size(); }
    /// Lateness percentile in ms (p in [0,1]).
    double percentile(double p) const
    {
        if (m_lateness.empty())
            return 0;
        std::vector<double> sorted = m_lateness;
        std::sort(sorted.begin(), sorted.end());
        return sorted[std::min(sorted.size() - 1, size_t(p * double(sorted.size() - 1) + 0.5))];
    }
    double longest() const { return m_lateness.empty() ? 0 : *std::max_element(m_lateness.begin(), m_lateness.end()); }

private:
    int m_intervalMs;
    QTimer m_timer;
    QElapsedTimer m_clock;
    double m_last = -1;
    std::vector<double> m_lateness;
};

/// Runs the event loop (sleeping when idle, as the application's exec() does; QTRY_* and qWait
/// poll with sleeps instead) until `done()` holds or `timeoutMs` passed. Returns done().
template<typename Predicate>
bool waitFor(Predicate done, int timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    check.start(10);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return done();
}

} // namespace fa::test
