#include "curve_editor.h"

#include "curve_raster.h"
#include "key_hit_tester.h"
#include "time_axis.h"

#include "animate/animate_document.h"
#include "animate/channel_model.h"
#include "animate/rig_animation.h"
#include "animation/keyframe_curve.h"

#include <QApplication>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <limits>

namespace fa::ui {

namespace {

constexpr double kMinValueSpan = 1e-4;
constexpr double kMaxValueSpan = 1e6;

double wheelFactor(int angleDelta)
{
    return std::pow(1.25, angleDelta / 120.0);
}

/// Sorted, unique frames; channels with no frames dropped.
KeySelection normalized(KeySelection selection)
{
    for (auto it = selection.begin(); it != selection.end();) {
        std::vector<int> &frames = it->second;
        std::sort(frames.begin(), frames.end());
        frames.erase(std::unique(frames.begin(), frames.end()), frames.end());
        it = frames.empty() ? selection.erase(it) : std::next(it);
    }
    return selection;
}

} // namespace

CurveEditor::CurveEditor(AnimateDocument *document, ChannelModel *channels, TimeAxis *axis, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_channels(channels)
    , m_axis(axis)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setFocusPolicy(Qt::StrongFocus);
    connect(m_document, &AnimateDocument::curvesChanged, this, &CurveEditor::onCurvesChanged);
    connect(m_document, &AnimateDocument::calibrationChanged, this, &CurveEditor::onCalibrationChanged);
    connect(m_document, &AnimateDocument::animationReset, this, &CurveEditor::onAnimationReset);
    connect(m_channels, &ChannelModel::drawnChannelsChanged, this, [this] {
        pruneSelection();
        invalidateLayer();
    });
    connect(m_channels, &ChannelModel::coloursChanged, this, &CurveEditor::invalidateLayer);
    connect(m_axis, &TimeAxis::visibleRangeChanged, this, &CurveEditor::invalidateLayer);
    connect(m_axis, &TimeAxis::frameCountChanged, this, &CurveEditor::invalidateLayer);
    connect(m_axis, &TimeAxis::currentFrameChanged, this, qOverload<>(&QWidget::update));
}

QSize CurveEditor::sizeHint() const
{
    return QSize(800, 300);
}

QSize CurveEditor::minimumSizeHint() const
{
    return QSize(100, 60);
}

// --- selection ---------------------------------------------------------------------------

void CurveEditor::setSelection(const KeySelection &selection)
{
    const RigAnimation &animation = m_document->animation();
    const std::vector<int> drawn = m_channels->drawnChannels();
    KeySelection kept;
    for (const auto &[channel, frames] : normalized(selection)) {
        if (!std::binary_search(drawn.begin(), drawn.end(), channel) || channel >= animation.channelCount())
            continue;
        std::vector<int> existing;
        const KeyframeCurve &curve = animation.curve(channel);
        for (int frame : frames) {
            if (curve.hasKey(frame))
                existing.push_back(frame);
        }
        if (!existing.empty())
            kept[channel] = std::move(existing);
    }
    if (kept == m_selection)
        return;
    m_selection = std::move(kept);
    invalidateLayer();
    Q_EMIT selectionChanged();
}

int CurveEditor::selectedKeyCount() const
{
    int count = 0;
    for (const auto &entry : m_selection)
        count += int(entry.second.size());
    return count;
}

void CurveEditor::pruneSelection()
{
    setSelection(m_selection);
}

void CurveEditor::selectAll()
{
    const RigAnimation &animation = m_document->animation();
    KeySelection all;
    for (int channel : m_channels->drawnChannels()) {
        if (channel >= animation.channelCount())
            continue;
        std::vector<int> frames;
        frames.reserve(size_t(animation.curve(channel).keyCount()));
        for (const KeyframeCurve::Key &key : animation.curve(channel).keys())
            frames.push_back(key.frame);
        all[channel] = std::move(frames);
    }
    setSelection(all);
}

// --- edits --------------------------------------------------------------------------------

void CurveEditor::deleteSelectedKeys()
{
    if (m_selection.empty())
        return;
    const KeySelection selection = m_selection;
    m_selection.clear();
    m_document->deleteKeys(selection);
    invalidateLayer();
    Q_EMIT selectionChanged();
}

void CurveEditor::insertKeysAtCurrentFrame()
{
    const RigAnimation &animation = m_document->animation();
    if (animation.frameCount() <= 0)
        return;
    std::vector<int> channels;
    for (const auto &entry : m_selection)
        channels.push_back(entry.first);
    if (channels.empty())
        channels = m_channels->drawnChannels();
    if (channels.empty())
        return;
    const int frame = std::clamp(m_axis->currentFrame(), 0, animation.frameCount() - 1);
    m_document->insertKeys(channels, frame);
    KeySelection inserted;
    for (int channel : channels)
        inserted[channel] = {frame};
    setSelection(inserted);
}

// --- view ---------------------------------------------------------------------------------

void CurveEditor::setValueRange(double valueMin, double valueMax)
{
    if (!std::isfinite(valueMin) || !std::isfinite(valueMax))
        return;
    if (valueMax < valueMin)
        std::swap(valueMin, valueMax);
    const double span = std::clamp(valueMax - valueMin, kMinValueSpan, kMaxValueSpan);
    const double centre = 0.5 * (valueMin + valueMax);
    valueMin = centre - 0.5 * span;
    valueMax = centre + 0.5 * span;
    if (valueMin == m_valueMin && valueMax == m_valueMax)
        return;
    m_valueMin = valueMin;
    m_valueMax = valueMax;
    invalidateLayer();
}

CurveViewTransform CurveEditor::viewTransform() const
{
    return CurveViewTransform(m_axis->firstVisibleFrame(), m_axis->lastVisibleFrame(), m_valueMin, m_valueMax,
                              QSizeF(size()));
}

QPointF CurveEditor::keyPosition(int channel, int frame) const
{
    const RigAnimation &animation = m_document->animation();
    const CurveViewTransform transform = viewTransform();
    if (channel < 0 || channel >= animation.channelCount())
        return {};
    const KeyframeCurve &curve = animation.curve(channel);
    const int index = curve.keyIndex(frame);
    const float raw = index >= 0 ? curve.keys()[size_t(index)].value : curve.valueAt(frame);
    return transform.map(frame, KeyHitTester::finalValue(animation, channel, raw));
}

void CurveEditor::frameAll()
{
    m_axis->showAll();
    const RigAnimation &animation = m_document->animation();
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    bool weights = false;
    std::vector<float> values(size_t(std::max(animation.frameCount(), 0)));
    for (int channel : m_channels->drawnChannels()) {
        if (channel >= animation.channelCount() || values.empty())
            continue;
        weights = weights || !animation.isAngle(channel);
        animation.sampleChannel(channel, 0, int(values.size()), values.data());
        const auto [mn, mx] = std::minmax_element(values.begin(), values.end());
        lo = std::min(lo, double(*mn));
        hi = std::max(hi, double(*mx));
    }
    if (weights) {
        lo = std::min(lo, 0.0);
        hi = std::max(hi, 1.0);
    }
    if (!(hi >= lo)) {
        lo = 0.0;
        hi = 1.0;
    }
    const double margin = 0.05 * std::max(hi - lo, 1e-3);
    setValueRange(lo - margin, hi + margin);
}

// --- drawing ------------------------------------------------------------------------------

void CurveEditor::invalidateLayer()
{
    m_layerValid = false;
    update();
}

void CurveEditor::renderLayer()
{
    const qreal dpr = devicePixelRatioF();
    const QSize pixels = (QSizeF(size()) * dpr).toSize();
    if (m_layer.size() != pixels)
        m_layer = QImage(pixels, QImage::Format_RGB32);
    if (m_layer.isNull())
        return;
    m_layer.setDevicePixelRatio(1.0);

    const RigAnimation &animation = m_document->animation();
    const CurveViewTransform logical = viewTransform();
    const CurveViewTransform device(logical.firstFrame(), logical.lastFrame(), m_valueMin, m_valueMax,
                                    QSizeF(pixels));
    m_cache.setView(device);
    const std::vector<int> drawn = m_channels->drawnChannels();
    {
        CurveRaster raster(&m_layer);
        m_painter.paintBackground(raster, device, dpr, animation.frameCount(), palette());
        for (int channel : drawn) {
            if (channel < animation.channelCount())
                m_painter.paintCurve(raster, device, m_cache.samples(animation, channel), m_channels->colour(channel));
        }
        for (int channel : drawn) {
            if (channel >= animation.channelCount())
                continue;
            const auto selected = m_selection.find(channel);
            m_painter.paintKeys(raster, logical, dpr, animation, channel, m_channels->colour(channel),
                                selected == m_selection.end() ? nullptr : &selected->second);
        }
    }
    m_layer.setDevicePixelRatio(dpr);
    QPainter painter(&m_layer);
    painter.setFont(font());
    m_painter.paintValueLabels(painter, logical, palette());
    m_layerValid = true;
}

void CurveEditor::paintEvent(QPaintEvent *)
{
    const QSize pixels = (QSizeF(size()) * devicePixelRatioF()).toSize();
    if (!m_layerValid || m_layer.size() != pixels)
        renderLayer();
    QPainter painter(this);
    painter.drawImage(0, 0, m_layer);
    CurvePainter::paintPlayhead(painter, viewTransform(), m_axis->currentFrame());
    if (m_mode == Mode::RubberBand) {
        const QRect band = rubberBandRect();
        QColor fill = palette().color(QPalette::Highlight);
        fill.setAlpha(50);
        painter.fillRect(band, fill);
        painter.setPen(QPen(palette().color(QPalette::Highlight), 0));
        painter.drawRect(band.adjusted(0, 0, -1, -1));
    }
}

void CurveEditor::resizeEvent(QResizeEvent *event)
{
    invalidateLayer();
    QWidget::resizeEvent(event);
}

void CurveEditor::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange
        || event->type() == QEvent::StyleChange)
        invalidateLayer();
    QWidget::changeEvent(event);
}

