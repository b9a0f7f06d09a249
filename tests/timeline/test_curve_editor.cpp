// The curve editor on a real capture (Face Cap's ARKit weights in facecap_decoded.glb, dense
// keys), under xvfb-run: selecting keys by click and by box, dragging keys as one undo step,
// deleting and inserting keys, and what is drawn for hidden and solo channels.
#include "facecap_animation.h"

#include "animate/animate_document.h"
#include "animate/channel_model.h"
#include "animation/animation_clip.h"
#include "animation/keyframe_curve.h"
#include "timeline/curve_editor.h"
#include "timeline/curve_sample_cache.h"
#include "timeline/curve_view_transform.h"
#include "timeline/time_axis.h"

#include <QSignalSpy>
#include <QUndoStack>
#include <QtTest>

#include <cmath>
#include <memory>

using fa::KeySelection;
using fa::RigAnimation;
using fa::ui::CurveEditor;
using fa::ui::TimeAxis;

namespace {

/// A document with the capture, its channel model, a time axis and a shown 1200x500 editor.
struct Editing
{
    fa::AnimateDocument document;
    std::unique_ptr<fa::ChannelModel> model;
    TimeAxis axis;
    std::unique_ptr<CurveEditor> editor;

    explicit Editing(const RigAnimation &animation)
    {
        document.resetAnimation(animation);
        model = std::make_unique<fa::ChannelModel>(&document);
        axis.setFps(animation.fps());
        axis.setFrameCount(animation.frameCount());
        axis.showAll();
        editor = std::make_unique<CurveEditor>(&document, model.get(), &axis);
        editor->resize(1200, 500);
        editor->show();
    }
    const RigAnimation &animation() const { return document.animation(); }
    int channel(const char *name) const { return animation().channelIndex(QString::fromLatin1(name)); }
    void soloOnly(const std::vector<int> &channels)
    {
        for (int c = 0; c < animation().channelCount(); ++c)
            model->setSolo(c, std::find(channels.begin(), channels.end(), c) != channels.end());
    }
    /// Key centre as the test computes it: x = (frame - first) / span * width,
    /// y = (max - value) / (max - min) * height, value = the key's raw value (identity calibration).
    QPointF keyPoint(int channel, int frame) const
    {
        const fa::KeyframeCurve &curve = animation().curve(channel);
        const float value = curve.keys()[size_t(curve.keyIndex(frame))].value;
        const double x = (frame - axis.firstVisibleFrame()) / axis.visibleFrameSpan() * editor->width();
        const double y = (editor->valueMax() - value) / (editor->valueMax() - editor->valueMin()) * editor->height();
        return {x, y};
    }
    QPoint keyPixel(int channel, int frame) const { return keyPoint(channel, frame).toPoint(); }
    /// The first frame in [from, to] whose key of `channel` lies at least 16 pixels from every
    /// key of the other drawn channels (so that a click on it is unambiguous), or -1.
    int clearFrame(int channel, int from, int to) const
    {
        const std::vector<int> drawn = model->drawnChannels();
        for (int f = from; f <= to; ++f) {
            const QPointF p = keyPoint(channel, f);
            bool clear = true;
            for (int other : drawn) {
                for (int g = f - 1; other != channel && g <= f + 1; ++g) {
                    if (animation().curve(other).hasKey(g) && QLineF(keyPoint(other, g), p).length() < 16)
                        clear = false;
                }
            }
            if (clear)
                return f;
        }
        return -1;
    }
};

int countColour(const QImage &image, QRgb colour)
{
    int count = 0;
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < rgb.height(); ++y) {
        const QRgb *line = reinterpret_cast<const QRgb *>(rgb.constScanLine(y));
        for (int x = 0; x < rgb.width(); ++x)
            count += (line[x] & 0xffffff) == (colour & 0xffffff) ? 1 : 0;
    }
    return count;
}

} // namespace

class TestCurveEditor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void clickSelectsKey();
    void modifiersAddAndToggle();
    void boxSelectsExactlyTheKeysInside();
    void dragMovesKeysAsOneUndoStep_data();
    void dragMovesKeysAsOneUndoStep();
    void deleteRemovesSelectedKeys();
    void insertAddsKeyAtCurrentFrame();
    void selectAllAndFrameAll();
    void hiddenChannelsAreNotDrawn();
    void soloDrawsOnlySoloChannels();
    void calibratedKeysSitOnTheFinalCurve();
    void samplesAreCachedPerChannel();
    void decimationKeepsSpikes();

