// The key test of the Animate workspace (issue 5): edit a keyframe, undo, redo, and assert the
// WHOLE animation each time (before, after, after undo, after redo), for every kind of edit, on
// a real capture (facecap's Face Cap animation). Then merge ids: a drag is one undo step.
#include "animate/animate_document.h"

#include "animate_test_support.h"
#include "facecap_clip.h"

#include "animation/butterworth_filter.h"
#include "animation/gaussian_filter.h"
#include "animation/key_reduction.h"

#include <QSignalSpy>
#include <QUndoStack>
#include <QtTest>

using fa::AnimateDocument;
using fa::ChannelCalibration;
using fa::CurveFilter;
using fa::KeyframeCurve;
using fa::KeySelection;
using fa::RigAnimation;

namespace {

enum Edit {
    SetValues, Move, MoveClampedEnd, MoveClampedStart, Insert, Delete, FilterButterworth,
    FilterGaussian, FilterOneEuro, ReduceAll, ReduceSpan, Calibration, Replace, SetCurves,
};

std::vector<int> range(int first, int last)
{
    std::vector<int> frames;
    for (int f = first; f <= last; ++f)
        frames.push_back(f);
    return frames;
}

// Keys at every frame of `values` except those in [gapFirst, gapLast].
KeyframeCurve denseExcept(const std::vector<float> &values, int gapFirst, int gapLast)
{
    std::vector<KeyframeCurve::Key> keys;
    for (int f = 0; f < int(values.size()); ++f) {
        if (f < gapFirst || f > gapLast)
            keys.push_back({f, values[size_t(f)]});
    }
    return KeyframeCurve::fromKeys(keys);
}

} // namespace

class TestAnimateDocument : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void editUndoRedo_data();
    void editUndoRedo();
    void dragIsOneUndoStep();
    void newMergeIdStartsNewStep();
    void dragBackToStartLeavesNoStep();
    void calibrationDragMerges();
    void noOpEditsPushNothing();
    void resetClearsUndo();

private:
    int channel(const char *name) const { return m_start.channelIndex(QString::fromLatin1(name)); }
    std::vector<float> samples(const RigAnimation &a, int c) const { return a.curve(c).sample(a.frameCount()); }
    RigAnimation prepared(Edit edit) const;
    RigAnimation expectedAfter(const RigAnimation &start, Edit edit) const;
    void apply(AnimateDocument &document, Edit edit) const;

    RigAnimation m_start;
    int m_jaw = -1, m_blinkL = -1, m_blinkR = -1, m_smileL = -1, m_funnel = -1, m_cheek = -1;
};

