#include "face/face_cropper.h"

#include <QtTest>

#include <opencv2/imgproc.hpp>

#include <cmath>

using fa::FaceCropper;

Q_DECLARE_METATYPE(cv::Point2f)
Q_DECLARE_METATYPE(cv::Size)

namespace {

// Intensity-weighted centroid of the pixels of `channel` brighter than 64 inside `roi`.
cv::Point2f blobCentre(const cv::Mat &bgr, int channel, const cv::Rect &roi = cv::Rect())
{
    cv::Mat plane;
    cv::extractChannel(bgr, plane, channel);
    const cv::Rect area = roi.area() > 0 ? roi & cv::Rect(0, 0, plane.cols, plane.rows)
                                         : cv::Rect(0, 0, plane.cols, plane.rows);
    double sx = 0, sy = 0, sw = 0;
    for (int y = area.y; y < area.br().y; ++y)
        for (int x = area.x; x < area.br().x; ++x) {
            const double w = plane.at<uchar>(y, x);
            if (w > 64) {
                sx += w * x;
                sy += w * y;
                sw += w;
            }
        }
    return sw > 0 ? cv::Point2f(float(sx / sw), float(sy / sw)) : cv::Point2f(-1000, -1000);
}

// A grey frame with a red disc on the subject's right eye and a green disc on the left eye;
// discs are drawn with sub-pixel centres (shift 4) and antialiasing.
cv::Mat syntheticFace(cv::Size size, cv::Point2f rightEye, cv::Point2f leftEye, int radius)
{
    cv::Mat image(size, CV_8UC3, cv::Scalar(40, 40, 40));
    const auto fixed = [](cv::Point2f p) { return cv::Point(cvRound(p.x * 16), cvRound(p.y * 16)); };
    cv::circle(image, fixed(rightEye), radius * 16, cv::Scalar(0, 0, 255), cv::FILLED, cv::LINE_AA, 4);
    cv::circle(image, fixed(leftEye), radius * 16, cv::Scalar(0, 255, 0), cv::FILLED, cv::LINE_AA, 4);
    return image;
}

cv::Point2f apply(const cv::Mat &m, cv::Point2f p)
{
    return {float(m.at<double>(0, 0) * p.x + m.at<double>(0, 1) * p.y + m.at<double>(0, 2)),
            float(m.at<double>(1, 0) * p.x + m.at<double>(1, 1) * p.y + m.at<double>(1, 2))};
}

} // namespace

class TestFaceCropper : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaults();
    void eyesLanded_data();
    void eyesLanded();
    void cropBox();
    void badInput();
};

void TestFaceCropper::defaults()
{
    // The whole-face framing.
    const FaceCropper cropper;
    QCOMPARE(cropper.options().size, 224);
    QCOMPARE(cropper.options().eyeDistance, 0.25f);
    QCOMPARE(cropper.options().eyeLine, 0.34f);
    QCOMPARE(cropper.options().boxScale, 1.64f);
    QCOMPARE(cropper.options().boxShiftY, 0.026f);
    // 224 * (0.5 -/+ 0.125) - 0.5 = 83.5 / 139.5; 224 * 0.34 - 0.5 = 75.66.
    QVERIFY(std::abs(cropper.rightEyeTarget().x - 83.5f) < 1e-3f);
    QVERIFY(std::abs(cropper.leftEyeTarget().x - 139.5f) < 1e-3f);
    QVERIFY(std::abs(cropper.leftEyeTarget().y - 75.66f) < 1e-3f);
    const FaceCropper::Options whole = FaceCropper::framingOptions(FaceCropper::Framing::WholeFace, 112);
    QCOMPARE(whole.size, 112);
    QCOMPARE(whole.eyeDistance, 0.25f);
    // The framing of projects made before whole-face crops.
    const FaceCropper::Options compact = FaceCropper::framingOptions(FaceCropper::Framing::Compact);
    QCOMPARE(compact.size, 224);
    QCOMPARE(compact.eyeDistance, 0.35f);
    QCOMPARE(compact.eyeLine, 0.40f);
    QCOMPARE(compact.boxScale, 1.17f);
    QCOMPARE(compact.boxShiftY, -0.09f);
    // The face core: the compact crop's square inside a whole-face crop, the whole compact crop.
    QCOMPARE(cropper.faceCore(), cv::Rect(32, 12, 160, 160));
    QCOMPARE(FaceCropper(compact).faceCore(), cv::Rect(0, 0, 224, 224));
}

