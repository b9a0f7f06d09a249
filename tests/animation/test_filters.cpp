#include "animation/butterworth_filter.h"
#include "animation/one_euro_filter.h"

#include <QtTest>

#include <cmath>

using fa::ButterworthFilter;
using fa::OneEuroFilter;

namespace {

constexpr double kPi = 3.14159265358979323846;

std::vector<double> sine(double frequencyHz, double sampleRateHz, int samples, double phase = 0.0)
{
    std::vector<double> x(static_cast<size_t>(samples));
    for (int i = 0; i < samples; ++i)
        x[size_t(i)] = std::sin(2.0 * kPi * frequencyHz * i / sampleRateHz + phase);
    return x;
}

// Amplitude of the component at `frequencyHz` in y[begin, end), by correlation with sin and cos
// over a whole number of periods (exact for a steady-state sinusoid).
double amplitude(const std::vector<double> &y, double frequencyHz, double sampleRateHz, int begin,
                 int end)
{
    const double samplesPerPeriod = sampleRateHz / frequencyHz;
    const int periods = int((end - begin) / samplesPerPeriod);
    end = begin + int(std::lround(periods * samplesPerPeriod));
    double s = 0.0, c = 0.0;
    for (int i = begin; i < end; ++i) {
        const double w = 2.0 * kPi * frequencyHz * i / sampleRateHz;
        s += y[size_t(i)] * std::sin(w);
        c += y[size_t(i)] * std::cos(w);
    }
    return 2.0 * std::hypot(s, c) / (end - begin);
}

double toDb(double ratio)
{
    return 20.0 * std::log10(ratio);
}

} // namespace

class TestFilters : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void butterworthCoefficientsMatchScipy_data();
    void butterworthCoefficientsMatchScipy();
    void butterworthResponse_data();
    void butterworthResponse();
    void butterworthFiltfiltMatchesScipy_data();
    void butterworthFiltfiltMatchesScipy();
    void butterworthZeroPhase();
    void butterworthKeepsConstants();
    void butterworthRejectsBadDesigns_data();
    void butterworthRejectsBadDesigns();

    void oneEuroPassesConstants();
    void oneEuroStepConverges();
    void oneEuroLowPassResponse_data();
    void oneEuroLowPassResponse();
    void oneEuroBetaReducesLag();
    void oneEuroIgnoresRepeatedTimes();
};

// Reference transfer functions from Debian bookworm's python3-scipy 1.10.1:
//   scipy.signal.butter(order, fc, fs=fs) -> (b, a), printed with repr() at full precision.
// Our cascade is multiplied out to (b, a) and compared.
void TestFilters::butterworthCoefficientsMatchScipy_data()
{
    QTest::addColumn<int>("order");
    QTest::addColumn<double>("cutoff");
    QTest::addColumn<double>("rate");
    QTest::addColumn<QVector<double>>("b");
    QTest::addColumn<QVector<double>>("a");
    QTest::newRow("order 1, 2 Hz @ 30")
            << 1 << 2.0 << 30.0 << QVector<double>{0.17529620340124472, 0.17529620340124472}
            << QVector<double>{1.0, -0.6494075931975106};
    QTest::newRow("order 2, 6 Hz @ 30")
            << 2 << 6.0 << 30.0
            << QVector<double>{0.20657208382614792, 0.41314416765229584, 0.20657208382614792}
            << QVector<double>{1.0, -0.3695273773512414, 0.19581571265583306};
    QTest::newRow("order 2, 5 Hz @ 1000")
            << 2 << 5.0 << 1000.0
            << QVector<double>{2.4135904904198073e-04, 4.8271809808396145e-04,
                               2.4135904904198073e-04}
            << QVector<double>{1.0, -1.9555782403150352, 9.5654367651120309e-01};
    QTest::newRow("order 3, 4 Hz @ 25")
            << 3 << 4.0 << 25.0
            << QVector<double>{0.05789037540897259, 0.17367112622691777, 0.17367112622691777,
                               0.05789037540897259}
            << QVector<double>{1.0, -1.0440641548399396, 0.6252304301994468,
                               -0.11804327208772641};
    QTest::newRow("order 4, 10 Hz @ 60")
            << 4 << 10.0 << 60.0
            << QVector<double>{0.02607772170109228, 0.10431088680436912, 0.15646633020655368,
                               0.10431088680436912, 0.02607772170109228}
            << QVector<double>{1.0, -1.30660514410105, 1.0304538354195756, -0.36236904476885823,
                               0.05576390066780891};
    QTest::newRow("order 5, 6 Hz @ 50")
            << 5 << 6.0 << 50.0
            << QVector<double>{0.0027669275766474, 0.01383463788323701, 0.02766927576647402,
                               0.02766927576647402, 0.01383463788323701, 0.0027669275766474}
            << QVector<double>{1.0, -2.574415321045998, 2.9938686286465117, -1.8507074844311489,
                               0.6006667476899853, -0.08087088840663356};
}

