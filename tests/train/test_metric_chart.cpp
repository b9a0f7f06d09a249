// The dashboard's charts: TensorBoard's debiased EMA smoothing (values computed by hand) and
// MetricChart (smoothed and logged lines, non-finite values left out, thousands of points).

#include "train/metric_chart.h"
#include "train/metric_charts.h"
#include "train/scalar_smoothing.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLineSeries>
#include <QTest>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

using fa::ui::MetricChart;

using Values = std::vector<double>;
Q_DECLARE_METATYPE(Values)

namespace {
const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

bool same(double a, double b)
{
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b);
    if (std::isinf(a) || std::isinf(b))
        return a == b;
    return std::abs(a - b) <= 1e-7 * std::max(1.0, std::abs(b));
}
} // namespace

class TestMetricChart : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void smoothing_data();
    void smoothing();
    void chartDrawsSmoothedAndLogged();
    void chartLeavesOutNonFinite();
    void chartKeepsUpWithManyPoints();
    void decimation_data();
    void decimation();
    void curvesComeAndGo();
    void chartsOfEachRunKind();
};

void TestMetricChart::smoothing_data()
{
    QTest::addColumn<Values>("values");
    QTest::addColumn<double>("weight");
    QTest::addColumn<Values>("expected");
    // ema_t = w ema_{t-1} + (1 - w) x_t from 0; smoothed_t = ema_t / (1 - w^t).
    QTest::newRow("w=0 is the identity") << Values{1, 2, 3} << 0.0 << Values{1, 2, 3};
    // t1: 0.5/0.5 = 1; t2: 1.25/0.75 = 1.6666667; t3: 2.125/0.875 = 2.4285714
    QTest::newRow("w=0.5") << Values{1, 2, 3} << 0.5 << Values{1, 5.0 / 3.0, 17.0 / 7.0};
    // t1: 1/0.1 = 10; t2: 0.9/0.19 = 4.7368421
    QTest::newRow("w=0.9 step down") << Values{10, 0} << 0.9 << Values{10, 0.9 / 0.19};
    // TensorBoard's default 0.6: 0.4/0.4 = 1; 0.24/0.64 = 0.375; 0.544/0.784 = 0.6938776; 0.3264/0.8704 = 0.375
    QTest::newRow("w=0.6 alternating") << Values{1, 0, 1, 0} << 0.6 << Values{1, 0.375, 0.544 / 0.784, 0.375};
    QTest::newRow("first point is never biased") << Values{7} << 0.999 << Values{7};
    QTest::newRow("constant series unchanged") << Values{3, 3, 3} << 0.9 << Values{3, 3, 3};
    // NaN passed through and not counted: t2 counts as the second point: 1.75/0.75 = 2.3333333
    QTest::newRow("NaN passes through") << Values{1, kNaN, 3} << 0.5 << Values{1, kNaN, 7.0 / 3.0};
    QTest::newRow("inf passes through") << Values{1, kInf, 3} << 0.5 << Values{1, kInf, 7.0 / 3.0};
    // w = 1: no debiasing, the average stays at its initial 0 (TensorBoard's behaviour).
    QTest::newRow("w=1") << Values{1, 2} << 1.0 << Values{0, 0};
    QTest::newRow("w>1 clamped to 1") << Values{1, 2} << 1.5 << Values{0, 0};
    QTest::newRow("w<0 clamped to 0") << Values{1, 2} << -0.3 << Values{1, 2};
    QTest::newRow("w NaN is 0") << Values{1, 2} << kNaN << Values{1, 2};
    QTest::newRow("empty") << Values{} << 0.5 << Values{};
}

void TestMetricChart::smoothing()
{
    QFETCH(Values, values);
    QFETCH(double, weight);
    QFETCH(Values, expected);
    const Values smoothed = fa::ui::debiasedEma(values, weight);
    QCOMPARE(smoothed.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i)
        QVERIFY2(same(smoothed[i], expected[i]),
                 qPrintable(QStringLiteral("point %1: %2, expected %3").arg(i).arg(smoothed[i], 0, 'g', 10)
                                .arg(expected[i], 0, 'g', 10)));
}

