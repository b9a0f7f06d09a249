#include "animate/channel_model.h"

#include "animate/animate_document.h"
#include "facecap_clip.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QUndoStack>
#include <QtTest>

#include <set>

using fa::AnimateDocument;
using fa::ChannelModel;
using fa::RigAnimation;
using fa::RigRegion;

class TestChannelModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void regionsGroupChannels_data();
    void regionsGroupChannels();
    void headChannelsHiddenByDefault();
    void soloDecidesDrawnChannels();
    void regionCheckStateIsTriState();
    void coloursFollowRegionHue();
    void gainEditIsUndoable();
    void viewStateRoundTrip();
    void viewStateSurvivesReset();

private:
    RigAnimation m_animation;
    std::unique_ptr<AnimateDocument> m_document;
    std::unique_ptr<ChannelModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestChannelModel::initTestCase()
{
    QString error;
    const fa::AnimationClip clip = fa::test::withHeadChannels(fa::test::facecapClip(&error));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_animation = RigAnimation::fromClip(clip);
}

void TestChannelModel::init()
{
    m_tester.reset();
    m_model.reset();
    m_document = std::make_unique<AnimateDocument>();
    m_document->resetAnimation(m_animation);
    m_model = std::make_unique<ChannelModel>(m_document.get());
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void TestChannelModel::regionsGroupChannels_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("region");
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("channels");
    QTest::addColumn<QString>("firstChannel");
    QTest::newRow("brows") << 0 << int(RigRegion::Brows) << "Brows" << 5 << "browInnerUp";
    QTest::newRow("eyes") << 1 << int(RigRegion::Eyes) << "Eyes" << 14 << "eyeLookUp_L";
    QTest::newRow("mouth") << 2 << int(RigRegion::Mouth) << "Mouth" << 24 << "mouthFunnel";
    QTest::newRow("jaw") << 3 << int(RigRegion::Jaw) << "Jaw" << 4 << "jawOpen";
    QTest::newRow("cheeks") << 4 << int(RigRegion::Cheeks) << "Cheeks" << 5 << "cheekPuff";
    QTest::newRow("head") << 5 << int(RigRegion::Head) << "Head" << 3 << "headYaw";
}

void TestChannelModel::regionsGroupChannels()
{
    QFETCH(int, row);
    QFETCH(int, region);
    QFETCH(QString, name);
    QFETCH(int, channels);
    QFETCH(QString, firstChannel);
    QCOMPARE(m_model->rowCount(), 6);
    QCOMPARE(m_model->columnCount(), 4);
    const QModelIndex regionIndex = m_model->index(row, 0);
    QCOMPARE(regionIndex.data().toString(), name);
    QCOMPARE(regionIndex.data(ChannelModel::RegionRole).toInt(), region);
    QCOMPARE(regionIndex.data(ChannelModel::ChannelRole).toInt(), -1);
    QCOMPARE(m_model->rowCount(regionIndex), channels);
    const QModelIndex first = m_model->index(0, 0, regionIndex);
    QCOMPARE(first.data().toString(), firstChannel);
    const int channel = first.data(ChannelModel::ChannelRole).toInt();
    QCOMPARE(m_animation.controlNames()[channel], firstChannel);
    QCOMPARE(m_model->indexOfChannel(channel), first);
    QCOMPARE(m_model->parent(first), regionIndex);
    // Children are in channel order.
    int previous = -1;
    for (int r = 0; r < channels; ++r) {
        const int c = m_model->index(r, 0, regionIndex).data(ChannelModel::ChannelRole).toInt();
        QVERIFY(c > previous);
        QCOMPARE(int(fa::rigRegion(m_animation.controlNames()[c])), region);
        previous = c;
    }
}

