#pragma once

#include "curve_sample_cache.h"

#include <QColor>
#include <QPolygonF>

#include <vector>

class QPainter;
class QPalette;

namespace fa {
class RigAnimation;
}

namespace fa::ui {

class CurveRaster;
class CurveViewTransform;

/// Draws the parts of a curve view: background, grid, curves and keys into the view's layer
/// image with CurveRaster (device pixels), value labels and the playhead with QPainter
/// (logical pixels). Keeps a point buffer between calls so that drawing 52 dense curves does
/// not allocate.
///
/// Speed: a curve costs one vertical span per pixel column it crosses, whatever the frame
/// count (decimated curves come as one min/max span per column from CurveSampleCache).
class CurvePainter
{
public:
    /// Clip frames [0, frameCount - 1] (half a frame beyond each) on the palette's base colour,
    /// the rest darker; vertical grid lines every "nice" number of frames (>= 80 logical pixels
    /// apart), horizontal ones every nice value step (>= 30 apart), the 0 and 1 lines stronger.
    /// `device` maps to the raster's pixels; `dpr` = device pixels per logical pixel.
    void paintBackground(CurveRaster &raster, const CurveViewTransform &device, double dpr, int frameCount,
                         const QPalette &palette);
    /// The value labels of the horizontal grid lines, at the left edge over the curves.
    void paintValueLabels(QPainter &painter, const CurveViewTransform &logical, const QPalette &palette);
    /// One channel's curve from its cached samples (CurveSampleCache, set to the `device` view).
    void paintCurve(CurveRaster &raster, const CurveViewTransform &device,
                    const CurveSampleCache::Samples &samples, const QColor &colour);
    /// The channel's keys when they are drawn at this zoom (KeyHitTester::keysDrawn on the
    /// `logical` view, as the mouse sees them): squares in the channel's colour, the selected
    /// ones larger and white. When they are not drawn, only the selected ones are marked (at
    /// most one mark per pixel column). `selectedFrames` sorted, may be null.
    void paintKeys(CurveRaster &raster, const CurveViewTransform &logical, double dpr, const RigAnimation &animation,
                   int channel, const QColor &colour, const std::vector<int> *selectedFrames);
    /// The playhead line at `frame` (TimeRuler::playheadColour()).
    static void paintPlayhead(QPainter &painter, const CurveViewTransform &logical, int frame);

    /// Step of the horizontal grid (value units) and of the vertical one (frames, >= 1) for a
    /// transform in logical pixels.
    static double valueGridStep(const CurveViewTransform &logical);
    static double frameGridStep(const CurveViewTransform &logical);

private:
    QPolygonF m_points;
};

} // namespace fa::ui
