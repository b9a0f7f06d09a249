#include "animation/animation_clip.h"
#include "export/csv_table.h"
#include "export/frame_rate.h"
#include "export/generic_csv.h"

#include <QtTest>

#include <cmath>

using fa::AnimationClip;
using fa::CsvTable;
using fa::GenericCsv;

namespace {

QString outputPath(const QString &name)
{
    return QStringLiteral(FA_TEST_OUTPUT_DIR "/") + name;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// UTF-8 literals to a QStringList (the project compiles with QT_NO_CAST_FROM_ASCII).
QStringList strings(std::initializer_list<const char *> items)
{
    QStringList list;
    for (const char *item : items)
        list << QString::fromUtf8(item);
    return list;
}

bool writeText(const QString &path, const QByteArray &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(text) == text.size();
}

} // namespace

class TestGenericCsv : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void csvParsing_data();
    void csvParsing();
    void csvParseErrors_data();
    void csvParseErrors();
    void quoting_data();
    void quoting();
    void frameRateEstimate_data();
    void frameRateEstimate();
    void writesExactText();
    void roundTrip_data();
    void roundTrip();
    void readErrors_data();
    void readErrors();
};

void TestGenericCsv::initTestCase()
{
    QVERIFY(QDir().mkpath(QStringLiteral(FA_TEST_OUTPUT_DIR)));
}

void TestGenericCsv::csvParsing_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QList<QStringList>>("rows");
    QTest::addColumn<QList<int>>("lines");
    QTest::newRow("LF") << QByteArray("a,b\n1,2\n")
                        << QList<QStringList>{strings({"a", "b"}), strings({"1", "2"})} << QList<int>{1, 2};
    QTest::newRow("CRLF, no final break") << QByteArray("a,b\r\n1,2")
                                          << QList<QStringList>{strings({"a", "b"}), strings({"1", "2"})}
                                          << QList<int>{1, 2};
    QTest::newRow("BOM, blank lines") << QByteArray("\xEF\xBB\xBFx\n\n\ny\n")
                                      << QList<QStringList>{strings({"x"}), strings({"y"})} << QList<int>{1, 4};
    QTest::newRow("quoted comma and quote")
            << QByteArray("\"a,b\",\"say \"\"hi\"\"\",c\n")
            << QList<QStringList>{strings({"a,b", "say \"hi\"", "c"})} << QList<int>{1};
    QTest::newRow("quoted line break") << QByteArray("\"two\nlines\",x\nnext\n")
                                       << QList<QStringList>{strings({"two\nlines", "x"}), strings({"next"})}
                                       << QList<int>{1, 3};
    QTest::newRow("empty fields") << QByteArray(",,\n") << QList<QStringList>{strings({"", "", ""})}
                                  << QList<int>{1};
    QTest::newRow("UTF-8") << QByteArray("m\xC3\xBCnd,\xE5\x8F\xA3\n")
                           << QList<QStringList>{{QString::fromUtf8("m\xC3\xBCnd"),
                                                  QString::fromUtf8("\xE5\x8F\xA3")}}
                           << QList<int>{1};
}

void TestGenericCsv::csvParsing()
{
    QFETCH(QByteArray, text);
    QFETCH(QList<QStringList>, rows);
    QFETCH(QList<int>, lines);
    QString error;
    const auto table = CsvTable::parse(text, &error);
    QVERIFY2(table, qPrintable(error));
    QCOMPARE(int(table->rows().size()), rows.size());
    for (int i = 0; i < rows.size(); ++i) {
        QCOMPARE(table->rows()[size_t(i)].fields, rows.at(i));
        QCOMPARE(table->rows()[size_t(i)].line, lines.at(i));
    }
}

void TestGenericCsv::csvParseErrors_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message");
    QTest::newRow("unclosed") << QByteArray("a\nb,\"open\n\n") << 2
                              << QStringLiteral("quoted field is never closed");
    QTest::newRow("text after quote") << QByteArray("a\nb\n\"x\"y,z\n") << 3
                                      << QStringLiteral("text after a closing quote");
}

