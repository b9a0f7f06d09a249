// The two passes of a retarget on a real video: VideoMeasurer streams per-frame measurements
// (face box, landmarks, features, head pose), ClipSolver solves them -- exactly as
// Retargeter::run, again with another neutral frame without decoding, and provisionally while
// frames stream in. ClipMeasurements' binary form round-trips and refuses what it is not.
#include "common/arkit.h"
#include "retarget/clip_measurements.h"
#include "retarget/clip_solver.h"
#include "retarget/retargeter.h"
#include "retarget/video_measurer.h"

#include <QDataStream>
#include <QElapsedTimer>
#include <QtTest>

#include <cmath>
#include <cstring>

namespace {

// 512x512, 30 fps, 354 frames: wink, frown, downcast look, surprise with open mouth (last 3 s).
const QString kD3 = QStringLiteral(FA_TEST_DATA_DIR "/videos/liveportrait_d3.mp4");
constexpr int kD3Frames = 354;

fa::RetargetOptions optionsFor(const QString &video)
{
    fa::RetargetOptions options;
    options.videoPath = video;
    return options;
}

fa::SmoothingOptions noSmoothing()
{
    return fa::SmoothingOptions(); // method None
}

// Exact equality of two clips, with the first difference as the failure message.
QString clipDifference(const fa::AnimationClip &a, const fa::AnimationClip &b)
{
    if (a.controlNames() != b.controlNames())
        return QStringLiteral("controls differ");
    if (a.fps() != b.fps())
        return QStringLiteral("fps %1 vs %2").arg(a.fps()).arg(b.fps());
    if (a.frameCount() != b.frameCount())
        return QStringLiteral("%1 vs %2 frames").arg(a.frameCount()).arg(b.frameCount());
    for (int f = 0; f < a.frameCount(); ++f) {
        if (a.frameTime(f) != b.frameTime(f) || a.faceFound(f) != b.faceFound(f))
            return QStringLiteral("frame %1: time or face differs").arg(f);
        for (int c = 0; c < a.controlCount(); ++c)
            if (a.value(f, c) != b.value(f, c))
                return QStringLiteral("frame %1 %2: %3 vs %4")
                    .arg(f).arg(a.controlNames()[c]).arg(a.value(f, c)).arg(b.value(f, c));
    }
    return QString();
}

} // namespace

class TestClipSolver : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void measurerStreamsEveryFrame();
    void solveEqualsRetargeter_data();
    void solveEqualsRetargeter();
    void neutralPickResolves();
    void solveErrors_data();
    void solveErrors();
    void serializeRoundTrip();
    void readsVersion1();
    void withoutLandmarks();
    void deserializeRefuses_data();
    void deserializeRefuses();
    void cancelAfterFrames();
    void streamingRows();
    void streamingWithNamedNeutralMatchesFinalSolve();
    void streamingRangeErrors();

private:
    fa::ClipMeasurements m_d3;
    std::vector<fa::FrameMeasurement> m_streamed;
    std::vector<fa::RetargetProgress> m_progress;
    int m_startCalls = 0;
    fa::ClipMeasurements m_started;
};

// Pass 1 once over the whole video; the tests below share it.
void TestClipSolver::initTestCase()
{
    fa::VideoMeasurer measurer;
    QVERIFY2(measurer.measure(
                 optionsFor(kD3),
                 [&](const fa::FrameMeasurement &frame, const fa::RetargetProgress &progress) {
                     m_streamed.push_back(frame);
                     m_progress.push_back(progress);
                     return true;
                 },
                 [&](const fa::ClipMeasurements &header) {
                     ++m_startCalls;
                     m_started = header;
                 }),
             qPrintable(measurer.errorString()));
    QVERIFY(!measurer.wasCanceled());
    m_d3 = measurer.takeMeasurements();
    QCOMPARE(measurer.measurements().frameCount(), 0);

    QElapsedTimer timer;
    timer.start();
    QString error;
    QVERIFY2(fa::ClipSolver::solve(m_d3, -1, fa::RetargetOptions().smoothing, &error), qPrintable(error));
    const double solveMs = timer.nsecsElapsed() * 1e-6;
    qInfo("d3: pass 1 (measure) %.0f ms of which %.0f ms setup, %d frames, %d with a face; "
          "re-solve (calibrate + solve + Butterworth) %.2f ms",
          measurer.elapsedSeconds() * 1e3, measurer.setupSeconds() * 1e3, m_d3.frameCount(), m_d3.faceCount(),
          solveMs);
}

