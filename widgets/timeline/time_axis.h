#pragma once

#include <QObject>
#include <QString>

namespace fa::ui {

/// The time state shared by every time-based view of the Animate workspace (ruler, curve
/// editor, video panel): the clip's length and rate, the visible frame range (zoom and pan) and
/// the current frame (the playhead).
///
/// Units: frames are clip frame indices (0 .. frameCount() - 1); the visible range is in
/// fractional frames so that zooming is smooth. A view of width W pixels maps frame f to
/// x = (f - firstVisibleFrame()) / visibleFrameSpan() * W (frameToX), so every view of the
/// same width shows the same frames at the same x.
///
/// Limits: the visible span is kept within [kMinVisibleSpan, 4 * max(frameCount(), 10)] frames
/// and the range always shows part of the clip (its ends stay within half a span of the clip).
/// The current frame is clamped to the clip (0 when it is empty).
class TimeAxis : public QObject
{
    Q_OBJECT
public:
    /// The narrowest visible span, frames.
    static constexpr double kMinVisibleSpan = 4.0;

    explicit TimeAxis(QObject *parent = nullptr);

    int frameCount() const { return m_frameCount; }
    /// A new length keeps the visible range, except that a view showing the whole clip (after
    /// showAll()) keeps showing the whole clip. Clamps the current frame.
    void setFrameCount(int frameCount);

    /// Frames per second (> 0; 30 until set). Used for timecode only.
    double fps() const { return m_fps; }
    void setFps(double fps);

    double firstVisibleFrame() const { return m_first; }
    double lastVisibleFrame() const { return m_last; }
    double visibleFrameSpan() const { return m_last - m_first; }
    /// Sets the visible range (clamped, see the class comment).
    void setVisibleRange(double firstFrame, double lastFrame);
    /// Zooms by `factor` (> 1 zooms in) keeping `anchorFrame` at the same x.
    void zoomBy(double factor, double anchorFrame);
    /// Moves the visible range by `frames` (positive: later frames come into view).
    void panBy(double frames);
    /// Shows the whole clip with a margin of 2 % of its length (at least half a frame) each side.
    void showAll();

    int currentFrame() const { return m_currentFrame; }
    /// Clamped to [0, frameCount() - 1]; emits currentFrameChanged() when it changes.
    void setCurrentFrame(int frame);

    /// x in [0, width] for a frame in the visible range (outside it, x is outside too).
    double frameToX(double frame, double width) const;
    /// Inverse of frameToX.
    double xToFrame(double x, double width) const;
    /// Pixels between consecutive frames in a view `width` pixels wide.
    double pixelsPerFrame(double width) const;

    /// "HH:MM:SS:FF" of `frame` at fps() (see the static overload).
    QString timecode(int frame) const { return timecode(frame, m_fps); }
    /// Non-drop-frame SMPTE-style timecode of a clip frame index (frame 0 = 00:00:00:00):
    /// FF counts frames within the second at the NOMINAL rate qRound(fps) (29.97 counts 0..29,
    /// like non-drop-frame 30 fps timecode; it drifts from wall time by 0.1 %). Hours are not
    /// wrapped at 24 and grow past two digits; negative frames get a leading '-'.
    static QString timecode(int frame, double fps);

Q_SIGNALS:
    void frameCountChanged(int frameCount);
    void fpsChanged(double fps);
    void visibleRangeChanged();
    void currentFrameChanged(int frame);

private:
    bool showsAll() const;

    int m_frameCount = 0;
    double m_fps = 30.0;
    double m_first = 0.0;
    double m_last = 1.0;
    int m_currentFrame = 0;
};

} // namespace fa::ui
