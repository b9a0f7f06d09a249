#pragma once

#include <QChartView>
#include <QColor>
#include <QList>
#include <QMap>
#include <QPointF>
#include <QString>

#include <vector>

class QLineSeries;
class QValueAxis;

namespace fa::ui {

/// One chart of the training dashboard (Qt Charts): curves of (step, value) points, several runs
/// overlaid, each curve drawn faint as logged and solid smoothed (debiasedEma, TensorBoard's
/// smoothing, weight from setSmoothing()).
///
/// Speed: a curve's points are replaced in one call (QXYSeries::replace), and a line of more than
/// kMaxDrawnPoints points is drawn decimated: the points are split into kMaxDrawnPoints / 2
/// consecutive buckets and each bucket keeps its lowest and highest point (in step order), so
/// spikes stay visible while a run of 100,000 logged steps redraws in milliseconds (Qt Charts
/// needs ~2 ms per 1,000 points to replace and paint a line). Smoothing is computed on every
/// point before decimation. Callers batch live points (the Train workspace redraws at most 4 times
/// a second). Non-finite values are not drawn.
class MetricChart : public QChartView
{
    Q_OBJECT
public:
    struct Curve
    {
        QString name;            ///< legend text
        QColor color;
        Qt::PenStyle style = Qt::SolidLine;
        bool smoothed = true;    ///< false: drawn as logged only (e.g. the learning rate)
        std::vector<double> steps;
        std::vector<double> values;
    };

    static constexpr int kMaxDrawnPoints = 2000;

    explicit MetricChart(const QString &title, const QString &valueTitle, QWidget *parent = nullptr);

    /// `points` (x ascending) reduced to at most `maxPoints` (>= 4) by keeping each bucket's
    /// lowest and highest point, plus the first and the last point; unchanged when short enough.
    static QList<QPointF> decimated(const QList<QPointF> &points, int maxPoints);

    /// Adds or replaces the curve `key`.
    void setCurve(const QString &key, const Curve &curve);
    void removeCurve(const QString &key);
    /// Removes the curves whose key is not in `keys`.
    void keepCurves(const QStringList &keys);
    void clearCurves();
    QStringList curveKeys() const { return m_curves.keys(); }

    /// 0 (off) .. 0.999. Re-smooths every curve.
    void setSmoothing(double weight);
    double smoothing() const { return m_smoothing; }
    /// Fixes the value axis (e.g. 0..1 for accuracies); an empty range follows the data.
    void setValueRange(double minimum, double maximum);

    /// For tests and benchmarks: the drawn points of a curve (the smoothed line when smoothing is
    /// on, else the logged one) and the logged ones, as drawn (decimated when long).
    QList<QPointF> drawnPoints(const QString &key) const;
    QList<QPointF> loggedPoints(const QString &key) const;
    QValueAxis *stepAxis() const { return m_stepAxis; }
    QValueAxis *valueAxis() const { return m_valueAxis; }

private:
    struct Drawn
    {
        Curve curve;
        QLineSeries *logged = nullptr;
        QLineSeries *smooth = nullptr;
    };
    void draw(Drawn &drawn);
    void rescale();

    QMap<QString, Drawn> m_curves;
    QValueAxis *m_stepAxis;
    QValueAxis *m_valueAxis;
    double m_smoothing = 0.6;
    bool m_fixedRange = false;
};

} // namespace fa::ui
