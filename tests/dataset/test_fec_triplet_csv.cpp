#include "dataset/fec_triplet_csv.h"

#include "test_files.h"

#include <QtTest>

using fa::FecTripletCsv;
using fa::FecTripletRow;
using fa::TripletType;

namespace {

// Rows in the shape of Google FEC's faceexp-comparison-data-*.csv: quoted Flickr URLs, boxes as
// left, right, top, bottom fractions, the type, then (annotator id, choice) pairs.
const QByteArray kFecRows =
    "\"http://farm4.staticflickr.com/3679/9458392585_8fb27dafc1_b.jpg\",0.275,0.7140625,0.07692307692,0.6,"
    "\"http://farm8.staticflickr.com/7422/9354651463_6ba5dbe0f5_b.jpg\",0.3671875,0.5828125,0.164893617,0.5292553191,"
    "\"http://farm3.staticflickr.com/2877/9357410852_a5f1b5cc65_b.jpg\",0.3625,0.6078125,0.1234567901,0.5679012346,"
    "ONE_CLASS_TRIPLET,9,1,22,1,13,1,8,1,38,1,21,2\n"
    "\"http://farm6.staticflickr.com/5538/9423455617_3bcd23c7bb_b.jpg\",0.4109375,0.6390625,0.1666666667,0.4956140351,"
    "\"http://farm4.staticflickr.com/3773/9468577136_4ad0dc7e5c_b.jpg\",0.209375,0.6734375,0.1425,0.7625,"
    "\"http://farm3.staticflickr.com/2892/9437543186_2e6cd2ec6c_b.jpg\",0.0,1.0,0.0,1.0,"
    "TWO_CLASS_TRIPLET,30,3,2,3,39,2,4,3,7,3,12,3\n"
    "\"http://farm9.staticflickr.com/8535/8683423318_c6c2d1f9b8_b.jpg\",0.5078125,0.8515625,0.2202247191,0.7123595506,"
    "\"http://farm6.staticflickr.com/5457/9468610282_99b0d3c4b2_b.jpg\",0.125,0.46875,0.0825,0.5425,"
    "\"http://farm3.staticflickr.com/2806/9394584394_36ab5a1d2c_b.jpg\",0.3046875,0.6171875,0.14,0.7,"
    "THREE_CLASS_TRIPLET,17,2,5,2,26,1,33,2,,,,\n"
    "\"http://farm4.staticflickr.com/3679/9458392585_8fb27dafc1_b.jpg\",0.275,0.7140625,0.07692307692,0.6,"
    "\"http://farm6.staticflickr.com/5538/9423455617_3bcd23c7bb_b.jpg\",0.4109375,0.6390625,0.1666666667,0.4956140351,"
    "\"http://farm6.staticflickr.com/5457/9468610282_99b0d3c4b2_b.jpg\",0.125,0.46875,0.0825,0.5425,"
    "TWO_CLASS_TRIPLET,3,1,40,1\n";

// A valid 28-field row to break one field at a time.
QStringList validFields()
{
    QStringList fields;
    for (int face = 0; face < 3; ++face) {
        fields << QStringLiteral("http://farm1.staticflickr.com/1/%1_b.jpg").arg(face)
               << QStringLiteral("0.2") << QStringLiteral("0.6") << QStringLiteral("0.1") << QStringLiteral("0.7");
    }
    fields << QStringLiteral("ONE_CLASS_TRIPLET");
    for (int i = 0; i < 6; ++i)
        fields << QString::number(i + 10) << QString::number(i % 3 + 1);
    return fields;
}

QByteArray line(const QStringList &fields)
{
    return fields.join(QLatin1Char(',')).toUtf8() + '\n';
}

QByteArray withField(int column, const char *value)
{
    QStringList fields = validFields();
    fields[column] = QString::fromUtf8(value);
    return line(fields);
}

} // namespace

