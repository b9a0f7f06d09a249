#include "common/arkit.h"
#include "common/atomic_file.h"
#include "media/video_reader.h"
#include "solver/head_pose.h"
#include "solver/landmark_detector.h"
#include "solver/landmark_features.h"
#include "solver/landmark_solver.h"

#include <QtTest>

#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/opencv/cv_image.h>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>

using fa::ArkitShape;

namespace {

// A real neutral face: dlib's landmarks on frame 0 of liveportrait_d3 (512x512), whole pixels.
const std::array<cv::Point2f, 68> kTemplate = {{
    {129, 265}, {128, 303}, {131, 340}, {136, 377}, {147, 411}, {167, 442}, {196, 467}, {230, 487},
    {268, 494}, {306, 489}, {340, 470}, {368, 443}, {389, 412}, {401, 377}, {410, 342}, {419, 305},
    {423, 267}, {156, 231}, {176, 215}, {202, 210}, {228, 214}, {253, 223}, {297, 225}, {323, 215},
    {351, 210}, {378, 216}, {398, 233}, {276, 253}, {276, 279}, {276, 305}, {276, 331}, {246, 352},
    {259, 358}, {273, 362}, {287, 360}, {300, 354}, {182, 256}, {197, 243}, {218, 245}, {237, 262},
    {217, 265}, {196, 264}, {312, 263}, {330, 245}, {351, 244}, {368, 258}, {353, 266}, {332, 266},
    {215, 403}, {237, 390}, {257, 383}, {272, 387}, {286, 384}, {304, 393}, {323, 409}, {303, 421},
    {285, 427}, {269, 427}, {253, 425}, {235, 418}, {225, 404}, {256, 400}, {271, 401}, {286, 401},
    {314, 408}, {285, 406}, {270, 406}, {255, 405},
}};

fa::FaceLandmarks templateFace()
{
    fa::FaceLandmarks lm;
    lm.points = kTemplate;
    return lm;
}

// Moves landmarks in face millimetres along the face's own axes (x to the actor's left, y down).
struct FaceEditor
{
    fa::FaceLandmarks lm = templateFace();
    cv::Point2f ex, ey;
    float pxPerMm = 0;

    FaceEditor()
    {
        const auto &p = lm.points;
        const cv::Point2f axis = (p[42] + p[45]) * 0.5f - (p[36] + p[39]) * 0.5f;
        ex = axis / std::hypot(axis.x, axis.y);
        ey = cv::Point2f(-ex.y, ex.x);
        pxPerMm = fa::LandmarkFeatures::faceScale(lm);
    }
    void move(std::initializer_list<int> indices, float dxMm, float dyMm)
    {
        for (int i : indices)
            lm.points[size_t(i)] += (ex * dxMm + ey * dyMm) * pxPerMm;
    }
    // Face-frame y distance in mm from point a to point b.
    float dy(int a, int b) const { return (lm.points[size_t(b)] - lm.points[size_t(a)]).dot(ey) / pxPerMm; }
    float dx(int a, int b) const { return (lm.points[size_t(b)] - lm.points[size_t(a)]).dot(ex) / pxPerMm; }
};

using Edit = std::function<void(FaceEditor &)>;
using Expectations = QList<QPair<int, float>>;

fa::FaceLandmarks similarity(const fa::FaceLandmarks &lm, double degrees, float scale, cv::Point2f shift)
{
    const double a = degrees * 3.14159265358979 / 180.0;
    const float c = float(std::cos(a)) * scale, s = float(std::sin(a)) * scale;
    fa::FaceLandmarks out;
    for (int i = 0; i < fa::FaceLandmarks::kCount; ++i) {
        const cv::Point2f p = lm.points[size_t(i)];
        out.points[size_t(i)] = cv::Point2f(c * p.x - s * p.y, s * p.x + c * p.y) + shift;
    }
    return out;
}

float shape(const std::array<float, 52> &w, ArkitShape s)
{
    return w[size_t(int(s))];
}

} // namespace

Q_DECLARE_METATYPE(Edit)
Q_DECLARE_METATYPE(Expectations)

class TestLandmarkSolver : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void detectorErrors();
    void neutralSolvesToZero();
    void syntheticExpressions_data();
    void syntheticExpressions();
    void rollAndScaleInvariance();
    void clipCalibration();
    void liveportraitD3();
};

