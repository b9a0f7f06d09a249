#include "animation/animation_clip.h"
#include "common/arkit.h"
#include "export/live_link_csv.h"

#include <QtTest>

#include <cmath>
#include <random>

using fa::AnimationClip;
using fa::LiveLinkCsv;

namespace {

// REFERENCE.md section 6, verbatim.
const char kReferenceHeader[] =
        "Timecode,BlendShapeCount,EyeBlinkLeft,EyeLookDownLeft,EyeLookInLeft,EyeLookOutLeft,"
        "EyeLookUpLeft,EyeSquintLeft,EyeWideLeft,EyeBlinkRight,EyeLookDownRight,EyeLookInRight,"
        "EyeLookOutRight,EyeLookUpRight,EyeSquintRight,EyeWideRight,JawForward,JawRight,JawLeft,"
        "JawOpen,MouthClose,MouthFunnel,MouthPucker,MouthRight,MouthLeft,MouthSmileLeft,"
        "MouthSmileRight,MouthFrownLeft,MouthFrownRight,MouthDimpleLeft,MouthDimpleRight,"
        "MouthStretchLeft,MouthStretchRight,MouthRollLower,MouthRollUpper,MouthShrugLower,"
        "MouthShrugUpper,MouthPressLeft,MouthPressRight,MouthLowerDownLeft,MouthLowerDownRight,"
        "MouthUpperUpLeft,MouthUpperUpRight,BrowDownLeft,BrowDownRight,BrowInnerUp,"
        "BrowOuterUpLeft,BrowOuterUpRight,CheekPuff,CheekSquintLeft,CheekSquintRight,"
        "NoseSneerLeft,NoseSneerRight,TongueOut,HeadYaw,HeadPitch,HeadRoll,LeftEyeYaw,"
        "LeftEyePitch,LeftEyeRoll,RightEyeYaw,RightEyePitch,RightEyeRoll";

QString outputPath(const QString &name)
{
    return QStringLiteral(FA_TEST_OUTPUT_DIR "/") + name;
}

QList<QByteArray> fileLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> lines = file.readAll().split('\n');
    for (QByteArray &line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

bool writeText(const QString &path, const QByteArray &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(text) == text.size();
}

// A header of the reference layout, and one row of it with every value 0 except `values`.
QByteArray llfRow(const QByteArray &timecode, const QHash<QString, QByteArray> &values)
{
    QByteArray row = timecode + ",61";
    for (const QString &name : LiveLinkCsv::headerNames().mid(2))
        row += ',' + values.value(name, QByteArrayLiteral("0"));
    return row;
}

int column(const QString &name)
{
    return LiveLinkCsv::headerNames().indexOf(name);
}

} // namespace

class TestLiveLinkCsv : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void headerIsExact();
    void timecodes_data();
    void timecodes();
    void rowValues();
    void roundTrip_data();
    void roundTrip();
    void readerTolerates();
    void timecodeRateFromFile_data();
    void timecodeRateFromFile();
    void midnightWraps();
    void readErrors_data();
    void readErrors();
    void negativeTimeFails();
};

void TestLiveLinkCsv::initTestCase()
{
    QVERIFY(QDir().mkpath(QStringLiteral(FA_TEST_OUTPUT_DIR)));
}

void TestLiveLinkCsv::headerIsExact()
{
    QCOMPARE(LiveLinkCsv::headerNames().join(QLatin1Char(',')).toLatin1(),
             QByteArray(kReferenceHeader));
    AnimationClip clip(fa::arkit::canonicalNames(), 30.0);
    clip.appendFrame(0.0, std::vector<float>(52, 0.0f), true);
    const QString path = outputPath(QStringLiteral("header.csv"));
    QString error;
    QVERIFY2(LiveLinkCsv::write(path, clip, &error), qPrintable(error));
    const QList<QByteArray> lines = fileLines(path);
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines.at(0), QByteArray(kReferenceHeader));
    QCOMPARE(lines.at(1).split(',').size(), 63);
}

