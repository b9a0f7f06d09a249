#include "avatar/avatar_loader.h"
#include "avatar/rig_mapping.h"
#include "common/arkit.h"

#include <QFileInfo>
#include <QtTest>

using namespace fa;

namespace {

QString avatarPath(const QString &relative)
{
    return QStringLiteral(FA_TEST_DATA_DIR "/avatars/") + relative;
}

int shapeIndex(ArkitShape shape)
{
    return int(shape);
}

} // namespace

class TestRigMapping : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void realAvatars_data();
    void realAvatars();
    void partialRig();
    void applyRoutesValues();
    void applyFacecapCapture();
};

void TestRigMapping::realAvatars_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("controls");
    QTest::addColumn<int>("mapped");
    QTest::addColumn<int>("missing");
    QTest::addColumn<QString>("blinkLeftControl"); // the rig's spelling of eyeBlinkLeft
    QTest::addColumn<QString>("smileRightControl");
    QTest::addColumn<QStringList>("unmappedPrefixes");

    // The four spellings: _L/_R (Face Cap), camelCase (Ready Player Me), AK_NN_ PascalCase
    // (Rocketbox/HeadBox); PascalCase alone is covered by partialRig.
    QTest::newRow("facecap _L/_R") << "facecap/facecap_decoded.glb" << 52 << 52 << 0 << "eyeBlink_L"
                                   << "mouthSmile_R" << QStringList();
    QTest::newRow("brunette camelCase") << "readyplayerme_brunette/brunette-t.glb" << 67 << 52 << 0
                                        << "eyeBlinkLeft" << "mouthSmileRight" << QStringList{QStringLiteral("viseme_")};
    const QStringList rocketboxPrefixes = {QStringLiteral("AA_VI_"), QStringLiteral("AU_"), QStringLiteral("HB_"),
                                           QStringLiteral("SR_"), QStringLiteral("_Neutral")};
    QTest::newRow("rocketbox male AK_NN_") << "rocketbox/Male_Adult_03_facial.fbx" << 175 << 52 << 0
                                           << "AK_09_EyeBlinkLeft" << "AK_45_MouthSmileRight" << rocketboxPrefixes;
    QTest::newRow("rocketbox female AK_NN_") << "rocketbox/Female_Adult_02_ARKitDemo.fbx" << 175 << 52 << 0
                                             << "AK_09_EyeBlinkLeft" << "AK_45_MouthSmileRight" << rocketboxPrefixes;
    QTest::newRow("robot") << "robot_expressive/RobotExpressive.glb" << 3 << 0 << 52 << "" << ""
                           << QStringList{QStringLiteral("Angry"), QStringLiteral("Surprised"), QStringLiteral("Sad")};
}

void TestRigMapping::realAvatars()
{
    QFETCH(QString, file);
    QFETCH(int, controls);
    QFETCH(int, mapped);
    QFETCH(int, missing);
    QFETCH(QString, blinkLeftControl);
    QFETCH(QString, smileRightControl);
    QFETCH(QStringList, unmappedPrefixes);

    const QString path = avatarPath(file);
    QVERIFY2(QFileInfo::exists(path), qPrintable(path));
    AvatarLoader loader;
    const std::unique_ptr<Avatar> avatar = loader.load(path);
    QVERIFY2(avatar, qPrintable(loader.errorString()));
    const RigDefinition rig = avatar->rig();
    const RigMapping mapping = RigMapping::fromArkit(rig);

    QCOMPARE(mapping.controlCount(), controls);
    QCOMPARE(mapping.mappedCount(), mapped);
    QCOMPARE(mapping.mappedShapeCount(), mapped);
    QCOMPARE(mapping.missingArkitShapes().size(), missing);
    QCOMPARE(mapping.unmappedControls().size(), controls - mapped);
    for (const QString &name : mapping.unmappedControls()) {
        bool known = false;
        for (const QString &prefix : unmappedPrefixes)
            known = known || name.startsWith(prefix);
        QVERIFY2(known, qPrintable(name));
    }
    if (!blinkLeftControl.isEmpty()) {
        QCOMPARE(mapping.arkitIndexForControl(rig.indexOf(blinkLeftControl)), shapeIndex(ArkitShape::EyeBlinkLeft));
        QCOMPARE(mapping.arkitIndexForControl(rig.indexOf(smileRightControl)), shapeIndex(ArkitShape::MouthSmileRight));
    }
    // Every ARKit shape is carried by exactly one control for these rigs.
    QVector<int> hits(arkit::kShapeCount, 0);
    for (int c = 0; c < rig.controlCount(); ++c)
        if (mapping.arkitIndexForControl(c) >= 0)
            ++hits[mapping.arkitIndexForControl(c)];
    for (int count : hits)
        QCOMPARE(count, mapped == 52 ? 1 : 0);
    QCOMPARE(mapping.arkitIndexForControl(-1), -1);
    QCOMPARE(mapping.arkitIndexForControl(controls), -1);
}