void TestLandmarkSolver::detectorErrors()
{
    fa::LandmarkDetector detector;
    QVERIFY(!detector.isLoaded());
    QVERIFY(detector.detect(cv::Mat(64, 64, CV_8UC3, cv::Scalar::all(0)), cv::Rect2f(8, 8, 40, 40)).isEmpty());

    const QString missing = QStringLiteral("/nonexistent/shape_predictor.dat");
    QVERIFY(!detector.load(missing));
    QVERIFY2(detector.errorString().startsWith(missing), qPrintable(detector.errorString()));

    QDir().mkpath(QStringLiteral(FA_TEST_OUTPUT_DIR));
    const QString bogus = QStringLiteral(FA_TEST_OUTPUT_DIR "/not_a_model.dat");
    QVERIFY(fa::writeFileAtomically(bogus, QByteArray("this is not a dlib model\n")));
    QVERIFY(!detector.load(bogus));
    QVERIFY2(detector.errorString().startsWith(bogus), qPrintable(detector.errorString()));
    QVERIFY(!detector.isLoaded());
}

void TestLandmarkSolver::neutralSolvesToZero()
{
    const fa::LandmarkFeatures neutral = fa::LandmarkFeatures::compute(templateFace());
    QVERIFY(neutral.valid);
    // Plausible face millimetres (see LandmarkFeatures).
    QVERIFY2(neutral.mouthWidth > 40 && neutral.mouthWidth < 60, qPrintable(QString::number(neutral.mouthWidth)));
    QVERIFY2(neutral.jawDrop > 50 && neutral.jawDrop < 75, qPrintable(QString::number(neutral.jawDrop)));
    QVERIFY2(neutral.eyeOpenLeft > 6 && neutral.eyeOpenLeft < 14, qPrintable(QString::number(neutral.eyeOpenLeft)));

    fa::LandmarkSolver solver;
    QVERIFY(!solver.isCalibrated());
    QCOMPARE(solver.solve(neutral), (std::array<float, 52>{}));
    solver.setNeutral(neutral);
    QVERIFY(solver.isCalibrated());
    const auto w = solver.solve(neutral);
    for (int i = 0; i < fa::arkit::kShapeCount; ++i)
        QVERIFY2(w[size_t(i)] == 0.f, qPrintable(fa::arkit::canonicalName(i)));
    QCOMPARE(solver.solve(fa::LandmarkFeatures()), (std::array<float, 52>{}));
    QVERIFY(!fa::LandmarkFeatures::compute(fa::FaceLandmarks()).valid);
}