void TestFilters::butterworthCoefficientsMatchScipy()
{
    QFETCH(int, order);
    QFETCH(double, cutoff);
    QFETCH(double, rate);
    QFETCH(QVector<double>, b);
    QFETCH(QVector<double>, a);

    QString error;
    const auto filter = ButterworthFilter::lowPass(order, cutoff, rate, &error);
    QVERIFY2(filter, qPrintable(error));
    QCOMPARE(int(filter->sections().size()), (order + 1) / 2);

    std::vector<double> num{1.0}, den{1.0};
    auto multiply = [](const std::vector<double> &p, const std::vector<double> &q) {
        std::vector<double> r(p.size() + q.size() - 1, 0.0);
        for (size_t i = 0; i < p.size(); ++i)
            for (size_t j = 0; j < q.size(); ++j)
                r[i + j] += p[i] * q[j];
        return r;
    };
    for (const ButterworthFilter::Section &s : filter->sections()) {
        const bool firstOrder = s.b2 == 0.0 && s.a2 == 0.0;
        num = multiply(num, firstOrder ? std::vector<double>{s.b0, s.b1}
                                       : std::vector<double>{s.b0, s.b1, s.b2});
        den = multiply(den, firstOrder ? std::vector<double>{1.0, s.a1}
                                       : std::vector<double>{1.0, s.a1, s.a2});
    }
    QCOMPARE(int(num.size()), b.size());
    QCOMPARE(int(den.size()), a.size());
    for (int i = 0; i < b.size(); ++i) {
        QVERIFY2(std::abs(num[size_t(i)] - b[i]) < 1e-12,
                 qPrintable(QStringLiteral("b[%1] = %2, scipy %3")
                                    .arg(i).arg(num[size_t(i)], 0, 'g', 17).arg(b[i], 0, 'g', 17)));
        QVERIFY2(std::abs(den[size_t(i)] - a[i]) < 1e-12,
                 qPrintable(QStringLiteral("a[%1] = %2, scipy %3")
                                    .arg(i).arg(den[size_t(i)], 0, 'g', 17).arg(a[i], 0, 'g', 17)));
    }
}

void TestFilters::butterworthResponse_data()
{
    QTest::addColumn<int>("order");
    for (int order = 1; order <= 8; ++order)
        QTest::addRow("order %d", order) << order;
}

// Steady-state amplitude of long sines through the filter, fc = 5 Hz at 1000 Hz sampling.
void TestFilters::butterworthResponse()
{
    QFETCH(int, order);
    const double fs = 1000.0, fc = 5.0;
    const auto filter = ButterworthFilter::lowPass(order, fc, fs, nullptr);
    QVERIFY(filter);
    const int n = 10000;            // 10 s
    const int begin = 6000, end = n; // transients of every order are gone after 6 s

    // -3 dB at the cutoff (causal), -6 dB with filtfilt.
    const std::vector<double> atCutoff = sine(fc, fs, n);
    const double causal = amplitude(filter->filter(atCutoff), fc, fs, begin, end);
    QVERIFY2(std::abs(causal - 1.0 / std::sqrt(2.0)) < 0.002, qPrintable(QString::number(causal)));
    const double zeroPhase = amplitude(filter->filtfilt(atCutoff), fc, fs, 2000, 8000);
    QVERIFY2(std::abs(zeroPhase - 0.5) < 0.003, qPrintable(QString::number(zeroPhase)));

    // Passband: 0.1 fc passes almost untouched (order 1 is the worst: 1/sqrt(1.01) = 0.995).
    const double pass = amplitude(filter->filter(sine(0.1 * fc, fs, n)), 0.1 * fc, fs, begin, end);
    QVERIFY2(pass > 0.99 && pass < 1.001, qPrintable(QString::number(pass)));

    // Stopband: about order x 20 dB per decade. Bilinear warping at 50 Hz of 1000 Hz adds
    // order x 0.07 dB; allow 1 dB.
    const double stop =
            amplitude(filter->filter(sine(10.0 * fc, fs, n)), 10.0 * fc, fs, begin, end);
    const double db = toDb(stop);
    QVERIFY2(std::abs(db - (-20.0 * order)) < 1.0,
             qPrintable(QStringLiteral("%1 dB at 10 fc, expected about %2")
                                .arg(db).arg(-20 * order)));
    // The analytic response of the sections agrees with the measurement.
    QVERIFY(std::abs(toDb(filter->magnitudeAt(10.0 * fc)) - db) < 0.05);
    QVERIFY(std::abs(filter->magnitudeAt(fc) - 1.0 / std::sqrt(2.0)) < 1e-9);
}