void TestLiveLinkCsv::timecodes_data()
{
    QTest::addColumn<double>("time");
    QTest::addColumn<QByteArray>("timecode");
    QTest::newRow("zero") << 0.0 << QByteArray("00:00:00:00.000");
    QTest::newRow("30 fps frame 1") << 1.0 / 30.0 << QByteArray("00:00:00:02.000");
    QTest::newRow("25 fps frame 1") << 0.04 << QByteArray("00:00:00:02.400");
    QTest::newRow("29.97 fps frame 100")
            << 100.0 * 1001.0 / 30000.0 << QByteArray("00:00:03:20.200");
    QTest::newRow("end of a minute") << 59.99 << QByteArray("00:00:59:59.400");
    QTest::newRow("one hour") << 3600.0 << QByteArray("01:00:00:00.000");
    QTest::newRow("h m s f") << 3661.5 << QByteArray("01:01:01:30.000");
}

void TestLiveLinkCsv::timecodes()
{
    QFETCH(double, time);
    QFETCH(QByteArray, timecode);
    AnimationClip clip({QStringLiteral("jawOpen")}, 30.0);
    clip.appendFrame(time, std::vector<float>{0.5f}, true);
    const QString path = outputPath(QStringLiteral("timecode.csv"));
    QString error;
    QVERIFY2(LiveLinkCsv::write(path, clip, &error), qPrintable(error));
    const QList<QByteArray> lines = fileLines(path);
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines.at(1).split(',').at(0), timecode);
    const auto read = LiveLinkCsv::read(path, &error);
    QVERIFY2(read, qPrintable(error));
    QVERIFY(std::abs(read->frameTime(0) - time) < 1e-4);
}

void TestLiveLinkCsv::rowValues()
{
    // Control order differs from the file's, one control is not ARKit, names in other spellings.
    AnimationClip clip({QStringLiteral("headPitch"), QStringLiteral("jawOpen"),
                        QStringLiteral("customSlider"), QStringLiteral("eyeBlink_L"),
                        QStringLiteral("headYaw"), QStringLiteral("mouthSmileRight")},
                       30.0);
    clip.appendFrame(0.5, std::vector<float>{-45.0f, 1.0f, 0.7f, 0.25f, 90.0f, 1.4f}, false);
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany)); // ',' decimal separator
    const QString path = outputPath(QStringLiteral("row.csv"));
    QString error;
    const bool written = LiveLinkCsv::write(path, clip, &error);
    QLocale::setDefault(QLocale::c());
    QVERIFY2(written, qPrintable(error));

    const QList<QByteArray> lines = fileLines(path);
    QCOMPARE(lines.size(), 2);
    const QList<QByteArray> f = lines.at(1).split(',');
    QCOMPARE(f.size(), 63);
    QCOMPARE(f.at(0), QByteArray("00:00:00:30.000"));
    QCOMPARE(f.at(1), QByteArray("61"));
    QCOMPARE(f.at(column(QStringLiteral("EyeBlinkLeft"))), QByteArray("0.25"));
    QCOMPARE(f.at(column(QStringLiteral("JawOpen"))), QByteArray("1"));
    QCOMPARE(f.at(column(QStringLiteral("MouthSmileRight"))), QByteArray("1")); // clamped
    QCOMPARE(f.at(column(QStringLiteral("MouthSmileLeft"))), QByteArray("0"));  // missing
    QCOMPARE(f.at(column(QStringLiteral("HeadYaw"))), QByteArray("0.5"));       // 90 / 180
    QCOMPARE(f.at(column(QStringLiteral("HeadPitch"))), QByteArray("-0.25"));   // -45 / 180
    QCOMPARE(f.at(column(QStringLiteral("HeadRoll"))), QByteArray("0"));
    for (const char *eye : {"LeftEyeYaw", "LeftEyePitch", "LeftEyeRoll", "RightEyeYaw",
                            "RightEyePitch", "RightEyeRoll"})
        QCOMPARE(f.at(column(QString::fromLatin1(eye))), QByteArray("0"));
}

