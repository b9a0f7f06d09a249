#pragma once

#include <QWidget>

#include <optional>

class QDoubleSpinBox;
class QLabel;

namespace fa {
class AnimateDocument;
}

namespace fa::ui {

class CurveEditor;

/// A small editor beside the curve editor for the selected keys' value: a spin box showing the
/// RAW value stored in the selected keys (before the channel's gain and offset; equal to the
/// drawn value for an uncalibrated blendshape channel), blank when the selected keys' values
/// differ, disabled when nothing is selected, and a count of the selected keys.
///
/// Committing a value (Enter, focus out, a step of the arrows or the wheel) sets every selected
/// key to it with AnimateDocument::setKeyValues: one undo step per commit. Values are limited
/// to [-kLimit, kLimit] (head angles are degrees; weights are 0..1).
class KeyValueEditor : public QWidget
{
    Q_OBJECT
public:
    static constexpr double kLimit = 1000.0;

    /// Edits the selection of `editor` in its document (CurveEditor::document()); not owned.
    explicit KeyValueEditor(CurveEditor *editor, QWidget *parent = nullptr);

    /// The common raw value of the selected keys; nullopt when nothing is selected or values differ.
    std::optional<float> commonValue() const;
    /// The spin box (tests drive it like a user would).
    QDoubleSpinBox *spinBox() const { return m_spin; }
    /// Commits `value` to the selected keys (what the spin box does); false when nothing is selected.
    bool setValue(double value);

private:
    void refresh();
    void onSpinValueChanged(double value);

    AnimateDocument *m_document;
    CurveEditor *m_editor;
    QDoubleSpinBox *m_spin = nullptr;
    QLabel *m_count = nullptr;
    bool m_refreshing = false;
};

} // namespace fa::ui
