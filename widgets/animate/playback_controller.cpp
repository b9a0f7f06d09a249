#include "animate/playback_controller.h"

#include <algorithm>
#include <cmath>

namespace fa::ui {

PlaybackController::PlaybackController(QObject *parent)
    : QObject(parent)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &PlaybackController::tick);
}

void PlaybackController::setClip(int frameCount, double fps)
{
    pause();
    m_frameCount = std::max(0, frameCount);
    m_fps = fps > 0 ? fps : 30.0;
    m_currentFrame = std::clamp(m_currentFrame, 0, std::max(0, m_frameCount - 1));
}

void PlaybackController::setCurrentFrame(int frame)
{
    m_currentFrame = std::clamp(frame, 0, std::max(0, m_frameCount - 1));
    if (isPlaying()) { // a scrub while playing restarts the clock from there
        m_startFrame = m_currentFrame;
        m_clock.restart();
    }
}

void PlaybackController::setRate(double rate)
{
    if (m_frameCount < 2)
        rate = 0.0;
    const bool wasPlaying = isPlaying();
    m_rate = rate;
    m_startFrame = m_currentFrame;
    m_clock.restart();
    if (isPlaying())
        m_timer.start(std::max(1, int(1000.0 / (m_fps * std::abs(rate)) / 2))); // ticks at 2x the frame rate
    else
        m_timer.stop();
    Q_EMIT rateChanged(m_rate);
    if (wasPlaying != isPlaying())
        Q_EMIT playingChanged(isPlaying());
}

void PlaybackController::play()
{
    if (m_currentFrame >= m_frameCount - 1 && !isPlaying())
        request(0);
    setRate(1.0);
}

void PlaybackController::pause()
{
    if (isPlaying())
        setRate(0.0);
}

void PlaybackController::togglePlay()
{
    if (isPlaying())
        pause();
    else
        play();
}

void PlaybackController::shuttleForward()
{
    setRate(m_rate > 0 ? std::min(kMaxRate, 2 * m_rate) : 1.0);
}

void PlaybackController::shuttleBackward()
{
    setRate(m_rate < 0 ? std::max(-kMaxRate, 2 * m_rate) : -1.0);
}

void PlaybackController::stepForward()
{
    pause();
    request(std::min(m_currentFrame + 1, m_frameCount - 1));
}

void PlaybackController::stepBackward()
{
    pause();
    request(std::max(m_currentFrame - 1, 0));
}

void PlaybackController::goToStart()
{
    pause();
    request(0);
}

void PlaybackController::goToEnd()
{
    pause();
    request(std::max(0, m_frameCount - 1));
}

void PlaybackController::request(int frame)
{
    m_currentFrame = std::clamp(frame, 0, std::max(0, m_frameCount - 1));
    Q_EMIT frameRequested(m_currentFrame);
}

void PlaybackController::tick()
{
    const double advanced = m_clock.nsecsElapsed() * 1e-9 * m_fps * m_rate;
    long long frame = m_startFrame + (long long)std::trunc(advanced); // whole frames passed, either direction
    const int last = m_frameCount - 1;
    if (frame > last || frame < 0) {
        if (!m_loop) {
            request(frame > last ? last : 0);
            pause();
            return;
        }
        frame = ((frame % m_frameCount) + m_frameCount) % m_frameCount;
        // Restart the clock at the wrap so that the error does not accumulate.
        m_startFrame = int(frame);
        m_clock.restart();
    }
    if (int(frame) != m_currentFrame)
        request(int(frame));
}

} // namespace fa::ui
