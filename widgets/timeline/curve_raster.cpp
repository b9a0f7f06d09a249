#include "curve_raster.h"

#include <algorithm>
#include <cmath>

namespace fa::ui {

namespace {

QRgb blend(QRgb under, QRgb over, int alpha)
{
    const int inv = 255 - alpha;
    const int r = (qRed(over) * alpha + qRed(under) * inv + 127) / 255;
    const int g = (qGreen(over) * alpha + qGreen(under) * inv + 127) / 255;
    const int b = (qBlue(over) * alpha + qBlue(under) * inv + 127) / 255;
    return qRgb(r, g, b);
}

int pixel(double v)
{
    return CurveRaster::pixelOf(v);
}

} // namespace

CurveRaster::CurveRaster(QImage *image)
{
    if (!image || image->isNull() || image->depth() != 32)
        return;
    m_bits = image->bits();
    m_stride = image->bytesPerLine();
    m_width = image->width();
    m_height = image->height();
}

void CurveRaster::fill(const QRect &rect, QRgb colour)
{
    const QRect r = rect.intersected(QRect(0, 0, m_width, m_height));
    if (r.isEmpty() || !m_bits)
        return;
    colour |= 0xff000000u;
    for (int y = r.top(); y <= r.bottom(); ++y) {
        QRgb *line = reinterpret_cast<QRgb *>(m_bits + y * m_stride);
        std::fill(line + r.left(), line + r.right() + 1, colour);
    }
}

void CurveRaster::blendHorizontalLine(int y, int x0, int x1, QRgb colour, int alpha)
{
    if (!m_bits || y < 0 || y >= m_height)
        return;
    x0 = std::max(x0, 0);
    x1 = std::min(x1, m_width - 1);
    QRgb *line = reinterpret_cast<QRgb *>(m_bits + y * m_stride);
    for (int x = x0; x <= x1; ++x)
        line[x] = blend(line[x], colour, alpha) | 0xff000000u;
}

void CurveRaster::blendVerticalLine(int x, int y0, int y1, QRgb colour, int alpha)
{
    if (!m_bits || x < 0 || x >= m_width)
        return;
    y0 = std::max(y0, 0);
    y1 = std::min(y1, m_height - 1);
    for (int y = y0; y <= y1; ++y) {
        QRgb *p = reinterpret_cast<QRgb *>(m_bits + y * m_stride) + x;
        *p = blend(*p, colour, alpha) | 0xff000000u;
    }
}

void CurveRaster::verticalSpan(int x, int y0, int y1, QRgb colour)
{
    if (!m_bits || x < 0 || x >= m_width)
        return;
    if (y1 < y0)
        std::swap(y0, y1);
    y0 = std::max(y0, 0);
    y1 = std::min(y1, m_height - 1);
    colour |= 0xff000000u;
    uchar *p = m_bits + y0 * m_stride + qsizetype(x) * 4;
    for (int y = y0; y <= y1; ++y, p += m_stride)
        *reinterpret_cast<QRgb *>(p) = colour;
}

void CurveRaster::segment(QPointF a, QPointF b, QRgb colour)
{
    if (b.x() < a.x())
        std::swap(a, b);
    if (b.x() < 0 || a.x() >= m_width)
        return;
    const int firstColumn = std::max(pixel(a.x()), 0);
    const int lastColumn = std::min(pixel(b.x()), m_width - 1);
    const double dx = b.x() - a.x();
    if (firstColumn == pixel(b.x()) || dx <= 0) {
        verticalSpan(firstColumn, pixel(a.y()), pixel(b.y()), colour);
        return;
    }
    const double slope = (b.y() - a.y()) / dx;
    for (int x = firstColumn; x <= lastColumn; ++x) {
        const double enter = std::max(a.x(), double(x));
        const double leave = std::min(b.x(), double(x + 1));
        const double yEnter = a.y() + (enter - a.x()) * slope;
        // A segment leaving exactly at the column's right edge belongs to the next column there.
        const double yLeave = a.y() + (std::min(leave, double(x + 1) - 1e-9) - a.x()) * slope;
        verticalSpan(x, pixel(yEnter), pixel(leave == b.x() ? b.y() : yLeave), colour);
    }
}

void CurveRaster::polyline(const QPointF *points, int count, QRgb colour)
{
    if (!m_bits || count <= 0)
        return;
    if (count == 1) {
        verticalSpan(pixel(points[0].x()), pixel(points[0].y()), pixel(points[0].y()), colour);
        return;
    }
    for (int i = 1; i < count; ++i)
        segment(points[i - 1], points[i], colour);
}

void CurveRaster::square(QPointF centre, int size, QRgb colour)
{
    const int x0 = pixel(centre.x()) - size / 2;
    const int y0 = pixel(centre.y()) - size / 2;
    fill(QRect(x0, y0, size, size), colour);
}

} // namespace fa::ui