// scipy.signal.filtfilt(b, a, x) (order 2, default padlen 9) and
// scipy.signal.sosfiltfilt(sos, x, padlen=12) (order 3) from python3-scipy 1.10.1.
void TestFilters::butterworthFiltfiltMatchesScipy_data()
{
    QTest::addColumn<int>("order");
    QTest::addColumn<double>("cutoff");
    QTest::addColumn<double>("rate");
    QTest::addColumn<QVector<double>>("expected");
    QTest::newRow("order 2, 6 Hz @ 30") << 2 << 6.0 << 30.0 << QVector<double>{
            2.9739615196755498e-05, 4.2258174495919704e-01, 7.4128434570816915e-01,
            7.8035292307664428e-01, 5.7680600573655916e-01, 4.1941933500400086e-01,
            4.3392620143001315e-01, 4.2226281384498654e-01, 2.4445020727332589e-01,
            8.1502110722320234e-02, 1.5145251780558752e-01, 3.9618331637324844e-01,
            5.7855929144756169e-01, 5.4423397974119037e-01, 3.3643999884610104e-01,
            1.2916279215851123e-01, 7.3032480313033374e-02, 1.7577209239536815e-01,
            3.2754174711707440e-01, 4.5018837834111491e-01};
    QTest::newRow("order 3, 4 Hz @ 25") << 3 << 4.0 << 25.0 << QVector<double>{
            -2.9785061410056435e-04, 4.1281924650651053e-01, 6.8202760716800226e-01,
            7.4217609318401090e-01, 6.4766342392320242e-01, 5.1514864489405832e-01,
            4.0870456057787097e-01, 3.1000958077853846e-01, 2.0727315118506190e-01,
            1.5882051941337041e-01, 2.2858039669629940e-01, 3.8575374621164821e-01,
            5.0958327968078398e-01, 4.9705214700875816e-01, 3.5441775307630802e-01,
            1.8595271283090375e-01, 1.0298156150635782e-01, 1.4505402579486559e-01,
            2.7843621262474205e-01, 4.4977882320541718e-01};
}

void TestFilters::butterworthFiltfiltMatchesScipy()
{
    QFETCH(int, order);
    QFETCH(double, cutoff);
    QFETCH(double, rate);
    QFETCH(QVector<double>, expected);
    const std::vector<double> x{0.0, 0.2, 0.9, 1.0, 0.4, 0.3, 0.35, 0.8, 0.1, 0.0,
                                0.05, 0.5, 0.6, 0.62, 0.3, 0.1, 0.0, 0.2, 0.4, 0.45};
    const auto filter = ButterworthFilter::lowPass(order, cutoff, rate, nullptr);
    QVERIFY(filter);
    const std::vector<double> y = filter->filtfilt(x);
    QCOMPARE(int(y.size()), expected.size());
    for (int i = 0; i < expected.size(); ++i)
        QVERIFY2(std::abs(y[size_t(i)] - expected[i]) < 1e-10,
                 qPrintable(QStringLiteral("y[%1] = %2, scipy %3")
                                    .arg(i).arg(y[size_t(i)]).arg(expected[i])));
}