void TestGenericCsv::csvParseErrors()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(QString, message);
    QString error;
    int errorLine = 0;
    QVERIFY(!CsvTable::parse(text, &error, &errorLine));
    QCOMPARE(error, message);
    QCOMPARE(errorLine, line);
}

void TestGenericCsv::quoting_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("quoted");
    QTest::newRow("plain") << QStringLiteral("jawOpen") << QStringLiteral("jawOpen");
    QTest::newRow("comma") << QStringLiteral("brow, inner") << QStringLiteral("\"brow, inner\"");
    QTest::newRow("quote") << QStringLiteral("say \"hi\"") << QStringLiteral("\"say \"\"hi\"\"\"");
    QTest::newRow("line break") << QStringLiteral("a\nb") << QStringLiteral("\"a\nb\"");
    QTest::newRow("outer blank") << QStringLiteral(" x") << QStringLiteral("\" x\"");
    QTest::newRow("empty") << QString() << QString();
}

void TestGenericCsv::quoting()
{
    QFETCH(QString, field);
    QFETCH(QString, quoted);
    QCOMPARE(CsvTable::quote(field), quoted);
    QByteArray record;
    CsvTable::appendRecord(record, {field, QStringLiteral("next")});
    const auto table = CsvTable::parse(record);
    QVERIFY(table);
    QCOMPARE(table->rows().front().fields, (QStringList{field, QStringLiteral("next")}));
}

void TestGenericCsv::frameRateEstimate_data()
{
    QTest::addColumn<double>("fps");
    QTest::addColumn<double>("jitter");   // rounding of the stamps, seconds
    QTest::addColumn<int>("dropEvery");   // 0: no dropped frames
    QTest::addColumn<double>("expected");
    QTest::newRow("30") << 30.0 << 0.0 << 0 << 30.0;
    QTest::newRow("29.97 stamped to the ms") << 30000.0 / 1001.0 << 0.0005 << 0 << 30000.0 / 1001.0;
    QTest::newRow("25 with dropped frames") << 25.0 << 0.0 << 7 << 25.0;
    QTest::newRow("odd 27.3") << 27.3 << 0.0 << 0 << 27.3;
}

void TestGenericCsv::frameRateEstimate()
{
    QFETCH(double, fps);
    QFETCH(double, jitter);
    QFETCH(int, dropEvery);
    QFETCH(double, expected);
    std::vector<double> times;
    for (int f = 0; f < 200; ++f) {
        if (dropEvery > 0 && f % dropEvery == 3)
            continue;
        const double t = f / fps;
        times.push_back(jitter > 0 ? std::round(t / (2 * jitter)) * 2 * jitter : t);
    }
    const double estimate = fa::estimateFrameRate(times, -1.0);
    QVERIFY2(std::abs(estimate - expected) < 1e-6 * expected,
             qPrintable(QString::number(estimate, 'g', 12)));
    QCOMPARE(fa::estimateFrameRate({1.0}, 12.0), 12.0);
    QCOMPARE(fa::estimateFrameRate({}, 12.0), 12.0);
}

void TestGenericCsv::writesExactText()
{
    AnimationClip clip({QStringLiteral("jawOpen"), QStringLiteral("brow, inner"),
                        QStringLiteral("say \"hi\""), QStringLiteral("headYaw")},
                       30.0);
    clip.appendFrame(10.0, std::vector<float>{0.5f, 0.0f, 1.0f, -12.5f}, true);
    clip.appendFrame(10.0 + 1.0 / 30.0, std::vector<float>{0.25f, 0.125f, 0.0f, 3.0f}, false);
    QLocale::setDefault(QLocale(QLocale::French, QLocale::France)); // ',' decimal separator
    const QString path = outputPath(QStringLiteral("exact.csv"));
    QString error;
    const bool written = GenericCsv::write(path, clip, &error);
    QLocale::setDefault(QLocale::c());
    QVERIFY2(written, qPrintable(error));
    QCOMPARE(readAll(path),
             QByteArray("frame,time,face_found,jawOpen,\"brow, inner\",\"say \"\"hi\"\"\",headYaw\r\n"
                        "0,10,1,0.5,0,1,-12.5\r\n"
                        "1,10.033333,0,0.25,0.125,0,3\r\n"));
}