private:
    RigAnimation m_capture;
};

void TestCurveEditor::initTestCase()
{
    const auto &capture = fa::test::facecapAnimation();
    QVERIFY2(capture.has_value(), "facecap_decoded.glb has no morph animation");
    m_capture = *capture;
    QVERIFY(m_capture.channelIndex(QStringLiteral("jawOpen")) >= 0);
    QVERIFY(m_capture.frameCount() > 300);
}

void TestCurveEditor::clickSelectsKey()
{
    Editing e(m_capture);
    const int jaw = e.channel("jawOpen");
    e.soloOnly({jaw});
    e.axis.setVisibleRange(100, 160);  // 20 pixels per frame: keys drawn
    QVERIFY(QTest::qWaitForWindowExposed(e.editor.get()));
    QSignalSpy changed(e.editor.get(), &CurveEditor::selectionChanged);
    QTest::mouseClick(e.editor.get(), Qt::LeftButton, {}, e.keyPixel(jaw, 130));
    QCOMPARE(e.editor->selection(), (KeySelection{{jaw, {130}}}));
    QCOMPARE(changed.count(), 1);
    // The editor's own idea of the key's position agrees with the test's.
    QVERIFY((e.editor->keyPosition(jaw, 130) - e.keyPoint(jaw, 130)).manhattanLength() < 1e-6);
    // Another key replaces the selection; empty space clears it and leaves the playhead alone.
    QTest::mouseClick(e.editor.get(), Qt::LeftButton, {}, e.keyPixel(jaw, 140));
    QCOMPARE(e.editor->selection(), (KeySelection{{jaw, {140}}}));
    e.axis.setCurrentFrame(7);
    const QPoint key = e.keyPixel(jaw, 120);
    const QPoint empty(key.x() + 10, key.y() < 250 ? 480 : 20);
    QTest::mouseClick(e.editor.get(), Qt::LeftButton, {}, empty);
    QVERIFY(e.editor->selection().empty());
    QCOMPARE(e.axis.currentFrame(), 7);
}

void TestCurveEditor::modifiersAddAndToggle()
{
    Editing e(m_capture);
    const int jaw = e.channel("jawOpen");
    const int blink = e.channel("eyeBlink_L");
    e.soloOnly({jaw, blink});
    e.axis.setVisibleRange(100, 160);
    QVERIFY(QTest::qWaitForWindowExposed(e.editor.get()));
    const int j1 = e.clearFrame(jaw, 105, 120);
    const int j2 = e.clearFrame(jaw, 140, 155);
    const int b1 = e.clearFrame(blink, 125, 138);
    QVERIFY(j1 >= 0 && j2 >= 0 && b1 >= 0);
    QTest::mouseClick(e.editor.get(), Qt::LeftButton, {}, e.keyPixel(jaw, j1));
    QTest::mouseClick(e.editor.get(), Qt::LeftButton, Qt::ShiftModifier, e.keyPixel(jaw, j2));
    QTest::mouseClick(e.editor.get(), Qt::LeftButton, Qt::ShiftModifier, e.keyPixel(blink, b1));
    QCOMPARE(e.editor->selection(), (KeySelection{{jaw, {j1, j2}}, {blink, {b1}}}));
    QTest::mouseClick(e.editor.get(), Qt::LeftButton, Qt::ControlModifier, e.keyPixel(jaw, j2));
    QCOMPARE(e.editor->selection(), (KeySelection{{jaw, {j1}}, {blink, {b1}}}));
    QTest::mouseClick(e.editor.get(), Qt::LeftButton, Qt::ControlModifier, e.keyPixel(jaw, j2));
    QCOMPARE(e.editor->selection(), (KeySelection{{jaw, {j1, j2}}, {blink, {b1}}}));
    // A plain click on a key of the selection selects only it.
    QTest::mouseClick(e.editor.get(), Qt::LeftButton, {}, e.keyPixel(blink, b1));
    QCOMPARE(e.editor->selection(), (KeySelection{{blink, {b1}}}));
}