void TestMetricChart::chartDrawsSmoothedAndLogged()
{
    MetricChart chart(QStringLiteral("Loss"), QStringLiteral("loss"));
    chart.resize(400, 300);
    chart.show();
    MetricChart::Curve curve{QStringLiteral("run"), Qt::blue, Qt::SolidLine, true, {10, 20, 30}, {1, 2, 3}};
    chart.setSmoothing(0.5);
    chart.setCurve(QStringLiteral("a|loss"), curve);
    const QList<QPointF> logged = chart.loggedPoints(QStringLiteral("a|loss"));
    QCOMPARE(logged, (QList<QPointF>{{10, 1}, {20, 2}, {30, 3}}));
    const QList<QPointF> drawn = chart.drawnPoints(QStringLiteral("a|loss"));
    QCOMPARE(drawn.size(), 3);
    QVERIFY(same(drawn[1].y(), 5.0 / 3.0));
    QCOMPARE(drawn[2].x(), 30.0);
    QCOMPARE(chart.stepAxis()->min(), 10.0);
    QCOMPARE(chart.stepAxis()->max(), 30.0);
    QVERIFY(chart.valueAxis()->min() < 1 && chart.valueAxis()->max() > 3);

    chart.setSmoothing(0); // off: the logged line is the drawn one
    QCOMPARE(chart.drawnPoints(QStringLiteral("a|loss")), logged);
    chart.setSmoothing(5); // clamped to 0.999
    QCOMPARE(chart.smoothing(), 0.999);

    MetricChart::Curve lr{QStringLiteral("run"), Qt::red, Qt::SolidLine, false, {1, 2}, {0.1, 0.2}};
    chart.setCurve(QStringLiteral("a|lr"), lr);
    QCOMPARE(chart.drawnPoints(QStringLiteral("a|lr")), (QList<QPointF>{{1, 0.1}, {2, 0.2}}));
}

void TestMetricChart::chartLeavesOutNonFinite()
{
    MetricChart chart(QStringLiteral("Loss"), QStringLiteral("loss"));
    chart.setSmoothing(0.5);
    MetricChart::Curve curve{QStringLiteral("run"), Qt::blue, Qt::SolidLine, true, {1, 2, 3, 4}, {1, kNaN, 3, kInf}};
    chart.setCurve(QStringLiteral("k"), curve);
    QCOMPARE(chart.loggedPoints(QStringLiteral("k")), (QList<QPointF>{{1, 1}, {3, 3}}));
    const QList<QPointF> drawn = chart.drawnPoints(QStringLiteral("k"));
    QCOMPARE(drawn.size(), 2);
    QVERIFY(same(drawn[1].y(), 7.0 / 3.0));
    QVERIFY(std::isfinite(chart.valueAxis()->max()));
}