void TestLandmarkSolver::syntheticExpressions_data()
{
    using S = fa::LandmarkSolver;
    QTest::addColumn<Edit>("edit");
    QTest::addColumn<Expectations>("expected");
    auto e = [](ArkitShape s, float v) { return qMakePair(int(s), v); };

    // Closing the lids: the upper lid points go to the lower ones.
    auto closeLeft = [](FaceEditor &f) {
        f.move({43}, 0, f.dy(43, 47));
        f.move({44}, 0, f.dy(44, 46));
    };
    auto closeRight = [](FaceEditor &f) {
        f.move({37}, 0, f.dy(37, 41));
        f.move({38}, 0, f.dy(38, 40));
    };
    QTest::newRow("eyes closed") << Edit([=](FaceEditor &f) { closeLeft(f); closeRight(f); })
                                 << Expectations{e(ArkitShape::EyeBlinkLeft, 1), e(ArkitShape::EyeBlinkRight, 1),
                                                 e(ArkitShape::EyeWideLeft, 0), e(ArkitShape::JawOpen, 0)};
    QTest::newRow("left eye closed (wink)")
        << Edit(closeLeft)
        << Expectations{e(ArkitShape::EyeBlinkLeft, 1), e(ArkitShape::EyeBlinkRight, 0)};
    QTest::newRow("right eye closed (wink)")
        << Edit(closeRight)
        << Expectations{e(ArkitShape::EyeBlinkLeft, 0), e(ArkitShape::EyeBlinkRight, 1)};
    const float halfBlink = (1.f - 0.5f - S::kEyeDeadZone) / (1.f - S::kBlinkClosedOpenness - S::kEyeDeadZone);
    QTest::newRow("eyes half closed")
        << Edit([](FaceEditor &f) {
               f.move({37}, 0, 0.5f * f.dy(37, 41));
               f.move({38}, 0, 0.5f * f.dy(38, 40));
               f.move({43}, 0, 0.5f * f.dy(43, 47));
               f.move({44}, 0, 0.5f * f.dy(44, 46));
           })
        << Expectations{e(ArkitShape::EyeBlinkLeft, halfBlink), e(ArkitShape::EyeBlinkRight, halfBlink)};
    QTest::newRow("eyes wide (+30 %)")
        << Edit([](FaceEditor &f) {
               f.move({37}, 0, -0.3f * f.dy(37, 41));
               f.move({38}, 0, -0.3f * f.dy(38, 40));
               f.move({43}, 0, -0.3f * f.dy(43, 47));
               f.move({44}, 0, -0.3f * f.dy(44, 46));
           })
        << Expectations{e(ArkitShape::EyeWideLeft, (0.3f - S::kEyeDeadZone) / S::kEyeWideRise),
                        e(ArkitShape::EyeWideRight, (0.3f - S::kEyeDeadZone) / S::kEyeWideRise),
                        e(ArkitShape::EyeBlinkLeft, 0), e(ArkitShape::EyeBlinkRight, 0)};
    QTest::newRow("cheeks raise the lower lids 1.3 mm")
        << Edit([](FaceEditor &f) { f.move({40, 41, 46, 47}, 0, -1.3f); })
        << Expectations{e(ArkitShape::EyeSquintLeft, (1.3f - S::kLidDeadZone) / S::kSquintRise),
                        e(ArkitShape::CheekSquintRight, (1.3f - S::kLidDeadZone) / S::kCheekSquintRise)};

    // Jaw: the chin, lower jaw line and lower lip drop 15 mm; the lip corners follow at the
    // fraction of the opening where they sit (kCornerLineFraction), as on a real face.
    const float drop = 15.f;
    QTest::newRow("mouth open 15 mm")
        << Edit([=](FaceEditor &f) {
               f.move({5, 6, 7, 8, 9, 10, 11, 55, 56, 57, 58, 59, 65, 66, 67}, 0, drop);
               f.move({48, 54, 60, 64}, 0, fa::LandmarkFeatures::kCornerLineFraction * drop);
           })
        << Expectations{e(ArkitShape::JawOpen, (drop - S::kJawDeadZone) / S::kJawOpenRange),
                        e(ArkitShape::MouthClose, 0), e(ArkitShape::MouthSmileLeft, 0),
                        e(ArkitShape::MouthFrownRight, 0), e(ArkitShape::MouthPucker, 0),
                        e(ArkitShape::EyeBlinkLeft, 0)};
    QTest::newRow("jaw open 15 mm, lips closed")
        << Edit([=](FaceEditor &f) { f.move({5, 6, 7, 8, 9, 10, 11}, 0, drop); })
        << Expectations{e(ArkitShape::JawOpen, (drop - S::kJawDeadZone) / S::kJawOpenRange),
                        e(ArkitShape::MouthClose, drop / S::kJawOpenRange)};
    QTest::newRow("jaw 5 mm to the actor's left")
        << Edit([](FaceEditor &f) { f.move({6, 7, 8, 9, 10}, 5.f, 0); })
        << Expectations{e(ArkitShape::JawLeft, (5.f - S::kLateralDeadZone) / S::kJawLateralRange),
                        e(ArkitShape::JawRight, 0)};

    // Lip corners.
    QTest::newRow("corners up 3.5 mm (smile)")
        << Edit([](FaceEditor &f) { f.move({48, 54}, 0, -3.5f); })
        << Expectations{e(ArkitShape::MouthSmileLeft, (3.5f - S::kCornerDeadZone) / S::kSmileRise),
                        e(ArkitShape::MouthSmileRight, (3.5f - S::kCornerDeadZone) / S::kSmileRise),
                        e(ArkitShape::MouthFrownLeft, 0), e(ArkitShape::JawOpen, 0)};
    QTest::newRow("left corner up 3.5 mm")
        << Edit([](FaceEditor &f) { f.move({54}, 0, -3.5f); })
        << Expectations{e(ArkitShape::MouthSmileLeft, (3.5f - S::kCornerDeadZone) / S::kSmileRise),
                        e(ArkitShape::MouthSmileRight, 0)};
    QTest::newRow("corners down 2.5 mm (frown)")
        << Edit([](FaceEditor &f) { f.move({48, 54}, 0, 2.5f); })
        << Expectations{e(ArkitShape::MouthFrownLeft, (2.5f - S::kCornerDeadZone) / S::kFrownDrop),
                        e(ArkitShape::MouthFrownRight, (2.5f - S::kCornerDeadZone) / S::kFrownDrop),
                        e(ArkitShape::MouthSmileLeft, 0)};
    QTest::newRow("right corner pulled out 3 mm (stretch)")
        << Edit([](FaceEditor &f) { f.move({48}, -3.f, 0); })
        << Expectations{e(ArkitShape::MouthStretchRight, (3.f - S::kCornerDeadZone) / S::kStretchWiden),
                        e(ArkitShape::MouthStretchLeft, 0)};
    QTest::newRow("mouth 20 % narrower (pucker)")
        << Edit([](FaceEditor &f) {
               const float w = f.dx(48, 54);
               f.move({48, 60}, 0.1f * w, 0);
               f.move({54, 64}, -0.1f * w, 0);
           })
        << Expectations{e(ArkitShape::MouthPucker, 0.2f / S::kPuckerNarrowing),
                        e(ArkitShape::MouthFunnel, 0)};
    QTest::newRow("upper lip rolled in to half its thickness")
        << Edit([](FaceEditor &f) { f.move({50, 51, 52}, 0, 0.5f * f.dy(51, 62)); })
        << Expectations{e(ArkitShape::MouthRollUpper, (0.5f - S::kRollDeadZone) / S::kRollThinning),
                        e(ArkitShape::MouthRollLower, 0)};
    QTest::newRow("mouth 4 mm to the actor's right")
        << Edit([](FaceEditor &f) { f.move({48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67}, -4.f, 0); })
        << Expectations{e(ArkitShape::MouthRight, (4.f - S::kLateralDeadZone) / S::kMouthLateralRange),
                        e(ArkitShape::MouthLeft, 0)};

    // Brows.
    QTest::newRow("inner brows down 3 mm and together 3 mm")
        << Edit([](FaceEditor &f) {
               f.move({21}, 1.5f, 3.f);
               f.move({22}, -1.5f, 3.f);
           })
        << Expectations{e(ArkitShape::BrowDownLeft, 0.5f * (3.f / S::kBrowDownDrop + 3.f / S::kBrowGapNarrowing)),
                        e(ArkitShape::BrowDownRight, 0.5f * (3.f / S::kBrowDownDrop + 3.f / S::kBrowGapNarrowing)),
                        e(ArkitShape::BrowInnerUp, 0)};
    QTest::newRow("brows up 4 mm")
        << Edit([](FaceEditor &f) { f.move({17, 18, 19, 20, 21, 22, 23, 24, 25, 26}, 0, -4.f); })
        << Expectations{e(ArkitShape::BrowInnerUp, (4.f - S::kBrowDeadZone) / S::kBrowInnerRise),
                        e(ArkitShape::BrowOuterUpLeft, (4.f - S::kBrowDeadZone) / S::kBrowOuterRise),
                        e(ArkitShape::BrowOuterUpRight, (4.f - S::kBrowDeadZone) / S::kBrowOuterRise),
                        e(ArkitShape::BrowDownLeft, 0)};
}