void TestCurveEditor::boxSelectsExactlyTheKeysInside()
{
    Editing e(m_capture);
    const std::vector<int> channels = {e.channel("jawOpen"), e.channel("mouthSmile_L"), e.channel("eyeBlink_L"),
                                       e.channel("browInnerUp")};
    e.soloOnly(channels);
    e.axis.setVisibleRange(0, 335);  // dense: keys not drawn, the box still selects them
    QVERIFY(QTest::qWaitForWindowExposed(e.editor.get()));
    const QPoint from(200, 140);
    const QPoint to(900, 330);
    KeySelection expected;
    int outsideInRange = 0;
    for (int channel : channels) {
        for (const auto &key : e.animation().curve(channel).keys()) {
            const QPointF p = e.keyPoint(channel, key.frame);
            const bool inX = p.x() >= from.x() && p.x() <= to.x();
            if (inX && p.y() >= from.y() && p.y() <= to.y())
                expected[channel].push_back(key.frame);
            else if (inX)
                ++outsideInRange;
        }
    }
    QVERIFY(!expected.empty());
    QVERIFY(outsideInRange > 0);  // the value band matters
    QTest::mousePress(e.editor.get(), Qt::LeftButton, {}, from);
    for (int i = 1; i <= 10; ++i)
        QTest::mouseMove(e.editor.get(), from + (to - from) * i / 10);
    QTest::mouseRelease(e.editor.get(), Qt::LeftButton, {}, to);
    QCOMPARE(e.editor->selection(), expected);
    // Shift adds a second box to the first.
    const QPoint from2(950, 0), to2(1100, 499);
    QTest::mousePress(e.editor.get(), Qt::LeftButton, Qt::ShiftModifier, from2);
    QTest::mouseMove(e.editor.get(), to2);
    QTest::mouseRelease(e.editor.get(), Qt::LeftButton, Qt::ShiftModifier, to2);
    for (int channel : channels) {
        for (const auto &key : e.animation().curve(channel).keys()) {
            const double x = e.keyPoint(channel, key.frame).x();
            if (x >= from2.x() && x <= to2.x())
                expected[channel].push_back(key.frame);
        }
        std::sort(expected[channel].begin(), expected[channel].end());
    }
    QCOMPARE(e.editor->selection(), expected);
}

void TestCurveEditor::dragMovesKeysAsOneUndoStep_data()
{
    QTest::addColumn<int>("frameDelta");
    QTest::addColumn<int>("pixelsUp");
    QTest::addColumn<bool>("twoChannels");
    QTest::newRow("right 5, up") << 5 << 60 << false;
    QTest::newRow("left 3, down, two channels") << -3 << -45 << true;
    QTest::newRow("frames only") << 7 << 0 << false;
}

void TestCurveEditor::dragMovesKeysAsOneUndoStep()
{
    QFETCH(int, frameDelta);
    QFETCH(int, pixelsUp);
    QFETCH(bool, twoChannels);
    Editing e(m_capture);
    const int jaw = e.channel("jawOpen");
    const int smile = e.channel("mouthSmile_L");
    e.soloOnly({jaw, smile});
    e.axis.setVisibleRange(100, 160);  // 20 pixels per frame
    QVERIFY(QTest::qWaitForWindowExposed(e.editor.get()));
    const RigAnimation before = e.animation();
    const int jawFrame = e.clearFrame(jaw, 125, 140);
    const int smileFrame = e.clearFrame(smile, 140, 150);
    QVERIFY(jawFrame >= 0 && smileFrame >= 0);
    QTest::mouseClick(e.editor.get(), Qt::LeftButton, {}, e.keyPixel(jaw, jawFrame));
    if (twoChannels)
        QTest::mouseClick(e.editor.get(), Qt::LeftButton, Qt::ShiftModifier, e.keyPixel(smile, smileFrame));
    const KeySelection selected = e.editor->selection();
    QCOMPARE(int(selected.size()), twoChannels ? 2 : 1);

    const int stepsBefore = e.document.undoStack()->count();
    const QPoint press = e.keyPixel(jaw, jawFrame);
    const QPoint release = press + QPoint(frameDelta * 20, -pixelsUp);
    QTest::mousePress(e.editor.get(), Qt::LeftButton, {}, press);
    for (int i = 1; i <= 12; ++i)
        QTest::mouseMove(e.editor.get(), press + (release - press) * i / 12);
    QTest::mouseRelease(e.editor.get(), Qt::LeftButton, {}, release);

    QCOMPARE(e.document.undoStack()->count(), stepsBefore + 1);
    const double valueDelta = pixelsUp * (e.editor->valueMax() - e.editor->valueMin()) / e.editor->height();
    RigAnimation expected = before;
    for (const auto &[channel, frames] : selected) {
        fa::KeyframeCurve curve = before.curve(channel);
        const int frame = frames.front();
        const float value = curve.keys()[size_t(curve.keyIndex(frame))].value;
        curve.removeKey(frame);
        curve.setKey(frame + frameDelta, float(value + valueDelta));
        expected.setCurve(channel, curve);
    }
    for (const auto &[channel, frames] : selected) {
        const fa::KeyframeCurve &got = e.animation().curve(channel);
        const fa::KeyframeCurve &want = expected.curve(channel);
        QCOMPARE(got.keyCount(), want.keyCount());
        QVERIFY(!got.hasKey(frames.front()) || frameDelta == 0);
        const int moved = frames.front() + frameDelta;
        QVERIFY(got.hasKey(moved));
        QVERIFY2(std::abs(got.valueAt(moved) - want.valueAt(moved)) < 1e-5,
                 qPrintable(QStringLiteral("%1 vs %2").arg(got.valueAt(moved)).arg(want.valueAt(moved))));
        for (size_t i = 0; i < want.keys().size(); ++i)
            QCOMPARE(got.keys()[i].frame, want.keys()[i].frame);
    }
    // The selection followed the keys.
    for (const auto &[channel, frames] : e.editor->selection())
        QCOMPARE(frames, std::vector<int>{selected.at(channel).front() + frameDelta});
    const RigAnimation after = e.animation();

    e.document.undoStack()->undo();
    QVERIFY(e.animation() == before);  // every curve, every key
    e.document.undoStack()->redo();
    QVERIFY(e.animation() == after);
}

