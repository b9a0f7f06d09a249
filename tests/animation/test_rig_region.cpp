#include "animation/rig_region.h"
#include "common/arkit.h"

#include <QtTest>

using fa::RigRegion;

class TestRigRegion : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void regionOfName_data();
    void regionOfName();
    void everyArkitShapeHasAFaceRegion();
    void regionNames();
};

void TestRigRegion::regionOfName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<RigRegion>("region");
    struct Row { const char *name; RigRegion region; };
    const Row rows[] = {
        // The four ARKit spellings.
        {"eyeBlinkLeft", RigRegion::Eyes}, {"EyeBlinkLeft", RigRegion::Eyes},
        {"eyeBlink_L", RigRegion::Eyes}, {"AK_09_EyeBlinkLeft", RigRegion::Eyes},
        {"browInnerUp", RigRegion::Brows}, {"BrowDownRight", RigRegion::Brows},
        {"browOuterUp_R", RigRegion::Brows}, {"AK_42_BrowInnerUp", RigRegion::Brows},
        {"jawOpen", RigRegion::Jaw}, {"JawForward", RigRegion::Jaw}, {"jawLeft", RigRegion::Jaw},
        {"AK_15_JawOpen", RigRegion::Jaw},
        {"mouthSmileLeft", RigRegion::Mouth}, {"MouthClose", RigRegion::Mouth},
        {"mouthSmile_R", RigRegion::Mouth}, {"AK_33_MouthRollUpper", RigRegion::Mouth},
        {"tongueOut", RigRegion::Mouth}, {"TongueOut", RigRegion::Mouth},
        {"cheekPuff", RigRegion::Cheeks}, {"CheekSquintLeft", RigRegion::Cheeks},
        {"cheekSquint_L", RigRegion::Cheeks}, {"noseSneerLeft", RigRegion::Cheeks},
        {"NoseSneerRight", RigRegion::Cheeks}, {"noseSneer_R", RigRegion::Cheeks},
        {"AK_50_NoseSneerLeft", RigRegion::Cheeks},
        {"blendShape1.eyeWideRight", RigRegion::Eyes},
        // Head channels.
        {"headYaw", RigRegion::Head}, {"headPitch", RigRegion::Head}, {"headRoll", RigRegion::Head},
        {"HeadYaw", RigRegion::Head}, {"HeadPitch", RigRegion::Head}, {"head_roll", RigRegion::Head},
        // Not rig channels we know.
        {"smile", RigRegion::Other}, {"", RigRegion::Other}, {"headTilt", RigRegion::Other},
        {"eyeBlinkMiddle", RigRegion::Other},
    };
    for (const Row &row : rows)
        QTest::newRow(row.name[0] ? row.name : "(empty)") << QString::fromLatin1(row.name) << row.region;
}

void TestRigRegion::regionOfName()
{
    QFETCH(QString, name);
    QFETCH(RigRegion, region);
    QCOMPARE(int(fa::rigRegion(name)), int(region));
}

void TestRigRegion::everyArkitShapeHasAFaceRegion()
{
    int counts[fa::kRigRegionCount] = {};
    for (int i = 0; i < fa::arkit::kShapeCount; ++i) {
        const RigRegion camel = fa::rigRegion(fa::arkit::canonicalName(i));
        QCOMPARE(int(fa::rigRegion(fa::arkit::pascalName(i))), int(camel));
        ++counts[int(camel)];
    }
    QCOMPARE(counts[int(RigRegion::Brows)], 5);
    QCOMPARE(counts[int(RigRegion::Eyes)], 14);
    QCOMPARE(counts[int(RigRegion::Jaw)], 4);
    QCOMPARE(counts[int(RigRegion::Cheeks)], 5);
    QCOMPARE(counts[int(RigRegion::Mouth)], 24);
    QCOMPARE(counts[int(RigRegion::Head)], 0);
    QCOMPARE(counts[int(RigRegion::Other)], 0);
}

void TestRigRegion::regionNames()
{
    QCOMPARE(fa::rigRegionName(RigRegion::Brows), QStringLiteral("Brows"));
    QCOMPARE(fa::rigRegionName(RigRegion::Eyes), QStringLiteral("Eyes"));
    QCOMPARE(fa::rigRegionName(RigRegion::Mouth), QStringLiteral("Mouth"));
    QCOMPARE(fa::rigRegionName(RigRegion::Jaw), QStringLiteral("Jaw"));
    QCOMPARE(fa::rigRegionName(RigRegion::Cheeks), QStringLiteral("Cheeks"));
    QCOMPARE(fa::rigRegionName(RigRegion::Head), QStringLiteral("Head"));
    QCOMPARE(fa::rigRegionName(RigRegion::Other), QStringLiteral("Other"));
}

QTEST_APPLESS_MAIN(TestRigRegion)
#include "test_rig_region.moc"
