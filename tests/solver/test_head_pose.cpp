#include "solver/head_pose.h"

#include <QtTest>

#include <cmath>

namespace {

const cv::Size kImage(512, 512);

// Projects the estimator's own 3-D model at `pose`, 600 mm in front of the camera (slightly
// off-centre), with `noise` pixels of deterministic jitter.
fa::FaceLandmarks project(const fa::HeadPose &pose, float noise = 0.f)
{
    const cv::Matx33d r = fa::HeadPoseEstimator::cameraRotation(pose);
    const cv::Matx33d k = fa::HeadPoseEstimator::cameraMatrix(kImage);
    const cv::Vec3d t(15, -10, 600);
    fa::FaceLandmarks lm;
    int n = 0;
    for (const auto &m : fa::HeadPoseEstimator::modelPoints()) {
        const cv::Vec3d c = r * cv::Vec3d(m.mm.x, m.mm.y, m.mm.z) + t;
        const cv::Vec3d p = k * c;
        const float jitter = noise * float((n * 7919) % 5 - 2) / 2.f; // -noise..noise
        lm.points[size_t(m.landmark)] = cv::Point2f(float(p[0] / p[2]) + jitter,
                                                    float(p[1] / p[2]) - jitter);
        ++n;
    }
    // The other 55 points are not used by the estimator; spread them so isEmpty() is false.
    for (int i = 0; i < fa::FaceLandmarks::kCount; ++i)
        if (lm.points[size_t(i)] == cv::Point2f())
            lm.points[size_t(i)] = cv::Point2f(200.f + float(i), 300.f);
    return lm;
}

} // namespace

class TestHeadPose : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void recoversKnownAngles_data();
    void recoversKnownAngles();
    void signConventions();
    void rejectsBadInput();
};

void TestHeadPose::recoversKnownAngles_data()
{
    QTest::addColumn<float>("yaw");
    QTest::addColumn<float>("pitch");
    QTest::addColumn<float>("roll");
    QTest::addColumn<float>("noise");
    QTest::newRow("frontal") << 0.f << 0.f << 0.f << 0.f;
    QTest::newRow("yaw left 25") << 25.f << 0.f << 0.f << 0.f;
    QTest::newRow("yaw right 25") << -25.f << 0.f << 0.f << 0.f;
    QTest::newRow("look up 15") << 0.f << 15.f << 0.f << 0.f;
    QTest::newRow("look down 20") << 0.f << -20.f << 0.f << 0.f;
    QTest::newRow("roll left 20") << 0.f << 0.f << 20.f << 0.f;
    QTest::newRow("roll right 15") << 0.f << 0.f << -15.f << 0.f;
    QTest::newRow("combined") << 20.f << -10.f << 8.f << 0.f;
    QTest::newRow("combined 2") << -15.f << 12.f << -10.f << 0.f;
    QTest::newRow("combined, 0.5 px noise") << 18.f << 8.f << -6.f << 0.5f;
    QTest::newRow("strong yaw, 0.5 px noise") << -35.f << -5.f << 5.f << 0.5f;
}

void TestHeadPose::recoversKnownAngles()
{
    QFETCH(float, yaw);
    QFETCH(float, pitch);
    QFETCH(float, roll);
    QFETCH(float, noise);
    fa::HeadPose truth;
    truth.yaw = yaw;
    truth.pitch = pitch;
    truth.roll = roll;
    const fa::HeadPose pose = fa::HeadPoseEstimator().estimate(project(truth, noise), kImage);
    QVERIFY(pose.valid);
    const float tolerance = 2.f;
    QVERIFY2(std::fabs(pose.yaw - yaw) < tolerance, qPrintable(QString::number(pose.yaw)));
    QVERIFY2(std::fabs(pose.pitch - pitch) < tolerance, qPrintable(QString::number(pose.pitch)));
    QVERIFY2(std::fabs(pose.roll - roll) < tolerance, qPrintable(QString::number(pose.roll)));
}

// The documented convention, checked on image geometry rather than on the rotation helper.
void TestHeadPose::signConventions()
{
    auto noseOffset = [](const fa::FaceLandmarks &lm) {
        const cv::Point2f eyes = (lm.points[39] + lm.points[42]) * 0.5f;
        return lm.points[30] - eyes;
    };
    const fa::FaceLandmarks frontal = project(fa::HeadPose());
    fa::HeadPose p;
    p.yaw = 20;
    // Turning to the actor's own left moves the nose to the image's right.
    QVERIFY(noseOffset(project(p)).x > noseOffset(frontal).x + 5.f);
    p = fa::HeadPose();
    p.pitch = 15;
    // Looking up brings the nose tip closer to the eyes in the image.
    QVERIFY(noseOffset(project(p)).y < noseOffset(frontal).y - 5.f);
    p = fa::HeadPose();
    p.roll = 15;
    // Tilting to the actor's left lowers the actor's left eye (on the image's right).
    const fa::FaceLandmarks tilted = project(p);
    QVERIFY(tilted.points[45].x > tilted.points[36].x);
    QVERIFY(tilted.points[45].y > tilted.points[36].y + 10.f);
}

void TestHeadPose::rejectsBadInput()
{
    const fa::HeadPoseEstimator estimator;
    QVERIFY(!estimator.estimate(fa::FaceLandmarks(), kImage).valid);
    QVERIFY(!estimator.estimate(project(fa::HeadPose()), cv::Size()).valid);
    fa::FaceLandmarks nan = project(fa::HeadPose());
    nan.points[30].x = std::nanf("");
    QVERIFY(!estimator.estimate(nan, kImage).valid);
}

QTEST_GUILESS_MAIN(TestHeadPose)
#include "test_head_pose.moc"
