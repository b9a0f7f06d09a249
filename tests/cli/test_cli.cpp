// End-to-end tests of `freeavatar` on real media: the README's main job, bad input, and the
// expression criteria on liveportrait_d3.mp4.
#include "animation/animation_clip.h"
#include "common/arkit.h"
#include "export/live_link_csv.h"
#include "cli_run.h"
#include "test_files.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QtTest>

#include <algorithm>
#include <cmath>

using fa::test::dataPath;
using fa::test::freeavatar;
using fa::test::Run;

namespace {

const QString kDataDir = QStringLiteral(FA_TEST_DATA_DIR);
const QString kOutDir = QStringLiteral(FA_TEST_OUTPUT_DIR);
const QString kMegamind = QStringLiteral("/usr/share/doc/opencv-doc/examples/data/Megamind.avi");


float maxOver(const fa::AnimationClip &clip, int control, double from, double to)
{
    float m = 0.0f;
    for (int f = 0; f < clip.frameCount(); ++f)
        if (clip.frameTime(f) >= from && clip.frameTime(f) < to)
            m = std::max(m, clip.value(f, control));
    return m;
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void mainJobOnDefaultSample();
    void rocketboxAvatar();
    void expressionsOnLivePortraitD3();
    void yunetDetector();
    void info_data();
    void info();
    void badInput_data();
    void badInput();
};

void TestCli::initTestCase()
{
    QVERIFY2(QFile::exists(kMegamind), "Megamind.avi missing: install the opencv-doc package");
    QVERIFY2(QDir(kDataDir).exists(), qPrintable(kDataDir + QStringLiteral(" missing")));
    QVERIFY(QDir().mkpath(kOutDir));
}

// The README's main job: Megamind.avi onto the built-in mannequin head, CSV and FBX.
void TestCli::mainJobOnDefaultSample()
{
    const QString csv = kOutDir + QStringLiteral("/megamind.csv");
    const QString fbx = kOutDir + QStringLiteral("/megamind.fbx");
    QFile::remove(csv);
    QFile::remove(fbx);
    const Run run = freeavatar({QStringLiteral("retarget"), kMegamind, QStringLiteral("--csv"), csv,
                                QStringLiteral("--fbx"), fbx});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("Frames:    270")), qPrintable(run.out));
    QString error;
    const std::optional<fa::AnimationClip> clip = fa::LiveLinkCsv::read(csv, &error);
    QVERIFY2(clip, qPrintable(error));
    QCOMPARE(clip->frameCount(), 270);
    QVERIFY(QFileInfo(fbx).size() > 10000);
    QFile file(fbx);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.read(20), QByteArray("Kaydara FBX Binary  "));
}