void TestRigMapping::partialRig()
{
    // PascalCase spelling, a duplicate shape in two spellings, and non-ARKit controls.
    const RigDefinition rig(QStringList{QStringLiteral("JawOpen"), QStringLiteral("viseme_aa"),
                                        QStringLiteral("EyeBlinkLeft"), QStringLiteral("eyeBlink_L"),
                                        QStringLiteral("AU_01_InnerBrowRaiser")});
    const RigMapping mapping = RigMapping::fromArkit(rig);
    QCOMPARE(mapping.arkitIndexForControl(0), shapeIndex(ArkitShape::JawOpen));
    QCOMPARE(mapping.arkitIndexForControl(1), -1);
    QCOMPARE(mapping.arkitIndexForControl(2), shapeIndex(ArkitShape::EyeBlinkLeft));
    QCOMPARE(mapping.arkitIndexForControl(3), shapeIndex(ArkitShape::EyeBlinkLeft));
    QCOMPARE(mapping.arkitIndexForControl(4), -1);
    QCOMPARE(mapping.mappedCount(), 3);
    QCOMPARE(mapping.mappedShapeCount(), 2);
    QCOMPARE(mapping.unmappedControls(), (QStringList{QStringLiteral("viseme_aa"), QStringLiteral("AU_01_InnerBrowRaiser")}));
    const QStringList missing = mapping.missingArkitShapes();
    QCOMPARE(missing.size(), 50);
    QVERIFY(!missing.contains(QStringLiteral("jawOpen")));
    QVERIFY(!missing.contains(QStringLiteral("eyeBlinkLeft")));
    QVERIFY(missing.contains(QStringLiteral("eyeBlinkRight")));
    QCOMPARE(missing.front(), QStringLiteral("eyeLookDownLeft")); // ARKit order, eyeBlinkLeft present

    const RigMapping empty = RigMapping::fromArkit(RigDefinition());
    QCOMPARE(empty.mappedCount(), 0);
    QCOMPARE(empty.missingArkitShapes().size(), 52);
    QVERIFY(empty.unmappedControls().isEmpty());
}

void TestRigMapping::applyRoutesValues()
{
    const RigDefinition rig(QStringList{QStringLiteral("viseme_aa"), QStringLiteral("eyeBlink_L"),
                                        QStringLiteral("JawOpen"), QStringLiteral("AK_45_MouthSmileRight"),
                                        QStringLiteral("eyeBlinkLeft"), QStringLiteral("browInnerUp")});
    const RigMapping mapping = RigMapping::fromArkit(rig);

    // Input: canonical names plus a head channel; browInnerUp absent.
    AnimationClip input(QStringList{QStringLiteral("headYaw"), QStringLiteral("jawOpen"),
                                    QStringLiteral("eyeBlinkLeft"), QStringLiteral("mouthSmileRight")},
                        25.0);
    input.appendFrame(1.00, std::vector<float>{12.0f, 0.1f, 0.2f, 0.3f}, true);
    input.appendFrame(1.04, std::vector<float>{-5.0f, 0.4f, 0.5f, 0.6f}, false);
    input.appendFrame(1.08, std::vector<float>{30.0f, 0.7f, 0.8f, 0.9f}, true);

    const AnimationClip out = mapping.apply(input);
    QCOMPARE(out.controlNames(), rig.names());
    QCOMPARE(out.fps(), 25.0);
    QCOMPARE(out.frameCount(), 3);
    QCOMPARE(out.frameTimes(), input.frameTimes());
    QCOMPARE(out.faceFound(0), true);
    QCOMPARE(out.faceFound(1), false);
    QCOMPARE(out.faceFound(2), true);
    for (int f = 0; f < 3; ++f) {
        QCOMPARE(out.value(f, 0), 0.0f);                 // viseme: unmapped
        QCOMPARE(out.value(f, 1), input.value(f, 2));    // eyeBlink_L <- eyeBlinkLeft
        QCOMPARE(out.value(f, 2), input.value(f, 1));    // JawOpen <- jawOpen
        QCOMPARE(out.value(f, 3), input.value(f, 3));    // AK_45_MouthSmileRight <- mouthSmileRight
        QCOMPARE(out.value(f, 4), input.value(f, 2));    // second spelling driven too
        QCOMPARE(out.value(f, 5), 0.0f);                 // browInnerUp: not in the input
    }

    // An empty clip keeps its fps and gains the rig's controls.
    const AnimationClip none = mapping.apply(AnimationClip(arkit::canonicalNames(), 60.0));
    QCOMPARE(none.frameCount(), 0);
    QCOMPARE(none.fps(), 60.0);
    QCOMPARE(none.controlCount(), rig.controlCount());
}