void TestCurveEditor::deleteRemovesSelectedKeys()
{
    Editing e(m_capture);
    const int jaw = e.channel("jawOpen");
    const int blink = e.channel("eyeBlink_L");
    e.soloOnly({jaw, blink});
    QVERIFY(QTest::qWaitForWindowExposed(e.editor.get()));
    const RigAnimation before = e.animation();
    const KeySelection selection{{jaw, {10, 11, 12, 200}}, {blink, {50}}};
    e.editor->setSelection(selection);
    QCOMPARE(e.editor->selection(), selection);
    const int steps = e.document.undoStack()->count();
    QTest::keyClick(e.editor.get(), Qt::Key_Delete);
    QCOMPARE(e.document.undoStack()->count(), steps + 1);
    QVERIFY(e.editor->selection().empty());
    RigAnimation expected = before;
    for (const auto &[channel, frames] : selection) {
        fa::KeyframeCurve curve = before.curve(channel);
        for (int frame : frames)
            curve.removeKey(frame);
        expected.setCurve(channel, curve);
    }
    QVERIFY(e.animation() == expected);
    e.document.undoStack()->undo();
    QVERIFY(e.animation() == before);
}

void TestCurveEditor::insertAddsKeyAtCurrentFrame()
{
    Editing e(m_capture);
    const int jaw = e.channel("jawOpen");
    e.soloOnly({jaw});
    QVERIFY(QTest::qWaitForWindowExposed(e.editor.get()));
    // Make a gap (frames 140..145) so that inserting has something to do.
    e.editor->setSelection({{jaw, {140, 141, 142, 143, 144, 145}}});
    QTest::keyClick(e.editor.get(), Qt::Key_Delete);
    const RigAnimation gapped = e.animation();
    const fa::KeyframeCurve &curve = gapped.curve(jaw);
    QVERIFY(!curve.hasKey(142));
    const float a = curve.keys()[size_t(curve.keyIndex(139))].value;
    const float b = curve.keys()[size_t(curve.keyIndex(146))].value;
    const float expected = a + (b - a) * 3.0f / 7.0f;

    e.axis.setCurrentFrame(142);
    const int steps = e.document.undoStack()->count();
    QTest::keyClick(e.editor.get(), Qt::Key_I);
    QCOMPARE(e.document.undoStack()->count(), steps + 1);
    QVERIFY(e.animation().curve(jaw).hasKey(142));
    QVERIFY(std::abs(e.animation().curve(jaw).valueAt(142) - expected) < 1e-6);
    QCOMPARE(e.animation().curve(jaw).keyCount(), curve.keyCount() + 1);
    QCOMPARE(e.editor->selection(), (KeySelection{{jaw, {142}}}));
    e.document.undoStack()->undo();
    QVERIFY(e.animation() == gapped);
    QVERIFY(e.editor->selection().empty());  // pruned: the key is gone
    // Insert (the key) inserts too.
    e.axis.setCurrentFrame(143);
    QTest::keyClick(e.editor.get(), Qt::Key_Insert);
    QVERIFY(e.animation().curve(jaw).hasKey(143));
}

