#include "animate/rig_animation.h"
#include "common/arkit.h"

#include "facecap_clip.h"

#include <QDataStream>
#include <QtTest>

#include <algorithm>
#include <random>

using fa::AnimationClip;
using fa::ChannelCalibration;
using fa::KeyframeCurve;
using fa::RigAnimation;

namespace {

// A dense session like a solved 1,000-frame video: 52 ARKit + 3 head channels.
AnimationClip denseSession(int frames)
{
    QStringList names = fa::arkit::canonicalNames();
    names << fa::arkit::headChannelNames();
    AnimationClip clip(names, 30.0);
    std::mt19937 random(3);
    std::uniform_real_distribution<float> weight(0.0f, 1.0f);
    std::vector<float> row(size_t(names.size()));
    for (int f = 0; f < frames; ++f) {
        for (float &v : row)
            v = weight(random);
        clip.appendFrame(1.5 + f / 30.0, row, f % 17 != 0);
    }
    return clip;
}

} // namespace

class TestRigAnimation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void fromClipIsDense();
    void finalValuesApplyCalibration_data();
    void finalValuesApplyCalibration();
    void toClipKeepsTimesMaskAndNames_data();
    void toClipKeepsTimesMaskAndNames();
    void serializationRoundTrip();
    void serializationIsCompact();
    void deserializeRejectsGarbage_data();
    void deserializeRejectsGarbage();

private:
    AnimationClip m_clip;
};

void TestRigAnimation::initTestCase()
{
    QString error;
    m_clip = fa::test::withHeadChannels(fa::test::facecapClip(&error));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(m_clip.frameCount(), 335);
    QCOMPARE(m_clip.controlCount(), 55);
    m_clip.setFaceFound(7, false); // a mask with a gap, to see it travel
}

void TestRigAnimation::fromClipIsDense()
{
    const RigAnimation animation = RigAnimation::fromClip(m_clip);
    QCOMPARE(animation.channelCount(), 55);
    QCOMPARE(animation.frameCount(), 335);
    QCOMPARE(animation.controlNames(), m_clip.controlNames());
    QCOMPARE(animation.fps(), m_clip.fps());
    QCOMPARE(animation.frameTimes(), m_clip.frameTimes());
    QVERIFY(!animation.faceFound(7) && animation.faceFound(8));
    QCOMPARE(animation.channelIndex(QStringLiteral("jawOpen")), m_clip.controlIndex(QStringLiteral("jawOpen")));
    for (int c = 0; c < animation.channelCount(); ++c) {
        QCOMPARE(animation.curve(c).keyCount(), 335);
        QVERIFY(animation.calibration(c).isIdentity());
        QCOMPARE(animation.isAngle(c), c >= 52);
        QVERIFY(animation.curve(c).sample(335) == m_clip.channel(c));
    }
}

void TestRigAnimation::finalValuesApplyCalibration_data()
{
    QTest::addColumn<QString>("channel");
    QTest::addColumn<float>("raw");
    QTest::addColumn<float>("gain");
    QTest::addColumn<float>("offset");
    QTest::addColumn<float>("expected");
    QTest::newRow("identity") << "jawOpen" << 0.25f << 1.0f << 0.0f << 0.25f;
    QTest::newRow("gain and offset") << "jawOpen" << 0.25f << 2.0f << 0.125f << 0.625f;
    QTest::newRow("clamped above") << "jawOpen" << 0.75f << 2.0f << 0.0f << 1.0f;
    QTest::newRow("clamped below") << "eyeBlink_L" << 0.25f << 1.0f << -0.5f << 0.0f;
    QTest::newRow("angle not clamped") << "headYaw" << 20.0f << 1.5f << 2.0f << 32.0f;
    QTest::newRow("negative angle") << "headRoll" << -5.0f << 1.0f << -1.0f << -6.0f;
}

void TestRigAnimation::finalValuesApplyCalibration()
{
    QFETCH(QString, channel);
    QFETCH(float, raw);
    QFETCH(float, gain);
    QFETCH(float, offset);
    QFETCH(float, expected);
    RigAnimation animation = RigAnimation::fromClip(m_clip);
    const int c = animation.channelIndex(channel);
    QVERIFY(c >= 0);
    KeyframeCurve curve = animation.curve(c);
    curve.setKey(10, raw);
    animation.setCurve(c, curve);
    animation.setCalibration(c, ChannelCalibration{gain, offset});
    QCOMPARE(animation.value(10, c), expected);
    QCOMPARE(animation.frameValues(10)[size_t(c)], expected);
    float sampled[3];
    animation.sampleChannel(c, 9, 3, sampled);
    QCOMPARE(sampled[1], expected);
    QCOMPARE(animation.toClip().value(10, c), expected);
}

void TestRigAnimation::toClipKeepsTimesMaskAndNames_data()
{
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("last");
    QTest::addColumn<int>("expectedFirst");
    QTest::addColumn<int>("expectedCount");
    QTest::newRow("whole") << 0 << -1 << 0 << 335;
    QTest::newRow("middle") << 5 << 20 << 5 << 16;
    QTest::newRow("clamped") << -10 << 1000 << 0 << 335;
    QTest::newRow("one frame") << 334 << 334 << 334 << 1;
    QTest::newRow("empty") << 30 << 20 << 0 << 0;
}

