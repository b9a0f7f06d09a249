#include "animate/transport_bar.h"

#include "animate/playback_controller.h"
#include "timeline/time_axis.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace fa::ui {

namespace {

QToolButton *button(QWidget *parent, QStyle::StandardPixmap icon, const QString &tip)
{
    auto *b = new QToolButton(parent);
    b->setIcon(parent->style()->standardIcon(icon));
    b->setToolTip(tip);
    b->setAutoRaise(true);
    b->setFocusPolicy(Qt::NoFocus); // keys belong to the workspace
    return b;
}

} // namespace

TransportBar::TransportBar(PlaybackController *playback, TimeAxis *axis, QWidget *parent)
    : QWidget(parent), m_playback(playback), m_axis(axis),
      m_play(button(this, QStyle::SP_MediaPlay, tr("Play / pause (Space; J, K, L shuttle)"))),
      m_loop(button(this, QStyle::SP_BrowserReload, tr("Loop playback"))), m_position(new QLabel(this))
{
    QToolButton *start = button(this, QStyle::SP_MediaSkipBackward, tr("First frame (Home)"));
    QToolButton *back = button(this, QStyle::SP_MediaSeekBackward, tr("Previous frame (Left)"));
    QToolButton *forward = button(this, QStyle::SP_MediaSeekForward, tr("Next frame (Right)"));
    QToolButton *end = button(this, QStyle::SP_MediaSkipForward, tr("Last frame (End)"));
    m_loop->setCheckable(true);
    m_loop->setChecked(playback->loops());
    m_position->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_position->setMinimumWidth(m_position->fontMetrics().horizontalAdvance(QStringLiteral("00000 / 00000  00:00:00:00  (-4x)")));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    for (QWidget *w : {static_cast<QWidget *>(start), static_cast<QWidget *>(back), static_cast<QWidget *>(m_play),
                       static_cast<QWidget *>(forward), static_cast<QWidget *>(end), static_cast<QWidget *>(m_loop)})
        layout->addWidget(w);
    layout->addSpacing(12);
    layout->addWidget(m_position);
    layout->addStretch(1);

    connect(start, &QToolButton::clicked, playback, &PlaybackController::goToStart);
    connect(back, &QToolButton::clicked, playback, &PlaybackController::stepBackward);
    connect(m_play, &QToolButton::clicked, playback, &PlaybackController::togglePlay);
    connect(forward, &QToolButton::clicked, playback, &PlaybackController::stepForward);
    connect(end, &QToolButton::clicked, playback, &PlaybackController::goToEnd);
    connect(m_loop, &QToolButton::toggled, playback, &PlaybackController::setLoop);
    connect(playback, &PlaybackController::playingChanged, this, &TransportBar::updatePlayButton);
    connect(playback, &PlaybackController::rateChanged, this, &TransportBar::updateLabel);
    connect(axis, &TimeAxis::currentFrameChanged, this, &TransportBar::updateLabel);
    connect(axis, &TimeAxis::frameCountChanged, this, &TransportBar::updateLabel);
    updateLabel();
}

void TransportBar::updatePlayButton()
{
    m_play->setIcon(style()->standardIcon(m_playback->isPlaying() ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
}

void TransportBar::updateLabel()
{
    const int frame = m_axis->currentFrame();
    QString text = QStringLiteral("%1 / %2  %3").arg(frame).arg(std::max(0, m_axis->frameCount() - 1))
                       .arg(m_axis->timecode(frame));
    const double rate = m_playback->rate();
    if (rate != 0.0 && rate != 1.0)
        text += QStringLiteral("  (%1x)").arg(rate);
    m_position->setText(text);
}

} // namespace fa::ui
