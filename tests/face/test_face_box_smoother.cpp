#include "face/face_box_smoother.h"

#include <QtTest>

#include <cmath>
#include <random>
#include <vector>

using fa::FaceBoxSmoother;

Q_DECLARE_METATYPE(cv::Rect2f)

namespace {

cv::Point2f centre(const cv::Rect2f &r)
{
    return {r.x + r.width / 2, r.y + r.height / 2};
}

// RMS distance of the box centres from the true centres, and RMS frame-to-frame change of
// (centre - truth): the visible jitter.
struct Error
{
    double rms = 0;
    double jitter = 0;
};

Error measure(const std::vector<cv::Rect2f> &boxes, const std::vector<cv::Rect2f> &truth, size_t from)
{
    Error e;
    double sum = 0, sumJ = 0, sizeSum = 0;
    int n = 0;
    for (size_t i = from; i < boxes.size(); ++i, ++n) {
        const cv::Point2f d = centre(boxes[i]) - centre(truth[i]);
        sum += d.dot(d);
        sizeSum += std::pow(boxes[i].width - truth[i].width, 2);
        if (i > from) {
            const cv::Point2f dp = centre(boxes[i - 1]) - centre(truth[i - 1]);
            sumJ += (d - dp).dot(d - dp);
        }
    }
    e.rms = std::sqrt((sum + sizeSum) / n);
    e.jitter = std::sqrt(sumJ / (n - 1));
    return e;
}

} // namespace

class TestFaceBoxSmoother : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void firstBoxUnchanged();
    void reducesJitter_data();
    void reducesJitter();
    void followsMotion();
    void resetsOnJump_data();
    void resetsOnJump();
    void resetsOnEmptyBox();
};

void TestFaceBoxSmoother::firstBoxUnchanged()
{
    FaceBoxSmoother smoother;
    QVERIFY(!smoother.hasState());
    const cv::Rect2f box(100, 120, 80, 90);
    QCOMPARE(smoother.update(box), box);
    QVERIFY(smoother.hasState());
    smoother.reset();
    QVERIFY(!smoother.hasState());
    const cv::Rect2f other(110, 125, 82, 88);
    QCOMPARE(smoother.update(other), other);
}

void TestFaceBoxSmoother::reducesJitter_data()
{
    QTest::addColumn<double>("speed"); // true motion, pixels per frame
    QTest::addColumn<double>("noise"); // detector noise, pixels (standard deviation)
    QTest::newRow("still face") << 0.0 << 3.0;
    QTest::newRow("slow pan") << 0.5 << 3.0;
    QTest::newRow("small noise") << 0.0 << 1.0;
    QTest::newRow("moving") << 2.0 << 4.0;
}

void TestFaceBoxSmoother::reducesJitter()
{
    QFETCH(double, speed);
    QFETCH(double, noise);
    std::mt19937 random(7);
    std::normal_distribution<double> gauss(0.0, noise);
    std::vector<cv::Rect2f> truth, raw, smoothed;
    FaceBoxSmoother smoother;
    for (int i = 0; i < 300; ++i) {
        // A 150-px face moving on a slow sine (a head sway) with the given mean speed.
        const double x = 200 + speed * i + 10 * std::sin(i / 25.0);
        const double y = 180 + 5 * std::sin(i / 40.0);
        const cv::Rect2f t(float(x), float(y), 150, 150);
        const cv::Rect2f r(float(x + gauss(random)), float(y + gauss(random)),
                           float(150 + gauss(random)), float(150 + gauss(random)));
        truth.push_back(t);
        raw.push_back(r);
        smoothed.push_back(smoother.update(r));
    }
    const Error before = measure(raw, truth, 30);
    const Error after = measure(smoothed, truth, 30);
    qInfo("speed %.1f px/frame, noise %.1f px: RMS error %.2f -> %.2f px, jitter %.2f -> %.2f px",
          speed, noise, before.rms, after.rms, before.jitter, after.jitter);
    QVERIFY(after.jitter < 0.5 * before.jitter);
    QVERIFY(after.rms < 0.8 * before.rms);
}

void TestFaceBoxSmoother::followsMotion()
{
    // A fast but continuous move (10 px/frame on a 150-px face, 2 box sides per second) must
    // not lag far behind: the speed-dependent cutoff opens.
    FaceBoxSmoother smoother;
    cv::Rect2f last;
    for (int i = 0; i < 60; ++i)
        last = smoother.update(cv::Rect2f(float(100 + 10 * i), 100, 150, 150));
    const float lag = 100 + 10 * 59 - last.x;
    qInfo("lag at 10 px/frame: %.2f px", lag);
    QVERIFY(lag >= 0);
    QVERIFY(lag < 10); // less than one frame of motion
    QVERIFY(std::abs(last.width - 150) < 0.5f);
}

void TestFaceBoxSmoother::resetsOnJump_data()
{
    QTest::addColumn<cv::Rect2f>("jump");
    QTest::addColumn<bool>("resets");
    QTest::newRow("far move") << cv::Rect2f(400, 100, 100, 100) << true;
    QTest::newRow("much bigger") << cv::Rect2f(80, 80, 200, 200) << true;
    QTest::newRow("much smaller") << cv::Rect2f(120, 120, 50, 50) << true;
    QTest::newRow("small move") << cv::Rect2f(110, 100, 100, 100) << false;
}

void TestFaceBoxSmoother::resetsOnJump()
{
    QFETCH(cv::Rect2f, jump);
    QFETCH(bool, resets);
    FaceBoxSmoother smoother;
    for (int i = 0; i < 30; ++i)
        smoother.update(cv::Rect2f(100, 100, 100, 100));
    const cv::Rect2f out = smoother.update(jump);
    if (resets) {
        QCOMPARE(out, jump); // the new track starts where the detector is
    } else {
        QVERIFY(out != jump); // smoothed: between the old and the new box
        QVERIFY(out.x > 100 && out.x < jump.x);
    }
}

void TestFaceBoxSmoother::resetsOnEmptyBox()
{
    FaceBoxSmoother smoother;
    for (int i = 0; i < 30; ++i)
        smoother.update(cv::Rect2f(100, 100, 100, 100));
    QCOMPARE(smoother.update(cv::Rect2f()), cv::Rect2f()); // a frame without a face
    QVERIFY(!smoother.hasState());
    const cv::Rect2f next(115, 100, 100, 100); // would be smoothed without the reset
    QCOMPARE(smoother.update(next), next);
}

QTEST_GUILESS_MAIN(TestFaceBoxSmoother)
#include "test_face_box_smoother.moc"