void TestClipSolver::measurerStreamsEveryFrame()
{
    QCOMPARE(m_startCalls, 1);
    QCOMPARE(m_started.frameCount(), 0);
    QCOMPARE(m_started.videoPath(), kD3);
    QCOMPARE(m_started.fps(), 30.0);
    QCOMPARE(m_started.frameSize(), QSize(512, 512));

    QCOMPARE(m_d3.frameCount(), kD3Frames);
    QCOMPARE(int(m_streamed.size()), kD3Frames);
    QCOMPARE(m_d3.videoPath(), kD3);
    QCOMPARE(m_d3.fps(), 30.0);
    QCOMPARE(m_d3.frameSize(), QSize(512, 512));
    const QRectF frameRect(0, 0, 512, 512);
    qint64 faces = 0;
    for (int i = 0; i < kD3Frames; ++i) {
        const fa::FrameMeasurement &f = m_d3.frame(i);
        QVERIFY2(m_streamed[size_t(i)] == f, qPrintable(QString::number(i)));
        QCOMPARE(f.videoFrame, qint64(i));
        QVERIFY(std::abs(f.timeSeconds - i / 30.0) < 1e-3);
        faces += f.hasFace() ? 1 : 0;
        QCOMPARE(m_progress[size_t(i)].framesDone, qint64(i + 1));
        QCOMPARE(m_progress[size_t(i)].facesFound, faces);
        QCOMPARE(m_progress[size_t(i)].framesTotal, qint64(kD3Frames));
        if (!f.faceFound) {
            QVERIFY(!f.hasFace());
            continue;
        }
        // One frontal face filling most of the frame. When she looks down the chin reaches the
        // bottom edge (frames 110-170): the detector box then sticks out by up to 6 %, and the
        // shape predictor places the chin points a few pixels below the frame. The detector box
        // is tight (brows to chin), so a few jaw-line points fall just outside it.
        const QString where = QStringLiteral("frame %1").arg(i);
        const QRectF inside = f.faceBox & frameRect;
        QVERIFY2(inside.width() * inside.height() >= 0.85 * f.faceBox.width() * f.faceBox.height(), qPrintable(where));
        QVERIFY(f.faceBox.width() > 150 && f.faceBox.width() < 450);
        const QRectF nearFrame = frameRect.adjusted(-0.05 * 512, -0.05 * 512, 0.05 * 512, 0.05 * 512);
        int inFrame = 0, inBox = 0;
        QPointF centroid;
        for (const QPointF &p : f.landmarks) {
            QVERIFY2(nearFrame.contains(p), qPrintable(where));
            inFrame += frameRect.contains(p) ? 1 : 0;
            inBox += f.faceBox.contains(p) ? 1 : 0;
            centroid += p / 68.0;
        }
        QVERIFY2(f.faceBox.contains(centroid), qPrintable(where));
        QVERIFY2(inBox >= 55, qPrintable(QStringLiteral("frame %1: %2 of 68 landmarks in the box").arg(i).arg(inBox)));
        QVERIFY2(inFrame >= 60, qPrintable(QStringLiteral("frame %1: %2 of 68 landmarks in the frame").arg(i).arg(inFrame)));
        QVERIFY(f.features && f.features->valid);
        QVERIFY(f.pose.valid);
        QVERIFY(std::abs(f.pose.yaw) < 45 && std::abs(f.pose.pitch) < 45 && std::abs(f.pose.roll) < 45);
    }
    QCOMPARE(m_d3.faceCount(), int(faces));
    QVERIFY2(faces >= kD3Frames - 5, qPrintable(QString::number(faces))); // the face is always in view
    QCOMPARE(int(m_d3.faceMask().size()), kD3Frames);
    QCOMPARE(m_d3.indexOfVideoFrame(100), 100);
    QCOMPARE(m_d3.indexOfVideoFrame(kD3Frames), -1);
    QCOMPARE(m_d3.indexOfVideoFrame(-1), -1);
}