void TestMetricChart::chartKeepsUpWithManyPoints()
{
    MetricChart chart(QStringLiteral("Loss"), QStringLiteral("loss"));
    chart.resize(600, 400);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    MetricChart::Curve curve{QStringLiteral("run"), Qt::blue, Qt::SolidLine, true, {}, {}};
    const int n = 20000;
    for (int i = 0; i < n; ++i) {
        curve.steps.push_back(i);
        curve.values.push_back(2.0 * std::exp(-i / 5000.0) + 0.1 * std::sin(i * 0.7));
    }
    QElapsedTimer timer;
    timer.start();
    const int updates = 10;
    for (int u = 0; u < updates; ++u) {
        curve.values[size_t(n - 1 - u)] += 0.01; // as a live update would
        chart.setCurve(QStringLiteral("big"), curve);
        chart.repaint();
    }
    const double msPerUpdate = double(timer.elapsed()) / updates;
    timer.restart();
    for (int u = 0; u < updates; ++u)
        chart.setCurve(QStringLiteral("big"), curve);
    const double msReplace = double(timer.elapsed()) / updates;
    timer.restart();
    for (int u = 0; u < updates; ++u)
        chart.repaint();
    const double msRepaint = double(timer.elapsed()) / updates;
    qInfo("MetricChart: %d points, %.1f ms per replace + repaint (replace %.1f, repaint %.1f)", n, msPerUpdate,
          msReplace, msRepaint);
    // Drawn decimated, with the envelope kept: the first and last points, the lowest and highest.
    const QList<QPointF> logged = chart.loggedPoints(QStringLiteral("big"));
    QVERIFY(logged.size() <= MetricChart::kMaxDrawnPoints && logged.size() > MetricChart::kMaxDrawnPoints / 2);
    QCOMPARE(logged.front(), QPointF(0, curve.values.front()));
    QCOMPARE(logged.back(), QPointF(n - 1, curve.values.back()));
    const auto [lo, hi] = std::minmax_element(curve.values.begin(), curve.values.end());
    const auto yLess = [](const QPointF &a, const QPointF &b) { return a.y() < b.y(); };
    QCOMPARE(std::min_element(logged.begin(), logged.end(), yLess)->y(), *lo);
    QCOMPARE(std::max_element(logged.begin(), logged.end(), yLess)->y(), *hi);
    QVERIFY(std::is_sorted(logged.begin(), logged.end(),
                           [](const QPointF &a, const QPointF &b) { return a.x() < b.x(); }));
    QVERIFY(chart.drawnPoints(QStringLiteral("big")).size() <= MetricChart::kMaxDrawnPoints);
    QCOMPARE(chart.stepAxis()->max(), double(n - 1));
}

void TestMetricChart::decimation_data()
{
    QTest::addColumn<Values>("ys");
    QTest::addColumn<int>("maxPoints");
    QTest::addColumn<Values>("expectedXs");
    QTest::newRow("short enough") << Values{5, 1, 4} << 4 << Values{0, 1, 2};
    // 10 points, 6 allowed: first, 2 buckets of 4 (x 1-4, 5-8) keep their min and max, last.
    //   bucket 1: y 9 (x1), 0 (x2), 5, 5 -> x1, x2; bucket 2: y 3 (x5), 3, 8 (x7), 3 -> x5 (first min), x7
    QTest::newRow("min and max per bucket") << Values{1, 9, 0, 5, 5, 3, 3, 8, 3, 2} << 6 << Values{0, 1, 2, 5, 7, 9};
    // A flat bucket keeps one point.
    QTest::newRow("flat") << Values{1, 1, 1, 1, 1, 1, 1, 1, 1, 1} << 6 << Values{0, 1, 5, 9};
}

void TestMetricChart::decimation()
{
    QFETCH(Values, ys);
    QFETCH(int, maxPoints);
    QFETCH(Values, expectedXs);
    QList<QPointF> points;
    for (size_t i = 0; i < ys.size(); ++i)
        points.append(QPointF(double(i), ys[i]));
    const QList<QPointF> kept = MetricChart::decimated(points, maxPoints);
    Values xs;
    for (const QPointF &p : kept) {
        xs.push_back(p.x());
        QCOMPARE(p.y(), ys[size_t(p.x())]);
    }
    QCOMPARE(xs, expectedXs);
}