void TestLandmarkSolver::syntheticExpressions()
{
    QFETCH(Edit, edit);
    QFETCH(Expectations, expected);
    fa::LandmarkSolver solver;
    solver.setNeutral(fa::LandmarkFeatures::compute(templateFace()));
    FaceEditor face;
    edit(face);
    const auto w = solver.solve(fa::LandmarkFeatures::compute(face.lm));
    for (const auto &[index, value] : expected) {
        const float expectedValue = std::clamp(value, 0.f, 1.f);
        QVERIFY2(std::fabs(w[size_t(index)] - expectedValue) < 0.02f,
                 qPrintable(QStringLiteral("%1 = %2, expected %3")
                                .arg(fa::arkit::canonicalName(index)).arg(w[size_t(index)]).arg(expectedValue)));
    }
    for (float v : w)
        QVERIFY(v >= 0.f && v <= 1.f);
}

// The same expressions seen tilted in the image plane, larger and elsewhere give the same weights.
void TestLandmarkSolver::rollAndScaleInvariance()
{
    FaceEditor face;
    face.move({5, 6, 7, 8, 9, 10, 11, 55, 56, 57, 58, 59, 65, 66, 67}, 0, 10.f);
    face.move({54}, 0, -2.f);
    face.move({43, 44}, 0, 2.f);
    face.move({21, 22}, 0, 2.f);
    const fa::FaceLandmarks neutral = templateFace();
    fa::LandmarkSolver upright, tilted;
    upright.setNeutral(fa::LandmarkFeatures::compute(neutral));
    tilted.setNeutral(fa::LandmarkFeatures::compute(similarity(neutral, 25.0, 1.6f, {40, -90})));
    const auto a = upright.solve(fa::LandmarkFeatures::compute(face.lm));
    // A different roll for the expression frame than for the neutral one.
    const auto b = tilted.solve(fa::LandmarkFeatures::compute(similarity(face.lm, -20.0, 1.6f, {300, 120})));
    float sum = 0;
    for (int i = 0; i < fa::arkit::kShapeCount; ++i) {
        QVERIFY2(std::fabs(a[size_t(i)] - b[size_t(i)]) < 0.01f, qPrintable(fa::arkit::canonicalName(i)));
        sum += a[size_t(i)];
    }
    QVERIFY(sum > 1.f); // the expression did register
}

