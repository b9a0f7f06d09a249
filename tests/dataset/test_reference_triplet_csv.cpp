#include "dataset/reference_triplet_csv.h"

#include "test_files.h"

#include <QtTest>

using fa::ReferenceTripletCsv;
using fa::ReferenceTripletRow;
using fa::TripletType;

namespace {

ReferenceTripletRow row(const char *anchor, const char *positive, const char *negative, TripletType type)
{
    ReferenceTripletRow r;
    r.anchor = QString::fromUtf8(anchor);
    r.positive = QString::fromUtf8(positive);
    r.negative = QString::fromUtf8(negative);
    r.type = type;
    return r;
}

QString scratch(const char *name)
{
    return fa::test::outputDir() + QLatin1Char('/') + QString::fromUtf8(name);
}

} // namespace

class TestReferenceTripletCsv : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void exactBytes();
    void roundTrip();
    void readsHandWrittenFile();
    void headerOnly();
    void readErrors_data();
    void readErrors();
    void writeRefusesEmptyPath();
};

void TestReferenceTripletCsv::exactBytes()
{
    const QByteArray bytes = ReferenceTripletCsv::toBytes({
        row("yale/subject01_happy.png", "yale/subject02_happy.png", "yale/subject01_sad.png", TripletType::TwoClass),
        row("a,b.png", "c.png", "d.png", TripletType::ThreeClass),
        row("x.png", "y.png", "z.png", TripletType::OneClass),
    });
    QCOMPARE(bytes, QByteArray("anchor,positive,negative,type\r\n"
                               "yale/subject01_happy.png,yale/subject02_happy.png,yale/subject01_sad.png,TWO_CLASS_TRIPLET\r\n"
                               "\"a,b.png\",c.png,d.png,THREE_CLASS_TRIPLET\r\n"
                               "x.png,y.png,z.png,ONE_CLASS_TRIPLET\r\n"));
    QCOMPARE(ReferenceTripletCsv::toBytes({}), QByteArray("anchor,positive,negative,type\r\n"));
}

void TestReferenceTripletCsv::roundTrip()
{
    const std::vector<ReferenceTripletRow> rows = {
        row("faces/0001.png", "faces/0002.png", "faces/0003.png", TripletType::OneClass),
        row("faces/gesicht \xc3\xa4.png", "faces/\"quoted\".png", "faces/b, c.png", TripletType::TwoClass),
        row("faces/4.png", "faces/5.png", "faces/6.png", TripletType::ThreeClass),
    };
    const QString path = scratch("round_trip.csv");
    QString error;
    QVERIFY2(ReferenceTripletCsv::writeFile(path, rows, &error), qPrintable(error));
    const auto read = ReferenceTripletCsv::readFile(path, &error);
    QVERIFY2(read, qPrintable(error));
    QCOMPARE(read->size(), rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        QCOMPARE((*read)[i].anchor, rows[i].anchor);
        QCOMPARE((*read)[i].positive, rows[i].positive);
        QCOMPARE((*read)[i].negative, rows[i].negative);
        QCOMPARE((*read)[i].type, rows[i].type);
        QCOMPARE((*read)[i].line, int(i) + 2);
    }
}

void TestReferenceTripletCsv::readsHandWrittenFile()
{
    // LF line ends, blanks around fields, short type names, a blank line.
    const QString path = scratch("hand.csv");
    QVERIFY(fa::test::writeFile(path, "anchor, positive ,negative,type\n"
                                      "a.png, b.png ,c.png,two\n"
                                      "\n"
                                      "d.png,e.png,f.png,THREE_CLASS_TRIPLET\n"));
    QString error;
    const auto rows = ReferenceTripletCsv::readFile(path, &error);
    QVERIFY2(rows, qPrintable(error));
    QCOMPARE(rows->size(), std::size_t(2));
    QCOMPARE((*rows)[0].positive, QStringLiteral("b.png"));
    QCOMPARE((*rows)[0].type, TripletType::TwoClass);
    QCOMPARE((*rows)[1].line, 4);
    QCOMPARE((*rows)[1].type, TripletType::ThreeClass);
}