class TestFecTripletCsv : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesFecRows();
    void roundTrip();
    void writesTwentyEightColumns();
    void parseErrors_data();
    void parseErrors();
    void writeRefusesInvalidRows();
    void readFileErrors();
};

void TestFecTripletCsv::parsesFecRows()
{
    QString error;
    const auto rows = FecTripletCsv::parse(kFecRows, QStringLiteral("fec.csv"), &error);
    QVERIFY2(rows, qPrintable(error));
    QCOMPARE(rows->size(), std::size_t(4));

    const FecTripletRow &first = (*rows)[0];
    QCOMPARE(first.line, 1);
    QCOMPARE(first.faces[0].url, QStringLiteral("http://farm4.staticflickr.com/3679/9458392585_8fb27dafc1_b.jpg"));
    QCOMPARE(first.faces[0].left, 0.275f);
    QCOMPARE(first.faces[0].right, 0.7140625f);
    QCOMPARE(first.faces[0].top, 0.07692307692f);
    QCOMPARE(first.faces[0].bottom, 0.6f);
    QCOMPARE(first.faces[2].bottom, 0.5679012346f);
    QCOMPARE(first.type, TripletType::OneClass);
    QCOMPARE(first.annotations.size(), std::size_t(6));
    QCOMPARE(first.annotations[0].annotatorId, QStringLiteral("9"));
    QCOMPARE(first.annotations[0].choice, 1);
    QCOMPARE(first.annotations[5].annotatorId, QStringLiteral("21"));
    QCOMPARE(first.annotations[5].choice, 2);

    QCOMPARE((*rows)[1].type, TripletType::TwoClass);
    QCOMPARE((*rows)[1].faces[2].right, 1.0f);
    QCOMPARE((*rows)[1].annotations[2].choice, 2);
    // Trailing empty pairs are skipped; 20 columns (2 pairs) are accepted.
    QCOMPARE((*rows)[2].type, TripletType::ThreeClass);
    QCOMPARE((*rows)[2].annotations.size(), std::size_t(4));
    QCOMPARE((*rows)[2].annotations[3].annotatorId, QStringLiteral("33"));
    QCOMPARE((*rows)[3].annotations.size(), std::size_t(2));
    QCOMPARE((*rows)[3].line, 4);

    // No annotations at all: 16 columns.
    QStringList sixteen = validFields().mid(0, 16);
    const auto bare = FecTripletCsv::parse(line(sixteen), QStringLiteral("x"), &error);
    QVERIFY2(bare, qPrintable(error));
    QVERIFY((*bare)[0].annotations.empty());

    const auto none = FecTripletCsv::parse(QByteArray(), QStringLiteral("x"), &error);
    QVERIFY(none && none->empty());
}

void TestFecTripletCsv::roundTrip()
{
    QString error;
    const auto rows = FecTripletCsv::parse(kFecRows, QStringLiteral("fec.csv"), &error);
    QVERIFY2(rows, qPrintable(error));
    const QString path = fa::test::outputDir() + QStringLiteral("/round_trip.csv");
    QVERIFY2(FecTripletCsv::writeFile(path, *rows, &error), qPrintable(error));
    const auto read = FecTripletCsv::readFile(path, &error);
    QVERIFY2(read, qPrintable(error));
    QCOMPARE(read->size(), rows->size());
    for (std::size_t r = 0; r < rows->size(); ++r) {
        const FecTripletRow &a = (*rows)[r];
        const FecTripletRow &b = (*read)[r];
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(b.faces[i].url, a.faces[i].url);
            QCOMPARE(b.faces[i].left, a.faces[i].left); // exact: floats written in round-trip form
            QCOMPARE(b.faces[i].right, a.faces[i].right);
            QCOMPARE(b.faces[i].top, a.faces[i].top);
            QCOMPARE(b.faces[i].bottom, a.faces[i].bottom);
        }
        QCOMPARE(b.type, a.type);
        QCOMPARE(b.annotations.size(), a.annotations.size());
        for (std::size_t k = 0; k < a.annotations.size(); ++k) {
            QCOMPARE(b.annotations[k].annotatorId, a.annotations[k].annotatorId);
            QCOMPARE(b.annotations[k].choice, a.annotations[k].choice);
        }
    }
    // The same bytes again after a second trip.
    QCOMPARE(FecTripletCsv::toBytes(*read), FecTripletCsv::toBytes(*rows));
}