// --- document signals ---------------------------------------------------------------------

void CurveEditor::onCurvesChanged(const QList<int> &channels)
{
    for (int channel : channels)
        m_cache.invalidate(channel);
    // While dragging, the editor sets the moved selection itself after each moveKeys().
    if (m_mode != Mode::DraggingKeys)
        pruneSelection();
    invalidateLayer();
}

void CurveEditor::onCalibrationChanged(int channel)
{
    m_cache.invalidate(channel);
    invalidateLayer();
}

void CurveEditor::onAnimationReset()
{
    m_cache.invalidateAll();
    if (m_mode == Mode::DraggingKeys || m_mode == Mode::PressedKey)
        m_mode = Mode::None;
    if (!m_selection.empty()) {
        m_selection.clear();
        Q_EMIT selectionChanged();
    }
    invalidateLayer();
}

// --- mouse --------------------------------------------------------------------------------

QRect CurveEditor::rubberBandRect() const
{
    return QRectF(m_pressPosition, m_lastPosition).normalized().toAlignedRect();
}

void CurveEditor::mousePressEvent(QMouseEvent *event)
{
    const QPointF position = event->position();
    if (m_mode != Mode::None && (event->buttons() & ~event->button()))
        return;  // a second button during a drag, a rubber band or a pan is ignored
    if (event->button() == Qt::MiddleButton) {
        m_mode = Mode::Panning;
        m_lastPosition = position;
        return;
    }
    if (event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    m_pressPosition = position;
    m_lastPosition = position;
    m_pressModifiers = event->modifiers();
    const auto hit = KeyHitTester::keyAt(m_document->animation(), m_channels->drawnChannels(), viewTransform(),
                                         position);
    if (!hit) {
        m_mode = Mode::RubberBand;
        return;
    }
    KeySelection selection = m_selection;
    std::vector<int> &frames = selection[hit->channel];
    const auto at = std::lower_bound(frames.begin(), frames.end(), hit->frame);
    const bool wasSelected = at != frames.end() && *at == hit->frame;
    m_pressedWasSelected = wasSelected;
    m_pressedChannel = hit->channel;
    m_pressedFrame = hit->frame;
    if (m_pressModifiers & Qt::ControlModifier) {
        if (wasSelected)
            frames.erase(at);
        else
            frames.insert(at, hit->frame);
        setSelection(selection);
        m_mode = Mode::None;
        return;
    }
    if (m_pressModifiers & Qt::ShiftModifier) {
        if (!wasSelected)
            frames.insert(at, hit->frame);
        setSelection(selection);
    } else if (!wasSelected) {
        setSelection({{hit->channel, {hit->frame}}});
    }
    m_mode = Mode::PressedKey;
}

void CurveEditor::mouseMoveEvent(QMouseEvent *event)
{
    const QPointF position = event->position();
    switch (m_mode) {
    case Mode::PressedKey:
        if ((position - m_pressPosition).manhattanLength() >= QApplication::startDragDistance()) {
            m_mode = Mode::DraggingKeys;
            m_dragSelection = m_selection;
            m_mergeId = AnimateDocument::nextMergeId();
            m_dragFrameDelta = 0;
            m_dragValueDelta = 0.0f;
            updateDrag(position);
        }
        break;
    case Mode::DraggingKeys:
        updateDrag(position);
        break;
    case Mode::RubberBand:
        m_lastPosition = position;
        update();
        break;
    case Mode::Panning: {
        const CurveViewTransform transform = viewTransform();
        const QPointF delta = position - m_lastPosition;
        m_lastPosition = position;
        m_axis->panBy(-delta.x() / transform.pixelsPerFrame());
        const double dv = delta.y() / transform.pixelsPerValue();
        setValueRange(m_valueMin + dv, m_valueMax + dv);
        break;
    }
    case Mode::None:
        break;
    }
}

void CurveEditor::updateDrag(QPointF position)
{
    const RigAnimation &animation = m_document->animation();
    if (m_dragSelection.empty() || animation.frameCount() <= 0)
        return;
    const CurveViewTransform transform = viewTransform();
    int frameDelta = int(std::lround(transform.xToFrame(position.x()) - transform.xToFrame(m_pressPosition.x())));
    int firstFrame = std::numeric_limits<int>::max();
    int lastFrame = std::numeric_limits<int>::min();
    for (const auto &entry : m_dragSelection) {
        firstFrame = std::min(firstFrame, entry.second.front());
        lastFrame = std::max(lastFrame, entry.second.back());
    }
    frameDelta = std::clamp(frameDelta, -firstFrame, animation.frameCount() - 1 - lastFrame);
    const double screenDelta = transform.yToValue(position.y()) - transform.yToValue(m_pressPosition.y());
    const float gain = m_pressedChannel >= 0 && m_pressedChannel < animation.channelCount()
        ? animation.calibration(m_pressedChannel).gain
        : 1.0f;
    const float valueDelta = gain != 0.0f ? float(screenDelta / gain) : 0.0f;
    if (frameDelta == m_dragFrameDelta && valueDelta == m_dragValueDelta)
        return;  // nothing new (and nothing at all before the first real move)
    m_dragFrameDelta = frameDelta;
    m_dragValueDelta = valueDelta;
    m_document->moveKeys(m_dragSelection, frameDelta, valueDelta, m_mergeId);
    KeySelection moved;
    for (const auto &[channel, frames] : m_dragSelection) {
        std::vector<int> &shifted = moved[channel];
        for (int frame : frames)
            shifted.push_back(frame + frameDelta);
    }
    m_selection = normalized(std::move(moved));
    invalidateLayer();
    Q_EMIT selectionChanged();
}

void CurveEditor::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::MiddleButton) {
        if (m_mode == Mode::Panning)
            m_mode = Mode::None;
        return;
    }
    if (event->button() != Qt::LeftButton)
        return;
    const Mode mode = m_mode;
    m_mode = Mode::None;
    const bool adds = m_pressModifiers & (Qt::ShiftModifier | Qt::ControlModifier);
    switch (mode) {
    case Mode::PressedKey:
        // A click (no drag) on a key of a multiple selection selects only that key.
        if (!adds && m_pressedWasSelected)
            setSelection({{m_pressedChannel, {m_pressedFrame}}});
        break;
    case Mode::DraggingKeys:
        pruneSelection();
        break;
    case Mode::RubberBand: {
        m_lastPosition = event->position();
        const QRectF band = QRectF(m_pressPosition, m_lastPosition).normalized();
        const int threshold = QApplication::startDragDistance();
        if (band.width() < threshold && band.height() < threshold) {
            if (!adds)
                clearSelection();
        } else {
            KeySelection inside = KeyHitTester::keysIn(m_document->animation(), m_channels->drawnChannels(),
                                                       viewTransform(), band);
            if (adds) {
                for (const auto &[channel, frames] : m_selection) {
                    std::vector<int> &merged = inside[channel];
                    merged.insert(merged.end(), frames.begin(), frames.end());
                }
            }
            setSelection(inside);
        }
        update();
        break;
    }
    case Mode::Panning:
    case Mode::None:
        break;
    }
}

