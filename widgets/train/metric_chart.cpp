#include "train/metric_chart.h"

#include "train/scalar_smoothing.h"

#include <QChart>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>

#include <cmath>
#include <limits>

namespace fa::ui {

namespace {

QList<QPointF> finitePoints(const std::vector<double> &xs, const std::vector<double> &ys)
{
    QList<QPointF> points;
    points.reserve(qsizetype(ys.size()));
    for (size_t i = 0; i < ys.size() && i < xs.size(); ++i) {
        if (std::isfinite(ys[i]) && std::isfinite(xs[i]))
            points.append(QPointF(xs[i], ys[i]));
    }
    return points;
}

} // namespace

QList<QPointF> MetricChart::decimated(const QList<QPointF> &points, int maxPoints)
{
    maxPoints = std::max(maxPoints, 4);
    const qsizetype n = points.size();
    if (n <= maxPoints)
        return points;
    const qsizetype buckets = (maxPoints - 2) / 2;
    QList<QPointF> out;
    out.reserve(maxPoints);
    out.append(points.front());
    for (qsizetype b = 0; b < buckets; ++b) {
        const qsizetype begin = 1 + (n - 2) * b / buckets;
        const qsizetype end = 1 + (n - 2) * (b + 1) / buckets;
        if (begin >= end)
            continue;
        qsizetype lo = begin;
        qsizetype hi = begin;
        for (qsizetype i = begin + 1; i < end; ++i) {
            if (points[i].y() < points[lo].y())
                lo = i;
            if (points[i].y() > points[hi].y())
                hi = i;
        }
        out.append(points[std::min(lo, hi)]);
        if (lo != hi)
            out.append(points[std::max(lo, hi)]);
    }
    out.append(points.back());
    return out;
}

MetricChart::MetricChart(const QString &title, const QString &valueTitle, QWidget *parent)
    : QChartView(parent), m_stepAxis(new QValueAxis(this)), m_valueAxis(new QValueAxis(this))
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setAnimationOptions(QChart::NoAnimation);
    m_stepAxis->setTitleText(tr("step"));
    m_stepAxis->setLabelFormat(QStringLiteral("%d"));
    m_valueAxis->setTitleText(valueTitle);
    m_valueAxis->setLabelFormat(QStringLiteral("%.3g"));
    chart->addAxis(m_stepAxis, Qt::AlignBottom);
    chart->addAxis(m_valueAxis, Qt::AlignLeft);
    m_stepAxis->setRange(0, 1);
    m_valueAxis->setRange(0, 1);
    setChart(chart); // the view owns the chart
    setRenderHint(QPainter::Antialiasing, false);
    setMinimumSize(160, 120);
}

void MetricChart::setCurve(const QString &key, const Curve &curve)
{
    Drawn &drawn = m_curves[key];
    drawn.curve = curve;
    if (!drawn.logged) {
        drawn.logged = new QLineSeries(this);
        drawn.smooth = new QLineSeries(this);
        for (QLineSeries *series : {drawn.logged, drawn.smooth}) {
            chart()->addSeries(series);
            series->attachAxis(m_stepAxis);
            series->attachAxis(m_valueAxis);
        }
    }
    draw(drawn);
    rescale();
}

void MetricChart::removeCurve(const QString &key)
{
    auto it = m_curves.find(key);
    if (it == m_curves.end())
        return;
    for (QLineSeries *series : {it->logged, it->smooth}) {
        chart()->removeSeries(series);
        delete series;
    }
    m_curves.erase(it);
    rescale();
}

void MetricChart::keepCurves(const QStringList &keys)
{
    const QStringList present = m_curves.keys();
    for (const QString &key : present) {
        if (!keys.contains(key))
            removeCurve(key);
    }
}

void MetricChart::clearCurves()
{
    keepCurves({});
}

void MetricChart::setSmoothing(double weight)
{
    weight = std::isfinite(weight) ? qBound(0.0, weight, 0.999) : 0.0;
    if (weight == m_smoothing)
        return;
    m_smoothing = weight;
    for (Drawn &drawn : m_curves)
        draw(drawn);
    rescale();
}

void MetricChart::setValueRange(double minimum, double maximum)
{
    m_fixedRange = minimum < maximum;
    if (m_fixedRange)
        m_valueAxis->setRange(minimum, maximum);
    rescale();
}

void MetricChart::draw(Drawn &drawn)
{
    const Curve &curve = drawn.curve;
    const bool smoothing = curve.smoothed && m_smoothing > 0;
    const QList<QPointF> logged = decimated(finitePoints(curve.steps, curve.values), kMaxDrawnPoints);

    QPen solid(curve.color, 1.6, curve.style);
    QColor faint = curve.color;
    faint.setAlphaF(0.3);
    drawn.logged->setName(curve.name);
    drawn.logged->setPen(smoothing ? QPen(faint, 1.0, curve.style) : solid);
    drawn.logged->replace(logged);
    drawn.smooth->setPen(solid);
    drawn.smooth->setName(curve.name);
    drawn.smooth->replace(smoothing ? decimated(finitePoints(curve.steps, debiasedEma(curve.values, m_smoothing)),
                                                kMaxDrawnPoints)
                                    : QList<QPointF>());
    drawn.smooth->setVisible(smoothing);
    // One legend entry per curve: the solid line's.
    const QList<QLegendMarker *> loggedMarkers = chart()->legend()->markers(drawn.logged);
    for (QLegendMarker *marker : loggedMarkers)
        marker->setVisible(!smoothing);
    const QList<QLegendMarker *> smoothMarkers = chart()->legend()->markers(drawn.smooth);
    for (QLegendMarker *marker : smoothMarkers)
        marker->setVisible(smoothing);
}

void MetricChart::rescale()
{
    double minX = std::numeric_limits<double>::infinity();
    double maxX = -minX;
    double minY = minX;
    double maxY = -minX;
    for (const Drawn &drawn : std::as_const(m_curves)) {
        const Curve &c = drawn.curve;
        for (size_t i = 0; i < c.values.size() && i < c.steps.size(); ++i) {
            if (!std::isfinite(c.values[i]))
                continue;
            minX = std::min(minX, c.steps[i]);
            maxX = std::max(maxX, c.steps[i]);
            minY = std::min(minY, c.values[i]);
            maxY = std::max(maxY, c.values[i]);
        }
    }
    if (!std::isfinite(minX)) {
        m_stepAxis->setRange(0, 10);
        if (!m_fixedRange)
            m_valueAxis->setRange(0, 1);
        return;
    }
    m_stepAxis->setRange(minX, maxX > minX ? maxX : minX + 1);
    if (!m_fixedRange) {
        const double span = maxY - minY;
        const double pad = span > 0 ? span * 0.05 : std::max(std::abs(maxY) * 0.05, 1e-6);
        // Values that are never negative (loss, lr, images/s) keep a non-negative axis.
        m_valueAxis->setRange(minY >= 0 ? std::max(0.0, minY - pad) : minY - pad, maxY + pad);
    }
}

QList<QPointF> MetricChart::drawnPoints(const QString &key) const
{
    auto it = m_curves.find(key);
    if (it == m_curves.end())
        return {};
    return it->smooth->isVisible() ? it->smooth->points() : it->logged->points();
}

QList<QPointF> MetricChart::loggedPoints(const QString &key) const
{
    auto it = m_curves.find(key);
    return it == m_curves.end() ? QList<QPointF>() : it->logged->points();
}

} // namespace fa::ui