void TestRigMapping::applyFacecapCapture()
{
    // The real Face Cap capture, renamed to canonical ARKit names, routed onto Rocketbox's
    // AK_NN_ rig: every ARKit curve arrives unchanged on its AK_ control, the rest stay 0.
    const QString facecap = avatarPath(QStringLiteral("facecap/facecap_decoded.glb"));
    const QString rocketbox = avatarPath(QStringLiteral("rocketbox/Male_Adult_03_facial.fbx"));
    QVERIFY2(QFileInfo::exists(facecap), qPrintable(facecap));
    QVERIFY2(QFileInfo::exists(rocketbox), qPrintable(rocketbox));
    AvatarLoader loader;
    const std::vector<AnimationClip> clips = loader.loadMorphAnimations(facecap);
    QCOMPARE(int(clips.size()), 1);
    const AnimationClip &capture = clips.front();

    QStringList canonical;
    for (const QString &name : capture.controlNames())
        canonical << arkit::canonicalName(arkit::indexOf(name));
    QVERIFY(!canonical.contains(QString()));
    AnimationClip arkitClip(canonical, capture.fps());
    for (int f = 0; f < capture.frameCount(); ++f)
        arkitClip.appendFrame(capture.frameTime(f), capture.frame(f), capture.faceFound(f));

    const std::unique_ptr<Avatar> avatar = loader.load(rocketbox);
    QVERIFY2(avatar, qPrintable(loader.errorString()));
    const RigMapping mapping = RigMapping::fromArkit(avatar->rig());
    const AnimationClip out = mapping.apply(arkitClip);
    QCOMPARE(out.controlCount(), 175);
    QCOMPARE(out.frameCount(), 335);
    QCOMPARE(out.channel(out.controlIndex(QStringLiteral("AK_09_EyeBlinkLeft"))),
             capture.channel(capture.controlIndex(QStringLiteral("eyeBlink_L"))));
    QCOMPARE(out.channel(out.controlIndex(QStringLiteral("AK_45_MouthSmileRight"))),
             capture.channel(capture.controlIndex(QStringLiteral("mouthSmile_R"))));
    QCOMPARE(out.channel(out.controlIndex(QStringLiteral("AK_25_JawOpen"))),
             capture.channel(capture.controlIndex(QStringLiteral("jawOpen"))));
    for (const QString &name : mapping.unmappedControls()) {
        const std::vector<float> curve = out.channel(out.controlIndex(name));
        QVERIFY(std::all_of(curve.begin(), curve.end(), [](float v) { return v == 0.0f; }));
    }

    // Back onto Face Cap's own rig: the identity.
    const RigMapping self = RigMapping::fromArkit(RigDefinition(capture.controlNames()));
    QCOMPARE(self.apply(arkitClip).values(), capture.values());
}

QTEST_GUILESS_MAIN(TestRigMapping)
#include "test_rig_mapping.moc"
