#pragma once

#include <QImage>
#include <QPointF>
#include <QRect>

namespace fa::ui {

/// Direct pixel writes into an opaque 32-bit image (QImage::Format_RGB32), in device pixels,
/// for the parts of the curve view that dominate its cost: solid fills, 1-pixel grid lines,
/// aliased 1-pixel curves and key squares. Everything is clipped to the image.
///
/// Why not QPainter: a curve view of 52 dense, noisy channels writes millions of pixels per
/// frame; QPainter's raster engine spends most of that in per-span blend calls (and in Qt 6
/// hands large fills to a thread pool, whose wake-ups cost milliseconds on a busy machine).
/// These loops write each pixel once with a plain store.
///
/// Curves are rasterised as vertical spans per pixel column: a line segment covers, in each
/// column it crosses, the rows between its y where it enters and where it leaves the column
/// (pixel (x, y) covers [x, x + 1) x [y, y + 1)), which is the aliased 1-pixel line QPainter
/// draws up to the choice of the pixel at exact boundaries.
class CurveRaster
{
public:
    /// `image` must be Format_RGB32 (or ARGB32_Premultiplied, written opaque); not owned.
    explicit CurveRaster(QImage *image);

    /// The pixel containing coordinate v: floor(v), saturated to [-1e6, 1e6] (NaN -> -1e6) so
    /// that far-off coordinates cannot overflow. Inline: the curve loops call it per column.
    static int pixelOf(double v)
    {
        if (!(v >= -1e6))
            v = -1e6;
        else if (v > 1e6)
            v = 1e6;
        const int i = int(v);
        return i - (v < double(i) ? 1 : 0);
    }

    int width() const { return m_width; }
    int height() const { return m_height; }

    void fill(const QRect &rect, QRgb colour);
    /// Blends `colour` with weight alpha/255 over the row y, columns x0..x1 inclusive.
    void blendHorizontalLine(int y, int x0, int x1, QRgb colour, int alpha);
    /// Blends `colour` over the column x, rows y0..y1 inclusive.
    void blendVerticalLine(int x, int y0, int y1, QRgb colour, int alpha);
    /// Rows y0..y1 (either order, inclusive) of column x.
    void verticalSpan(int x, int y0, int y1, QRgb colour);
    /// A 1-pixel aliased polyline through `points` (x ascending or not; device pixels).
    void polyline(const QPointF *points, int count, QRgb colour);
    /// A filled square of `size` pixels centred on `centre`.
    void square(QPointF centre, int size, QRgb colour);

private:
    void segment(QPointF a, QPointF b, QRgb colour);

    uchar *m_bits = nullptr;
    qsizetype m_stride = 0;
    int m_width = 0;
    int m_height = 0;
};

} // namespace fa::ui