void TestMetricChart::curvesComeAndGo()
{
    MetricChart chart(QStringLiteral("Accuracy"), QStringLiteral("accuracy"));
    chart.setValueRange(0, 1);
    MetricChart::Curve curve{QStringLiteral("run"), Qt::blue, Qt::SolidLine, true, {1, 2}, {0.5, 0.7}};
    chart.setCurve(QStringLiteral("a"), curve);
    chart.setCurve(QStringLiteral("b"), curve);
    chart.setCurve(QStringLiteral("c"), curve);
    QCOMPARE(chart.curveKeys(), (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
    QCOMPARE(chart.chart()->series().size(), 6); // logged + smoothed line per curve
    chart.keepCurves({QStringLiteral("b")});
    QCOMPARE(chart.curveKeys(), QStringList{QStringLiteral("b")});
    QCOMPARE(chart.chart()->series().size(), 2);
    QCOMPARE(chart.valueAxis()->min(), 0.0); // fixed range
    QCOMPARE(chart.valueAxis()->max(), 1.0);
    chart.clearCurves();
    QVERIFY(chart.curveKeys().isEmpty());
    QVERIFY(chart.drawnPoints(QStringLiteral("b")).isEmpty());
}

void TestMetricChart::chartsOfEachRunKind()
{
    // A renderer run's lines fill the loss (with the held-out loss), PSNR, lr and throughput
    // charts, not the accuracy chart; a triplet run's fill the accuracy chart.
    fa::ui::MetricCharts charts;
    std::vector<fa::TrainingMetrics> renderer;
    for (int step = 25; step <= 100; step += 25) {
        fa::TrainingMetrics m;
        m.step = step;
        m.loss = 0.5 / step;
        m.learningRate = 1e-3;
        m.imagesPerSecond = 300;
        m.validationLoss = 0.6 / step;
        m.validationPsnr = 20.0 + step / 10.0;
        m.trainPsnr = 21.0 + step / 10.0;
        renderer.push_back(m);
    }
    std::vector<fa::TrainingMetrics> triplet(2);
    triplet[0].step = 10;
    triplet[0].validationAccuracy = 0.6;
    triplet[1].step = 20;
    triplet[1].validationAccuracy = 0.7;
    std::vector<fa::TrainingMetrics> decoder(2);
    for (int i = 0; i < 2; ++i) {
        decoder[std::size_t(i)].step = 50 * (i + 1);
        decoder[std::size_t(i)].avatarScores[QStringLiteral("rig_mse:Mannequin")] = 0.05 - 0.01 * i;
        decoder[std::size_t(i)].avatarScores[QStringLiteral("render_rig_mse:face: cap")] = 0.02;
        decoder[std::size_t(i)].avatarScores[QStringLiteral("embedding_distance:Mannequin")] = 0.4;
    }
    charts.drawRun(QStringLiteral("/runs/r"), QStringLiteral("r"), Qt::red, renderer);
    charts.drawRun(QStringLiteral("/runs/t"), QStringLiteral("t"), Qt::blue, triplet);
    charts.drawRun(QStringLiteral("/runs/d"), QStringLiteral("d"), Qt::green, decoder);
    // A rig decoder's per-avatar rig errors (not the embedding distance) in their own chart.
    QCOMPARE(charts.avatarChart()->curveKeys().size(), 2);
    QCOMPARE(charts.avatarChart()->loggedPoints(QStringLiteral("/runs/d|avatar:rig_mse:Mannequin")).last(), QPointF(100, 0.04));
    QCOMPARE(charts.avatarChart()->loggedPoints(QStringLiteral("/runs/d|avatar:render_rig_mse:face: cap")).size(), 2);
    charts.keepRuns({QStringLiteral("/runs/r"), QStringLiteral("/runs/t"), QStringLiteral("/runs/d")});
    QCOMPARE(charts.avatarChart()->curveKeys().size(), 2);
    QCOMPARE(charts.psnrChart()->loggedPoints(QStringLiteral("/runs/r|psnr")).size(), 4);
    QCOMPARE(charts.psnrChart()->loggedPoints(QStringLiteral("/runs/r|train_psnr")).last(), QPointF(100, 31));
    QCOMPARE(charts.lossChart()->loggedPoints(QStringLiteral("/runs/r|val_loss")).size(), 4);
    QVERIFY(!charts.accuracyChart()->curveKeys().contains(QStringLiteral("/runs/r|acc")));
    QCOMPARE(charts.accuracyChart()->loggedPoints(QStringLiteral("/runs/t|acc")).size(), 2);
    QVERIFY(!charts.psnrChart()->curveKeys().contains(QStringLiteral("/runs/t|psnr")));
    QVERIFY(charts.hasRun(QStringLiteral("/runs/r")));
    charts.keepRuns({QStringLiteral("/runs/t")});
    QVERIFY(!charts.hasRun(QStringLiteral("/runs/r")));
    QVERIFY(charts.psnrChart()->curveKeys().isEmpty());
    QVERIFY(charts.avatarChart()->curveKeys().isEmpty());
    QVERIFY(charts.hasRun(QStringLiteral("/runs/t")));
}

QTEST_MAIN(TestMetricChart)
#include "test_metric_chart.moc"
