#include "time_ruler.h"

#include "time_axis.h"

#include <QContextMenuEvent>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <array>
#include <cmath>

namespace fa::ui {

namespace {

constexpr int kBandHeight = 4;       // no-face band, pixels
constexpr int kLabelPadding = 14;    // pixels between labels

/// Zoom factor per wheel step of 120 (one notch): 1.25.
double wheelFactor(int angleDelta)
{
    return std::pow(1.25, angleDelta / 120.0);
}

} // namespace

TimeRuler::TimeRuler(TimeAxis *axis, QWidget *parent)
    : QWidget(parent)
    , m_axis(axis)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setFocusPolicy(Qt::NoFocus);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    const auto repaint = [this] { update(); };
    connect(m_axis, &TimeAxis::visibleRangeChanged, this, repaint);
    connect(m_axis, &TimeAxis::currentFrameChanged, this, repaint);
    connect(m_axis, &TimeAxis::frameCountChanged, this, repaint);
    connect(m_axis, &TimeAxis::fpsChanged, this, repaint);
}

void TimeRuler::setTimeDisplay(TimeDisplay display)
{
    if (display == m_display)
        return;
    m_display = display;
    update();
    Q_EMIT timeDisplayChanged(m_display);
}

void TimeRuler::setFaceMask(std::vector<unsigned char> mask)
{
    m_faceMask = std::move(mask);
    update();
}

QString TimeRuler::label(int frame) const
{
    return m_display == TimeDisplay::Timecode ? m_axis->timecode(frame) : QString::number(frame);
}

int TimeRuler::majorTickStep() const
{
    const QFontMetrics metrics = fontMetrics();
    const int widest = int(std::max(std::abs(m_axis->firstVisibleFrame()), std::abs(m_axis->lastVisibleFrame())));
    const int labelWidth = metrics.horizontalAdvance(label(-std::max(widest, 10))) + kLabelPadding;
    const double pixelsPerFrame = std::max(m_axis->pixelsPerFrame(std::max(width(), 1)), 1e-9);
    const double minStep = labelWidth / pixelsPerFrame;
    if (m_display == TimeDisplay::Timecode) {
        const int nominal = std::max(1, int(std::lround(m_axis->fps())));
        for (int step : {1, 2, 5, 10}) {
            if (step < nominal && step >= minStep)
                return step;
        }
        static constexpr std::array<int, 14> seconds = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200};
        for (int s : seconds) {
            if (double(s) * nominal >= minStep)
                return s * nominal;
        }
        return seconds.back() * nominal;
    }
    for (long long decade = 1; decade < (1LL << 40); decade *= 10) {
        for (int m : {1, 2, 5}) {
            if (double(m * decade) >= minStep)
                return int(std::min<long long>(m * decade, 1 << 30));
        }
    }
    return 1 << 30;
}

QSize TimeRuler::sizeHint() const
{
    return QSize(400, fontMetrics().height() + 14 + kBandHeight);
}

QSize TimeRuler::minimumSizeHint() const
{
    return QSize(50, sizeHint().height());
}

