// ChannelModel's QAbstractItemModel interface (the view state lives in channel_model.cpp).
#include "animate/channel_model.h"

#include "animate/animate_document.h"

#include <algorithm>
#include <cmath>

namespace fa {

namespace {

constexpr quintptr kRegionRowId = 0;

Qt::CheckState checkState(bool checked)
{
    return checked ? Qt::Checked : Qt::Unchecked;
}

} // namespace

QModelIndex ChannelModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    if (!parent.isValid())
        return row < int(m_groups.size()) ? createIndex(row, column, kRegionRowId) : QModelIndex();
    if (parent.internalId() != kRegionRowId || parent.row() >= int(m_groups.size()))
        return {};
    if (row >= int(m_groups[size_t(parent.row())].channels.size()))
        return {};
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex ChannelModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kRegionRowId)
        return {};
    return createIndex(int(child.internalId() - 1), 0, kRegionRowId);
}

int ChannelModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.internalId() == kRegionRowId && parent.column() == 0
        && parent.row() < int(m_groups.size()))
        return int(m_groups[size_t(parent.row())].channels.size());
    return 0;
}

int ChannelModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant ChannelModel::regionCheckState(int group, int column) const
{
    const std::vector<int> &channels = m_groups[size_t(group)].channels;
    const auto on = [&](int c) {
        return column == SoloColumn ? m_views[size_t(c)].solo : m_views[size_t(c)].visible;
    };
    const long checked = std::count_if(channels.begin(), channels.end(), on);
    if (checked == 0)
        return Qt::Unchecked;
    return checked == long(channels.size()) ? Qt::Checked : Qt::PartiallyChecked;
}

void ChannelModel::setRegionChecked(int group, int column, bool checked)
{
    // One batch: one dataChanged over the region's children and one drawnChannelsChanged.
    const std::vector<int> &channels = m_groups[size_t(group)].channels;
    bool changed = false;
    for (int channel : channels) {
        bool &flag = column == SoloColumn ? m_views[size_t(channel)].solo
                                          : m_views[size_t(channel)].visible;
        changed = changed || flag != checked;
        flag = checked;
    }
    if (!changed)
        return;
    const QModelIndex region = index(group, column);
    Q_EMIT dataChanged(region, region);
    Q_EMIT dataChanged(index(0, column, index(group, 0)),
                       index(int(channels.size()) - 1, column, index(group, 0)));
    Q_EMIT drawnChannelsChanged();
}

QVariant ChannelModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const int column = index.column();
    if (index.internalId() == kRegionRowId) {
        const int group = index.row();
        if (group >= int(m_groups.size()))
            return {};
        switch (role) {
        case Qt::DisplayRole:
            return column == NameColumn ? QVariant(rigRegionName(m_groups[size_t(group)].region))
                                        : QVariant();
        case Qt::CheckStateRole:
            return column == NameColumn || column == SoloColumn ? regionCheckState(group, column)
                                                                : QVariant();
        case ChannelRole:
            return -1;
        case RegionRole:
            return int(m_groups[size_t(group)].region);
        default:
            return {};
        }
    }
    const int group = int(index.internalId() - 1);
    if (group >= int(m_groups.size())
        || index.row() >= int(m_groups[size_t(group)].channels.size()))
        return {};
    const int channel = m_groups[size_t(group)].channels[size_t(index.row())];
    const ChannelView &view = m_views[size_t(channel)];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        if (column == NameColumn)
            return m_names[channel];
        if (column == GainColumn)
            return double(m_document->animation().calibration(channel).gain);
        if (column == OffsetColumn)
            return double(m_document->animation().calibration(channel).offset);
        return {};
    case Qt::CheckStateRole:
        if (column == NameColumn)
            return checkState(view.visible);
        if (column == SoloColumn)
            return checkState(view.solo);
        return {};
    case Qt::DecorationRole:
        return column == NameColumn ? QVariant(view.colour) : QVariant();
    case ChannelRole:
        return channel;
    case RegionRole:
        return int(m_groups[size_t(group)].region);
    default:
        return {};
    }
}

bool ChannelModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!index.isValid())
        return false;
    const int column = index.column();
    if (role == Qt::CheckStateRole && (column == NameColumn || column == SoloColumn)) {
        const bool checked = value.toInt() == Qt::Checked;
        if (index.internalId() == kRegionRowId) {
            if (index.row() >= int(m_groups.size()))
                return false;
            setRegionChecked(index.row(), column, checked);
            return true;
        }
        const int channel = data(index, ChannelRole).toInt();
        if (column == SoloColumn)
            setSolo(channel, checked);
        else
            setVisible(channel, checked);
        return true;
    }
    if (role == Qt::DecorationRole && column == NameColumn && index.internalId() != kRegionRowId) {
        const QColor colour = value.value<QColor>();
        if (!colour.isValid())
            return false;
        setColour(data(index, ChannelRole).toInt(), colour);
        return true;
    }
    if (role == Qt::EditRole && (column == GainColumn || column == OffsetColumn)
        && index.internalId() != kRegionRowId) {
        bool ok = false;
        const double number = value.toDouble(&ok);
        if (!ok || !std::isfinite(number))
            return false;
        const int channel = data(index, ChannelRole).toInt();
        ChannelCalibration calibration = m_document->animation().calibration(channel);
        (column == GainColumn ? calibration.gain : calibration.offset) = float(number);
        m_document->setCalibration(channel, calibration);
        return true;
    }
    return false;
}

Qt::ItemFlags ChannelModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    const int column = index.column();
    if (column == NameColumn || column == SoloColumn)
        flags |= Qt::ItemIsUserCheckable;
    if (index.internalId() != kRegionRowId && (column == GainColumn || column == OffsetColumn))
        flags |= Qt::ItemIsEditable;
    return flags;
}

QVariant ChannelModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Channel");
    case SoloColumn:
        return tr("Solo");
    case GainColumn:
        return tr("Gain");
    case OffsetColumn:
        return tr("Offset");
    default:
        return {};
    }
}

} // namespace fa
