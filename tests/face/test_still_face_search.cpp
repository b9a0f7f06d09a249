// StillFaceSearch on real photos: scan scales, every face of a group photo once, large faces
// with YuNet, tilted heads with and without the tilted search, sizes, empty input.
#include "face/face_detector.h"
#include "face/still_face_search.h"
#include "face_test_images.h"

#include <QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>

using fa::FaceDetection;
using fa::FaceDetector;
using fa::StillFaceSearch;
using fa::test::dataPath;

namespace {

cv::Mat readImage(const QString &relative)
{
    return fa::test::readDataImage(QStringLiteral("images/") + relative);
}

cv::Point2f centre(const cv::Rect2f &r) { return {r.x + r.width / 2, r.y + r.height / 2}; }

} // namespace

class TestStillFaceSearch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void scales_data();
    void scales();
    void groupPhotoOnce_data();
    void groupPhotoOnce();
    void largeFacesWithYuNet();
    void tilted_data();
    void tilted();
    void sizes();
    void deterministic();

private:
    FaceDetector m_dlib;
    FaceDetector m_yunet;
};

void TestStillFaceSearch::initTestCase()
{
    FaceDetector::Options options;
    options.backend = FaceDetector::Backend::YuNet;
    options.yunetModelPath = fa::test::yunetModelPath();
    QVERIFY2(m_yunet.setOptions(options), qPrintable(m_yunet.errorString()));
    QCOMPARE(FaceDetector::smallestScanFace(FaceDetector::Backend::DlibHog), 80);
    QCOMPARE(FaceDetector::largestScanFace(FaceDetector::Backend::DlibHog), 0);
    QCOMPARE(FaceDetector::largestScanFace(FaceDetector::Backend::YuNet), 256);
}

void TestStillFaceSearch::scales_data()
{
    QTest::addColumn<bool>("yunet");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<int>("minFace");
    QTest::addColumn<QList<double>>("expected");
    // dlib's 80-px window: 40-px faces need a 2x scan; 80 and up the image's own resolution.
    QTest::newRow("dlib 40") << false << 1280 << 853 << 40 << QList<double>{2.0};
    QTest::newRow("dlib 80") << false << 1280 << 853 << 80 << QList<double>{1.0};
    QTest::newRow("dlib 200") << false << 1280 << 853 << 200 << QList<double>{1.0};
    QTest::newRow("dlib 20") << false << 320 << 243 << 20 << QList<double>{4.0};
    // A 24-MP photo at 2x would be 96 M scan pixels: capped at 48 M.
    QTest::newRow("dlib capped") << false << 6000 << 4000 << 40 << QList<double>{std::sqrt(2.0)};
    // YuNet: its own resolution, then 0.4x steps until 256 px covers the shorter side.
    QTest::newRow("yunet portrait") << true << 1280 << 1920 << 40 << QList<double>{1.0, 0.4, 0.16};
    QTest::newRow("yunet small") << true << 320 << 243 << 40 << QList<double>{1.0};
    QTest::newRow("yunet 8") << true << 320 << 243 << 8 << QList<double>{1.25, 0.5};
}

void TestStillFaceSearch::scales()
{
    QFETCH(bool, yunet);
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(int, minFace);
    QFETCH(QList<double>, expected);
    StillFaceSearch::Options options;
    options.minFaceSize = minFace;
    const std::vector<double> scales = StillFaceSearch::scanScales(yunet ? m_yunet : m_dlib, width, height, options);
    QCOMPARE(int(scales.size()), int(expected.size()));
    for (size_t i = 0; i < scales.size(); ++i)
        QVERIFY2(std::abs(scales[i] - expected[int(i)]) < 1e-9, qPrintable(QString::number(scales[i])));
}

void TestStillFaceSearch::groupPhotoOnce_data()
{
    QTest::addColumn<bool>("yunet");
    QTest::addColumn<double>("tilt");
    QTest::addColumn<int>("atLeast");
    QTest::newRow("dlib") << false << 0.0 << 3;
    QTest::newRow("dlib tilted") << false << 25.0 << 3;
    QTest::newRow("yunet") << true << 0.0 << 5;
    QTest::newRow("yunet tilted") << true << 25.0 << 5;
}