void TimeRuler::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const int w = width();
    const int h = height();
    const QColor background = palette().color(QPalette::Button);
    painter.fillRect(rect(), background.darker(112));

    // The clip's own frames are lighter than the space around it.
    const double clipStart = m_axis->frameToX(-0.5, w);
    const double clipEnd = m_axis->frameToX(m_axis->frameCount() - 0.5, w);
    if (m_axis->frameCount() > 0 && clipEnd > 0 && clipStart < w)
        painter.fillRect(QRectF(QPointF(std::max(clipStart, 0.0), 0), QPointF(std::min(clipEnd, double(w)), h)), background);

    paintFaceMask(painter, h - kBandHeight, kBandHeight);

    // Ticks: majors labelled, minors at a fifth or a half of the major step.
    const int major = majorTickStep();
    int minor = major % 5 == 0 ? major / 5 : (major % 2 == 0 ? major / 2 : major);
    if (m_axis->pixelsPerFrame(w) * minor < 4)
        minor = major;
    const QColor ink = palette().color(QPalette::ButtonText);
    painter.setPen(ink);
    const int baseline = h - kBandHeight - 1;
    const long long firstTick = static_cast<long long>(std::floor(m_axis->firstVisibleFrame() / minor)) * minor;
    const QFontMetrics metrics = fontMetrics();
    for (long long frame = firstTick; frame <= m_axis->lastVisibleFrame(); frame += minor) {
        const double x = std::round(m_axis->frameToX(double(frame), w)) + 0.5;
        const bool isMajor = frame % major == 0;
        const int tickHeight = isMajor ? h / 2 : h / 5;
        painter.drawLine(QPointF(x, baseline - tickHeight), QPointF(x, baseline));
        if (isMajor)
            painter.drawText(QPointF(x + 3, metrics.ascent() + 2), label(int(frame)));
    }

    // Playhead: a line and a small triangle handle at the top.
    const int current = m_axis->currentFrame();
    const double px = std::round(m_axis->frameToX(current, w)) + 0.5;
    if (px >= -6 && px <= w + 6) {
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QPen(playheadColour(), 1));
        painter.drawLine(QPointF(px, 0), QPointF(px, h));
        painter.setBrush(playheadColour());
        const QPointF handle[3] = {QPointF(px - 5, 0), QPointF(px + 5, 0), QPointF(px, 6)};
        painter.drawPolygon(handle, 3);
    }
}

void TimeRuler::paintFaceMask(QPainter &painter, int bandTop, int bandHeight)
{
    const int w = width();
    const int count = int(std::min<size_t>(m_faceMask.size(), size_t(std::max(m_axis->frameCount(), 0))));
    if (count == 0)
        return;
    const int first = std::max(0, int(std::floor(m_axis->firstVisibleFrame())));
    const int last = std::min(count - 1, int(std::ceil(m_axis->lastVisibleFrame())));
    // Runs of faceless frames, each drawn as one rectangle at least a pixel wide.
    for (int frame = first; frame <= last; ++frame) {
        if (m_faceMask[size_t(frame)] != 0)
            continue;
        int end = frame;
        while (end + 1 <= last && m_faceMask[size_t(end + 1)] == 0)
            ++end;
        const double x0 = m_axis->frameToX(frame - 0.5, w);
        const double x1 = std::max(m_axis->frameToX(end + 0.5, w), x0 + 1.0);
        painter.fillRect(QRectF(x0, bandTop, x1 - x0, bandHeight), noFaceColour());
        frame = end;
    }
}

void TimeRuler::scrubTo(double x)
{
    m_axis->setCurrentFrame(int(std::lround(m_axis->xToFrame(x, width()))));
}

void TimeRuler::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        m_scrubbing = true;
        scrubTo(event->position().x());
    } else if (event->button() == Qt::MiddleButton) {
        m_panning = true;
        m_lastPanX = event->position().x();
    } else {
        QWidget::mousePressEvent(event);
    }
}

void TimeRuler::mouseMoveEvent(QMouseEvent *event)
{
    if (m_scrubbing) {
        scrubTo(event->position().x());
    } else if (m_panning) {
        const double x = event->position().x();
        m_axis->panBy(-(x - m_lastPanX) / std::max(m_axis->pixelsPerFrame(width()), 1e-9));
        m_lastPanX = x;
    }
}

void TimeRuler::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton)
        m_scrubbing = false;
    else if (event->button() == Qt::MiddleButton)
        m_panning = false;
}

void TimeRuler::wheelEvent(QWheelEvent *event)
{
    const int delta = event->angleDelta().y() != 0 ? event->angleDelta().y() : event->angleDelta().x();
    if (delta == 0)
        return;
    m_axis->zoomBy(wheelFactor(delta), m_axis->xToFrame(event->position().x(), width()));
    event->accept();
}

void TimeRuler::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    QAction *timecode = menu.addAction(tr("Show timecode"));
    timecode->setCheckable(true);
    timecode->setChecked(m_display == TimeDisplay::Timecode);
    QAction *all = menu.addAction(tr("Show all frames"));
    QAction *chosen = menu.exec(event->globalPos());
    if (chosen == timecode)
        setTimeDisplay(timecode->isChecked() ? TimeDisplay::Timecode : TimeDisplay::Frames);
    else if (chosen == all)
        m_axis->showAll();
}

} // namespace fa::ui