void TestGenericCsv::roundTrip_data()
{
    QTest::addColumn<double>("fps");
    QTest::addColumn<int>("frames");
    QTest::newRow("25 fps") << 25.0 << 75;
    QTest::newRow("59.94 fps") << 60000.0 / 1001.0 << 120;
    QTest::newRow("one frame") << 30.0 << 1;
}

void TestGenericCsv::roundTrip()
{
    QFETCH(double, fps);
    QFETCH(int, frames);
    const QStringList names{QStringLiteral("Mouth_Open"), QStringLiteral("brow, inner"),
                            QStringLiteral("\"quoted\""), QStringLiteral("headPitch")};
    AnimationClip clip(names, fps);
    for (int f = 0; f < frames; ++f) {
        const float x = float(f) / float(std::max(frames, 2) - 1);
        clip.appendFrame(2.0 + f / fps, std::vector<float>{x, 1.0f - x, x * x, -30.0f + 60.0f * x},
                         f % 5 != 2);
    }
    const QString path = outputPath(QStringLiteral("roundtrip.csv"));
    QString error;
    QVERIFY2(GenericCsv::write(path, clip, &error), qPrintable(error));
    const auto read = GenericCsv::read(path, &error);
    QVERIFY2(read, qPrintable(error));
    QCOMPARE(read->controlNames(), names);
    QCOMPARE(read->frameCount(), frames);
    QCOMPARE(read->faceFoundCount(), clip.faceFoundCount());
    QVERIFY2(std::abs(read->fps() - (frames > 1 ? fps : 30.0)) < 1e-6,
             qPrintable(QString::number(read->fps(), 'g', 12)));
    for (int f = 0; f < frames; ++f) {
        QCOMPARE(read->faceFound(f), clip.faceFound(f));
        QVERIFY(std::abs(read->frameTime(f) - clip.frameTime(f)) <= 5e-7);
        for (int c = 0; c < names.size(); ++c)
            QVERIFY2(std::abs(read->value(f, c) - clip.value(f, c)) <= 5e-6,
                     qPrintable(QStringLiteral("frame %1 %2").arg(f).arg(names.at(c))));
    }
}

void TestGenericCsv::readErrors_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty") << QByteArray() << QStringLiteral(".csv: empty file");
    QTest::newRow("no time") << QByteArray("frame,jawOpen\n0,1\n")
                             << QStringLiteral(".csv:1: no time column");
    QTest::newRow("bad time")
            << QByteArray("frame,time,face_found,jawOpen\n0,0,1,0.5\n1,soon,1,0.5\n")
                              << QStringLiteral(".csv:3: time \"soon\" is not a number");
    QTest::newRow("bad value") << QByteArray("time,jawOpen\n0,0.5\n0.04,lots\n")
                               << QStringLiteral(".csv:3: jawOpen value \"lots\" is not a number");
    QTest::newRow("bad flag") << QByteArray("time,face_found,jawOpen\n0,yes,0.5\n")
                              << QStringLiteral(".csv:2: face_found \"yes\" is not a number");
    QTest::newRow("short row") << QByteArray("time,jawOpen,eyeBlinkLeft\n0,0.5\n")
                               << QStringLiteral(".csv:2: 2 fields, the header has 3");
    QTest::newRow("unclosed quote") << QByteArray("time,\"jawOpen\n0,1\n")
                                    << QStringLiteral(".csv:1: quoted field is never closed");
}

void TestGenericCsv::readErrors()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    const QString path = outputPath(QStringLiteral("bad.csv"));
    QVERIFY(writeText(path, text));
    QString error;
    QVERIFY(!GenericCsv::read(path, &error));
    QVERIFY2(error.startsWith(path), qPrintable(error));
    QVERIFY2(error.contains(expected), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestGenericCsv)
#include "test_generic_csv.moc"
