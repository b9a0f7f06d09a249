#include "animate/video_panel.h"

#include "media/video_reader.h"

#include <QPainter>
#include <QPainterPath>

#include <cmath>

namespace fa::ui {

VideoPanel::VideoPanel(QWidget *parent)
    : QWidget(parent), m_reader(std::make_unique<VideoReader>())
{
    setMinimumSize(160, 120);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

VideoPanel::~VideoPanel() = default;

bool VideoPanel::setVideo(const QString &path, QString *error)
{
    m_reader->close();
    m_path.clear();
    m_image = QImage();
    m_imageTime = -1.0;
    update();
    if (path.isEmpty())
        return true;
    if (!m_reader->open(path)) {
        if (error)
            *error = m_reader->errorString();
        return false;
    }
    m_path = path;
    const double fps = m_reader->info().fps;
    m_frameDuration = fps > 0 ? 1.0 / fps : 1.0 / 30.0;
    showTime(0.0);
    return true;
}

bool VideoPanel::decodeAt(double timeSeconds)
{
    // The reader's next frame is at m_imageTime + one frame: read on when that is what is asked.
    const double half = 0.5 * m_frameDuration;
    const bool next = m_imageTime >= 0 && std::abs(timeSeconds - (m_imageTime + m_frameDuration)) < half;
    if (!next && !m_reader->seek(timeSeconds - 1e-6)) {
        Q_EMIT decodeFailed(m_reader->errorString());
        return false;
    }
    VideoFrame frame;
    while (m_reader->readFrame(&frame)) {
        if (frame.timeSeconds + half < timeSeconds)
            continue; // a stream whose seek landed early
        const cv::Mat &bgr = frame.image;
        m_image = QImage(bgr.data, bgr.cols, bgr.rows, int(bgr.step), QImage::Format_BGR888)
                      .convertToFormat(QImage::Format_RGB888);
        m_imageTime = frame.timeSeconds;
        return true;
    }
    if (!m_reader->errorString().isEmpty())
        Q_EMIT decodeFailed(m_reader->errorString());
    return false;
}

void VideoPanel::showTime(double timeSeconds)
{
    if (!m_reader->isOpen())
        return;
    if (m_imageTime >= 0 && std::abs(timeSeconds - m_imageTime) < 0.5 * m_frameDuration)
        return;
    if (decodeAt(timeSeconds))
        update();
}

void VideoPanel::setOverlay(bool faceFound, const QRectF &box, const QVector<QPointF> &landmarks)
{
    m_faceFound = faceFound;
    m_box = box;
    m_landmarks = landmarks;
    update();
}

void VideoPanel::setOverlayVisible(bool visible)
{
    m_overlayVisible = visible;
    update();
}

void VideoPanel::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), QColor(24, 24, 24));
    if (m_image.isNull()) {
        painter.setPen(QColor(160, 160, 160));
        painter.drawText(rect(), Qt::AlignCenter, m_path.isEmpty() ? tr("Open or drop a video") : QString());
        return;
    }
    const QSizeF fitted = QSizeF(m_image.size()).scaled(QSizeF(size()), Qt::KeepAspectRatio);
    const QRectF target(QPointF((width() - fitted.width()) / 2, (height() - fitted.height()) / 2), fitted);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.drawImage(target, m_image);

    const double scale = fitted.width() / m_image.width();
    auto map = [&](const QPointF &p) { return target.topLeft() + p * scale; };
    if (m_overlayVisible && m_faceFound && !m_box.isEmpty()) {
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QPen(QColor(80, 220, 120), 1.5));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(QRectF(map(m_box.topLeft()), map(m_box.bottomRight())));
        painter.setPen(Qt::NoPen);
        painter.setBrush(QColor(255, 210, 60));
        for (const QPointF &p : m_landmarks)
            painter.drawEllipse(map(p), 1.8, 1.8);
    }
    if (!m_faceFound) {
        const QRectF banner(target.left(), target.top(), target.width(), 24);
        painter.fillRect(banner, QColor(200, 40, 40, 200));
        painter.setPen(Qt::white);
        painter.drawText(banner, Qt::AlignCenter, tr("No face on this frame"));
    }
}

} // namespace fa::ui
