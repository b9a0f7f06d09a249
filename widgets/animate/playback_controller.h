#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace fa::ui {

/// Playback of a clip at its frame rate: play/pause, loop, frame stepping and the J/K/L shuttle
/// of editing software (L plays forward, again doubles the speed up to 4x; J the same backwards;
/// K stops). Time is measured, not counted in timer ticks: the frame shown is
///     startFrame + elapsed seconds * fps * rate
/// so playback keeps real time when a frame takes longer to draw (frames are then skipped,
/// never slowed down). Without loop, playback stops on the last (or first) frame.
///
/// The controller does not own the current frame: it asks for frames with frameRequested(),
/// and is told the frame shown now with setCurrentFrame() (scrubbing, clicks).
class PlaybackController : public QObject
{
    Q_OBJECT
public:
    static constexpr double kMaxRate = 4.0;

    explicit PlaybackController(QObject *parent = nullptr);

    void setClip(int frameCount, double fps);
    int frameCount() const { return m_frameCount; }
    double fps() const { return m_fps; }

    int currentFrame() const { return m_currentFrame; }
    void setCurrentFrame(int frame);

    bool isPlaying() const { return m_rate != 0.0; }
    /// Frames per clip frame: 1 = real time forward, -2 = twice as fast backwards, 0 = stopped.
    double rate() const { return m_rate; }
    bool loops() const { return m_loop; }
    void setLoop(bool loop) { m_loop = loop; }

    void play();            ///< forward at 1x (from the first frame when at the last)
    void pause();
    void togglePlay();
    void shuttleForward();  ///< L
    void shuttleBackward(); ///< J
    void stepForward();     ///< one frame, pauses
    void stepBackward();
    void goToStart();
    void goToEnd();

Q_SIGNALS:
    void frameRequested(int frame);
    void playingChanged(bool playing);
    void rateChanged(double rate);

private:
    void setRate(double rate);
    void tick();
    void request(int frame);

    QTimer m_timer;
    QElapsedTimer m_clock;
    int m_frameCount = 0;
    double m_fps = 30.0;
    int m_currentFrame = 0;
    int m_startFrame = 0;
    double m_rate = 0.0;
    bool m_loop = true;
};

} // namespace fa::ui
