#include "animation/gaussian_filter.h"

#include <QtTest>

#include <cmath>

using fa::gaussianKernel;
using fa::gaussianSmooth;

namespace {

constexpr double kPi = 3.14159265358979323846;

} // namespace

class TestGaussianFilter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matchesScipy_data();
    void matchesScipy();
    void impulseGivesKernel();
    void constantStaysConstant();
    void sineAttenuation_data();
    void sineAttenuation();
    void degenerateInputs();
};

// Reference values: scipy 1.10.1,
//   scipy.ndimage.gaussian_filter1d(x, sigma, mode='reflect', truncate=4.0)
// for x = [0, 1, .5, .25, 2, -1, .75, .3, .9, .1] (sigma 3.7: radius 15 > length, the reflection
// repeats) and x = [1, 2, 3] with sigma 5 (radius 20).
void TestGaussianFilter::matchesScipy_data()
{
    QTest::addColumn<std::vector<double>>("x");
    QTest::addColumn<double>("sigma");
    QTest::addColumn<std::vector<double>>("expected");
    const std::vector<double> x = {0.0, 1.0, 0.5, 0.25, 2.0, -1.0, 0.75, 0.3, 0.9, 0.1};
    QTest::newRow("sigma 0.5") << x << 0.5 << std::vector<double>{
        0.10684656959769755, 0.8398620781448224, 0.5268765580761352, 0.4627696114058144,
        1.4936332041479128, -0.49368597716446017, 0.516177712773931, 0.41137751294816505,
        0.7507182474083715, 0.18542448266161057};
    QTest::newRow("sigma 1") << x << 1.0 << std::vector<double>{
        0.326583151908064, 0.5466556435873606, 0.6057206385632531, 0.708028526882934,
        0.6897791314138193, 0.30252494623606163, 0.2880333095192754, 0.4798047260819591,
        0.5015947832653378, 0.3512751425419349};
    QTest::newRow("sigma 2") << x << 2.0 << std::vector<double>{
        0.47557663100143793, 0.5123954941828543, 0.5546559013282677, 0.5649553346116865,
        0.5306028010434074, 0.47504796983025765, 0.43375245659720385, 0.4190407368637459,
        0.41737766150744904, 0.41659501303368995};
    QTest::newRow("sigma 3.7, radius past the ends") << x << 3.7 << std::vector<double>{
        0.5129755841089637, 0.511275750160666, 0.50727062802972, 0.5003583942847567,
        0.4903473747639929, 0.4779843354810416, 0.4648090553737532, 0.45272945436988776,
        0.4435710926400972, 0.4386783307871201};
    QTest::newRow("3 samples, sigma 5") << std::vector<double>{1.0, 2.0, 3.0} << 5.0
                                        << std::vector<double>{1.9999740422296404, 2.0,
                                                               2.00002595777036};
}

void TestGaussianFilter::matchesScipy()
{
    QFETCH(std::vector<double>, x);
    QFETCH(double, sigma);
    QFETCH(std::vector<double>, expected);
    const std::vector<double> y = gaussianSmooth(x, sigma);
    QCOMPARE(y.size(), expected.size());
    for (size_t i = 0; i < y.size(); ++i) {
        if (std::abs(y[i] - expected[i]) > 1e-12)
            QFAIL(qPrintable(QStringLiteral("sample %1: %2 != scipy %3")
                                 .arg(i).arg(y[i], 0, 'g', 17).arg(expected[i], 0, 'g', 17)));
    }
}

void TestGaussianFilter::impulseGivesKernel()
{
    const double sigma = 2.5;
    const std::vector<double> kernel = gaussianKernel(sigma);
    const int radius = int(4.0 * sigma + 0.5);
    QCOMPARE(int(kernel.size()), 2 * radius + 1);
    double sum = 0.0;
    for (double w : kernel)
        sum += w;
    QVERIFY(std::abs(sum - 1.0) < 1e-12);
    // Documented formula: w[k] proportional to exp(-k^2 / (2 sigma^2)).
    QVERIFY(std::abs(kernel[size_t(radius + 3)] / kernel[size_t(radius)]
                     - std::exp(-9.0 / (2.0 * sigma * sigma)))
            < 1e-12);
    std::vector<double> impulse(64, 0.0);
    impulse[32] = 1.0;
    const std::vector<double> y = gaussianSmooth(impulse, sigma);
    for (int k = -radius; k <= radius; ++k)
        QVERIFY(std::abs(y[size_t(32 + k)] - kernel[size_t(radius + k)]) < 1e-15);
    QCOMPARE(y[size_t(32 - radius - 1)], 0.0);
    QCOMPARE(y[size_t(32 + radius + 1)], 0.0);
}

void TestGaussianFilter::constantStaysConstant()
{
    const std::vector<double> x(40, 0.625);
    for (double sigma : {0.3, 1.0, 4.0, 20.0}) {
        for (double v : gaussianSmooth(x, sigma))
            QVERIFY(std::abs(v - 0.625) < 1e-12);
    }
}

void TestGaussianFilter::sineAttenuation_data()
{
    QTest::addColumn<double>("cyclesPerSample");
    QTest::addColumn<double>("sigma");
    QTest::newRow("slow") << 0.02 << 2.0;
    QTest::newRow("medium") << 0.05 << 2.0;
    QTest::newRow("fast") << 0.1 << 1.5;
}

// Continuous Gaussian's transfer function: exp(-(2 pi f sigma)^2 / 2). The sampled, truncated
// kernel matches it within a few 1e-3 at these frequencies.
void TestGaussianFilter::sineAttenuation()
{
    QFETCH(double, cyclesPerSample);
    QFETCH(double, sigma);
    const int n = 1000;
    std::vector<double> x(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i)
        x[size_t(i)] = std::sin(2.0 * kPi * cyclesPerSample * i);
    const std::vector<double> y = gaussianSmooth(x, sigma);
    // Amplitude by correlation over whole periods away from the ends.
    const int begin = 100, periods = int((n - 200) * cyclesPerSample);
    const int end = begin + int(std::lround(periods / cyclesPerSample));
    double s = 0.0, c = 0.0;
    for (int i = begin; i < end; ++i) {
        s += y[size_t(i)] * std::sin(2.0 * kPi * cyclesPerSample * i);
        c += y[size_t(i)] * std::cos(2.0 * kPi * cyclesPerSample * i);
    }
    const double measured = 2.0 * std::hypot(s, c) / (end - begin);
    const double expected = std::exp(-std::pow(2.0 * kPi * cyclesPerSample * sigma, 2) / 2.0);
    QVERIFY2(std::abs(measured - expected) < 5e-3,
             qPrintable(QStringLiteral("amplitude %1, expected %2").arg(measured).arg(expected)));
}

void TestGaussianFilter::degenerateInputs()
{
    QVERIFY(gaussianSmooth({}, 2.0).empty());
    const std::vector<double> x = {0.0, 1.0, 0.0};
    QCOMPARE(gaussianSmooth(x, 0.0), x);
    QCOMPARE(gaussianSmooth(x, -1.0), x);
    QCOMPARE(gaussianSmooth(x, std::nan("")), x);
    const std::vector<double> single = gaussianSmooth({3.0}, 10.0);
    QCOMPARE(single.size(), size_t(1));
    QVERIFY(std::abs(single[0] - 3.0) < 1e-12);
}

QTEST_APPLESS_MAIN(TestGaussianFilter)
#include "test_gaussian_filter.moc"