void TestFaceCropper::eyesLanded_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<float>("eyeDistance");
    QTest::addColumn<float>("eyeLine");
    QTest::addColumn<cv::Point2f>("rightEye"); // the subject's right eye: image left
    QTest::addColumn<cv::Point2f>("leftEye");
    QTest::addColumn<cv::Size>("frame");
    // Eye-disc radius in the frame is a tenth of the eye distance.
    QTest::newRow("level, 224") << 224 << 0.35f << 0.40f << cv::Point2f(200, 240)
                                << cv::Point2f(300, 240) << cv::Size(640, 480);
    QTest::newRow("tilted 20 deg") << 224 << 0.35f << 0.40f << cv::Point2f(200.3f, 250.7f)
                                   << cv::Point2f(294.3f, 216.5f) << cv::Size(640, 480);
    QTest::newRow("tilted -35 deg, 128") << 128 << 0.40f << 0.45f << cv::Point2f(150, 200)
                                         << cv::Point2f(232, 257.4f) << cv::Size(480, 480);
    QTest::newRow("upscaled small face") << 256 << 0.35f << 0.40f << cv::Point2f(40.5f, 50)
                                         << cv::Point2f(70.5f, 52) << cv::Size(120, 100);
    QTest::newRow("large frame, 4x down") << 224 << 0.35f << 0.40f << cv::Point2f(900, 1100)
                                          << cv::Point2f(1213.6f, 1100) << cv::Size(1920, 1920);
    QTest::newRow("upside down") << 112 << 0.30f << 0.35f << cv::Point2f(300, 200)
                                 << cv::Point2f(200, 210) << cv::Size(400, 400);
}

void TestFaceCropper::eyesLanded()
{
    QFETCH(int, size);
    QFETCH(float, eyeDistance);
    QFETCH(float, eyeLine);
    QFETCH(cv::Point2f, rightEye);
    QFETCH(cv::Point2f, leftEye);
    QFETCH(cv::Size, frame);
    const int radius = std::max(2, int(cv::norm(leftEye - rightEye) / 10));
    const cv::Mat image = syntheticFace(frame, rightEye, leftEye, radius);

    FaceCropper::Options options;
    options.size = size;
    options.eyeDistance = eyeDistance;
    options.eyeLine = eyeLine;
    const FaceCropper cropper(options);
    cv::Mat transform;
    const cv::Mat crop = cropper.crop(image, leftEye, rightEye, &transform);
    QCOMPARE(crop.cols, size);
    QCOMPARE(crop.rows, size);
    QCOMPARE(crop.type(), CV_8UC3);
    QCOMPARE(transform.rows, 2);
    QCOMPARE(transform.cols, 3);
    QCOMPARE(transform.type(), CV_64F);

    const cv::Point2f rightTarget(size * (0.5f - eyeDistance / 2) - 0.5f, size * eyeLine - 0.5f);
    const cv::Point2f leftTarget(size * (0.5f + eyeDistance / 2) - 0.5f, size * eyeLine - 0.5f);
    // The transform maps the eyes exactly ...
    QVERIFY(cv::norm(apply(transform, rightEye) - rightTarget) < 1e-3);
    QVERIFY(cv::norm(apply(transform, leftEye) - leftTarget) < 1e-3);
    // ... and the pixels agree: red disc (subject's right eye) left, green disc right.
    const cv::Point2f red = blobCentre(crop, 2);
    const cv::Point2f green = blobCentre(crop, 1);
    qInfo("red disc at (%.2f, %.2f), target (%.2f, %.2f); green at (%.2f, %.2f), target (%.2f, %.2f)",
          red.x, red.y, rightTarget.x, rightTarget.y, green.x, green.y, leftTarget.x, leftTarget.y);
    QVERIFY2(cv::norm(red - rightTarget) < 1.0, "right eye more than 1 px off");
    QVERIFY2(cv::norm(green - leftTarget) < 1.0, "left eye more than 1 px off");
}

