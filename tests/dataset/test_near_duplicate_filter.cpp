#include "dataset/near_duplicate_filter.h"
#include "media/video_reader.h"

#include "test_files.h"

#include <QtTest>

#include <opencv2/imgproc.hpp>

using fa::NearDuplicateFilter;

namespace {

// The crop the default was measured on (near_duplicate_filter.h): the centre 320x320 square of
// the 512x512 liveportrait frames, which holds the face, resized to 224x224.
cv::Mat faceCrop(const cv::Mat &frame)
{
    const int size = 320;
    const cv::Rect box((frame.cols - size) / 2, (frame.rows - size) / 2, size, size);
    cv::Mat crop;
    cv::resize(frame(box), crop, cv::Size(224, 224), 0, 0, cv::INTER_AREA);
    return crop;
}

} // namespace

class TestNearDuplicateFilter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void hammingDistance_data();
    void hammingDistance();
    void consecutiveFramesAreNearDuplicates();
    void differentExpressionsAreKept();
    void wholeClip();
    void deterministicHash();
    void inputTypes();
    void thresholds();

private:
    std::vector<cv::Mat> m_crops; // every frame of liveportrait_d3.mp4, cropped
    std::vector<quint64> m_hashes;
};

void TestNearDuplicateFilter::initTestCase()
{
    fa::VideoReader reader;
    QVERIFY2(reader.open(fa::test::dataPath(QStringLiteral("videos/liveportrait_d3.mp4"))),
             qPrintable(reader.errorString()));
    QCOMPARE(reader.info().width, 512);
    fa::VideoFrame frame;
    while (reader.readFrame(&frame)) {
        m_crops.push_back(faceCrop(frame.image));
        m_hashes.push_back(NearDuplicateFilter::perceptualHash(m_crops.back()));
    }
    QVERIFY2(reader.errorString().isEmpty(), qPrintable(reader.errorString()));
    QCOMPARE(m_crops.size(), std::size_t(354));
}

void TestNearDuplicateFilter::hammingDistance_data()
{
    QTest::addColumn<quint64>("a");
    QTest::addColumn<quint64>("b");
    QTest::addColumn<int>("distance");
    QTest::newRow("equal") << quint64(0x0123456789abcdefULL) << quint64(0x0123456789abcdefULL) << 0;
    QTest::newRow("all bits") << quint64(0) << ~quint64(0) << 64;
    QTest::newRow("one bit") << quint64(1) << quint64(3) << 1;
    QTest::newRow("top bit") << quint64(0x8000000000000000ULL) << quint64(0) << 1;
    QTest::newRow("nibbles") << quint64(0xF0) << quint64(0x0F) << 8;
}

void TestNearDuplicateFilter::hammingDistance()
{
    QFETCH(quint64, a);
    QFETCH(quint64, b);
    QFETCH(int, distance);
    QCOMPARE(NearDuplicateFilter::hammingDistance(a, b), distance);
    QCOMPARE(NearDuplicateFilter::hammingDistance(b, a), distance);
}

void TestNearDuplicateFilter::consecutiveFramesAreNearDuplicates()
{
    // Frames 0-2 (a still, neutral face) measured at distances 1 and 0.
    NearDuplicateFilter filter;
    QVERIFY(filter.keepIfNew(m_crops[0]));
    QVERIFY(!filter.keepIfNew(m_crops[1]));
    QVERIFY(!filter.keepIfNew(m_crops[2]));
    QCOMPARE(filter.keptCount(), 1);

    // Over the whole clip most consecutive pairs fall within the default (measured 86%).
    int within = 0;
    for (std::size_t i = 1; i < m_hashes.size(); ++i) {
        if (NearDuplicateFilter::hammingDistance(m_hashes[i], m_hashes[i - 1]) <= NearDuplicateFilter::kDefaultMaxDistance)
            ++within;
    }
    const double share = double(within) / double(m_hashes.size() - 1);
    QVERIFY2(share >= 0.8, qPrintable(QString::number(share)));
}

void TestNearDuplicateFilter::differentExpressionsAreKept()
{
    // Checked by eye: 0 neutral, 20 grimace with one eye shut, 130 frown looking down,
    // 310 surprise with the mouth open. Measured pairwise distances 19..31.
    const int frames[] = {0, 20, 130, 310};
    for (int i : frames) {
        for (int j : frames) {
            if (i < j) {
                const int d = NearDuplicateFilter::hammingDistance(m_hashes[i], m_hashes[j]);
                QVERIFY2(d >= 12, qPrintable(QStringLiteral("frames %1 and %2: %3").arg(i).arg(j).arg(d)));
            }
        }
    }
    NearDuplicateFilter filter;
    for (int i : frames)
        QVERIFY2(filter.keepIfNew(m_crops[i]), qPrintable(QString::number(i)));
    QCOMPARE(filter.keptCount(), 4);
    QVERIFY(filter.isNearDuplicate(m_hashes[1]));   // close to frame 0
    QVERIFY(!filter.isNearDuplicate(~m_hashes[0])); // every bit flipped
}