void TestLiveLinkCsv::roundTrip_data()
{
    QTest::addColumn<double>("fps");
    QTest::addColumn<int>("frames");
    QTest::addColumn<double>("start");
    QTest::newRow("30 fps") << 30.0 << 90 << 0.0;
    QTest::newRow("25 fps from 12.5 s") << 25.0 << 80 << 12.5;
    QTest::newRow("29.97 fps") << 30000.0 / 1001.0 << 100 << 0.0;
    QTest::newRow("60 fps") << 60.0 << 130 << 1.0;
    QTest::newRow("24 fps") << 24.0 << 50 << 0.0;
    QTest::newRow("30 fps, under a second") << 30.0 << 10 << 0.0;
    QTest::newRow("50 fps, over an hour in") << 50.0 << 60 << 3725.02;
}

void TestLiveLinkCsv::roundTrip()
{
    QFETCH(double, fps);
    QFETCH(int, frames);
    QFETCH(double, start);

    QStringList names = fa::arkit::canonicalNames();
    names << fa::arkit::rotationChannelNames();
    AnimationClip clip(names, fps);
    std::mt19937 rng{static_cast<unsigned>(frames)};
    std::uniform_real_distribution<float> weight(0.0f, 1.0f);
    std::uniform_real_distribution<float> angle(-60.0f, 60.0f);
    for (int f = 0; f < frames; ++f) {
        std::vector<float> row(size_t(names.size()));
        for (int i = 0; i < 52; ++i)
            row[size_t(i)] = weight(rng);
        for (int i = 52; i < 52 + fa::arkit::kRotationChannelCount; ++i)
            row[size_t(i)] = angle(rng);
        clip.appendFrame(start + f / fps, row, true);
    }

    const QString path = outputPath(QStringLiteral("roundtrip.csv"));
    QString error;
    QVERIFY2(LiveLinkCsv::write(path, clip, &error), qPrintable(error));
    const auto read = LiveLinkCsv::read(path, &error);
    QVERIFY2(read, qPrintable(error));

    QCOMPARE(read->controlNames(), names);
    QCOMPARE(read->frameCount(), frames);
    QVERIFY2(std::abs(read->fps() - fps) < 1e-3 * fps, qPrintable(QString::number(read->fps())));
    for (int f = 0; f < frames; ++f) {
        QVERIFY2(std::abs(read->frameTime(f) - clip.frameTime(f)) < 1e-3,
                 qPrintable(QStringLiteral("frame %1: %2 s, wrote %3 s").arg(f)
                                    .arg(read->frameTime(f), 0, 'f', 6)
                                    .arg(clip.frameTime(f), 0, 'f', 6)));
        QVERIFY(read->faceFound(f));
        for (int c = 0; c < names.size(); ++c) {
            // 6 decimals: 5e-7 for weights, 180 x 5e-7 degrees for head angles (plus float).
            const double tolerance = c < 52 ? 1e-6 : 2e-4;
            QVERIFY2(std::abs(read->value(f, c) - clip.value(f, c)) <= tolerance,
                     qPrintable(QStringLiteral("frame %1 %2: %3 vs %4").arg(f).arg(names.at(c))
                                        .arg(read->value(f, c)).arg(clip.value(f, c))));
        }
    }
}