void TestCurveEditor::selectAllAndFrameAll()
{
    Editing e(m_capture);
    const int jaw = e.channel("jawOpen");
    const int smile = e.channel("mouthSmile_R");
    e.soloOnly({jaw, smile});
    QVERIFY(QTest::qWaitForWindowExposed(e.editor.get()));
    QTest::keyClick(e.editor.get(), Qt::Key_A, Qt::ControlModifier);
    QCOMPARE(e.editor->selectedKeyCount(), e.animation().curve(jaw).keyCount() + e.animation().curve(smile).keyCount());
    QCOMPARE(int(e.editor->selection().size()), 2);
    e.axis.setVisibleRange(20, 40);
    e.editor->setValueRange(0.4, 0.5);
    QTest::keyClick(e.editor.get(), Qt::Key_F);
    QVERIFY(e.axis.firstVisibleFrame() < 0 && e.axis.lastVisibleFrame() > e.animation().frameCount() - 1);
    QVERIFY(e.editor->valueMin() < 0 && e.editor->valueMax() > 1);
    QTest::keyClick(e.editor.get(), Qt::Key_Escape);
    QVERIFY(e.editor->selection().empty());
}

void TestCurveEditor::hiddenChannelsAreNotDrawn()
{
    Editing e(m_capture);
    // The channel drawn last (on top of the others).
    const int jaw = e.model->drawnChannels().back();
    const QRgb magenta = qRgb(255, 0, 255);
    e.model->setColour(jaw, QColor(magenta));
    QVERIFY(QTest::qWaitForWindowExposed(e.editor.get()));
    const int shown = countColour(e.editor->grab().toImage(), magenta);
    QVERIFY2(shown > 200, qPrintable(QString::number(shown)));
    e.model->setVisible(jaw, false);
    QCOMPARE(countColour(e.editor->grab().toImage(), magenta), 0);
    e.model->setVisible(jaw, true);
    QVERIFY(countColour(e.editor->grab().toImage(), magenta) > 200);
}

void TestCurveEditor::soloDrawsOnlySoloChannels()
{
    Editing e(m_capture);
    const int jaw = e.channel("jawOpen");
    const int blink = e.channel("eyeBlink_L");
    const QRgb magenta = qRgb(255, 0, 255);
    const QRgb green = qRgb(0, 255, 0);
    e.model->setColour(jaw, QColor(magenta));
    e.model->setColour(blink, QColor(green));
    QVERIFY(QTest::qWaitForWindowExposed(e.editor.get()));
    QImage image = e.editor->grab().toImage();
    QVERIFY(countColour(image, magenta) > 20);
    QVERIFY(countColour(image, green) > 20);
    e.model->setSolo(blink, true);
    image = e.editor->grab().toImage();
    QCOMPARE(countColour(image, magenta), 0);
    QVERIFY(countColour(image, green) > 200);
    // Solo wins over hidden: a hidden solo channel is drawn, the visible others are not.
    e.model->setVisible(blink, false);
    QCOMPARE(e.model->drawnChannels(), std::vector<int>{blink});
    e.model->setSolo(blink, false);
    image = e.editor->grab().toImage();
    QVERIFY(countColour(image, magenta) > 200);
    QCOMPARE(countColour(image, green), 0);
}