// Every face once, whatever scans found it; largest first, all at or above the minimum size.
void TestStillFaceSearch::groupPhotoOnce()
{
    QFETCH(bool, yunet);
    QFETCH(double, tilt);
    QFETCH(int, atLeast);
    const cv::Mat image = readImage(QStringLiteral("pexels_expressions/group.jpeg"));
    StillFaceSearch::Options options;
    options.tiltAngle = tilt;
    const StillFaceSearch::Result result = StillFaceSearch::search(yunet ? m_yunet : m_dlib, image, options);
    qInfo("%d faces, %d too small, scale %.2f", int(result.faces.size()), int(result.tooSmall.size()), result.scale);
    QVERIFY(int(result.faces.size()) >= atLeast);
    QVERIFY(int(result.faces.size()) <= 5);
    for (size_t i = 0; i < result.faces.size(); ++i) {
        QVERIFY(result.faces[i].box.height >= 39.5f);
        if (i > 0)
            QVERIFY(result.faces[i - 1].box.area() >= result.faces[i].box.area());
        for (size_t j = 0; j < i; ++j)
            QVERIFY2((result.faces[i].box & result.faces[j].box).area() < 0.5f * result.faces[i].box.area(),
                     qPrintable(QStringLiteral("faces %1 and %2 overlap").arg(j).arg(i)));
    }
}

// A close-up portrait: YuNet's downscaled scans find the face, and the eyes and mouth its
// full-resolution scan takes for faces give way to it.
void TestStillFaceSearch::largeFacesWithYuNet()
{
    for (const char *file : {"pexels_expressions/angry.jpg", "pexels_expressions/sad-baby.jpeg",
                             "pexels_expressions/neutral.jpeg"}) {
        const cv::Mat image = readImage(QLatin1String(file));
        const StillFaceSearch::Result result = StillFaceSearch::search(m_yunet, image, {});
        QVERIFY2(!result.faces.empty(), file);
        const FaceDetection &largest = result.faces.front();
        QVERIFY2(largest.box.height > 0.3f * image.rows, file);
        for (size_t i = 1; i < result.faces.size(); ++i)
            QVERIFY2(!largest.box.contains(centre(result.faces[i].box)), file);
    }
}

void TestStillFaceSearch::tilted_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<double>("degrees");
    QTest::addColumn<double>("tilt");
    QTest::addColumn<bool>("found");
    const char *files[] = {"faceapi_expressions/happy.jpg", "faceapi_expressions/neutral.jpg",
                           "faceapi_expressions/surprised.jpg", "liveportrait/driving_d9.jpg",
                           "pexels_expressions/neutral.jpeg", "yale_faces/subject05_normal.png"};
    for (const char *file : files) {
        // The upright scan (dlib's rotated components) up to 35 degrees either way.
        for (const double degrees : {-35.0, -30.0, 30.0, 35.0})
            QTest::addRow("%s %+.0f", file, degrees) << QString::fromLatin1(file) << degrees << 0.0 << true;
        // The tilted search turns the image by 25 degrees either way: 45-55 degrees.
        for (const double degrees : {-55.0, -45.0, 45.0, 55.0})
            QTest::addRow("%s %+.0f tilted", file, degrees) << QString::fromLatin1(file) << degrees << 25.0 << true;
    }
    // Beyond the tilted search's reach.
    QTest::addRow("neutral.jpeg +90") << QStringLiteral("pexels_expressions/neutral.jpeg") << 90.0 << 25.0 << false;
}

