#pragma once

#include <QColor>
#include <QTreeView>

#include <functional>

namespace fa {
class ChannelModel;
}

namespace fa::ui {

/// The channel list of the Animate workspace: a tree over a ChannelModel (regions with their
/// channels, always expanded) with the visible check box and colour swatch in the name column,
/// then the Solo check box, Gain and Offset (edited in place; undoable through the model).
///
/// Double-clicking a channel's colour swatch opens a colour dialog (QColorDialog::getColor,
/// replaceable with setColourPicker()) and sets the chosen colour with ChannelModel::setColour.
class ChannelListView : public QTreeView
{
    Q_OBJECT
public:
    /// Returns the chosen colour, or an invalid QColor when cancelled.
    using ColourPicker = std::function<QColor(const QColor &initial, QWidget *parent)>;

    explicit ChannelListView(ChannelModel *model, QWidget *parent = nullptr);

    ChannelModel *channelModel() const { return m_model; }
    void setColourPicker(ColourPicker picker) { m_picker = std::move(picker); }

    /// The colour swatch's rectangle of a channel row (viewport coordinates; empty when hidden).
    QRect swatchRect(int channel) const;

protected:
    void mouseDoubleClickEvent(QMouseEvent *event) override;

private:
    ChannelModel *m_model;
    ColourPicker m_picker;
};

} // namespace fa::ui