void TestLandmarkSolver::clipCalibration()
{
    // A clip that rests most of the time, opens the mouth for a while and blinks twice.
    std::vector<fa::LandmarkFeatures> clip;
    FaceEditor open, blink;
    open.move({5, 6, 7, 8, 9, 10, 11, 55, 56, 57, 58, 59, 65, 66, 67}, 0, 20.f);
    blink.move({37, 38, 43, 44}, 0, 4.f);
    for (int i = 0; i < 30; ++i)
        clip.push_back(fa::LandmarkFeatures::compute(templateFace()));
    for (int i = 0; i < 8; ++i)
        clip.push_back(fa::LandmarkFeatures::compute(open.lm));
    for (int i = 0; i < 4; ++i)
        clip.push_back(fa::LandmarkFeatures::compute(blink.lm));
    clip.push_back(fa::LandmarkFeatures()); // a frame without a face is skipped
    std::reverse(clip.begin() + 10, clip.end());

    fa::LandmarkSolver solver;
    solver.calibrateFromClip(clip);
    QVERIFY(solver.isCalibrated());
    const fa::LandmarkFeatures rest = fa::LandmarkFeatures::compute(templateFace());
    for (int i = 0; i < fa::LandmarkFeatures::kCount; ++i)
        QVERIFY2(std::fabs(solver.neutral().value(i) - rest.value(i)) < 1e-4f, fa::LandmarkFeatures::name(i));
    const auto w = solver.solve(fa::LandmarkFeatures::compute(open.lm));
    QVERIFY(shape(w, ArkitShape::JawOpen) > 0.5f);

    fa::LandmarkSolver none;
    none.calibrateFromClip({fa::LandmarkFeatures(), fa::LandmarkFeatures()});
    QVERIFY(!none.isCalibrated());
    none.calibrateFromClip({});
    QVERIFY(!none.isCalibrated());
}