// Column order shuffled, names in other cases with blanks around, extra columns, CRLF, a UTF-8
// BOM, eye rotations and BlendShapeCount missing, and a take that starts mid-second.
void TestLiveLinkCsv::readerTolerates()
{
    const QByteArray text = "\xEF\xBB\xBF"
                            " jawopen ,Extra, TIMECODE,headyaw,EYEBLINKLEFT,Notes\r\n"
                            "0.5,x,07:44:57:58.500,-0.25,0.1,\"a, b\"\r\n"
                            "0.6,y,07:44:57:59.500,-0.5,0.2,c\r\n"
                            "\r\n"
                            "0.7,z,07:44:58:00.500,0.125,0.3,d\r\n";
    const QString path = outputPath(QStringLiteral("tolerant.csv"));
    QVERIFY(writeText(path, text));
    QString error;
    const auto clip = LiveLinkCsv::read(path, &error);
    QVERIFY2(clip, qPrintable(error));
    QCOMPARE(clip->controlCount(), 53); // 52 shapes + headYaw (the only head column)
    QCOMPARE(clip->controlNames().last(), QStringLiteral("headYaw"));
    QCOMPARE(clip->frameCount(), 3);
    const int jaw = clip->controlIndex(QStringLiteral("jawOpen"));
    const int blink = clip->controlIndex(QStringLiteral("eyeBlinkLeft"));
    const int yaw = clip->controlIndex(QStringLiteral("headYaw"));
    QCOMPARE(clip->value(2, jaw), 0.7f);
    QCOMPARE(clip->value(1, blink), 0.2f);
    QCOMPARE(clip->value(0, yaw), -45.0f);
    QCOMPARE(clip->value(2, yaw), 22.5f);
    QCOMPARE(clip->value(0, clip->controlIndex(QStringLiteral("tongueOut"))), 0.0f);
    // FF reached 59 and the take crossed a second: 60 fps timecode, sub-frames in frames.
    const double t0 = 7 * 3600 + 44 * 60 + 57 + 58.5 / 60.0;
    QVERIFY(std::abs(clip->frameTime(0) - t0) < 1e-9);
    QVERIFY(std::abs(clip->frameTime(2) - (t0 + 2.0 / 60.0)) < 1e-9);
    QCOMPARE(clip->fps(), 60.0);
}

void TestLiveLinkCsv::timecodeRateFromFile_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QList<QByteArray>>("rows");
    QTest::addColumn<double>("fps");
    QTest::addColumn<double>("secondTime");
    QTest::newRow("30 fps take") << QByteArray("Timecode,JawOpen")
                                 << QList<QByteArray>{"00:00:01:28.000,0", "00:00:01:29.000,0",
                                                      "00:00:02:00.000,0", "00:00:02:01.000,0"}
                                 << 30.0 << 1.0 + 29.0 / 30.0;
    QTest::newRow("25 fps take") << QByteArray("Timecode,JawOpen")
                                 << QList<QByteArray>{"00:00:01:23.000,0", "00:00:01:24.000,0",
                                                      "00:00:02:00.000,0"}
                                 << 25.0 << 1.0 + 24.0 / 25.0;
    QTest::newRow("Unreal writer, FrameRate column")
            << QByteArray("Timecode, FrameRate, JawOpen")
            << QList<QByteArray>{"00:00:00:2.500, 30.000, 0.1", "00:00:00:3.500, 30.000, 0.2"}
            << 30.0 << 3.5 / 30.0;
    QTest::newRow("within one second: 60") << QByteArray("Timecode,JawOpen")
                                           << QList<QByteArray>{"00:00:05:10.000,0",
                                                                "00:00:05:12.000,0"}
                                           << 30.0 << 5.0 + 12.0 / 60.0;
}

void TestLiveLinkCsv::timecodeRateFromFile()
{
    QFETCH(QByteArray, header);
    QFETCH(QList<QByteArray>, rows);
    QFETCH(double, fps);
    QFETCH(double, secondTime);
    const QString path = outputPath(QStringLiteral("rate.csv"));
    QVERIFY(writeText(path, header + '\n' + rows.join('\n') + '\n'));
    QString error;
    const auto clip = LiveLinkCsv::read(path, &error);
    QVERIFY2(clip, qPrintable(error));
    QCOMPARE(clip->frameCount(), int(rows.size()));
    QVERIFY2(std::abs(clip->frameTime(1) - secondTime) < 1e-9,
             qPrintable(QString::number(clip->frameTime(1), 'f', 9)));
    QCOMPARE(clip->fps(), fps);
}

void TestLiveLinkCsv::midnightWraps()
{
    const QString path = outputPath(QStringLiteral("midnight.csv"));
    const QByteArray text = QByteArray(kReferenceHeader) + '\n' + llfRow("23:59:59:58.000", {})
            + '\n' + llfRow("23:59:59:59.000", {}) + '\n' + llfRow("00:00:00:00.000", {}) + '\n';
    QVERIFY(writeText(path, text));
    QString error;
    const auto clip = LiveLinkCsv::read(path, &error);
    QVERIFY2(clip, qPrintable(error));
    QCOMPARE(clip->frameCount(), 3);
    QVERIFY(std::abs(clip->frameTime(2) - 86400.0) < 1e-9);
    QVERIFY(clip->frameTime(2) > clip->frameTime(1));
    QCOMPARE(clip->controlCount(), 59); // full LLF file: 52 shapes + 3 head + 4 eye rotations
}

