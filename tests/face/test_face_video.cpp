// Detection rates of both backends over whole videos, read with fa::VideoReader (FFmpeg).
#include "face/face_box_smoother.h"
#include "face/face_detector.h"
#include "media/video_reader.h"

#include <QElapsedTimer>
#include <QFile>
#include <QtTest>

#include <algorithm>
#include <vector>

using fa::FaceDetection;
using fa::FaceDetector;

namespace {

QString yunetModel()
{
    return QStringLiteral(FA_TEST_DATA_DIR "/models/yunet/yunet_2022feb_120x160.onnx");
}

// opencv-doc's animated clip (Debian package opencv-doc), the one REFERENCE.md section 8 quotes.
const char kMegamind[] = "/usr/share/doc/opencv-doc/examples/data/Megamind.avi";

float iou(const cv::Rect2f &a, const cv::Rect2f &b)
{
    const float inter = (a & b).area();
    const float uni = a.area() + b.area() - inter;
    return uni > 0 ? inter / uni : 0.0f;
}

} // namespace

class TestFaceVideo : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void detectionRate_data();
    void detectionRate();
};

void TestFaceVideo::detectionRate_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("backend");
    QTest::addColumn<int>("frameCount");
    QTest::addColumn<int>("minFound");
    const QString d3 = QStringLiteral(FA_TEST_DATA_DIR "/videos/liveportrait_d3.mp4");
    const QString megamind = QString::fromUtf8(kMegamind);
    const int dlib = int(FaceDetector::Backend::DlibHog);
    const int yunet = int(FaceDetector::Backend::YuNet);
    // REFERENCE.md section 8 (dlib at half size): 354/354 and 256/270. Measured here at the
    // default detectionMaxSide 384: dlib 354/354 and 262/270, YuNet 354/354 and 269/270.
    QTest::newRow("liveportrait_d3 dlib") << d3 << dlib << 354 << 350;
    QTest::newRow("liveportrait_d3 YuNet") << d3 << yunet << 354 << 350;
    QTest::newRow("Megamind dlib") << megamind << dlib << 270 << 250;
    QTest::newRow("Megamind YuNet") << megamind << yunet << 270 << 260;
}

void TestFaceVideo::detectionRate()
{
    QFETCH(QString, path);
    QFETCH(int, backend);
    QFETCH(int, frameCount);
    QFETCH(int, minFound);
    QVERIFY2(QFile::exists(path), qPrintable(path));

    FaceDetector detector;
    FaceDetector::Options options;
    options.backend = FaceDetector::Backend(backend);
    options.yunetModelPath = yunetModel();
    QVERIFY2(detector.setOptions(options), qPrintable(detector.errorString()));

    fa::VideoReader reader;
    QVERIFY2(reader.open(path), qPrintable(reader.errorString()));
    std::vector<cv::Mat> frames;
    fa::VideoFrame frame;
    while (reader.readFrame(&frame))
        frames.push_back(frame.image.clone());
    QVERIFY2(reader.errorString().isEmpty(), qPrintable(reader.errorString()));
    QCOMPARE(int(frames.size()), frameCount);

    // Full-frame detection on every frame (all faces, for the comparison below).
    int found = 0;
    std::vector<std::vector<FaceDetection>> full;
    QElapsedTimer timer;
    timer.start();
    for (const cv::Mat &image : frames) {
        full.push_back(detector.detect(image));
        found += !full.back().empty();
    }
    const double fullMs = timer.nsecsElapsed() / 1e6 / frames.size();

    // Tracking: re-detect near the last box, full detection only when that fails.
    int tracked = 0, fallbacks = 0, agree = 0;
    std::optional<FaceDetection> last;
    fa::FaceBoxSmoother smoother;
    timer.restart();
    for (size_t i = 0; i < frames.size(); ++i) {
        std::optional<FaceDetection> face;
        if (last)
            face = detector.detectLargestNear(frames[i], last->box);
        if (!face) {
            ++fallbacks;
            face = detector.detectLargest(frames[i]);
        }
        smoother.update(face ? face->box : cv::Rect2f());
        if (face) {
            ++tracked;
            // The track may follow a smaller face than the largest (Megamind has two people).
            agree += std::any_of(full[i].begin(), full[i].end(), [&](const FaceDetection &f) {
                return iou(face->box, f.box) > 0.5f;
            });
        }
        last = face;
    }
    const double trackMs = timer.nsecsElapsed() / 1e6 / frames.size();

    qInfo("%s %s %dx%d: full-frame detection %d/%d frames, %.1f ms/frame; tracking %d/%d "
          "(%d full detections), %.1f ms/frame, %d boxes match a full-frame box (IoU > 0.5)",
          qPrintable(QFileInfo(path).fileName()), backend ? "YuNet" : "dlib HOG", frames[0].cols,
          frames[0].rows, found, frameCount, fullMs, tracked, frameCount, fallbacks, trackMs, agree);
    QVERIFY2(found >= minFound, qPrintable(QString::number(found)));
    QVERIFY2(tracked >= minFound, qPrintable(QString::number(tracked)));
    QVERIFY(agree >= found * 9 / 10);
}

QTEST_GUILESS_MAIN(TestFaceVideo)
#include "test_face_video.moc"