void TestRigAnimation::toClipKeepsTimesMaskAndNames()
{
    QFETCH(int, first);
    QFETCH(int, last);
    QFETCH(int, expectedFirst);
    QFETCH(int, expectedCount);
    RigAnimation animation = RigAnimation::fromClip(m_clip);
    const int jaw = animation.channelIndex(QStringLiteral("jawOpen"));
    animation.setCalibration(jaw, ChannelCalibration{0.5f, 0.1f});
    const AnimationClip clip = animation.toClip(first, last);
    QCOMPARE(clip.controlNames(), m_clip.controlNames());
    QCOMPARE(clip.fps(), m_clip.fps());
    QCOMPARE(clip.frameCount(), expectedCount);
    for (int i = 0; i < expectedCount; ++i) {
        const int f = expectedFirst + i;
        QCOMPARE(clip.frameTime(i), m_clip.frameTime(f));
        QCOMPARE(clip.faceFound(i), m_clip.faceFound(f));
        for (int c = 0; c < clip.controlCount(); ++c) {
            const float raw = m_clip.value(f, c);
            const float expected = c == jaw ? std::clamp(0.5f * raw + 0.1f, 0.0f, 1.0f) : raw;
            QCOMPARE(clip.value(i, c), expected);
        }
    }
}

void TestRigAnimation::serializationRoundTrip()
{
    RigAnimation animation = RigAnimation::fromClip(m_clip);
    // Sparse and edited curves, an empty curve, calibrations.
    KeyframeCurve sparse;
    sparse.setKey(0, 0.1f);
    sparse.setKey(3, 0.9f);
    sparse.setKey(4, 0.8f);
    sparse.setKey(300, -0.25f);
    animation.setCurve(1, sparse);
    animation.setCurve(2, KeyframeCurve());
    KeyframeCurve holes = animation.curve(3);
    holes.removeKeys(100, 120);
    holes.removeKey(5);
    animation.setCurve(3, holes);
    animation.setCalibration(0, ChannelCalibration{1.25f, -0.05f});
    animation.setCalibration(53, ChannelCalibration{-1.0f, 3.0f});

    const QByteArray bytes = animation.serialize();
    QString error;
    const std::optional<RigAnimation> restored = RigAnimation::deserialize(bytes, &error);
    QVERIFY2(restored, qPrintable(error));
    QVERIFY(*restored == animation);
    QVERIFY(restored->curve(1) == sparse);
    QVERIFY(restored->curve(2).isEmpty());
    QCOMPARE(restored->calibration(53), (ChannelCalibration{-1.0f, 3.0f}));
    QVERIFY(restored->isAngle(53));
    QVERIFY(!restored->faceFound(7));
    QCOMPARE(restored->serialize(), bytes);

    const std::optional<RigAnimation> empty = RigAnimation::deserialize(RigAnimation().serialize(), &error);
    QVERIFY2(empty, qPrintable(error));
    QCOMPARE(empty->channelCount(), 0);
    QCOMPARE(empty->frameCount(), 0);
}

// 1,000 frames x 55 dense channels: 4 bytes per value plus 8 per frame time and 1 per mask
// byte; the names (UTF-16) and the per-channel headers are under 4 KB.
void TestRigAnimation::serializationIsCompact()
{
    const RigAnimation animation = RigAnimation::fromClip(denseSession(1000));
    const QByteArray bytes = animation.serialize();
    const int payload = 1000 * 55 * 4 + 1000 * 8 + 1000;
    QVERIFY2(bytes.size() > payload && bytes.size() < payload + 4096,
             qPrintable(QString::number(bytes.size())));
    QString error;
    const std::optional<RigAnimation> restored = RigAnimation::deserialize(bytes, &error);
    QVERIFY2(restored, qPrintable(error));
    QVERIFY(*restored == animation);
}

void TestRigAnimation::deserializeRejectsGarbage_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("errorPart");
    RigAnimation animation = RigAnimation::fromClip(denseSession(20));
    const QByteArray good = animation.serialize();

    QByteArray otherVersion;
    {
        QDataStream out(&otherVersion, QIODevice::WriteOnly);
        out << RigAnimation::kSerialMagic << quint32(RigAnimation::kSerialVersion + 1);
        otherVersion += good.mid(8);
    }
    // fuzz/crashes/rig_animation/huge_name_count: a name count of 0x46000000 and nothing else
    // made QDataStream's QStringList reader reserve ~28 GB before reading a single name.
    QByteArray hugeNameCount;
    {
        QDataStream out(&hugeNameCount, QIODevice::WriteOnly);
        out << RigAnimation::kSerialMagic << RigAnimation::kSerialVersion << quint32(0x46000000);
    }
    QByteArray badKeys = good;
    // Each dense channel is gain, offset, key count, run count (16 bytes), one run (8) and 20
    // values (80): set the first channel's key count (big-endian) to a huge number.
    const int firstChannel = good.size() - 55 * (16 + 8 + 20 * 4);
    badKeys[firstChannel + 8] = char(0x7f);

    QTest::newRow("empty") << QByteArray() << "bad header";
    QTest::newRow("text") << QByteArray("hello, this is not an animation") << "bad header";
    QTest::newRow("other version") << otherVersion << "version 2 is not supported";
    QTest::newRow("truncated in the header") << good.left(30) << "truncated";
    QTest::newRow("truncated in the curves") << good.left(good.size() - 7) << "truncated";
    QTest::newRow("trailing bytes") << good + QByteArray(3, 'x') << "unexpected bytes";
    QTest::newRow("bad key count") << badKeys << "channel eyeBlinkLeft";
    QTest::newRow("huge name count") << hugeNameCount << "truncated header";
}

void TestRigAnimation::deserializeRejectsGarbage()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, errorPart);
    QString error;
    QVERIFY(!RigAnimation::deserialize(data, &error));
    QVERIFY2(error.startsWith(QStringLiteral("animation data: ")), qPrintable(error));
    QVERIFY2(error.contains(errorPart), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestRigAnimation)
#include "test_rig_animation.moc"