void TestClipSolver::solveEqualsRetargeter_data()
{
    QTest::addColumn<qint64>("neutralFrame");
    QTest::addColumn<int>("smoothing");
    QTest::newRow("automatic, Butterworth (defaults)") << qint64(-1) << int(fa::SmoothingMethod::Butterworth);
    QTest::newRow("neutral 10, none") << qint64(10) << int(fa::SmoothingMethod::None);
    QTest::newRow("automatic, One-Euro") << qint64(-1) << int(fa::SmoothingMethod::OneEuro);
}

// Retargeter::run decodes again: the measurements are deterministic, and solving the shared
// ones gives the retargeter's clip bit for bit.
void TestClipSolver::solveEqualsRetargeter()
{
    QFETCH(qint64, neutralFrame);
    QFETCH(int, smoothing);
    fa::RetargetOptions options = optionsFor(kD3);
    options.neutralFrame = neutralFrame;
    options.smoothing.method = fa::SmoothingMethod(smoothing);
    fa::Retargeter retargeter;
    QVERIFY2(retargeter.run(options), qPrintable(retargeter.errorString()));
    QVERIFY(retargeter.measurements() == m_d3);

    QString error;
    const std::optional<fa::AnimationClip> clip = fa::ClipSolver::solve(m_d3, neutralFrame, options.smoothing, &error);
    QVERIFY2(clip, qPrintable(error));
    QCOMPARE(clip->controlNames(), fa::ClipSolver::controlNames());
    QCOMPARE(clip->controlCount(), fa::arkit::kShapeCount + fa::arkit::kRotationChannelCount);
    const QString difference = clipDifference(*clip, retargeter.clip());
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

// Picking a frame of the open-mouthed surprise as neutral re-solves from the stored
// measurements: that frame becomes the rest pose (jawOpen ~0 there), and closed-mouth frames
// cannot open the jaw any more.
void TestClipSolver::neutralPickResolves()
{
    QString error;
    const std::optional<fa::AnimationClip> automatic = fa::ClipSolver::solve(m_d3, -1, noSmoothing(), &error);
    QVERIFY2(automatic, qPrintable(error));
    const int jawOpen = automatic->controlIndex(QStringLiteral("jawOpen"));
    QVERIFY(jawOpen >= 0);
    // The widest jaw of the last 3 s (the surprise).
    int surprise = -1;
    for (int f = kD3Frames - 90; f < kD3Frames; ++f)
        if (automatic->faceFound(f) && (surprise < 0 || automatic->value(f, jawOpen) > automatic->value(surprise, jawOpen)))
            surprise = f;
    QVERIFY(surprise >= 0);
    const float jawBefore = automatic->value(surprise, jawOpen);
    QVERIFY2(jawBefore > 0.3f, qPrintable(QString::number(jawBefore)));

    QElapsedTimer timer;
    timer.start();
    const std::optional<fa::AnimationClip> picked =
        fa::ClipSolver::solve(m_d3, m_d3.frame(surprise).videoFrame, noSmoothing(), &error);
    QVERIFY2(picked, qPrintable(error));
    qInfo("re-solve with neutral frame %d: %.2f ms; jawOpen there %.3f -> %.3f", surprise,
          timer.nsecsElapsed() * 1e-6, jawBefore, picked->value(surprise, jawOpen));
    QCOMPARE(picked->frameCount(), kD3Frames);
    QVERIFY2(picked->value(surprise, jawOpen) < 0.01f, qPrintable(QString::number(picked->value(surprise, jawOpen))));
    float sum = 0;
    for (int c = 0; c < fa::arkit::kShapeCount; ++c) // the gaze is measured from the head, not the neutral
        if (!fa::arkit::canonicalName(c).startsWith(QLatin1String("eyeLook")))
            sum += picked->value(surprise, c);
    QVERIFY2(sum < 0.05f, qPrintable(QString::number(sum))); // the neutral frame solves to rest
    for (int f = 0; f < 30; ++f) // the mouth is closed at the start: no jaw at all now
        QCOMPARE(picked->value(f, jawOpen), 0.0f);
    // Head angles are measured, not calibrated: the pick leaves them as they were.
    for (int f = 0; f < kD3Frames; ++f)
        for (int c = fa::arkit::kShapeCount; c < fa::arkit::kShapeCount + fa::arkit::kHeadChannelCount; ++c)
            QCOMPARE(picked->value(f, c), automatic->value(f, c));
}

void TestClipSolver::solveErrors_data()
{
    QTest::addColumn<int>("keepFrames");  // -1 = all of d3
    QTest::addColumn<bool>("dropFaces");
    QTest::addColumn<qint64>("neutralFrame");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no frame") << 0 << false << qint64(-1) << QStringLiteral("no frame in the chosen time range");
    QTest::newRow("no face") << 20 << true << qint64(-1) << QStringLiteral("no face found in any of the 20 frames");
    QTest::newRow("neutral outside") << 50 << false << qint64(50)
                                     << QStringLiteral("neutral frame 50 is outside the retargeted frames 0-49");
    QTest::newRow("neutral negative range") << -1 << false << qint64(500)
                                            << QStringLiteral("neutral frame 500 is outside");
}

void TestClipSolver::solveErrors()
{
    QFETCH(int, keepFrames);
    QFETCH(bool, dropFaces);
    QFETCH(qint64, neutralFrame);
    QFETCH(QString, expected);
    fa::ClipMeasurements measurements(m_d3.videoPath(), m_d3.fps(), m_d3.frameSize());
    for (int i = 0; i < (keepFrames < 0 ? m_d3.frameCount() : keepFrames); ++i) {
        fa::FrameMeasurement f = m_d3.frame(i);
        if (dropFaces) {
            f.faceFound = false;
            f.features.reset();
        }
        measurements.append(f);
    }
    QString error;
    QVERIFY(!fa::ClipSolver::solve(measurements, neutralFrame, noSmoothing(), &error));
    QVERIFY2(error.startsWith(kD3 + QStringLiteral(": ")), qPrintable(error));
    QVERIFY2(error.contains(expected), qPrintable(error));
}

void TestClipSolver::serializeRoundTrip()
{
    const QByteArray bytes = m_d3.serialize();
    qInfo("d3 measurements: %lld bytes (%.0f per frame)", qint64(bytes.size()), double(bytes.size()) / kD3Frames);
    QString error;
    const std::optional<fa::ClipMeasurements> back = fa::ClipMeasurements::deserialize(bytes, &error);
    QVERIFY2(back, qPrintable(error));
    QVERIFY(*back == m_d3);
    QCOMPARE(back->serialize(), bytes);
    // The re-solve of stored measurements is the solve of the measured ones.
    const std::optional<fa::AnimationClip> a = fa::ClipSolver::solve(m_d3, -1, fa::RetargetOptions().smoothing, &error);
    const std::optional<fa::AnimationClip> b = fa::ClipSolver::solve(*back, -1, fa::RetargetOptions().smoothing, &error);
    QVERIFY(a && b);
    QVERIFY(clipDifference(*a, *b).isEmpty());

    // A frame without a face and one without features (degenerate landmarks) survive too.
    fa::ClipMeasurements edited(QStringLiteral("/videos/ü take.mov"), 29.97, QSize(1920, 1080));
    fa::FrameMeasurement noFace;
    noFace.timeSeconds = 1.0 / 3.0;
    noFace.videoFrame = 7;
    edited.append(noFace);
    fa::FrameMeasurement noFeatures = m_d3.frame(0);
    noFeatures.features.reset();
    noFeatures.pose = fa::HeadPose();
    edited.append(noFeatures);
    edited.append(m_d3.frame(1));
    const std::optional<fa::ClipMeasurements> editedBack = fa::ClipMeasurements::deserialize(edited.serialize(), &error);
    QVERIFY2(editedBack, qPrintable(error));
    QVERIFY(*editedBack == edited);
    QVERIFY(!(*editedBack == m_d3));

    const std::optional<fa::ClipMeasurements> empty =
        fa::ClipMeasurements::deserialize(fa::ClipMeasurements().serialize(), &error);
    QVERIFY2(empty, qPrintable(error));
    QVERIFY(empty->isEmpty());
}

// Sessions stored before gaze and the newer landmark features (format version 1: landmarks with
// every face, 20 features without a count) still open: the newer landmark features are
// recomputed from the stored landmarks, gaze is unmeasured.
void TestClipSolver::readsVersion1()
{
    QByteArray v1;
    {
        QDataStream out(&v1, QIODevice::WriteOnly);
        out.setVersion(QDataStream::Qt_6_0);
        const int count = 30;
        out << quint32(0x46414d53) << quint16(1) << m_d3.videoPath() << m_d3.fps() << qint32(512) << qint32(512)
            << quint32(count);
        auto writeFloat = [&](float v) {
            quint32 bits;
            std::memcpy(&bits, &v, 4);
            out << bits;
        };
        for (int i = 0; i < count; ++i) {
            const fa::FrameMeasurement &f = m_d3.frame(i);
            out << f.timeSeconds << f.videoFrame << quint8(1 | (f.features ? 2 : 0) | (f.pose.valid ? 4 : 0));
            for (const double v : {f.faceBox.x(), f.faceBox.y(), f.faceBox.width(), f.faceBox.height()})
                writeFloat(float(v));
            for (const QPointF &p : f.landmarks) {
                writeFloat(float(p.x()));
                writeFloat(float(p.y()));
            }
            if (f.features)
                for (int k = 0; k < 20; ++k)
                    writeFloat(f.features->value(k));
            writeFloat(f.pose.yaw);
            writeFloat(f.pose.pitch);
            writeFloat(f.pose.roll);
        }
    }
    QString error;
    const std::optional<fa::ClipMeasurements> back = fa::ClipMeasurements::deserialize(v1, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->frameCount(), 30);
    for (int i = 0; i < 30; ++i) {
        const fa::FrameMeasurement &a = back->frame(i), &b = m_d3.frame(i);
        QVERIFY(a.landmarks == b.landmarks);
        QCOMPARE(a.hasFace(), b.hasFace());
        if (!a.hasFace())
            continue;
        for (int k = 0; k < fa::LandmarkFeatures::kLandmarkCount; ++k)
            QCOMPARE(a.features->value(k), b.features->value(k));
        QCOMPARE(a.features->irisLeftStrength, 0.f);
        QCOMPARE(a.features->irisRightStrength, 0.f);
    }
}

// A batch retarget keeps no landmarks: its measurements are a fraction of the size and solve alike.
void TestClipSolver::withoutLandmarks()
{
    fa::RetargetOptions options = optionsFor(kD3);
    options.endSeconds = 2.0;
    options.keepLandmarks = false;
    fa::VideoMeasurer measurer;
    QVERIFY2(measurer.measure(options), qPrintable(measurer.errorString()));
    const fa::ClipMeasurements &compact = measurer.measurements();
    QCOMPARE(compact.frameCount(), 60);
    for (const fa::FrameMeasurement &f : compact.frames()) {
        QVERIFY(f.landmarks.empty());
        QVERIFY(!f.hasLandmarks());
    }
    for (int i = 0; i < compact.frameCount(); ++i) {
        const fa::FrameMeasurement &a = compact.frame(i), &b = m_d3.frame(i);
        QCOMPARE(a.faceBox, b.faceBox);
        QCOMPARE(a.hasFace(), b.hasFace());
        if (a.hasFace())
            for (int k = 0; k < fa::LandmarkFeatures::kCount; ++k)
                QCOMPARE(a.features->value(k), b.features->value(k));
    }
    QString error;
    const std::optional<fa::ClipMeasurements> back = fa::ClipMeasurements::deserialize(compact.serialize(), &error);
    QVERIFY2(back, qPrintable(error));
    QVERIFY(*back == compact);
    qInfo("60 frames of d3: %lld bytes without landmarks, %lld with", qint64(compact.serialize().size()),
          qint64(m_d3.serialize().size()) * 60 / m_d3.frameCount());
}

void TestClipSolver::deserializeRefuses_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    const QByteArray good = m_d3.serialize();
    QTest::newRow("empty") << QByteArray() << QStringLiteral("not FreeAvatar clip measurements");
    QTest::newRow("text") << QByteArray("{\"frames\": []}") << QStringLiteral("not FreeAvatar clip measurements");
    QByteArray newer = good;
    newer[5] = char(3); // quint16 version, big-endian, after the 4-byte magic
    QTest::newRow("version 3") << newer << QStringLiteral("format version 3 is not supported");
    QByteArray zero = good;
    zero[5] = char(0);
    QTest::newRow("version 0") << zero << QStringLiteral("format version 0 is not supported");
    QTest::newRow("truncated header") << good.left(12) << QStringLiteral("truncated header");
    QTest::newRow("truncated frames") << good.left(good.size() - 100) << QStringLiteral("truncated at frame");
    QTest::newRow("trailing bytes") << good + QByteArray(3, 'x') << QStringLiteral("3 unexpected bytes");
    // A header announcing a billion frames, without them: refused before allocating.
    QByteArray huge;
    {
        QDataStream out(&huge, QIODevice::WriteOnly);
        out.setVersion(QDataStream::Qt_6_0);
        out << quint32(0x46414d53) << quint16(1) << QStringLiteral("v.mp4") << 30.0 << qint32(64) << qint32(64)
            << quint32(1000000000);
    }
    QTest::newRow("frame count") << huge << QStringLiteral("1000000000 frames announced");
    QByteArray flags = fa::ClipMeasurements(QStringLiteral("v.mp4"), 30, QSize(64, 64)).serialize();
    {
        fa::ClipMeasurements one(QStringLiteral("v.mp4"), 30, QSize(64, 64));
        one.append(fa::FrameMeasurement());
        flags = one.serialize();
        // The flags byte follows the frame's time (8) and video frame (8) at the end of the header.
        flags[flags.size() - 12 - 1] = char(0x80);
    }
    QTest::newRow("unknown flags") << flags << QStringLiteral("frame 0 has unknown flags 128");
}

