#pragma once

#include <QWidget>

class QLabel;
class QToolButton;

namespace fa::ui {

class PlaybackController;
class TimeAxis;

/// Playback buttons (start, step back, play/pause, step forward, end, loop) and the current
/// frame as "frame / last  HH:MM:SS:FF  (rate)". Keys are the workspace's (J/K/L, Space, arrows).
class TransportBar : public QWidget
{
    Q_OBJECT
public:
    TransportBar(PlaybackController *playback, TimeAxis *axis, QWidget *parent = nullptr);

private:
    void updateLabel();
    void updatePlayButton();

    PlaybackController *m_playback;
    TimeAxis *m_axis;
    QToolButton *m_play;
    QToolButton *m_loop;
    QLabel *m_position;
};

} // namespace fa::ui
