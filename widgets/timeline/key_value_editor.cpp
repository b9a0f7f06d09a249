#include "key_value_editor.h"

#include "curve_editor.h"

#include "animate/animate_document.h"
#include "animate/rig_animation.h"
#include "animation/keyframe_curve.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>

namespace fa::ui {

namespace {

/// The spin box's minimum stands for "mixed values": it shows as blank (specialValueText).
constexpr double kMixed = -KeyValueEditor::kLimit - 1.0;

} // namespace

KeyValueEditor::KeyValueEditor(CurveEditor *editor, QWidget *parent)
    : QWidget(parent)
    , m_document(editor->document())
    , m_editor(editor)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *label = new QLabel(tr("Key value"), this);
    m_spin = new QDoubleSpinBox(this);
    m_spin->setDecimals(4);
    m_spin->setSingleStep(0.01);
    m_spin->setRange(kMixed, kLimit);
    m_spin->setSpecialValueText(QStringLiteral(" "));
    m_spin->setKeyboardTracking(false);
    m_spin->setAccelerated(true);
    m_spin->setToolTip(tr("The value stored in the selected keys, before the channel's gain and offset. "
                          "Blank when the selected keys differ."));
    label->setBuddy(m_spin);
    m_count = new QLabel(this);
    layout->addWidget(label);
    layout->addWidget(m_spin, 1);
    layout->addWidget(m_count);

    connect(m_spin, &QDoubleSpinBox::valueChanged, this, &KeyValueEditor::onSpinValueChanged);
    connect(m_editor, &CurveEditor::selectionChanged, this, &KeyValueEditor::refresh);
    connect(m_document, &AnimateDocument::curvesChanged, this, &KeyValueEditor::refresh);
    connect(m_document, &AnimateDocument::animationReset, this, &KeyValueEditor::refresh);
    refresh();
}

std::optional<float> KeyValueEditor::commonValue() const
{
    const RigAnimation &animation = m_document->animation();
    std::optional<float> common;
    for (const auto &[channel, frames] : m_editor->selection()) {
        if (channel < 0 || channel >= animation.channelCount())
            continue;
        const KeyframeCurve &curve = animation.curve(channel);
        for (int frame : frames) {
            const int index = curve.keyIndex(frame);
            if (index < 0)
                continue;
            const float value = curve.keys()[size_t(index)].value;
            if (!common)
                common = value;
            else if (*common != value)
                return std::nullopt;
        }
    }
    return common;
}

bool KeyValueEditor::setValue(double value)
{
    const KeySelection selection = m_editor->selection();
    if (selection.empty())
        return false;
    m_document->setKeyValues(selection, float(qBound(-kLimit, value, kLimit)));
    return true;
}

void KeyValueEditor::refresh()
{
    m_refreshing = true;
    const int count = m_editor->selectedKeyCount();
    m_spin->setEnabled(count > 0);
    const std::optional<float> value = commonValue();
    m_spin->setValue(value ? qBound(-kLimit, double(*value), kLimit) : kMixed);
    m_count->setText(count == 1 ? tr("1 key") : tr("%1 keys").arg(count));
    m_refreshing = false;
}

void KeyValueEditor::onSpinValueChanged(double value)
{
    if (m_refreshing || value <= kMixed)
        return;
    setValue(value);
}

} // namespace fa::ui