void TestChannelModel::headChannelsHiddenByDefault()
{
    const std::vector<int> drawn = m_model->drawnChannels();
    QCOMPARE(int(drawn.size()), 52);
    for (int c : drawn)
        QVERIFY(!m_animation.isAngle(c));
    const int yaw = m_animation.channelIndex(QStringLiteral("headYaw"));
    QVERIFY(!m_model->isVisible(yaw));
    QCOMPARE(m_model->indexOfChannel(yaw).data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
    QCOMPARE(m_model->index(5, 0).data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
}

void TestChannelModel::soloDecidesDrawnChannels()
{
    QSignalSpy drawnChanged(m_model.get(), &ChannelModel::drawnChannelsChanged);
    const int jaw = m_animation.channelIndex(QStringLiteral("jawOpen"));
    const int yaw = m_animation.channelIndex(QStringLiteral("headYaw"));
    QVERIFY(m_model->setData(m_model->indexOfChannel(jaw, ChannelModel::SoloColumn), Qt::Checked,
                             Qt::CheckStateRole));
    m_model->setSolo(yaw, true); // solo wins over hidden
    QVERIFY(m_model->isSolo(jaw));
    QVERIFY((m_model->drawnChannels() == std::vector<int>{std::min(jaw, yaw), std::max(jaw, yaw)}));
    QCOMPARE(drawnChanged.count(), 2);
    m_model->setVisible(jaw, false); // hiding a solo channel does not change what solo draws
    QCOMPARE(int(m_model->drawnChannels().size()), 2);
    m_model->setSolo(jaw, false);
    m_model->setSolo(yaw, false);
    QCOMPARE(int(m_model->drawnChannels().size()), 51); // jawOpen still hidden
}

void TestChannelModel::regionCheckStateIsTriState()
{
    const QModelIndex eyes = m_model->index(1, 0);
    QCOMPARE(eyes.data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
    const int blink = m_animation.channelIndex(QStringLiteral("eyeBlink_L"));
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    QVERIFY(m_model->setData(m_model->indexOfChannel(blink), Qt::Unchecked, Qt::CheckStateRole));
    QVERIFY(!changed.isEmpty());
    QCOMPARE(eyes.data(Qt::CheckStateRole).toInt(), int(Qt::PartiallyChecked));
    QSignalSpy drawn(m_model.get(), &ChannelModel::drawnChannelsChanged);
    QVERIFY(m_model->setData(eyes, Qt::Unchecked, Qt::CheckStateRole));
    QCOMPARE(eyes.data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));
    QCOMPARE(drawn.count(), 1); // one batch for the region
    QCOMPARE(int(m_model->drawnChannels().size()), 52 - 14);
    QVERIFY(m_model->setData(m_model->index(5, 0), Qt::Checked, Qt::CheckStateRole)); // head on
    QCOMPARE(int(m_model->drawnChannels().size()), 52 - 14 + 3);
    QVERIFY(m_model->setData(m_model->index(1, ChannelModel::SoloColumn), Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(int(m_model->drawnChannels().size()), 14);
}

void TestChannelModel::coloursFollowRegionHue()
{
    std::set<QRgb> distinct;
    for (int c = 0; c < m_animation.channelCount(); ++c) {
        const QColor colour = m_model->colour(c);
        QVERIFY(colour.isValid());
        QCOMPARE(m_model->indexOfChannel(c).data(Qt::DecorationRole).value<QColor>(), colour);
        distinct.insert(colour.rgb());
    }
    QVERIFY2(distinct.size() >= 50, qPrintable(QString::number(distinct.size())));
    // Channels of one region share a hue family: +-25 degrees around the region's hue (a few
    // degrees more after rounding to 8-bit RGB).
    const QModelIndex brows = m_model->index(0, 0);
    const int first = m_model->index(0, 0, brows).data(ChannelModel::ChannelRole).toInt();
    const int last = m_model->index(4, 0, brows).data(ChannelModel::ChannelRole).toInt();
    const int hueGap = std::abs(m_model->colour(first).hsvHue() - m_model->colour(last).hsvHue());
    QVERIFY2(std::min(hueGap, 360 - hueGap) <= 54, qPrintable(QString::number(hueGap)));
    QSignalSpy colours(m_model.get(), &ChannelModel::coloursChanged);
    QVERIFY(m_model->setData(m_model->indexOfChannel(first), QColor(Qt::magenta), Qt::DecorationRole));
    QCOMPARE(m_model->colour(first), QColor(Qt::magenta));
    QCOMPARE(colours.count(), 1);
}

void TestChannelModel::gainEditIsUndoable()
{
    const int jaw = m_animation.channelIndex(QStringLiteral("jawOpen"));
    const QModelIndex gain = m_model->indexOfChannel(jaw, ChannelModel::GainColumn);
    const QModelIndex offset = m_model->indexOfChannel(jaw, ChannelModel::OffsetColumn);
    QVERIFY(m_model->flags(gain) & Qt::ItemIsEditable);
    QVERIFY(!(m_model->flags(m_model->index(0, ChannelModel::GainColumn)) & Qt::ItemIsEditable));
    QCOMPARE(gain.data(Qt::EditRole).toDouble(), 1.0);
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    QVERIFY(m_model->setData(gain, 1.5));
    QVERIFY(m_model->setData(offset, -0.25));
    QVERIFY(!m_model->setData(gain, QStringLiteral("not a number")));
    QCOMPARE(m_document->animation().calibration(jaw), (fa::ChannelCalibration{1.5f, -0.25f}));
    QCOMPARE(m_document->undoStack()->count(), 2);
    QCOMPARE(changed.count(), 2);
    m_document->undoStack()->undo();
    m_document->undoStack()->undo();
    QCOMPARE(gain.data(Qt::EditRole).toDouble(), 1.0);
    QCOMPARE(offset.data(Qt::EditRole).toDouble(), 0.0);
    QCOMPARE(changed.count(), 4);
    QVERIFY(m_document->animation() == m_animation);
}

void TestChannelModel::viewStateRoundTrip()
{
    const int jaw = m_animation.channelIndex(QStringLiteral("jawOpen"));
    const int roll = m_animation.channelIndex(QStringLiteral("headRoll"));
    m_model->setVisible(jaw, false);
    m_model->setVisible(roll, true);
    m_model->setSolo(roll, true);
    m_model->setColour(jaw, QColor(QStringLiteral("#123456")));
    QJsonObject state = m_model->viewState();
    state[QStringLiteral("channels")] = [&] {
        QJsonObject channels = state.value(QStringLiteral("channels")).toObject();
        channels.insert(QStringLiteral("notAChannel"), QJsonObject{{QStringLiteral("solo"), true}});
        return channels;
    }();

    AnimateDocument other;
    other.resetAnimation(m_animation);
    ChannelModel restored(&other);
    QSignalSpy drawn(&restored, &ChannelModel::drawnChannelsChanged);
    restored.setViewState(state);
    QCOMPARE(drawn.count(), 1);
    for (int c = 0; c < m_animation.channelCount(); ++c) {
        QCOMPARE(restored.isVisible(c), m_model->isVisible(c));
        QCOMPARE(restored.isSolo(c), m_model->isSolo(c));
        QCOMPARE(restored.colour(c), m_model->colour(c));
    }
    QVERIFY(restored.drawnChannels() == std::vector<int>{roll});
    QCOMPARE(restored.viewState(), m_model->viewState());
}

void TestChannelModel::viewStateSurvivesReset()
{
    const int jaw = m_animation.channelIndex(QStringLiteral("jawOpen"));
    m_model->setVisible(jaw, false);
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    // A re-solve that drops the head channels: view state kept by name.
    fa::AnimationClip faceOnly(m_animation.controlNames().mid(0, 52), 30.0);
    faceOnly.appendFrame(0.0, std::vector<float>(52, 0.5f), true);
    m_document->replaceAnimation(RigAnimation::fromClip(faceOnly), QStringLiteral("Re-solve"));
    QCOMPARE(reset.count(), 1);
    QCOMPARE(m_model->rowCount(), 5);
    QVERIFY(!m_model->isVisible(jaw));
    QCOMPARE(int(m_model->drawnChannels().size()), 51);
    m_document->undoStack()->undo();
    QCOMPARE(m_model->rowCount(), 6);
    QVERIFY(!m_model->isVisible(jaw));
    QVERIFY(!m_model->isVisible(m_animation.channelIndex(QStringLiteral("headYaw"))));
}

QTEST_GUILESS_MAIN(TestChannelModel)
#include "test_channel_model.moc"