void CurveEditor::wheelEvent(QWheelEvent *event)
{
    const int delta = event->angleDelta().y() != 0 ? event->angleDelta().y() : event->angleDelta().x();
    if (delta == 0)
        return;
    const CurveViewTransform transform = viewTransform();
    const QPointF position = event->position();
    if (event->modifiers() & Qt::ControlModifier) {
        const double factor = wheelFactor(delta);
        const double anchor = transform.yToValue(position.y());
        setValueRange(anchor - (anchor - m_valueMin) / factor, anchor + (m_valueMax - anchor) / factor);
    } else if (event->modifiers() & Qt::ShiftModifier) {
        m_axis->panBy(-delta / 120.0 * 0.1 * m_axis->visibleFrameSpan());
    } else {
        m_axis->zoomBy(wheelFactor(delta), transform.xToFrame(position.x()));
    }
    event->accept();
}

// --- keys ---------------------------------------------------------------------------------

void CurveEditor::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::SelectAll)) {
        selectAll();
        return;
    }
    const Qt::KeyboardModifiers modifiers = event->modifiers() & ~Qt::KeypadModifier;
    if (modifiers == Qt::NoModifier) {
        switch (event->key()) {
        case Qt::Key_Delete:
        case Qt::Key_Backspace:
            deleteSelectedKeys();
            return;
        case Qt::Key_I:
        case Qt::Key_Insert:
            insertKeysAtCurrentFrame();
            return;
        case Qt::Key_F:
            frameAll();
            return;
        case Qt::Key_Escape:
            clearSelection();
            return;
        default:
            break;
        }
    }
    QWidget::keyPressEvent(event);
}

} // namespace fa::ui
