// The key value editor on the real capture: it shows the selected keys' raw value, blank when
// they differ, and sets it on every selected key as one undo step.
#include "facecap_animation.h"

#include "animate/animate_document.h"
#include "animate/channel_model.h"
#include "animation/keyframe_curve.h"
#include "timeline/curve_editor.h"
#include "timeline/key_value_editor.h"
#include "timeline/time_axis.h"

#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QUndoStack>
#include <QtTest>

using fa::KeySelection;

class TestKeyValueEditor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsAndSetsValues();
};

void TestKeyValueEditor::showsAndSetsValues()
{
    const auto &capture = fa::test::facecapAnimation();
    QVERIFY(capture.has_value());
    fa::AnimateDocument document;
    document.resetAnimation(*capture);
    fa::ChannelModel model(&document);
    fa::ui::TimeAxis axis;
    axis.setFrameCount(capture->frameCount());
    fa::ui::CurveEditor editor(&document, &model, &axis);
    fa::ui::KeyValueEditor values(&editor);
    values.show();
    QVERIFY(QTest::qWaitForWindowExposed(&values));
    QDoubleSpinBox *spin = values.spinBox();
    QVERIFY(!spin->isEnabled());

    const int jaw = capture->channelIndex(QStringLiteral("jawOpen"));
    const fa::KeyframeCurve &curve = document.animation().curve(jaw);
    // Two keys with different values: blank.
    int a = -1, b = -1;
    for (int f = 1; f < curve.keyCount() && b < 0; ++f) {
        if (curve.keys()[size_t(f)].value != curve.keys()[0].value) {
            a = curve.keys()[0].frame;
            b = curve.keys()[size_t(f)].frame;
        }
    }
    QVERIFY(b >= 0);
    editor.setSelection({{jaw, {a, b}}});
    QVERIFY(spin->isEnabled());
    QVERIFY(!values.commonValue().has_value());
    QVERIFY2(spin->text().trimmed().isEmpty(), qPrintable(spin->text()));

    // One key: its value.
    editor.setSelection({{jaw, {b}}});
    QCOMPARE(*values.commonValue(), curve.keys()[size_t(curve.keyIndex(b))].value);
    // Shown at the spin box's precision.
    const double shown = double(curve.keys()[size_t(curve.keyIndex(b))].value);
    QVERIFY(std::abs(spin->value() - shown) <= 0.5 * std::pow(10.0, -spin->decimals()) + 1e-9);
    QCOMPARE(spin->text(), QLocale().toString(shown, 'f', spin->decimals()));

    // Typing a value into the spin box sets both keys in one step.
    editor.setSelection({{jaw, {a, b}}});
    const fa::RigAnimation before = document.animation();
    const int steps = document.undoStack()->count();
    spin->setFocus();
    spin->findChild<QLineEdit *>()->selectAll();
    QTest::keyClicks(spin, QStringLiteral("0.25"));
    QTest::keyClick(spin, Qt::Key_Return);
    QCOMPARE(document.undoStack()->count(), steps + 1);
    QCOMPARE(document.animation().curve(jaw).valueAt(a), 0.25f);
    QCOMPARE(document.animation().curve(jaw).valueAt(b), 0.25f);
    QCOMPARE(*values.commonValue(), 0.25f);
    QCOMPARE(spin->value(), 0.25);
    document.undoStack()->undo();
    QVERIFY(document.animation() == before);
    QVERIFY(spin->text().trimmed().isEmpty());  // mixed again after undo
}

QTEST_MAIN(TestKeyValueEditor)
#include "test_key_value_editor.moc"
