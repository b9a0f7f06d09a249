#pragma once

#include <QImage>
#include <QWidget>

#include <array>

namespace fa::ui {

/// Paints the three crops of a triplet side by side, as large as the widget allows, numbered
/// 1 2 3 under them (left, middle, right = the choices of a judgment). Crops keep their aspect
/// ratio and are scaled smoothly to device pixels (sharp on high-DPI screens). A tile whose
/// crop is still loading shows "Loading…"; one whose crop could not be read shows its error.
///
/// A click on a tile emits tileClicked(1..3). After the first paint of a triplet whose three
/// tiles are ready (image or error), painted(tripletId) is emitted from paintEvent: the moment
/// the annotator can see it.
class TripletCanvas : public QWidget
{
    Q_OBJECT
public:
    struct Tile
    {
        QImage image;        ///< the crop; null while loading or when it failed
        QString error;       ///< why the crop cannot be shown (shown in the tile)
        bool loading = true; ///< false once image or error is set
    };

    explicit TripletCanvas(QWidget *parent = nullptr);

    /// Shows a triplet (id > 0) with its tiles; id 0 clears the canvas and shows `placeholder()`.
    void setTriplet(qint64 tripletId, const std::array<Tile, 3> &tiles);
    /// Replaces one tile (index 0..2) of the triplet shown, e.g. when its crop has loaded.
    void setTile(int index, const Tile &tile);
    void setPlaceholder(const QString &text);

    qint64 tripletId() const { return m_tripletId; }
    const Tile &tile(int index) const { return m_tiles[size_t(index)]; }
    /// True when no tile is loading.
    bool isReady() const;
    /// True when the three crops are all there (none failed or loading).
    bool hasAllImages() const;
    /// The rectangle (widget coordinates, logical pixels) of tile `index` 0..2: the square the
    /// crop is fitted into.
    QRect tileRect(int index) const;

    QSize sizeHint() const override { return {960, 420}; }
    QSize minimumSizeHint() const override { return {360, 160}; }

Q_SIGNALS:
    void tileClicked(int choice);
    void painted(qint64 tripletId);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    int tileAt(const QPoint &position) const;
    void paintTile(class QPainter &painter, int index);

    qint64 m_tripletId = 0;
    std::array<Tile, 3> m_tiles;
    std::array<QImage, 3> m_scaled; ///< tiles scaled to the last painted size (device pixels)
    QString m_placeholder;
    qint64 m_paintedId = 0; ///< the triplet painted() was last emitted for
    int m_hovered = -1;
};

} // namespace fa::ui