void TestFaceCropper::cropBox()
{
    // A box around a disc: the disc lands in the centre, scaled by size / (boxScale * side).
    const cv::Mat image = syntheticFace(cv::Size(640, 480), cv::Point2f(320.5f, 200.5f),
                                        cv::Point2f(-100, -100), 50);
    const cv::Rect2f box(271, 151, 100, 100); // edges of the disc (centre 320.5 = 271 + 50 - 0.5)
    FaceCropper::Options options;
    options.size = 130;
    options.boxScale = 1.3f; // crop side 130 px of frame: scale 1
    options.boxShiftY = 0.0f;
    const FaceCropper cropper(options);
    cv::Mat transform;
    const cv::Mat crop = cropper.cropBox(image, box, &transform);
    QCOMPARE(crop.size(), cv::Size(130, 130));
    const cv::Point2f red = blobCentre(crop, 2);
    QVERIFY2(cv::norm(red - cv::Point2f(64.5f, 64.5f)) < 0.5, qPrintable(QStringLiteral("%1 %2").arg(red.x).arg(red.y)));
    QVERIFY(std::abs(transform.at<double>(0, 0) - 1.0) < 1e-6);
    QVERIFY(std::abs(transform.at<double>(0, 1)) < 1e-9);

    // Half size: scale 0.5, same centre.
    options.size = 65;
    const cv::Mat small = FaceCropper(options).cropBox(image, box, &transform);
    QCOMPARE(small.size(), cv::Size(65, 65));
    QVERIFY(cv::norm(blobCentre(small, 2) - cv::Point2f(32, 32)) < 0.5);
    QVERIFY(std::abs(transform.at<double>(0, 0) - 0.5) < 1e-6);

    // A box at the frame corner: the outside is black (BORDER_CONSTANT).
    options.size = 100;
    const cv::Mat corner = FaceCropper(options).cropBox(image, cv::Rect2f(-50, -50, 100, 100));
    QCOMPARE(corner.size(), cv::Size(100, 100));
    QCOMPARE(corner.at<cv::Vec3b>(2, 2), cv::Vec3b(0, 0, 0));
    QCOMPARE(corner.at<cv::Vec3b>(98, 98), cv::Vec3b(40, 40, 40));

    // boxShiftY moves the crop up by a fraction of its side: the disc moves down in the crop.
    options.size = 130;
    options.boxShiftY = -0.1f;
    const cv::Mat shifted = FaceCropper(options).cropBox(image, box);
    QVERIFY(cv::norm(blobCentre(shifted, 2) - cv::Point2f(64.5f, 77.5f)) < 0.5);
}

void TestFaceCropper::badInput()
{
    const FaceCropper cropper;
    const cv::Mat image(100, 100, CV_8UC3, cv::Scalar::all(50));
    QVERIFY(cropper.crop(cv::Mat(), {60, 50}, {40, 50}).empty());
    QVERIFY(cropper.crop(image, {50, 50}, {50, 50}).empty()); // coincident eyes
    QVERIFY(cropper.crop(cv::Mat(10, 10, CV_32FC3), {6, 5}, {4, 5}).empty());
    QVERIFY(cropper.cropBox(image, cv::Rect2f()).empty());
    QVERIFY(cropper.cropBox(image, cv::Rect2f(10, 10, -5, 20)).empty());
    // Grey and BGRA frames are accepted and give BGR.
    const cv::Mat grey(100, 100, CV_8UC1, cv::Scalar::all(77));
    const cv::Mat crop = cropper.crop(grey, {60, 50}, {40, 50});
    QCOMPARE(crop.type(), CV_8UC3);
    QCOMPARE(crop.at<cv::Vec3b>(112, 112), cv::Vec3b(77, 77, 77));
    QCOMPARE(cropper.cropBox(cv::Mat(100, 100, CV_8UC4, cv::Scalar::all(9)), cv::Rect2f(20, 20, 50, 50)).type(),
             CV_8UC3);
    // An eye far outside the frame: a black crop, no crash.
    const cv::Mat outside = cropper.crop(image, {5060, 50}, {5040, 50});
    QCOMPARE(outside.size(), cv::Size(224, 224));
    QCOMPARE(cv::countNonZero(outside.reshape(1)), 0);
}

QTEST_GUILESS_MAIN(TestFaceCropper)
#include "test_face_cropper.moc"