void TestFecTripletCsv::writesTwentyEightColumns()
{
    QString error;
    const auto rows = FecTripletCsv::parse(kFecRows, QStringLiteral("fec.csv"), &error);
    QVERIFY2(rows, qPrintable(error));
    const QList<QByteArray> lines = FecTripletCsv::toBytes(*rows).split('\n');
    QCOMPARE(lines.size(), 5); // 4 records and the empty rest after the last CRLF
    QCOMPARE(lines[3],
             QByteArray("http://farm4.staticflickr.com/3679/9458392585_8fb27dafc1_b.jpg,0.275,0.7140625,0.07692308,0.6,"
                        "http://farm6.staticflickr.com/5538/9423455617_3bcd23c7bb_b.jpg,0.4109375,0.6390625,0.16666667,0.49561402,"
                        "http://farm6.staticflickr.com/5457/9468610282_99b0d3c4b2_b.jpg,0.125,0.46875,0.0825,0.5425,"
                        "TWO_CLASS_TRIPLET,3,1,40,1,,,,,,,,\r"));
    for (int i = 0; i < 4; ++i)
        QCOMPARE(lines[i].count(','), 27);
}

void TestFecTripletCsv::parseErrors_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("error"); // after "fec.csv"

    QStringList fields = validFields();
    QTest::newRow("box not a number") << withField(1, "abc") << QStringLiteral(":1: face 1: left \"abc\" is not a number");
    QTest::newRow("box empty") << withField(8, "") << QStringLiteral(":1: face 2: top \"\" is not a number");
    QTest::newRow("box above 1") << withField(9, "1.2") << QStringLiteral(":1: face 2: bottom 1.2 is outside [0,1]");
    QTest::newRow("box negative") << withField(11, "-0.1") << QStringLiteral(":1: face 3: left -0.1 is outside [0,1]");
    QTest::newRow("box nan") << withField(12, "nan") << QStringLiteral(":1: face 3: right nan is outside [0,1]");
    QTest::newRow("left >= right") << withField(11, "0.6") << QStringLiteral(":1: face 3: left 0.6 >= right 0.6");
    QTest::newRow("top >= bottom") << withField(3, "0.8") << QStringLiteral(":1: face 1: top 0.8 >= bottom 0.7");
    QTest::newRow("empty URL") << withField(5, "") << QStringLiteral(":1: face 2: empty image URL");
    QTest::newRow("unknown type") << withField(15, "FOUR_CLASS_TRIPLET")
                                  << QStringLiteral(":1: unknown triplet type \"FOUR_CLASS_TRIPLET\"");
    QTest::newRow("choice 4") << withField(19, "4") << QStringLiteral(":1: annotation 2: choice \"4\" is not 1, 2 or 3");
    QTest::newRow("choice 0") << withField(17, "0") << QStringLiteral(":1: annotation 1: choice \"0\" is not 1, 2 or 3");
    QTest::newRow("choice text") << withField(27, "odd") << QStringLiteral(":1: annotation 6: choice \"odd\" is not 1, 2 or 3");
    QTest::newRow("choice missing") << withField(21, "") << QStringLiteral(":1: annotation 3: choice \"\" is not 1, 2 or 3");
    QTest::newRow("annotator missing") << withField(22, "") << QStringLiteral(":1: annotation 4: empty annotator id");
    QTest::newRow("30 columns") << line(fields + QStringList{QStringLiteral("1"), QStringLiteral("2")})
                                << QStringLiteral(":1: 30 columns, more than 28");
    QTest::newRow("29 columns") << line(fields + QStringList{QString()}) << QStringLiteral(":1: 29 columns, more than 28");
    QTest::newRow("17 columns") << line(fields.mid(0, 17))
                                << QStringLiteral(":1: 17 columns, expected 16 + 2 per annotation (16, 18, ..., 28)");
    QTest::newRow("15 columns") << line(fields.mid(0, 15))
                                << QStringLiteral(":1: 15 columns, expected 16 + 2 per annotation (16, 18, ..., 28)");
    QTest::newRow("second line") << (line(fields) + withField(2, "2"))
                                 << QStringLiteral(":2: face 1: right 2 is outside [0,1]");
    QTest::newRow("header row") << (QByteArray("url1,left1,right1,top1,bottom1\n") + line(fields))
                                << QStringLiteral(":1: 5 columns, expected 16 + 2 per annotation (16, 18, ..., 28)");
}