// The end-to-end criterion on a real clip: a wink at the start (0.3-0.7 s the actor's
// left eye, 1.2-1.6 s the right one), frowns with a downcast look (3.8-5.3 s, 7.8-8.6 s) and an
// open-mouthed surprise at the end (10-11.8 s). Windows found by looking at the frames.
void TestLandmarkSolver::liveportraitD3()
{
    const QString path = QStringLiteral(FA_TEST_DATA_DIR "/videos/liveportrait_d3.mp4");
    QVERIFY2(QFileInfo::exists(path), qPrintable(path + QStringLiteral(": missing")));
    fa::LandmarkDetector detector;
    QVERIFY2(detector.load(), qPrintable(detector.errorString()));
    fa::VideoReader reader;
    QVERIFY2(reader.open(path), qPrintable(reader.errorString()));

    dlib::frontal_face_detector faceDetector = dlib::get_frontal_face_detector();
    const fa::HeadPoseEstimator poseEstimator;
    using Clock = std::chrono::steady_clock;
    double faceMs = 0, landmarkMs = 0;
    std::vector<double> times;
    std::vector<fa::FaceLandmarks> landmarks;
    fa::VideoFrame frame;
    cv::Mat half, gray;
    cv::Size frameSize;
    while (reader.readFrame(&frame)) {
        frameSize = frame.image.size();
        const auto t0 = Clock::now();
        cv::resize(frame.image, half, cv::Size(), 0.5, 0.5, cv::INTER_AREA);
        cv::cvtColor(half, gray, cv::COLOR_BGR2GRAY);
        const std::vector<dlib::rectangle> faces = faceDetector(dlib::cv_image<unsigned char>(gray));
        const auto t1 = Clock::now();
        fa::FaceLandmarks lm;
        if (!faces.empty()) {
            const auto largest = std::max_element(faces.begin(), faces.end(),
                [](const dlib::rectangle &a, const dlib::rectangle &b) { return a.area() < b.area(); });
            const cv::Rect2f box(float(largest->left()) * 2.f, float(largest->top()) * 2.f,
                                 float(largest->width()) * 2.f, float(largest->height()) * 2.f);
            lm = detector.detect(frame.image, box);
        }
        const auto t2 = Clock::now();
        faceMs += std::chrono::duration<double, std::milli>(t1 - t0).count();
        landmarkMs += std::chrono::duration<double, std::milli>(t2 - t1).count();
        times.push_back(frame.timeSeconds);
        landmarks.push_back(lm);
    }
    QVERIFY2(reader.errorString().isEmpty(), qPrintable(reader.errorString()));
    QCOMPARE(int(times.size()), 354);

    // Features, pose and solve, timed together.
    const auto s0 = Clock::now();
    std::vector<fa::LandmarkFeatures> features;
    std::vector<fa::HeadPose> poses;
    for (const fa::FaceLandmarks &lm : landmarks) {
        features.push_back(fa::LandmarkFeatures::compute(lm));
        poses.push_back(poseEstimator.estimate(lm, frameSize));
    }
    fa::LandmarkSolver solver;
    solver.calibrateFromClip(features);
    QVERIFY(solver.isCalibrated());
    std::vector<std::array<float, 52>> weights;
    for (const fa::LandmarkFeatures &f : features)
        weights.push_back(solver.solve(f));
    const double solveMs = std::chrono::duration<double, std::milli>(Clock::now() - s0).count();
    const double n = double(times.size());
    qInfo("per frame: face detection (dlib HOG, half size) %.2f ms, landmarks (shape predictor) %.2f ms, "
          "features + head pose + solve %.4f ms",
          faceMs / n, landmarkMs / n, solveMs / n);

    int valid = 0;
    for (const auto &f : features)
        valid += f.valid ? 1 : 0;
    QCOMPARE(valid, 354);

    // Keep the curves for inspection.
    QByteArray csv("time");
    for (int i = 0; i < fa::arkit::kShapeCount; ++i)
        csv += ',' + fa::arkit::canonicalName(i).toUtf8();
    csv += ",headYaw,headPitch,headRoll\n";
    for (size_t i = 0; i < times.size(); ++i) {
        csv += QByteArray::number(times[i], 'f', 4);
        for (float v : weights[i])
            csv += ',' + QByteArray::number(v, 'f', 3);
        csv += ',' + QByteArray::number(poses[i].yaw, 'f', 2) + ',' + QByteArray::number(poses[i].pitch, 'f', 2)
               + ',' + QByteArray::number(poses[i].roll, 'f', 2) + '\n';
    }
    QDir().mkpath(QStringLiteral(FA_TEST_OUTPUT_DIR));
    QVERIFY(fa::writeFileAtomically(QStringLiteral(FA_TEST_OUTPUT_DIR "/liveportrait_d3_weights.csv"), csv));

    struct Stats { float min = 1e9f, max = -1e9f, mean = 0; };
    auto stats = [&](double from, double to, const std::function<float(const std::array<float, 52> &)> &value) {
        Stats s;
        int count = 0;
        for (size_t i = 0; i < times.size(); ++i) {
            if (times[i] < from - 1e-6 || times[i] > to + 1e-6)
                continue;
            const float v = value(weights[i]);
            s.min = std::min(s.min, v);
            s.max = std::max(s.max, v);
            s.mean += v;
            ++count;
        }
        if (count)
            s.mean /= float(count);
        return s;
    };
    auto one = [](ArkitShape a) { return [a](const std::array<float, 52> &w) { return shape(w, a); }; };
    auto both = [](ArkitShape a, ArkitShape b) {
        return [a, b](const std::array<float, 52> &w) { return 0.5f * (shape(w, a) + shape(w, b)); };
    };
    auto blinkLeftMinusRight = [](const std::array<float, 52> &w) {
        return shape(w, ArkitShape::EyeBlinkLeft) - shape(w, ArkitShape::EyeBlinkRight);
    };
    auto blinkDifference = [&](const std::array<float, 52> &w) { return std::fabs(blinkLeftMinusRight(w)); };

    const double duration = times.back() + 1.0 / 30.0;
    const Stats jawEnd = stats(duration - 3.0, duration, one(ArkitShape::JawOpen));
    const Stats jawMiddle = stats(4.0, 8.0, one(ArkitShape::JawOpen));
    const Stats winkLeft = stats(0.30, 0.63, blinkLeftMinusRight);  // frames 9-19
    const Stats winkRight = stats(1.23, 1.53, blinkLeftMinusRight); // frames 37-46
    const Stats frown1 = stats(3.83, 5.33, blinkDifference);       // frames 115-160
    const Stats frown2 = stats(7.83, 8.60, blinkDifference);       // frames 235-258
    const auto browDown = both(ArkitShape::BrowDownLeft, ArkitShape::BrowDownRight);
    const Stats browDownFrown1 = stats(3.83, 5.33, browDown);
    const Stats browDownFrown2 = stats(7.83, 8.60, browDown);
    const Stats browDownSurprise = stats(10.0, 11.33, browDown);
    const Stats innerUpSurprise = stats(10.0, 11.33, one(ArkitShape::BrowInnerUp));
    const Stats innerUpFrown = stats(3.83, 5.33, one(ArkitShape::BrowInnerUp));
    const auto wide = both(ArkitShape::EyeWideLeft, ArkitShape::EyeWideRight);
    const Stats wideSurprise = stats(9.73, 11.8, wide);
    const Stats wideFrown = stats(3.83, 5.33, wide);
    const Stats jawSurprise = stats(10.0, 11.33, one(ArkitShape::JawOpen));
    qInfo("jawOpen max: last 3 s %.3f, 4-8 s %.3f (ratio %.2f)", jawEnd.max, jawMiddle.max,
          jawEnd.max / std::max(jawMiddle.max, 1e-6f));
    qInfo("wink, eyeBlinkLeft - eyeBlinkRight: left wink mean %.3f min %.3f; right wink mean %.3f max %.3f",
          winkLeft.mean, winkLeft.min, winkRight.mean, winkRight.max);
    qInfo("frown |eyeBlinkLeft - eyeBlinkRight|: 3.8-5.3 s max %.3f mean %.3f; 7.8-8.6 s max %.3f mean %.3f",
          frown1.max, frown1.mean, frown2.max, frown2.mean);
    qInfo("browDown mean: frowns %.3f / %.3f, surprise %.3f; browInnerUp mean: surprise %.3f, frown %.3f",
          browDownFrown1.mean, browDownFrown2.mean, browDownSurprise.mean, innerUpSurprise.mean, innerUpFrown.mean);
    qInfo("eyeWide mean: surprise %.3f, frown %.3f; jawOpen mean in the surprise %.3f", wideSurprise.mean,
          wideFrown.mean, jawSurprise.mean);

    // The criteria.
    QVERIFY2(jawEnd.max > 0.3f, "the open-mouthed surprise must open the jaw");
    QVERIFY2(jawEnd.max >= 2.f * jawMiddle.max, "jawOpen at the end must be at least twice that of 4-8 s");
    QVERIFY2(winkLeft.min > 0.3f, "left wink: eyeBlinkLeft must exceed eyeBlinkRight by more than 0.3");
    QVERIFY2(winkRight.max < -0.3f, "right wink: eyeBlinkRight must exceed eyeBlinkLeft by more than 0.3");
    QVERIFY2(frown1.max < 0.2f && frown2.max < 0.2f, "during the frowns both eyes must blink alike");
    // The expressions' signature shapes.
    QVERIFY(browDownFrown1.mean > 0.4f && browDownFrown2.mean > 0.4f);
    QVERIFY(browDownSurprise.mean < 0.1f);
    QVERIFY(innerUpSurprise.mean > 0.5f && innerUpFrown.mean < 0.1f);
    QVERIFY(wideSurprise.mean > 0.2f && wideFrown.mean < 0.05f);
    QVERIFY(jawSurprise.mean > 0.5f);
}

QTEST_GUILESS_MAIN(TestLandmarkSolver)
#include "test_landmark_solver.moc"
