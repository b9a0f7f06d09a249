#pragma once

#include "animation/rig_region.h"

#include <QAbstractItemModel>
#include <QColor>
#include <QJsonObject>

#include <vector>

namespace fa {

class AnimateDocument;

/// Tree model over an AnimateDocument's channels for the channel list (Tiled projectmodel.h).
///
/// Top rows: the regions that have channels, in RigRegion order; children: their channels in
/// channel order. Columns:
///   0 Name   -- DisplayRole name; CheckStateRole visible; DecorationRole colour swatch (QColor).
///               Region rows: CheckStateRole tri-state over the children; setting it sets all.
///   1 Solo   -- CheckStateRole (region rows: tri-state, setting sets all children).
///   2 Gain   -- Display/EditRole double; editing calls AnimateDocument::setCalibration (undo).
///   3 Offset -- as Gain.
/// ChannelRole gives the channel index (-1 on region rows), RegionRole the int RigRegion.
///
/// View state (visible, solo, colour) is not part of the document and not undoable; it is
/// kept by control name across AnimateDocument::animationReset(). Defaults: every channel
/// visible except head channels (degrees: another scale), no solo, colours by region hue.
class ChannelModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Role { ChannelRole = Qt::UserRole + 1, RegionRole };
    enum Column { NameColumn, SoloColumn, GainColumn, OffsetColumn, ColumnCount };

    explicit ChannelModel(AnimateDocument *document, QObject *parent = nullptr);

    AnimateDocument *document() const { return m_document; }

    bool isVisible(int channel) const;
    void setVisible(int channel, bool visible);
    bool isSolo(int channel) const;
    void setSolo(int channel, bool solo);
    /// Opaque 8-bit RGB colours (setColour() drops alpha and extra precision).
    QColor colour(int channel) const;
    void setColour(int channel, const QColor &colour);
    /// Default colour: the region's hue, channels of a region spread around it.
    QColor defaultColour(int channel) const;

    /// Channels to draw, ascending: the solo ones when any is solo, else the visible ones.
    std::vector<int> drawnChannels() const;
    QModelIndex indexOfChannel(int channel, int column = 0) const;

    /// {"channels": {name: {"visible": bool, "solo": bool, "colour": "#rrggbb"}}}.
    QJsonObject viewState() const;
    /// Applies entries whose name is a channel; other names are ignored.
    void setViewState(const QJsonObject &state);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void drawnChannelsChanged();
    void coloursChanged();

private:
    struct ChannelView
    {
        bool visible = true;
        bool solo = false;
        QColor colour;
    };
    struct RegionGroup
    {
        RigRegion region = RigRegion::Other;
        std::vector<int> channels;
    };

    void rebuild();
    void onCalibrationChanged(int channel);
    QVariant regionCheckState(int group, int column) const;
    void setRegionChecked(int group, int column, bool checked);
    void emitChannelChanged(int channel, int firstColumn, int lastColumn);

    AnimateDocument *m_document = nullptr;
    std::vector<RegionGroup> m_groups;
    std::vector<int> m_groupOfChannel;  // channel -> index in m_groups
    std::vector<int> m_rowOfChannel;    // channel -> row within its group
    std::vector<ChannelView> m_views;   // by channel
    QStringList m_names;                // control names the views belong to
};

} // namespace fa