void TestLiveLinkCsv::readErrors_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    const QByteArray header(kReferenceHeader);
    QTest::newRow("empty") << QByteArray() << QStringLiteral(".csv: empty file");
    QTest::newRow("no timecode") << QByteArray("JawOpen,EyeBlinkLeft\n0.1,0.2\n")
                                 << QStringLiteral(".csv:1: no Timecode column");
    QTest::newRow("no shapes") << QByteArray("Timecode,Foo\n00:00:00:00.000,1\n")
                               << QStringLiteral(".csv:1: no ARKit blendshape");
    QTest::newRow("bad timecode") << header + '\n' + llfRow("00:00:00:00.000", {}) + '\n'
                    + llfRow("12 o'clock", {}) + '\n'
                                  << QStringLiteral(".csv:3: timecode \"12 o'clock\"");
    QTest::newRow("bad value") << header + '\n'
                    + llfRow("00:00:00:00.000", {{QStringLiteral("JawOpen"), "wide"}}) + '\n'
                               << QStringLiteral(".csv:2: JawOpen value \"wide\" is not a number");
    QTest::newRow("short row") << header + "\n00:00:00:00.000,61,0.5\n"
                               << QStringLiteral(".csv:2: 3 fields, the header has 63");
    // fuzz/crashes/live_link_csv: times the writer cannot put in a timecode.
    QTest::newRow("infinite FF") << QByteArray("Timecode,JawOpen\n00:00:00:") + QByteArray(400, '9')
                    + ",0.5\n"
                                 << QStringLiteral(".csv:2: timecode \"00:00:00:999");
    QTest::newRow("huge hours") << QByteArray("Timecode,JawOpen\n99999999999:00:00:00,0.5\n")
                                << QStringLiteral(".csv:2: timecode \"99999999999:00:00:00\"");
    QTest::newRow("tiny FrameRate") << QByteArray("Timecode,FrameRate,JawOpen\n00:00:00:5,1e-300,0.5\n")
                                    << QStringLiteral(".csv:2: FrameRate \"1e-300\" is not a frame rate");
    QTest::newRow("FF above FrameRate")
            << QByteArray("Timecode,FrameRate,JawOpen\n00:00:00:1,,0\n00:00:00:45,30,0.5\n")
            << QStringLiteral(".csv:3: timecode frame 45 is not below the FrameRate 30");
    QTest::newRow("unclosed quote") << QByteArray("Timecode,JawOpen\n\"00:00:00:00.000,0.1\n")
                                    << QStringLiteral(".csv:2: quoted field is never closed");
}

void TestLiveLinkCsv::readErrors()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    const QString path = outputPath(QStringLiteral("bad.csv"));
    QVERIFY(writeText(path, text));
    QString error;
    QVERIFY(!LiveLinkCsv::read(path, &error));
    QVERIFY2(error.startsWith(path), qPrintable(error));
    QVERIFY2(error.contains(expected), qPrintable(error));

    const QString missing = outputPath(QStringLiteral("does-not-exist.csv"));
    QVERIFY(!LiveLinkCsv::read(missing, &error));
    QVERIFY2(error.startsWith(missing + QStringLiteral(": cannot open")), qPrintable(error));
}

void TestLiveLinkCsv::negativeTimeFails()
{
    AnimationClip clip({QStringLiteral("jawOpen")}, 30.0);
    clip.appendFrame(-0.5, std::vector<float>{0.5f}, true);
    const QString path = outputPath(QStringLiteral("negative.csv"));
    QFile::remove(path);
    QString error;
    QVERIFY(!LiveLinkCsv::write(path, clip, &error));
    QVERIFY2(error.startsWith(path) && error.contains(QStringLiteral("negative")),
             qPrintable(error));
    QVERIFY(!QFile::exists(path));
}

QTEST_GUILESS_MAIN(TestLiveLinkCsv)
#include "test_live_link_csv.moc"