void TestCurveEditor::calibratedKeysSitOnTheFinalCurve()
{
    Editing e(m_capture);
    const int jaw = e.channel("jawOpen");
    e.soloOnly({jaw});
    e.axis.setVisibleRange(100, 160);
    QVERIFY(QTest::qWaitForWindowExposed(e.editor.get()));
    const int frame = 130;
    const fa::KeyframeCurve &curve = e.animation().curve(jaw);
    const float raw = curve.keys()[size_t(curve.keyIndex(frame))].value;
    const QRgb magenta = qRgb(255, 0, 255);
    e.model->setColour(jaw, QColor(magenta));
    // gain 0.5, offset 0.3: the key is drawn at 0.5 raw + 0.3 (clamped to [0,1]).
    e.document.setCalibration(jaw, fa::ChannelCalibration{0.5f, 0.3f});
    const float finalValue = std::clamp(0.5f * raw + 0.3f, 0.0f, 1.0f);
    const double y = (e.editor->valueMax() - finalValue) / (e.editor->valueMax() - e.editor->valueMin()) * e.editor->height();
    const double x = (frame - e.axis.firstVisibleFrame()) / e.axis.visibleFrameSpan() * e.editor->width();
    QVERIFY((e.editor->keyPosition(jaw, frame) - QPointF(x, y)).manhattanLength() < 1e-6);
    // The key's square is drawn there (filled with the channel's colour).
    const QImage image = e.editor->grab().toImage().convertToFormat(QImage::Format_RGB32);
    QCOMPARE(image.pixel(int(std::floor(x)), int(std::floor(y))) & 0xffffff, magenta & 0xffffff);
    QTest::mouseClick(e.editor.get(), Qt::LeftButton, {}, QPointF(x, y).toPoint());
    QCOMPARE(e.editor->selection(), (KeySelection{{jaw, {frame}}}));
    // A drag of N pixels up moves the raw value by N pixels' worth / gain.
    const RigAnimation before = e.animation();
    const QPoint press = QPointF(x, y).toPoint();
    QTest::mousePress(e.editor.get(), Qt::LeftButton, {}, press);
    QTest::mouseMove(e.editor.get(), press + QPoint(0, -10));
    QTest::mouseMove(e.editor.get(), press + QPoint(0, -20));
    QTest::mouseRelease(e.editor.get(), Qt::LeftButton, {}, press + QPoint(0, -20));
    const double screenDelta = 20.0 * (e.editor->valueMax() - e.editor->valueMin()) / e.editor->height();
    const float moved = e.animation().curve(jaw).valueAt(frame);
    QVERIFY2(std::abs(moved - (raw + screenDelta / 0.5)) < 1e-5, qPrintable(QString::number(moved)));
    e.document.undoStack()->undo();
    QVERIFY(e.animation() == before);
}

void TestCurveEditor::samplesAreCachedPerChannel()
{
    Editing e(m_capture);
    const int jaw = e.channel("jawOpen");
    QVERIFY(QTest::qWaitForWindowExposed(e.editor.get()));
    const int drawn = int(e.model->drawnChannels().size());
    QVERIFY(drawn >= 50);
    e.editor->repaint();
    const long long first = e.editor->sampleCount();
    QVERIFY(first >= drawn);
    // Playback: the playhead moves, nothing is sampled again.
    for (int frame = 0; frame < 30; ++frame) {
        e.axis.setCurrentFrame(frame);
        e.editor->repaint();
    }
    QCOMPARE(e.editor->sampleCount(), first);
    // Value zoom reuses the samples; an edit re-samples only its channel.
    e.editor->setValueRange(-0.2, 1.2);
    e.editor->repaint();
    QCOMPARE(e.editor->sampleCount(), first);
    e.document.deleteKeys({{jaw, {5}}});
    e.editor->repaint();
    QCOMPARE(e.editor->sampleCount(), first + 1);
    // A time zoom re-samples every drawn channel.
    e.axis.zoomBy(2.0, 100);
    e.editor->repaint();
    QCOMPARE(e.editor->sampleCount(), first + 1 + drawn);
}

void TestCurveEditor::decimationKeepsSpikes()
{
    // Synthetic: 10,000 frames of a slow sine with one single-frame spike, in 1,000 pixels.
    QStringList names{QStringLiteral("jawOpen")};
    fa::AnimationClip clip(names, 30.0);
    for (int f = 0; f < 10000; ++f) {
        const float v = f == 6789 ? 0.95f : float(0.3 + 0.1 * std::sin(f / 500.0));
        clip.appendFrame(f / 30.0, &v, true);
    }
    const RigAnimation animation = RigAnimation::fromClip(clip);
    const fa::ui::CurveViewTransform transform(0, 10000, 0, 1, QSizeF(1000, 400));
    fa::ui::CurveSampleCache cache;
    cache.setView(transform);
    const auto &samples = cache.samples(animation, 0);
    QVERIFY(!samples.perFrame);
    QCOMPARE(int(samples.low.size()), 1000);
    const int spikeColumn = int(std::floor(transform.frameToX(6789)));
    QCOMPARE(samples.high[size_t(spikeColumn)], 0.95f);
    // Brute force per column: every column's range covers its own frames.
    std::vector<float> values = animation.curve(0).sample(10000);
    for (int f = 0; f < 10000; ++f) {
        const int c = std::clamp(int(std::floor(transform.frameToX(f))), 0, 999);
        QVERIFY(samples.low[size_t(c)] <= values[size_t(f)] && samples.high[size_t(c)] >= values[size_t(f)]);
    }
    QCOMPARE(cache.sampleCount(), 1LL);
    cache.samples(animation, 0);
    QCOMPARE(cache.sampleCount(), 1LL);
}

QTEST_MAIN(TestCurveEditor)
#include "test_curve_editor.moc"