// A sine at 0.3 fc keeps its peaks where they were (within one sample) through filtfilt,
// while the causal filter delays them.
void TestFilters::butterworthZeroPhase()
{
    const double fs = 60.0, fc = 6.0, f = 0.3 * fc; // 1.8 Hz: 33.3 samples per period
    const auto filter = ButterworthFilter::lowPass(4, fc, fs, nullptr);
    QVERIFY(filter);
    const std::vector<double> x = sine(f, fs, 600, 0.4);
    const std::vector<double> y = filter->filtfilt(x);
    const std::vector<double> causal = filter->filter(x);

    auto peaks = [](const std::vector<double> &v) {
        std::vector<int> p;
        for (size_t i = 1; i + 1 < v.size(); ++i) {
            if (v[i] > v[i - 1] && v[i] >= v[i + 1] && v[i] > 0.5)
                p.push_back(int(i));
        }
        return p;
    };
    const std::vector<int> px = peaks(x), py = peaks(y), pc = peaks(causal);
    QVERIFY(px.size() >= 15);
    QCOMPARE(py.size(), px.size());
    for (size_t i = 0; i < px.size(); ++i)
        QVERIFY2(std::abs(py[i] - px[i]) <= 1,
                 qPrintable(QStringLiteral("peak %1 at %2, input %3")
                                    .arg(i).arg(py[i]).arg(px[i])));
    // The causal filter lags by several samples at this frequency: the test can tell.
    QVERIFY(pc.size() >= 10);
    QVERIFY(pc[5] - px[5] >= 2);
}

void TestFilters::butterworthKeepsConstants()
{
    for (int order = 1; order <= 8; ++order) {
        const auto filter = ButterworthFilter::lowPass(order, 3.0, 30.0, nullptr);
        QVERIFY(filter);
        const std::vector<double> x(97, 0.37);
        const std::vector<double> y = filter->filtfilt(x);
        const std::vector<double> c = filter->filter(x);
        for (size_t i = 0; i < x.size(); ++i) {
            QVERIFY2(std::abs(y[i] - 0.37) < 1e-12, qPrintable(QString::number(y[i], 'g', 17)));
            QVERIFY2(std::abs(c[i] - 0.37) < 1e-12, qPrintable(QString::number(c[i], 'g', 17)));
        }
        // A ramp also stays a ramp at both edges (odd extension): a low-pass keeps lines.
        std::vector<double> ramp(50);
        for (size_t i = 0; i < ramp.size(); ++i)
            ramp[i] = 0.1 + 0.01 * double(i);
        const std::vector<double> r = filter->filtfilt(ramp);
        QVERIFY(std::abs(r.front() - ramp.front()) < 1e-3);
        QVERIFY(std::abs(r.back() - ramp.back()) < 1e-3);
    }
    // Degenerate lengths.
    const auto filter = ButterworthFilter::lowPass(2, 3.0, 30.0, nullptr);
    QVERIFY(filter->filtfilt({}).empty());
    QCOMPARE(filter->filtfilt({0.5}), std::vector<double>{0.5});
    QCOMPARE(int(filter->filtfilt({0.5, 0.6}).size()), 2);
}

void TestFilters::butterworthRejectsBadDesigns_data()
{
    QTest::addColumn<int>("order");
    QTest::addColumn<double>("cutoff");
    QTest::addColumn<double>("rate");
    QTest::addColumn<QString>("message");
    QTest::newRow("order 0") << 0 << 5.0 << 30.0 << QStringLiteral("order 0");
    QTest::newRow("order 9") << 9 << 5.0 << 30.0 << QStringLiteral("order 9");
    QTest::newRow("cutoff at Nyquist") << 2 << 15.0 << 30.0 << QStringLiteral("cutoff 15 Hz");
    QTest::newRow("cutoff above Nyquist") << 2 << 20.0 << 30.0 << QStringLiteral("cutoff 20 Hz");
    QTest::newRow("zero cutoff") << 2 << 0.0 << 30.0 << QStringLiteral("cutoff 0 Hz");
    QTest::newRow("negative cutoff") << 2 << -1.0 << 30.0 << QStringLiteral("cutoff -1 Hz");
    QTest::newRow("NaN cutoff") << 2 << std::nan("") << 30.0 << QStringLiteral("cutoff nan Hz");
    QTest::newRow("zero rate") << 2 << 5.0 << 0.0 << QStringLiteral("sample rate 0 Hz");
}

