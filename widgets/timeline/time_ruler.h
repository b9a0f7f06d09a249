#pragma once

#include <QColor>
#include <QWidget>

#include <vector>

namespace fa::ui {

class TimeAxis;

/// The time ruler above every time-based view: ticks labelled in frames or in timecode
/// ("HH:MM:SS:FF", TimeAxis::timecode), the playhead, and a red band under the frames where no
/// face was found.
///
/// It spans the same frames as every other view of the shared TimeAxis at the same width, so a
/// CurveEditor of the same width below it lines up frame for frame.
///
/// Mouse: left click or drag scrubs (sets the axis' current frame to the nearest frame under
/// the cursor); the wheel zooms the time axis about the frame under the cursor; middle drag
/// pans; the context menu toggles timecode. The ruler does not own the axis.
class TimeRuler : public QWidget
{
    Q_OBJECT
public:
    enum class TimeDisplay { Frames, Timecode };

    explicit TimeRuler(TimeAxis *axis, QWidget *parent = nullptr);

    TimeAxis *timeAxis() const { return m_axis; }

    TimeDisplay timeDisplay() const { return m_display; }
    void setTimeDisplay(TimeDisplay display);

    /// One entry per clip frame, non-zero where a face was found (RigAnimation::faceFoundMask,
    /// AnimationClip's mask). Frames with 0 are marked; frames past the mask's end are not.
    void setFaceMask(std::vector<unsigned char> mask);
    const std::vector<unsigned char> &faceMask() const { return m_faceMask; }

    /// The label of a tick at `frame` in the current display (frame number or timecode).
    QString label(int frame) const;
    /// Frames between labelled ticks for the current width, zoom and display: the smallest
    /// "nice" step (1, 2, 5 x 10^k frames; in timecode 1, 2, 5, 10 frames or whole seconds,
    /// minutes) whose labels do not overlap.
    int majorTickStep() const;

    /// Colours shared with the curve editor.
    static QColor playheadColour() { return QColor(255, 140, 0); }
    static QColor noFaceColour() { return QColor(220, 40, 40); }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void timeDisplayChanged(fa::ui::TimeRuler::TimeDisplay display);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    void scrubTo(double x);
    void paintFaceMask(QPainter &painter, int bandTop, int bandHeight);

    TimeAxis *m_axis;
    TimeDisplay m_display = TimeDisplay::Frames;
    std::vector<unsigned char> m_faceMask;
    bool m_scrubbing = false;
    bool m_panning = false;
    double m_lastPanX = 0;
};

} // namespace fa::ui