void TestCli::rocketboxAvatar()
{
    const QString fbx = kOutDir + QStringLiteral("/rocketbox.fbx");
    const QString csv = kOutDir + QStringLiteral("/rocketbox_generic.csv");
    const Run run = freeavatar({QStringLiteral("retarget"), kMegamind, QStringLiteral("--avatar"),
                                dataPath(QStringLiteral("avatars/rocketbox/Male_Adult_03_facial.fbx")),
                                QStringLiteral("--fbx"), fbx, QStringLiteral("--csv"), csv,
                                QStringLiteral("--csv-format"), QStringLiteral("generic"), QStringLiteral("--quiet")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    // 52 ARKit shapes (AK_NN_ prefix) of 175 controls are driven; the rest are reported.
    QVERIFY2(run.out.contains(QStringLiteral("Mapped:    52 of 175")), qPrintable(run.out));
    QVERIFY2(run.out.contains(QStringLiteral("Unmapped:  123")), qPrintable(run.out));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray header = file.readLine();
    QVERIFY(header.startsWith("frame,time,face_found,"));
    QVERIFY(header.contains("AK_09_EyeBlinkLeft") || header.contains("AK_"));
    QVERIFY(QFileInfo(fbx).size() > 100000);
}

// The criteria: a wink at the start, a frown in the middle, surprise at the end.
void TestCli::expressionsOnLivePortraitD3()
{
    const QString csv = kOutDir + QStringLiteral("/d3.csv");
    const Run run = freeavatar({QStringLiteral("retarget"), dataPath(QStringLiteral("videos/liveportrait_d3.mp4")),
                                QStringLiteral("--csv"), csv, QStringLiteral("--quiet")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QString error;
    const std::optional<fa::AnimationClip> clip = fa::LiveLinkCsv::read(csv, &error);
    QVERIFY2(clip, qPrintable(error));
    QCOMPARE(clip->frameCount(), 354);
    const int jaw = clip->controlIndex(fa::arkit::canonicalName(fa::ArkitShape::JawOpen));
    QVERIFY(jaw >= 0);
    const double end = clip->frameTime(clip->frameCount() - 1);
    const float surprise = maxOver(*clip, jaw, end - 3.0, end + 1.0);
    const float middle = maxOver(*clip, jaw, 4.0, 8.0);
    QVERIFY2(surprise >= 2.0f * middle,
             qPrintable(QStringLiteral("jawOpen max last 3 s %1, seconds 4-8 %2").arg(surprise).arg(middle)));

    // Windows picked by looking at the frames: her left eye winks at 0.30-0.63 s, she frowns
    // at 3.8-5.3 s.
    const int blinkLeft = clip->controlIndex(fa::arkit::canonicalName(fa::ArkitShape::EyeBlinkLeft));
    const int blinkRight = clip->controlIndex(fa::arkit::canonicalName(fa::ArkitShape::EyeBlinkRight));
    int winkFrames = 0;
    int frownFrames = 0;
    for (int f = 0; f < clip->frameCount(); ++f) {
        const double t = clip->frameTime(f);
        const float difference = clip->value(f, blinkLeft) - clip->value(f, blinkRight);
        if (t >= 0.30 && t < 0.63) {
            ++winkFrames;
            QVERIFY2(std::abs(difference) > 0.3f, qPrintable(QStringLiteral("wink at %1 s: %2").arg(t).arg(difference)));
        }
        if (t >= 3.8 && t < 5.3) {
            ++frownFrames;
            QVERIFY2(std::abs(difference) < 0.2f, qPrintable(QStringLiteral("frown at %1 s: %2").arg(t).arg(difference)));
        }
    }
    QVERIFY(winkFrames >= 9);
    QVERIFY(frownFrames >= 44);
}

// The second face detector: OpenCV's YuNet with the model file the user points to.
void TestCli::yunetDetector()
{
    const Run run = freeavatar({QStringLiteral("retarget"), dataPath(QStringLiteral("videos/liveportrait_d0.mp4")),
                                QStringLiteral("--detector"), QStringLiteral("yunet"), QStringLiteral("--yunet-model"),
                                dataPath(QStringLiteral("models/yunet/yunet_2022feb_120x160.onnx")), QStringLiteral("--quiet")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("Frames:    78 (78 with a face")), qPrintable(run.out));
}

void TestCli::info_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("video") << dataPath(QStringLiteral("videos/liveportrait_d3.mp4"))
                           << QStringList{QStringLiteral("512x512"), QStringLiteral("354")};
    QTest::newRow("Megamind") << kMegamind << QStringList{QStringLiteral("270")};
    QTest::newRow("facecap") << dataPath(QStringLiteral("avatars/facecap/facecap_decoded.glb"))
                             << QStringList{QStringLiteral("52 of 52 ARKit blendshapes"), QStringLiteral("Textures:  1")};
    QTest::newRow("rocketbox") << dataPath(QStringLiteral("avatars/rocketbox/Male_Adult_03_facial.fbx"))
                               << QStringList{QStringLiteral("175 controls"), QStringLiteral("52 of 52 ARKit blendshapes")};
}

void TestCli::info()
{
    QFETCH(QString, file);
    QFETCH(QStringList, expected);
    const Run run = freeavatar({QStringLiteral("info"), file});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    for (const QString &e : expected)
        QVERIFY2(run.out.contains(e), qPrintable(QStringLiteral("'%1' not in:\n%2").arg(e, run.out)));
}

// Every bad input gives exit 2 and one line naming the file.
void TestCli::badInput_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("named");

    const QString mp4 = dataPath(QStringLiteral("videos/liveportrait_d18.mp4"));
    QFile source(mp4);
    QVERIFY(source.open(QIODevice::ReadOnly));
    const QByteArray bytes = source.readAll();
    for (double cut : {0.001, 0.05, 0.3, 0.6, 0.9}) {
        const QString path = kOutDir + QStringLiteral("/cut_%1.mp4").arg(int(cut * 1000));
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(bytes.left(int(bytes.size() * cut)));
        out.close();
        QTest::newRow(qPrintable(QStringLiteral("mp4 cut at %1 %").arg(cut * 100)))
            << QStringList{QStringLiteral("retarget"), path, QStringLiteral("--quiet")} << path;
    }
    const QString text = kOutDir + QStringLiteral("/notes.mp4");
    QFile t(text);
    QVERIFY(t.open(QIODevice::WriteOnly));
    t.write("This is not a video, just some text.\n");
    t.close();
    QTest::newRow("text named .mp4") << QStringList{QStringLiteral("retarget"), text} << text;
    const QString missing = kOutDir + QStringLiteral("/no_such_video.mp4");
    QTest::newRow("missing video") << QStringList{QStringLiteral("retarget"), missing} << missing;
    const QString image = dataPath(QStringLiteral("images/faceapi_expressions/happy.jpg"));
    QTest::newRow("image as video") << QStringList{QStringLiteral("retarget"), image} << image;

    const QString cube = kOutDir + QStringLiteral("/cube.obj");
    QFile c(cube);
    QVERIFY(c.open(QIODevice::WriteOnly));
    c.write("v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nv 0 0 1\nv 1 0 1\nv 1 1 1\nv 0 1 1\n"
            "f 1 2 3 4\nf 5 6 7 8\nf 1 2 6 5\nf 2 3 7 6\nf 3 4 8 7\nf 4 1 5 8\n");
    c.close();
    QTest::newRow("avatar without morph targets")
        << QStringList{QStringLiteral("retarget"), mp4, QStringLiteral("--avatar"), cube} << cube;

    QFile glb(dataPath(QStringLiteral("avatars/facecap/facecap_decoded.glb")));
    QVERIFY(glb.open(QIODevice::ReadOnly));
    QByteArray corrupt = glb.readAll();
    for (int i = 200; i < corrupt.size(); i += 997)
        corrupt[i] = char(corrupt[i] ^ 0x5a);
    const QString corruptPath = kOutDir + QStringLiteral("/corrupt.glb");
    QFile g(corruptPath);
    QVERIFY(g.open(QIODevice::WriteOnly));
    g.write(corrupt.left(corrupt.size() / 2));
    g.close();
    QTest::newRow("corrupt GLB") << QStringList{QStringLiteral("retarget"), mp4, QStringLiteral("--avatar"), corruptPath}
                                 << corruptPath;
    const QString missingModel = kOutDir + QStringLiteral("/no_such_model.onnx");
    QTest::newRow("missing YuNet model")
        << QStringList{QStringLiteral("retarget"), mp4, QStringLiteral("--detector"), QStringLiteral("yunet"),
                       QStringLiteral("--yunet-model"), missingModel} << missingModel;
    QTest::newRow("info on missing file") << QStringList{QStringLiteral("info"), missing} << missing;
    QTest::newRow("info on corrupt GLB") << QStringList{QStringLiteral("info"), corruptPath} << corruptPath;
    QTest::newRow("unwritable output")
        << QStringList{QStringLiteral("retarget"), mp4, QStringLiteral("--csv"), QStringLiteral("/nonexistent/dir/out.csv")}
        << QStringLiteral("/nonexistent/dir/out.csv");
}

void TestCli::badInput()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, named);
    const Run run = freeavatar(arguments);
    QVERIFY2(run.exitCode == 2, qPrintable(QStringLiteral("exit %1: %2").arg(run.exitCode).arg(run.err)));
    QVERIFY2(run.err.contains(named), qPrintable(run.err));
    QCOMPARE(run.err.trimmed().count(QLatin1Char('\n')), 0);
}

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