void TestFilters::butterworthRejectsBadDesigns()
{
    QFETCH(int, order);
    QFETCH(double, cutoff);
    QFETCH(double, rate);
    QFETCH(QString, message);
    QString error;
    QVERIFY(!ButterworthFilter::lowPass(order, cutoff, rate, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
}

void TestFilters::oneEuroPassesConstants()
{
    OneEuroFilter filter({1.0, 0.5, 1.0});
    for (int i = 0; i < 200; ++i)
        QCOMPARE(filter.filter(0.42, i / 30.0), 0.42);
}

void TestFilters::oneEuroStepConverges()
{
    OneEuroFilter filter({1.0, 0.0, 1.0});
    QCOMPARE(filter.filter(0.0, 0.0), 0.0);
    double y = 0.0, previous = 0.0;
    for (int i = 1; i <= 120; ++i) { // 2 s at 60 fps
        y = filter.filter(1.0, i / 60.0);
        QVERIFY(y >= previous && y <= 1.0); // monotone, no overshoot
        previous = y;
    }
    // tau = 1/(2 pi) s = 0.159 s; after 2 s (12.6 tau) the error is below 1e-4.
    QVERIFY2(1.0 - y < 1e-4, qPrintable(QString::number(y)));
    filter.reset();
    QCOMPARE(filter.filter(-3.0, 10.0), -3.0); // first sample after reset passes
}

void TestFilters::oneEuroLowPassResponse_data()
{
    QTest::addColumn<double>("frequency");
    QTest::newRow("0.5 fc") << 0.5;
    QTest::newRow("fc") << 1.0;
    QTest::newRow("2 fc") << 2.0;
    QTest::newRow("5 fc") << 5.0;
}

// With beta = 0 the filter is a first-order low-pass at minCutoff: steady-state gain close to
// 1/sqrt(1 + (f/fc)^2) when sampled well above f (1000 Hz here, fc = 1 Hz).
void TestFilters::oneEuroLowPassResponse()
{
    QFETCH(double, frequency);
    const double fs = 1000.0;
    OneEuroFilter filter({1.0, 0.0, 1.0});
    const int n = 20000;
    const std::vector<double> x = sine(frequency, fs, n);
    std::vector<double> y(x.size());
    for (int i = 0; i < n; ++i)
        y[size_t(i)] = filter.filter(x[size_t(i)], i / fs);
    const double measured = amplitude(y, frequency, fs, 8000, n);
    const double expected = 1.0 / std::sqrt(1.0 + frequency * frequency);
    QVERIFY2(std::abs(measured - expected) < 0.02 * expected,
             qPrintable(QStringLiteral("gain %1, expected %2").arg(measured).arg(expected)));
}

// On a ramp a first-order low-pass lags by tau = 1/(2 pi fc) at steady state; the speed term
// raises the cutoff and shrinks the lag.
void TestFilters::oneEuroBetaReducesLag()
{
    const double fs = 60.0, slope = 2.0; // units per second
    auto lagAfter2s = [&](double beta) {
        OneEuroFilter filter({1.0, beta, 1.0});
        double y = 0.0;
        for (int i = 0; i <= 120; ++i)
            y = filter.filter(slope * i / fs, i / fs);
        return slope * 2.0 - y;
    };
    const double lag0 = lagAfter2s(0.0);
    const double lag1 = lagAfter2s(1.0);
    const double lag5 = lagAfter2s(5.0);
    // Beta 0: about slope * tau (0.32), within the discretisation.
    QVERIFY2(std::abs(lag0 - slope / (2.0 * kPi)) < 0.05, qPrintable(QString::number(lag0)));
    QVERIFY2(lag1 < 0.5 * lag0, qPrintable(QStringLiteral("%1 vs %2").arg(lag1).arg(lag0)));
    QVERIFY2(lag5 < lag1, qPrintable(QStringLiteral("%1 vs %2").arg(lag5).arg(lag1)));
    QVERIFY(lag5 > 0.0);
}

void TestFilters::oneEuroIgnoresRepeatedTimes()
{
    OneEuroFilter filter({1.0, 0.0, 1.0});
    filter.filter(0.0, 1.0);
    const double y = filter.filter(1.0, 1.1);
    QCOMPARE(filter.filter(5.0, 1.1), y);  // same time: previous output
    QCOMPARE(filter.filter(5.0, 0.5), y);  // going back: previous output
    QVERIFY(std::isfinite(filter.filter(1.0, 1.2)));
    OneEuroFilter bad({0.0, -1.0, -2.0}); // sanitised, never divides by zero
    bad.filter(0.0, 0.0);
    QVERIFY(std::isfinite(bad.filter(1.0, 0.1)));
    QCOMPARE(bad.params().beta, 0.0);
}

QTEST_GUILESS_MAIN(TestFilters)
#include "test_filters.moc"
