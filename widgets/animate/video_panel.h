#pragma once

#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QVector>
#include <QWidget>

#include <memory>

namespace fa {
class VideoReader;
}

namespace fa::ui {

/// The source video at the current frame, scaled to fit with its aspect ratio, with the face box
/// and the 68 landmarks drawn over it when the overlay is on, and a "no face" banner on frames
/// where the solver found none.
///
/// Frames are asked for by time (seconds from the start of the video, the clip's frame times).
/// The next frame in decoding order is read straight on; any other time seeks (frame accurate,
/// VideoReader::seek) first. Decoding runs on the GUI thread: a 512x512 H.264 frame decodes in
/// about 0.4 ms, a seek decodes from the keyframe before it (up to one GOP). The last decoded
/// frame is kept, so showing the same time again costs nothing.
class VideoPanel : public QWidget
{
    Q_OBJECT
public:
    explicit VideoPanel(QWidget *parent = nullptr);
    ~VideoPanel() override;

    /// Opens `path`; false with `error` ("PATH: what is wrong") when it cannot be decoded.
    /// An empty path closes the video.
    bool setVideo(const QString &path, QString *error = nullptr);
    QString videoPath() const { return m_path; }

    /// Shows the frame at `timeSeconds` (the first frame at or after it).
    void showTime(double timeSeconds);
    /// The face box and landmarks (full-frame pixels) of the shown frame; `faceFound` false draws
    /// the "no face" banner instead.
    void setOverlay(bool faceFound, const QRectF &box, const QVector<QPointF> &landmarks);
    void setOverlayVisible(bool visible);
    bool isOverlayVisible() const { return m_overlayVisible; }

    /// The frame shown now (RGB888; null before the first frame).
    QImage currentImage() const { return m_image; }
    /// The time of the frame shown now, or -1.
    double currentTime() const { return m_imageTime; }

Q_SIGNALS:
    /// Decoding failed after the video was opened (a truncated file, ...).
    void decodeFailed(const QString &error);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    bool decodeAt(double timeSeconds);

    std::unique_ptr<VideoReader> m_reader;
    QString m_path;
    double m_frameDuration = 1.0 / 30.0;
    QImage m_image;
    double m_imageTime = -1.0;
    bool m_faceFound = true;
    QRectF m_box;
    QVector<QPointF> m_landmarks;
    bool m_overlayVisible = true;
};

} // namespace fa::ui