void TestAnimateDocument::initTestCase()
{
    QString error;
    const fa::AnimationClip clip = fa::test::facecapClip(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    m_start = RigAnimation::fromClip(clip);
    QCOMPARE(m_start.frameCount(), 335);
    m_jaw = channel("jawOpen");
    m_blinkL = channel("eyeBlink_L");
    m_blinkR = channel("eyeBlink_R");
    m_smileL = channel("mouthSmile_L");
    m_funnel = channel("mouthFunnel");
    m_cheek = channel("cheekSquint_L");
    // The edited channels move in this capture (else an edit could leave them unchanged).
    for (int c : {m_jaw, m_blinkL, m_blinkR, m_smileL, m_funnel, m_cheek}) {
        QVERIFY(c >= 0);
        const std::vector<float> v = samples(m_start, c);
        const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
        QVERIFY2(*hi - *lo > 0.05f, qPrintable(m_start.controlNames()[c]));
    }
}

void TestAnimateDocument::editUndoRedo_data()
{
    QTest::addColumn<int>("edit");
    QTest::newRow("set key values") << int(SetValues);
    QTest::newRow("move by frames and value") << int(Move);
    QTest::newRow("move clamped at the end") << int(MoveClampedEnd);
    QTest::newRow("move clamped at the start") << int(MoveClampedStart);
    QTest::newRow("insert keys") << int(Insert);
    QTest::newRow("delete keys") << int(Delete);
    QTest::newRow("Butterworth filter") << int(FilterButterworth);
    QTest::newRow("Gaussian filter on a span") << int(FilterGaussian);
    QTest::newRow("One-Euro filter on a span") << int(FilterOneEuro);
    QTest::newRow("reduce whole curve") << int(ReduceAll);
    QTest::newRow("reduce a span") << int(ReduceSpan);
    QTest::newRow("calibration") << int(Calibration);
    QTest::newRow("replace animation") << int(Replace);
    QTest::newRow("set curves") << int(SetCurves);
}

// Insert needs sparse curves (a dense curve already has a key on every frame).
RigAnimation TestAnimateDocument::prepared(Edit edit) const
{
    RigAnimation start = m_start;
    if (edit == Insert) {
        std::vector<KeyframeCurve::Key> keys;
        for (int f = 0; f < start.frameCount(); f += 10)
            keys.push_back({f, start.curve(m_smileL).valueAt(f)});
        start.setCurve(m_smileL, KeyframeCurve::fromKeys(keys));
        start.setCurve(m_funnel, KeyframeCurve());
    }
    return start;
}

void TestAnimateDocument::apply(AnimateDocument &document, Edit edit) const
{
    QString error;
    switch (edit) {
    case SetValues:
        document.setKeyValues({{m_jaw, {100, 101, 102}}, {m_blinkL, {40}}}, 0.9f);
        break;
    case Move:
        document.moveKeys({{m_blinkL, range(50, 55)}}, 3, -0.1f);
        break;
    case MoveClampedEnd:
        document.moveKeys({{m_jaw, range(330, 334)}}, 10, 0.0f);
        break;
    case MoveClampedStart:
        document.moveKeys({{m_jaw, {0, 1, 2}}}, -5, 0.25f);
        break;
    case Insert:
        document.insertKeys({m_smileL, m_funnel}, 15);
        break;
    case Delete:
        document.deleteKeys({{m_cheek, range(10, 20)}, {m_jaw, {5}}});
        break;
    case FilterButterworth: {
        CurveFilter filter;
        filter.kind = CurveFilter::Kind::Butterworth;
        filter.butterworthOrder = 2;
        filter.cutoffHz = 3.0;
        QVERIFY2(document.filterKeys({{m_jaw, {0, 334}}}, filter, &error), qPrintable(error));
        break;
    }
    case FilterGaussian: {
        CurveFilter filter;
        filter.kind = CurveFilter::Kind::Gaussian;
        filter.gaussianSigmaFrames = 3.0;
        QVERIFY2(document.filterKeys({{m_funnel, {100, 150, 200}}}, filter, &error), qPrintable(error));
        break;
    }
    case FilterOneEuro: {
        CurveFilter filter;
        filter.kind = CurveFilter::Kind::OneEuro;
        QVERIFY2(document.filterKeys({{m_blinkR, range(20, 120)}}, filter, &error), qPrintable(error));
        break;
    }
    case ReduceAll:
        document.reduceKeys({{m_blinkR, {0, 334}}}, 0.02);
        break;
    case ReduceSpan:
        document.reduceKeys({{m_jaw, {100, 200}}, {m_smileL, {10, 30}}}, 0.01);
        break;
    case Calibration:
        document.setCalibration(m_jaw, ChannelCalibration{1.5f, -0.1f});
        break;
    case Replace: {
        RigAnimation other = m_start;
        for (int c = 0; c < other.channelCount(); ++c) {
            std::vector<float> v = samples(other, c);
            for (float &x : v)
                x *= 0.5f;
            other.setCurve(c, KeyframeCurve::fromSamples(v));
        }
        document.replaceAnimation(other, QStringLiteral("Re-solve with neutral frame 12"));
        break;
    }
    case SetCurves: {
        KeyframeCurve sparse;
        sparse.setKey(0, 0.0f);
        sparse.setKey(200, 1.0f);
        document.setCurves({{m_jaw, sparse}, {m_blinkL, KeyframeCurve()}}, QStringLiteral("Paste"));
        break;
    }
    }
}

// The expected whole animation, built from dense samples of `start` without the document.
RigAnimation TestAnimateDocument::expectedAfter(const RigAnimation &start, Edit edit) const
{
    RigAnimation expected = start;
    const int n = start.frameCount();
    switch (edit) {
    case SetValues: {
        KeyframeCurve jaw = start.curve(m_jaw), blink = start.curve(m_blinkL);
        for (int f : {100, 101, 102})
            jaw.setKey(f, 0.9f);
        blink.setKey(40, 0.9f);
        expected.setCurve(m_jaw, jaw);
        expected.setCurve(m_blinkL, blink);
        break;
    }
    case Move: {
        const std::vector<float> v = samples(start, m_blinkL);
        std::vector<KeyframeCurve::Key> keys;
        for (int f = 0; f < n; ++f) {
            if (f >= 50 && f <= 52)
                continue; // moved away, nothing moved in
            keys.push_back({f, f >= 53 && f <= 58 ? v[size_t(f - 3)] + -0.1f : v[size_t(f)]});
        }
        expected.setCurve(m_blinkL, KeyframeCurve::fromKeys(keys));
        break;
    }
    case MoveClampedEnd: {
        // All five land on 334; the key that moved least (334 itself) wins.
        expected.setCurve(m_jaw, denseExcept(samples(start, m_jaw), 330, 333));
        break;
    }
    case MoveClampedStart: {
        std::vector<float> v = samples(start, m_jaw);
        v[0] += 0.25f; // frame 0's own key moved least
        expected.setCurve(m_jaw, denseExcept(v, 1, 2));
        break;
    }
    case Insert: {
        KeyframeCurve smile = start.curve(m_smileL);
        smile.setKey(15, smile.valueAt(15));
        expected.setCurve(m_smileL, smile);
        expected.setCurve(m_funnel, KeyframeCurve::fromKeys({{15, 0.0f}}));
        break;
    }
    case Delete:
        expected.setCurve(m_cheek, denseExcept(samples(start, m_cheek), 10, 20));
        expected.setCurve(m_jaw, denseExcept(samples(start, m_jaw), 5, 5));
        break;
    case FilterButterworth: {
        const std::vector<float> v = samples(start, m_jaw);
        const auto filter = fa::ButterworthFilter::lowPass(2, 3.0, start.fps());
        const std::vector<double> y = filter->filtfilt(std::vector<double>(v.begin(), v.end()));
        expected.setCurve(m_jaw, KeyframeCurve::fromSamples(std::vector<float>(y.begin(), y.end())));
        break;
    }
    case FilterGaussian: {
        std::vector<float> v = samples(start, m_funnel);
        const std::vector<double> y = fa::gaussianSmooth(std::vector<double>(v.begin() + 100, v.begin() + 201), 3.0);
        for (int i = 0; i <= 100; ++i)
            v[size_t(100 + i)] = float(y[size_t(i)]);
        expected.setCurve(m_funnel, KeyframeCurve::fromSamples(v));
        break;
    }
    case FilterOneEuro: {
        std::vector<float> v = samples(start, m_blinkR);
        fa::OneEuroFilter filter(CurveFilter().oneEuro);
        for (int f = 20; f <= 120; ++f)
            v[size_t(f)] = float(filter.filter(v[size_t(f)], start.frameTime(f)));
        expected.setCurve(m_blinkR, KeyframeCurve::fromSamples(v));
        break;
    }
    case ReduceAll:
        expected.setCurve(m_blinkR, KeyframeCurve::fromKeys(fa::reduceKeys(start.curve(m_blinkR).keys(), 0.02)));
        break;
    case ReduceSpan: {
        const auto &jawKeys = start.curve(m_jaw).keys();
        std::vector<KeyframeCurve::Key> keys(jawKeys.begin(), jawKeys.begin() + 100);
        const auto kept = fa::reduceKeys({jawKeys.begin() + 100, jawKeys.begin() + 201}, 0.01);
        keys.insert(keys.end(), kept.begin(), kept.end());
        keys.insert(keys.end(), jawKeys.begin() + 201, jawKeys.end());
        expected.setCurve(m_jaw, KeyframeCurve::fromKeys(keys));
        // mouthSmile_L is dense here: its span 10..30 reduces the same way.
        const auto &smileKeys = start.curve(m_smileL).keys();
        std::vector<KeyframeCurve::Key> smile(smileKeys.begin(), smileKeys.begin() + 10);
        const auto keptSmile = fa::reduceKeys({smileKeys.begin() + 10, smileKeys.begin() + 31}, 0.01);
        smile.insert(smile.end(), keptSmile.begin(), keptSmile.end());
        smile.insert(smile.end(), smileKeys.begin() + 31, smileKeys.end());
        expected.setCurve(m_smileL, KeyframeCurve::fromKeys(smile));
        break;
    }
    case Calibration:
        expected.setCalibration(m_jaw, ChannelCalibration{1.5f, -0.1f});
        break;
    case Replace:
        for (int c = 0; c < expected.channelCount(); ++c) {
            std::vector<float> v = samples(start, c);
            for (float &x : v)
                x *= 0.5f;
            expected.setCurve(c, KeyframeCurve::fromSamples(v));
        }
        break;
    case SetCurves:
        expected.setCurve(m_jaw, KeyframeCurve::fromKeys({{0, 0.0f}, {200, 1.0f}}));
        expected.setCurve(m_blinkL, KeyframeCurve());
        break;
    }
    return expected;
}

void TestAnimateDocument::editUndoRedo()
{
    QFETCH(int, edit);
    const RigAnimation start = prepared(Edit(edit));
    const RigAnimation expected = expectedAfter(start, Edit(edit));
    QVERIFY2(expected != start, "the edit must change the animation");

    AnimateDocument document;
    document.resetAnimation(start);
    FA_COMPARE_ANIMATION(document.animation(), start, "before");
    QCOMPARE(document.undoStack()->count(), 0);
    QSignalSpy curves(&document, &AnimateDocument::curvesChanged);
    QSignalSpy resets(&document, &AnimateDocument::animationReset);
    QSignalSpy calibrations(&document, &AnimateDocument::calibrationChanged);

    apply(document, Edit(edit));
    FA_COMPARE_ANIMATION(document.animation(), expected, "after the edit");
    QCOMPARE(document.undoStack()->count(), 1);
    QVERIFY(!document.undoStack()->text(0).isEmpty());
    QCOMPARE(curves.count() + resets.count() + calibrations.count(), qsizetype(1));

    document.undoStack()->undo();
    FA_COMPARE_ANIMATION(document.animation(), start, "after undo");
    document.undoStack()->redo();
    FA_COMPARE_ANIMATION(document.animation(), expected, "after redo");
    document.undoStack()->undo();
    FA_COMPARE_ANIMATION(document.animation(), start, "after a second undo");
    QCOMPARE(curves.count() + resets.count() + calibrations.count(), qsizetype(4));
    if (!curves.isEmpty()) {
        // Channels the edit touched, ascending, and no others.
        const QList<int> changed = curves.last().at(0).value<QList<int>>();
        QVERIFY(std::is_sorted(changed.begin(), changed.end()));
        for (int c = 0; c < start.channelCount(); ++c)
            QCOMPARE(changed.contains(c), start.curve(c) != expected.curve(c));
    }
}

void TestAnimateDocument::dragIsOneUndoStep()
{
    const KeySelection selection = {{m_jaw, range(100, 110)}, {m_blinkL, range(100, 110)}};
    AnimateDocument drag;
    drag.resetAnimation(m_start);
    const int id = AnimateDocument::nextMergeId();
    for (int i = 1; i <= 10; ++i) {
        // The total delta since the press, as a drag passes it on every mouse move.
        drag.moveKeys(selection, i, 0.01f * float(i), id);
        AnimateDocument single;
        single.resetAnimation(m_start);
        single.moveKeys(selection, i, 0.01f * float(i));
        FA_COMPARE_ANIMATION(drag.animation(), single.animation(), "during the drag");
        QCOMPARE(drag.undoStack()->count(), 1);
    }
    AnimateDocument single;
    single.resetAnimation(m_start);
    single.moveKeys(selection, 10, 0.01f * 10.0f);
    QVERIFY(single.animation() != m_start);
    FA_COMPARE_ANIMATION(drag.animation(), single.animation(), "after the drag");
    drag.undoStack()->undo();
    FA_COMPARE_ANIMATION(drag.animation(), m_start, "after undo");
    drag.undoStack()->redo();
    FA_COMPARE_ANIMATION(drag.animation(), single.animation(), "after redo");
}

void TestAnimateDocument::newMergeIdStartsNewStep()
{
    const KeySelection first = {{m_jaw, {50}}};
    AnimateDocument document;
    document.resetAnimation(m_start);
    const int a = AnimateDocument::nextMergeId();
    const int b = AnimateDocument::nextMergeId();
    QVERIFY(a != b);
    document.moveKeys(first, 1, 0.1f, a);
    document.moveKeys(first, 2, 0.2f, a);
    const RigAnimation afterFirstDrag = document.animation();
    // The second drag starts from where the first left the key (frame 52).
    const KeySelection second = {{m_jaw, {52}}};
    document.moveKeys(second, 1, 0.0f, b);
    document.moveKeys(second, 3, 0.0f, b);
    QCOMPARE(document.undoStack()->count(), 2);
    QVERIFY(document.animation().curve(m_jaw).hasKey(55));
    QVERIFY(!document.animation().curve(m_jaw).hasKey(50));
    document.undoStack()->undo();
    FA_COMPARE_ANIMATION(document.animation(), afterFirstDrag, "after undoing the second drag");
    document.undoStack()->undo();
    FA_COMPARE_ANIMATION(document.animation(), m_start, "after undoing both");
}

void TestAnimateDocument::dragBackToStartLeavesNoStep()
{
    AnimateDocument document;
    document.resetAnimation(m_start);
    const int id = AnimateDocument::nextMergeId();
    document.moveKeys({{m_jaw, range(10, 20)}}, 3, 0.05f, id);
    document.moveKeys({{m_jaw, range(10, 20)}}, 0, 0.0f, id);
    FA_COMPARE_ANIMATION(document.animation(), m_start, "after dragging back");
    QCOMPARE(document.undoStack()->count(), 0);
}

void TestAnimateDocument::calibrationDragMerges()
{
    AnimateDocument document;
    document.resetAnimation(m_start);
    const int id = AnimateDocument::nextMergeId();
    for (int i = 1; i <= 5; ++i)
        document.setCalibration(m_jaw, ChannelCalibration{1.0f + 0.1f * float(i), 0.0f}, id);
    document.setCalibration(m_blinkL, ChannelCalibration{1.0f, 0.2f}, id); // other channel: new step
    QCOMPARE(document.undoStack()->count(), 2);
    QCOMPARE(document.animation().calibration(m_jaw).gain, 1.0f + 0.1f * 5.0f);
    document.undoStack()->undo();
    document.undoStack()->undo();
    FA_COMPARE_ANIMATION(document.animation(), m_start, "after undo");
}

void TestAnimateDocument::noOpEditsPushNothing()
{
    AnimateDocument document;
    document.resetAnimation(m_start);
    document.insertKeys({m_jaw}, 40);                        // a dense curve has that key
    document.deleteKeys({{m_jaw, {}}, {-1, {3}}, {999, {3}}}); // nothing selected / no channel
    document.moveKeys({{m_jaw, range(0, 10)}}, 0, 0.0f);
    document.setKeyValues({{m_jaw, {7}}}, m_start.curve(m_jaw).valueAt(7));
    document.setCalibration(m_jaw, ChannelCalibration());
    document.reduceKeys({{m_jaw, {5, 6}}}, 1.0);             // two keys: nothing to remove
    QCOMPARE(document.undoStack()->count(), 0);
    FA_COMPARE_ANIMATION(document.animation(), m_start, "after no-op edits");
}

void TestAnimateDocument::resetClearsUndo()
{
    AnimateDocument document;
    QSignalSpy resets(&document, &AnimateDocument::animationReset);
    document.resetAnimation(m_start);
    document.deleteKeys({{m_jaw, {1}}});
    QCOMPARE(document.undoStack()->count(), 1);
    document.resetAnimation(m_start);
    QCOMPARE(document.undoStack()->count(), 0);
    QCOMPARE(resets.count(), 2);
    FA_COMPARE_ANIMATION(document.animation(), m_start, "after reset");
}

QTEST_GUILESS_MAIN(TestAnimateDocument)
#include "test_animate_document.moc"