void TestReferenceTripletCsv::headerOnly()
{
    const QString path = scratch("header_only.csv");
    QVERIFY(fa::test::writeFile(path, "anchor,positive,negative,type\r\n"));
    QString error;
    const auto rows = ReferenceTripletCsv::readFile(path, &error);
    QVERIFY2(rows, qPrintable(error));
    QVERIFY(rows->empty());
}

void TestReferenceTripletCsv::readErrors_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("error"); // after "PATH"

    QTest::newRow("empty file") << QByteArray() << QStringLiteral(": empty file, no header");
    QTest::newRow("no header") << QByteArray("a.png,b.png,c.png,ONE_CLASS_TRIPLET\n")
                               << QStringLiteral(":1: expected the header \"anchor,positive,negative,type\", "
                                                 "found \"a.png,b.png,c.png,ONE_CLASS_TRIPLET\"");
    QTest::newRow("header order") << QByteArray("positive,anchor,negative,type\n")
                                  << QStringLiteral(":1: expected the header \"anchor,positive,negative,type\", "
                                                    "found \"positive,anchor,negative,type\"");
    QTest::newRow("3 columns") << QByteArray("anchor,positive,negative,type\na,b,c,one\na,b,c\n")
                               << QStringLiteral(":3: expected 4 columns (anchor,positive,negative,type), found 3");
    QTest::newRow("5 columns") << QByteArray("anchor,positive,negative,type\na,b,c,one,x\n")
                               << QStringLiteral(":2: expected 4 columns (anchor,positive,negative,type), found 5");
    QTest::newRow("empty anchor") << QByteArray("anchor,positive,negative,type\n ,b,c,one\n")
                                  << QStringLiteral(":2: empty anchor path");
    QTest::newRow("empty negative") << QByteArray("anchor,positive,negative,type\na,b,,one\n")
                                    << QStringLiteral(":2: empty negative path");
    QTest::newRow("unknown type") << QByteArray("anchor,positive,negative,type\na,b,c,FOUR_CLASS_TRIPLET\n")
                                  << QStringLiteral(":2: unknown triplet type \"FOUR_CLASS_TRIPLET\"");
    QTest::newRow("unclosed quote") << QByteArray("anchor,positive,negative,type\n\"a,b,c,one\n")
                                    << QString(); // CsvTable's message; only the location is checked
}

void TestReferenceTripletCsv::readErrors()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, error);
    const QString path = scratch("bad.csv");
    QVERIFY(fa::test::writeFile(path, text));
    QString actual;
    QVERIFY(!ReferenceTripletCsv::readFile(path, &actual));
    if (error.isEmpty())
        QVERIFY2(actual.startsWith(path + QLatin1Char(':')), qPrintable(actual));
    else
        QCOMPARE(actual, path + error);
}

void TestReferenceTripletCsv::writeRefusesEmptyPath()
{
    const QString path = scratch("refused.csv");
    QFile::remove(path);
    QString error;
    QVERIFY(!ReferenceTripletCsv::writeFile(path, {row("a", "b", "c", TripletType::OneClass),
                                                   row("a", "", "c", TripletType::OneClass)}, &error));
    QCOMPARE(error, path + QStringLiteral(": row 2: empty positive path"));
    QVERIFY(!QFile::exists(path));

    QVERIFY(!ReferenceTripletCsv::writeFile(QStringLiteral("/nonexistent-folder/x.csv"), {}, &error));
    QVERIFY2(error.startsWith(QStringLiteral("/nonexistent-folder/x.csv")), qPrintable(error));
    QVERIFY(!ReferenceTripletCsv::readFile(QStringLiteral("/nonexistent-folder/x.csv"), &error));
    QVERIFY2(error.startsWith(QStringLiteral("/nonexistent-folder/x.csv: ")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestReferenceTripletCsv)
#include "test_reference_triplet_csv.moc"