void TestNearDuplicateFilter::wholeClip()
{
    // Measured 107 of 354 kept at the default: far fewer than all, far more than a handful.
    NearDuplicateFilter filter;
    int kept = 0;
    for (const cv::Mat &crop : m_crops)
        kept += filter.keepIfNew(crop) ? 1 : 0;
    QCOMPARE(filter.keptCount(), kept);
    QVERIFY2(kept >= 60 && kept <= 180, qPrintable(QString::number(kept)));
    filter.clear();
    QCOMPARE(filter.keptCount(), 0);
    QVERIFY(!filter.isNearDuplicate(m_hashes[0]));
}

void TestNearDuplicateFilter::deterministicHash()
{
    const quint64 first = NearDuplicateFilter::perceptualHash(m_crops[130]);
    QCOMPARE(NearDuplicateFilter::perceptualHash(m_crops[130]), first);
    QCOMPARE(NearDuplicateFilter::perceptualHash(m_crops[130].clone()), first);
    QCOMPARE(first, m_hashes[130]);
    QVERIFY(first != 0);

    // The same image read from disk by a second decoder pass hashes the same.
    fa::VideoReader reader;
    QVERIFY(reader.open(fa::test::dataPath(QStringLiteral("videos/liveportrait_d3.mp4"))));
    QVERIFY(reader.seek(130.0 / reader.info().fps));
    fa::VideoFrame frame;
    QVERIFY(reader.readFrame(&frame));
    QCOMPARE(frame.index, qint64(130));
    QCOMPARE(NearDuplicateFilter::perceptualHash(faceCrop(frame.image)), first);
}

void TestNearDuplicateFilter::inputTypes()
{
    cv::Mat grey;
    cv::cvtColor(m_crops[310], grey, cv::COLOR_BGR2GRAY);
    const quint64 greyHash = NearDuplicateFilter::perceptualHash(grey);
    cv::Mat bgr, bgra;
    cv::cvtColor(grey, bgr, cv::COLOR_GRAY2BGR);
    cv::cvtColor(grey, bgra, cv::COLOR_GRAY2BGRA);
    QCOMPARE(NearDuplicateFilter::perceptualHash(bgr), greyHash);
    QCOMPARE(NearDuplicateFilter::perceptualHash(bgra), greyHash);

    // A float image in [0,1] is scaled to 8 bits: nearly the same hash.
    cv::Mat unit;
    grey.convertTo(unit, CV_32F, 1.0 / 255.0);
    const int d = NearDuplicateFilter::hammingDistance(NearDuplicateFilter::perceptualHash(unit), greyHash);
    QVERIFY2(d <= 2, qPrintable(QString::number(d)));

    QCOMPARE(NearDuplicateFilter::perceptualHash(cv::Mat()), quint64(0));
    NearDuplicateFilter filter;
    QVERIFY(!filter.keepIfNew(cv::Mat()));
    QCOMPARE(filter.keptCount(), 0);
}

void TestNearDuplicateFilter::thresholds()
{
    const quint64 a = 0;
    const quint64 b = 0x7; // 3 bits away
    NearDuplicateFilter exact(0);
    QVERIFY(exact.keepHashIfNew(a));
    QVERIFY(!exact.keepHashIfNew(a));
    QVERIFY(exact.keepHashIfNew(b));

    NearDuplicateFilter three(3);
    QVERIFY(three.keepHashIfNew(a));
    QVERIFY(!three.keepHashIfNew(b));
    QVERIFY(three.keepHashIfNew(0xF)); // 4 bits away

    NearDuplicateFilter none(-5);
    QCOMPARE(none.maxHammingDistance(), -1);
    QVERIFY(none.keepHashIfNew(a));
    QVERIFY(none.keepHashIfNew(a));
    QCOMPARE(NearDuplicateFilter(100).maxHammingDistance(), 64);
    QCOMPARE(NearDuplicateFilter().maxHammingDistance(), NearDuplicateFilter::kDefaultMaxDistance);
}

QTEST_GUILESS_MAIN(TestNearDuplicateFilter)
#include "test_near_duplicate_filter.moc"