void TestFecTripletCsv::parseErrors()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, error);
    QString actual;
    QVERIFY(!FecTripletCsv::parse(text, QStringLiteral("fec.csv"), &actual));
    QCOMPARE(actual, QStringLiteral("fec.csv") + error);
}

void TestFecTripletCsv::writeRefusesInvalidRows()
{
    FecTripletRow good;
    for (int i = 0; i < 3; ++i)
        good.faces[i].url = QStringLiteral("face%1.jpg").arg(i);
    FecTripletRow badBox = good;
    badBox.faces[1].left = 0.9f;
    badBox.faces[1].right = 0.1f;
    FecTripletRow badChoice = good;
    badChoice.annotations = {{QStringLiteral("a"), 1}, {QStringLiteral("b"), 5}};
    FecTripletRow tooMany = good;
    tooMany.annotations.assign(7, {QStringLiteral("a"), 1});

    const QString path = fa::test::outputDir() + QStringLiteral("/refused.csv");
    QFile::remove(path);
    QString error;
    QVERIFY(!FecTripletCsv::writeFile(path, {good, badBox}, &error));
    QCOMPARE(error, path + QStringLiteral(": row 2: face 2: left 0.9 >= right 0.1"));
    QVERIFY(!FecTripletCsv::writeFile(path, {badChoice}, &error));
    QCOMPARE(error, path + QStringLiteral(": row 1: annotation 2: choice 5 is not 1, 2 or 3"));
    QVERIFY(!FecTripletCsv::writeFile(path, {tooMany}, &error));
    QCOMPARE(error, path + QStringLiteral(": row 1: 7 annotations, at most 6"));
    QVERIFY(!QFile::exists(path));
    QVERIFY2(FecTripletCsv::writeFile(path, {good}, &error), qPrintable(error));
    QCOMPARE(fa::test::readFile(path), QByteArray("face0.jpg,0,1,0,1,face1.jpg,0,1,0,1,face2.jpg,0,1,0,1,"
                                                  "ONE_CLASS_TRIPLET,,,,,,,,,,,,\r\n"));
}

void TestFecTripletCsv::readFileErrors()
{
    QString error;
    const QString missing = fa::test::outputDir() + QStringLiteral("/missing.csv");
    QVERIFY(!FecTripletCsv::readFile(missing, &error));
    QVERIFY2(error.startsWith(missing + QStringLiteral(": cannot read: ")), qPrintable(error));

    const QString bad = fa::test::outputDir() + QStringLiteral("/bad.csv");
    QVERIFY(fa::test::writeFile(bad, line(validFields()) + withField(15, "SOME_TRIPLET")));
    QVERIFY(!FecTripletCsv::readFile(bad, &error));
    QCOMPARE(error, bad + QStringLiteral(":2: unknown triplet type \"SOME_TRIPLET\""));
}

QTEST_GUILESS_MAIN(TestFecTripletCsv)
#include "test_fec_triplet_csv.moc"