void TestClipSolver::deserializeRefuses()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!fa::ClipMeasurements::deserialize(bytes, &error));
    QVERIFY2(error.startsWith(QStringLiteral("clip measurements: ")), qPrintable(error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY(!error.contains(QLatin1Char('\n')));
}

void TestClipSolver::cancelAfterFrames()
{
    fa::VideoMeasurer measurer;
    int calls = 0;
    QVERIFY(!measurer.measure(optionsFor(kD3), [&](const fa::FrameMeasurement &, const fa::RetargetProgress &p) {
        ++calls;
        return p.framesDone < 10;
    }));
    QVERIFY(measurer.wasCanceled());
    QCOMPARE(calls, 10);
    QCOMPARE(measurer.errorString(), kD3 + QStringLiteral(": canceled after 10 frames"));
    // The frames measured before the cancel stay, identical to the full run's.
    QCOMPARE(measurer.measurements().frameCount(), 10);
    for (int i = 0; i < 10; ++i)
        QVERIFY(measurer.measurements().frame(i) == m_d3.frame(i));

    // Retargeter's cancel goes through the measurer.
    fa::Retargeter retargeter;
    QVERIFY(!retargeter.run(optionsFor(kD3), [](const fa::RetargetProgress &p) { return p.framesDone < 5; }));
    QVERIFY(retargeter.wasCanceled());
    QCOMPARE(retargeter.measurements().frameCount(), 5);
    QCOMPARE(retargeter.clip().frameCount(), 0);
}

// Measurements arriving in uneven chunks, as a solve job delivers them: after each chunk the
// streamed clip has a row per measured frame, the faceFound mask of the measurements, and
// weights in [0,1].
void TestClipSolver::streamingRows()
{
    fa::ClipSolver streaming;
    QVERIFY(!streaming.isCalibrated());
    fa::ClipMeasurements growing(m_d3.videoPath(), m_d3.fps(), m_d3.frameSize());
    const int chunks[] = {1, 1, 7, 30, 2, 64, 100};
    int chunk = 0;
    QString error;
    while (growing.frameCount() < m_d3.frameCount()) {
        const int first = growing.frameCount();
        const int last = std::min(m_d3.frameCount(), first + chunks[chunk++ % 7]);
        for (int i = first; i < last; ++i)
            growing.append(m_d3.frame(i));
        QVERIFY2(streaming.solveRange(growing, first, last, &error), qPrintable(error));
        QCOMPARE(streaming.clip().frameCount(), last);
        QVERIFY(streaming.isCalibrated());
    }
    const fa::AnimationClip &clip = streaming.clip();
    QCOMPARE(clip.frameCount(), kD3Frames);
    QCOMPARE(clip.controlNames(), fa::ClipSolver::controlNames());
    QCOMPARE(clip.fps(), 30.0);
    for (int f = 0; f < kD3Frames; ++f) {
        QCOMPARE(clip.faceFound(f), m_d3.frame(f).hasFace());
        QCOMPARE(clip.frameTime(f), m_d3.frame(f).timeSeconds);
        for (int c = 0; c < fa::arkit::kShapeCount; ++c)
            QVERIFY(clip.value(f, c) >= 0.0f && clip.value(f, c) <= 1.0f);
    }
    // The provisional curves already show the surprise: the jaw opens in the last 3 s.
    const int jawOpen = clip.controlIndex(QStringLiteral("jawOpen"));
    float widest = 0;
    for (int f = kD3Frames - 90; f < kD3Frames; ++f)
        widest = std::max(widest, clip.value(f, jawOpen));
    QVERIFY2(widest > 0.3f, qPrintable(QString::number(widest)));

    streaming.reset();
    QCOMPARE(streaming.clip().frameCount(), 0);
    QVERIFY(!streaming.isCalibrated());
}

// With a named neutral frame measured first, the provisional calibration is already the final
// one: the streamed rows are the final solve without smoothing.
void TestClipSolver::streamingWithNamedNeutralMatchesFinalSolve()
{
    fa::ClipSolver streaming(0);
    fa::ClipMeasurements growing(m_d3.videoPath(), m_d3.fps(), m_d3.frameSize());
    QString error;
    for (int first = 0; first < kD3Frames; first += 25) {
        const int last = std::min(kD3Frames, first + 25);
        for (int i = first; i < last; ++i)
            growing.append(m_d3.frame(i));
        QVERIFY2(streaming.solveRange(growing, first, last, &error), qPrintable(error));
    }
    const std::optional<fa::AnimationClip> final = fa::ClipSolver::solve(m_d3, 0, noSmoothing(), &error);
    QVERIFY2(final, qPrintable(error));
    const QString difference = clipDifference(streaming.clip(), *final);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
}

void TestClipSolver::streamingRangeErrors()
{
    fa::ClipSolver streaming;
    QString error;
    QVERIFY(!streaming.solveRange(m_d3, 5, 10, &error)); // rows 0-4 missing
    QVERIFY2(error.startsWith(kD3 + QStringLiteral(": cannot solve frames 5-10")), qPrintable(error));
    QVERIFY(!streaming.solveRange(m_d3, 0, kD3Frames + 1, &error)); // past the measured frames
    QVERIFY(!streaming.solveRange(m_d3, 0, -1, &error));
    QCOMPARE(streaming.clip().frameCount(), 0);
    QVERIFY(streaming.solveRange(m_d3, 0, 0, &error)); // an empty range is fine
    QVERIFY(streaming.solveRange(m_d3, 0, 10, &error));
    QVERIFY(!streaming.solveRange(m_d3, 0, 10, &error)); // already solved
    QCOMPARE(streaming.clip().frameCount(), 10);
}

QTEST_GUILESS_MAIN(TestClipSolver)
#include "test_clip_solver.moc"
