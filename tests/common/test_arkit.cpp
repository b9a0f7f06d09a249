#include "common/arkit.h"

#include <QtTest>

class TestArkit : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void spellings_data();
    void spellings();
    void namesRoundTrip();
};

void TestArkit::spellings_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("expected");
    const int blinkL = int(fa::ArkitShape::EyeBlinkLeft);
    const int smileR = int(fa::ArkitShape::MouthSmileRight);
    QTest::newRow("camelCase") << QStringLiteral("eyeBlinkLeft") << blinkL;
    QTest::newRow("PascalCase") << QStringLiteral("EyeBlinkLeft") << blinkL;
    QTest::newRow("suffix _L") << QStringLiteral("eyeBlink_L") << blinkL;
    QTest::newRow("suffix _R") << QStringLiteral("mouthSmile_R") << smileR;
    QTest::newRow("prefixed") << QStringLiteral("AK_09_EyeBlinkLeft") << blinkL;
    QTest::newRow("prefixed right") << QStringLiteral("AK_25_MouthSmileRight") << smileR;
    QTest::newRow("namespace") << QStringLiteral("blendShape1.eyeBlinkLeft") << blinkL;
    QTest::newRow("unsided") << QStringLiteral("jawOpen") << int(fa::ArkitShape::JawOpen);
    QTest::newRow("upper case") << QStringLiteral("BROWINNERUP") << int(fa::ArkitShape::BrowInnerUp);
    QTest::newRow("viseme") << QStringLiteral("viseme_aa") << -1;
    QTest::newRow("FACS unit") << QStringLiteral("AU_01_InnerBrowRaiser") << -1;
    QTest::newRow("empty") << QString() << -1;
}

void TestArkit::spellings()
{
    QFETCH(QString, name);
    QFETCH(int, expected);
    QCOMPARE(fa::arkit::indexOf(name), expected);
}

void TestArkit::namesRoundTrip()
{
    QCOMPARE(fa::arkit::canonicalNames().size(), fa::arkit::kShapeCount);
    for (int i = 0; i < fa::arkit::kShapeCount; ++i) {
        QCOMPARE(fa::arkit::indexOf(fa::arkit::canonicalName(i)), i);
        QCOMPARE(fa::arkit::indexOf(fa::arkit::pascalName(i)), i);
    }
    QCOMPARE(fa::arkit::canonicalName(fa::ArkitShape::TongueOut), QStringLiteral("tongueOut"));
    QCOMPARE(fa::arkit::pascalName(0), QStringLiteral("EyeBlinkLeft"));
}

QTEST_GUILESS_MAIN(TestArkit)
#include "test_arkit.moc"
