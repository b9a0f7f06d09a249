#pragma once

#include "curve_painter.h"
#include "curve_sample_cache.h"
#include "curve_view_transform.h"

#include "animate/key_selection.h"

#include <QImage>
#include <QPoint>
#include <QRect>
#include <QWidget>

#include <vector>

namespace fa {
class AnimateDocument;
class ChannelModel;
}

namespace fa::ui {

class TimeAxis;

/// The curve editor of the Animate workspace: the FINAL values (calibration applied,
/// RigAnimation::sampleChannel) of the ChannelModel's drawnChannels() over the shared TimeAxis,
/// in each channel's colour, with a value grid, value labels and the playhead; keys where the
/// zoom leaves room for them (KeyHitTester::kMinKeySpacing). The plot spans the whole widget,
/// so a TimeRuler of the same width above it lines up frame for frame.
///
/// Mouse (left button):
/// - click a key: selects only it; Shift+click adds it; Ctrl+click toggles it. Clicking a key
///   of a multiple selection keeps the selection until release (so that it can be dragged);
///   a release without a drag then selects only that key.
/// - drag a key: moves the selection by whole frames (snapped) and by value, as ONE undo step:
///   every mouse move calls AnimateDocument::moveKeys(selection at drag start, total frame
///   delta, total value delta, one nextMergeId() per drag). The value delta is in the grabbed
///   key's screen units converted to raw units with its channel's gain (raw = screen / gain;
///   no value change when the gain is 0); every selected key moves by the same raw delta. The
///   frame delta is limited so that no selected key leaves the clip.
/// - drag on empty space: rubber band; on release it selects exactly the keys inside
///   (KeyHitTester::keysIn: dense keys too, drawn or not); with Shift or Ctrl it adds them.
/// - click on empty space: clears the selection (without Shift/Ctrl). It does NOT move the
///   playhead: the playhead moves with the ruler and the transport, so deselecting never
///   loses the frame the animator is looking at.
/// Middle drag pans time and value; the wheel zooms time about the cursor, Ctrl+wheel zooms
/// values about the cursor, Shift+wheel pans time.
///
/// Keys: Delete/Backspace deletes the selected keys (one step); I/Insert inserts keys at the
/// current frame on the channels that have selected keys, else on every drawn channel (one
/// step) and selects them; Ctrl+A selects every key of the drawn channels; F frames all (the
/// whole clip and the drawn curves' value range); Escape clears the selection.
///
/// Drawing: background, grid, curves and keys are rendered with CurveRaster (direct pixel
/// writes) into a cached layer image, re-rendered only when the view (size, time range, value
/// range), the drawn channels, their colours, the curves, the calibrations or the selection
/// change; moving the playhead (playback) only blits the layer and draws the playhead line.
/// Samples are cached per channel (CurveSampleCache): a time zoom or pan re-decimates every
/// drawn channel from its cached clip values; curvesChanged/calibrationChanged re-sample only
/// the channels they name (animationReset: all).
///
/// The selection is kept consistent with the curves: after an edit, undo or redo it keeps
/// only frames that still have keys; animationReset() clears it. Keys of channels that stop
/// being drawn (hidden, or another channel soloed) leave it.
class CurveEditor : public QWidget
{
    Q_OBJECT
public:
    /// None of the objects are owned; they must outlive the editor.
    CurveEditor(AnimateDocument *document, ChannelModel *channels, TimeAxis *axis, QWidget *parent = nullptr);

    AnimateDocument *document() const { return m_document; }
    ChannelModel *channelModel() const { return m_channels; }
    TimeAxis *timeAxis() const { return m_axis; }

    KeySelection selection() const { return m_selection; }
    /// Normalised: frames sorted and unique; frames without a key, channels not drawn and empty
    /// channels dropped.
    void setSelection(const KeySelection &selection);
    int selectedKeyCount() const;

    double valueMin() const { return m_valueMin; }
    double valueMax() const { return m_valueMax; }
    /// Visible value range (max > min; a span below 1e-4 is widened about its centre).
    void setValueRange(double valueMin, double valueMax);

    /// The mapping in effect for the current size, time range and value range.
    CurveViewTransform viewTransform() const;
    /// Widget position of a key's centre (frame, final value); for tests and tools.
    QPointF keyPosition(int channel, int frame) const;

    void selectAll();
    void clearSelection() { setSelection({}); }
    void deleteSelectedKeys();
    void insertKeysAtCurrentFrame();
    /// Shows the whole clip and fits the value range to the drawn channels (5 % margin; at
    /// least 0..1 for blendshape weights).
    void frameAll();

    /// Samples taken so far (CurveSampleCache::sampleCount); for tests and the benchmark.
    long long sampleCount() const { return m_cache.sampleCount(); }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void selectionChanged();

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    enum class Mode { None, PressedKey, DraggingKeys, RubberBand, Panning };

    void invalidateLayer();
    void renderLayer();
    void onCurvesChanged(const QList<int> &channels);
    void onCalibrationChanged(int channel);
    void onAnimationReset();
    void pruneSelection();
    void updateDrag(QPointF position);
    QRect rubberBandRect() const;

    AnimateDocument *m_document;
    ChannelModel *m_channels;
    TimeAxis *m_axis;

    double m_valueMin = -0.05;
    double m_valueMax = 1.05;
    KeySelection m_selection;

    CurveSampleCache m_cache;
    CurvePainter m_painter;
    QImage m_layer;
    bool m_layerValid = false;

    Mode m_mode = Mode::None;
    QPointF m_pressPosition;
    QPointF m_lastPosition;
    Qt::KeyboardModifiers m_pressModifiers;
    int m_pressedChannel = -1;
    int m_pressedFrame = 0;
    bool m_pressedWasSelected = false;
    KeySelection m_dragSelection;
    int m_mergeId = -1;
    int m_dragFrameDelta = 0;
    float m_dragValueDelta = 0.0f;
};

} // namespace fa::ui