void TestStillFaceSearch::tilted()
{
    QFETCH(QString, file);
    QFETCH(double, degrees);
    QFETCH(double, tilt);
    QFETCH(bool, found);
    const cv::Mat upright = readImage(file);
    const StillFaceSearch::Result before = StillFaceSearch::search(m_dlib, upright, {});
    QCOMPARE(int(before.faces.size()), 1);
    cv::Point2f where = centre(before.faces.front().box);
    const cv::Mat image = fa::test::turnedImage(upright, degrees, &where);
    StillFaceSearch::Options options;
    options.tiltAngle = tilt;
    const StillFaceSearch::Result result = StillFaceSearch::search(m_dlib, image, options);
    if (!found) {
        QCOMPARE(int(result.faces.size()), 0);
        return;
    }
    QCOMPARE(int(result.faces.size()), 1);
    const FaceDetection &face = result.faces.front();
    QVERIFY2(cv::norm(centre(face.box) - where) < 0.35 * before.faces.front().box.width,
             qPrintable(QStringLiteral("found at (%1, %2), expected (%3, %4)").arg(centre(face.box).x).arg(centre(face.box).y)
                            .arg(where.x).arg(where.y)));
    // Beyond the upright scan's reach, the face came from the scan turned back towards upright.
    if (std::abs(degrees) >= 55)
        QCOMPARE(face.roll, float(degrees > 0 ? -tilt : tilt));
}

// The minimum size: faces below it are counted apart; images smaller than it are not searched.
void TestStillFaceSearch::sizes()
{
    const cv::Mat group = readImage(QStringLiteral("pexels_expressions/group.jpeg"));
    StillFaceSearch::Options options;
    options.minFaceSize = 140;
    StillFaceSearch::Result result = StillFaceSearch::search(m_dlib, group, options);
    for (const FaceDetection &face : result.faces)
        QVERIFY(face.box.height >= 139.5f);
    for (const FaceDetection &face : result.tooSmall)
        QVERIFY(face.box.height < 139.5f);
    QCOMPARE(int(result.faces.size() + result.tooSmall.size()), 3);
    QVERIFY(!result.tooSmall.empty());

    // An image too large for the 2x scan the minimum needs: scanned at what the cap allows.
    options.minFaceSize = 40;
    options.maxScanPixels = 1e6;
    result = StillFaceSearch::search(m_dlib, group, options);
    QVERIFY(std::abs(result.scale - std::sqrt(1e6 / (1280.0 * 853))) < 1e-9);
    QCOMPARE(result.effectiveMinFaceSize, 84); // ceil(80 / 0.9575)
    QCOMPARE(int(result.faces.size()), 3);
    options.maxScanPixels = StillFaceSearch::Options().maxScanPixels;

    result = StillFaceSearch::search(m_dlib, cv::Mat(39, 200, CV_8UC3, cv::Scalar(128, 128, 128)), options);
    QVERIFY(result.imageTooSmall);
    result = StillFaceSearch::search(m_dlib, cv::Mat(40, 40, CV_8UC3, cv::Scalar(128, 128, 128)), options);
    QVERIFY(!result.imageTooSmall);
    QVERIFY(result.faces.empty());
    result = StillFaceSearch::search(m_dlib, cv::Mat(), options);
    QVERIFY(result.faces.empty() && !result.imageTooSmall);
    result = StillFaceSearch::search(m_yunet, cv::Mat(480, 640, CV_8UC3, cv::Scalar(0, 0, 0)), options);
    QVERIFY(result.faces.empty());
}

void TestStillFaceSearch::deterministic()
{
    const cv::Mat image = readImage(QStringLiteral("pexels_expressions/group.jpeg"));
    StillFaceSearch::Options options;
    options.tiltAngle = 25;
    const StillFaceSearch::Result a = StillFaceSearch::search(m_dlib, image, options);
    const StillFaceSearch::Result b = StillFaceSearch::search(m_dlib, image, options);
    QCOMPARE(a.faces.size(), b.faces.size());
    for (size_t i = 0; i < a.faces.size(); ++i) {
        QCOMPARE(a.faces[i].box, b.faces[i].box);
        QCOMPARE(a.faces[i].score, b.faces[i].score);
    }
}

QTEST_GUILESS_MAIN(TestStillFaceSearch)
#include "test_still_face_search.moc"
