#include "label/triplet_canvas.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>

namespace fa::ui {

namespace {
constexpr int kMargin = 12;
constexpr int kSpacing = 16;
constexpr int kNumberBand = 48; // below the tiles: the digit to press
} // namespace

TripletCanvas::TripletCanvas(QWidget *parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void TripletCanvas::setTriplet(qint64 tripletId, const std::array<Tile, 3> &tiles)
{
    m_tripletId = tripletId;
    m_tiles = tripletId > 0 ? tiles : std::array<Tile, 3>{};
    m_scaled = {};
    m_paintedId = 0;
    update();
}

void TripletCanvas::setTile(int index, const Tile &tile)
{
    if (index < 0 || index > 2)
        return;
    m_tiles[size_t(index)] = tile;
    m_scaled[size_t(index)] = QImage();
    update(tileRect(index));
}

void TripletCanvas::setPlaceholder(const QString &text)
{
    m_placeholder = text;
    update();
}

bool TripletCanvas::isReady() const
{
    return m_tripletId > 0 && std::none_of(m_tiles.begin(), m_tiles.end(), [](const Tile &t) { return t.loading; });
}

bool TripletCanvas::hasAllImages() const
{
    return m_tripletId > 0
        && std::all_of(m_tiles.begin(), m_tiles.end(), [](const Tile &t) { return !t.image.isNull(); });
}

QRect TripletCanvas::tileRect(int index) const
{
    const int columnWidth = (width() - 2 * kMargin - 2 * kSpacing) / 3;
    const int side = std::max(1, std::min(columnWidth, height() - 2 * kMargin - kNumberBand));
    const int x0 = (width() - (3 * side + 2 * kSpacing)) / 2;
    const int y0 = kMargin + std::max(0, (height() - 2 * kMargin - kNumberBand - side) / 2);
    return QRect(x0 + index * (side + kSpacing), y0, side, side);
}

int TripletCanvas::tileAt(const QPoint &position) const
{
    for (int i = 0; i < 3; ++i) {
        if (tileRect(i).contains(position))
            return i;
    }
    return -1;
}

void TripletCanvas::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    if (m_tripletId <= 0) {
        QFont font = painter.font();
        font.setPointSizeF(font.pointSizeF() * 1.4);
        painter.setFont(font);
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(rect().adjusted(kMargin, kMargin, -kMargin, -kMargin),
                         Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
        return;
    }
    for (int i = 0; i < 3; ++i)
        paintTile(painter, i);
    painter.end();
    if (m_paintedId != m_tripletId && isReady()) {
        m_paintedId = m_tripletId;
        Q_EMIT painted(m_tripletId);
    }
}

void TripletCanvas::paintTile(QPainter &painter, int index)
{
    const Tile &tile = m_tiles[size_t(index)];
    const QRect square = tileRect(index);
    painter.fillRect(square, palette().color(QPalette::Base));
    if (!tile.image.isNull()) {
        // Fit with the crop's aspect ratio, scaled once per size to device pixels.
        const qreal dpr = devicePixelRatioF();
        QSize fitted = tile.image.size().scaled(square.size(), Qt::KeepAspectRatio);
        QImage &scaled = m_scaled[size_t(index)];
        const QSize devicePixels = (QSizeF(fitted) * dpr).toSize();
        if (scaled.isNull() || scaled.size() != devicePixels) {
            scaled = tile.image.scaled(devicePixels, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
            scaled.setDevicePixelRatio(dpr);
        }
        const QPoint topLeft(square.x() + (square.width() - fitted.width()) / 2,
                             square.y() + (square.height() - fitted.height()) / 2);
        painter.drawImage(topLeft, scaled);
    } else {
        painter.setPen(tile.loading ? palette().color(QPalette::PlaceholderText) : QColor(200, 40, 40));
        const QString text = tile.loading ? tr("Loading…") : tr("Cannot show this crop\n\n%1").arg(tile.error);
        painter.drawText(square.adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWrapAnywhere, text);
    }
    if (index == m_hovered) {
        painter.setPen(QPen(palette().color(QPalette::Highlight), 3));
        painter.drawRect(square.adjusted(1, 1, -2, -2));
    }

    QFont font = painter.font();
    font.setBold(true);
    font.setPixelSize(kNumberBand / 2);
    painter.setFont(font);
    painter.setPen(palette().color(QPalette::WindowText));
    const QRect number(square.left(), square.bottom() + 1, square.width(), kNumberBand);
    painter.drawText(number, Qt::AlignCenter, QString::number(index + 1));
}

void TripletCanvas::mousePressEvent(QMouseEvent *event)
{
    const int index = event->button() == Qt::LeftButton ? tileAt(event->position().toPoint()) : -1;
    if (index >= 0 && m_tripletId > 0)
        Q_EMIT tileClicked(index + 1);
    else
        QWidget::mousePressEvent(event);
}

void TripletCanvas::mouseMoveEvent(QMouseEvent *event)
{
    const int index = m_tripletId > 0 ? tileAt(event->position().toPoint()) : -1;
    if (index != m_hovered) {
        m_hovered = index;
        setCursor(index >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
        update();
    }
    QWidget::mouseMoveEvent(event);
}

void TripletCanvas::leaveEvent(QEvent *event)
{
    if (m_hovered >= 0) {
        m_hovered = -1;
        update();
    }
    QWidget::leaveEvent(event);
}

} // namespace fa::ui
