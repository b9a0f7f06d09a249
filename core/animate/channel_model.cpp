#include "animate/channel_model.h"

#include "animate/animate_document.h"

#include <QJsonValue>

#include <algorithm>
#include <array>

namespace fa {

namespace {

// Region hues (degrees), chosen apart so that regions read as families of colours.
constexpr std::array<int, kRigRegionCount> kRegionHue = {45, 200, 0, 280, 120, 30, 160};

// Internal id of a region row; channel rows carry their group index + 1.
constexpr quintptr kRegionRowId = 0;

} // namespace

ChannelModel::ChannelModel(AnimateDocument *document, QObject *parent)
    : QAbstractItemModel(parent)
    , m_document(document)
{
    connect(document, &AnimateDocument::animationReset, this, [this] {
        beginResetModel();
        rebuild();
        endResetModel();
        Q_EMIT drawnChannelsChanged();
        Q_EMIT coloursChanged();
    });
    connect(document, &AnimateDocument::calibrationChanged, this,
            &ChannelModel::onCalibrationChanged);
    rebuild();
}

void ChannelModel::rebuild()
{
    // Keep the view state of channels that survive by name.
    std::map<QString, ChannelView> previous;
    for (size_t c = 0; c < m_views.size() && c < size_t(m_names.size()); ++c)
        previous[m_names[qsizetype(c)]] = m_views[c];

    const RigAnimation &animation = m_document->animation();
    m_names = animation.controlNames();
    const int channels = animation.channelCount();
    std::array<std::vector<int>, kRigRegionCount> byRegion;
    std::vector<RigRegion> regionOf(static_cast<size_t>(channels));
    for (int c = 0; c < channels; ++c) {
        regionOf[size_t(c)] = rigRegion(m_names[c]);
        byRegion[size_t(regionOf[size_t(c)])].push_back(c);
    }
    m_groups.clear();
    m_groupOfChannel.assign(size_t(channels), -1);
    m_rowOfChannel.assign(size_t(channels), -1);
    for (int r = 0; r < kRigRegionCount; ++r) {
        if (byRegion[size_t(r)].empty())
            continue;
        const int group = int(m_groups.size());
        m_groups.push_back({RigRegion(r), byRegion[size_t(r)]});
        for (size_t row = 0; row < byRegion[size_t(r)].size(); ++row) {
            m_groupOfChannel[size_t(byRegion[size_t(r)][row])] = group;
            m_rowOfChannel[size_t(byRegion[size_t(r)][row])] = int(row);
        }
    }
    m_views.assign(size_t(channels), ChannelView());
    for (int c = 0; c < channels; ++c) {
        const auto it = previous.find(m_names[c]);
        if (it != previous.end()) {
            m_views[size_t(c)] = it->second;
        } else {
            m_views[size_t(c)].visible = regionOf[size_t(c)] != RigRegion::Head;
            m_views[size_t(c)].colour = defaultColour(c);
        }
    }
}

QColor ChannelModel::defaultColour(int channel) const
{
    if (channel < 0 || channel >= int(m_groupOfChannel.size()))
        return {};
    const RegionGroup &group = m_groups[size_t(m_groupOfChannel[size_t(channel)])];
    const int row = m_rowOfChannel[size_t(channel)];
    const int count = int(group.channels.size());
    // Spread the channels of a region over +-25 degrees of its hue, alternating lightness.
    const int spread = count > 1 ? -25 + 50 * row / (count - 1) : 0;
    const int hue = (kRegionHue[size_t(group.region)] + spread + 360) % 360;
    return QColor(QColor::fromHsv(hue, 200, row % 2 == 0 ? 235 : 180).rgb());
}

bool ChannelModel::isVisible(int channel) const
{
    return channel >= 0 && channel < int(m_views.size()) && m_views[size_t(channel)].visible;
}

bool ChannelModel::isSolo(int channel) const
{
    return channel >= 0 && channel < int(m_views.size()) && m_views[size_t(channel)].solo;
}

QColor ChannelModel::colour(int channel) const
{
    return channel >= 0 && channel < int(m_views.size()) ? m_views[size_t(channel)].colour
                                                         : QColor();
}

void ChannelModel::setVisible(int channel, bool visible)
{
    if (channel < 0 || channel >= int(m_views.size())
        || m_views[size_t(channel)].visible == visible)
        return;
    m_views[size_t(channel)].visible = visible;
    emitChannelChanged(channel, NameColumn, NameColumn);
    Q_EMIT drawnChannelsChanged();
}

void ChannelModel::setSolo(int channel, bool solo)
{
    if (channel < 0 || channel >= int(m_views.size()) || m_views[size_t(channel)].solo == solo)
        return;
    m_views[size_t(channel)].solo = solo;
    emitChannelChanged(channel, SoloColumn, SoloColumn);
    Q_EMIT drawnChannelsChanged();
}

void ChannelModel::setColour(int channel, const QColor &requested)
{
    const QColor colour(requested.rgb()); // opaque 8-bit RGB: what viewState() keeps
    if (channel < 0 || channel >= int(m_views.size()) || !requested.isValid()
        || m_views[size_t(channel)].colour == colour)
        return;
    m_views[size_t(channel)].colour = colour;
    emitChannelChanged(channel, NameColumn, NameColumn);
    Q_EMIT coloursChanged();
}

std::vector<int> ChannelModel::drawnChannels() const
{
    const bool anySolo = std::any_of(m_views.begin(), m_views.end(),
                                     [](const ChannelView &v) { return v.solo; });
    std::vector<int> drawn;
    for (int c = 0; c < int(m_views.size()); ++c) {
        if (anySolo ? m_views[size_t(c)].solo : m_views[size_t(c)].visible)
            drawn.push_back(c);
    }
    return drawn;
}

QModelIndex ChannelModel::indexOfChannel(int channel, int column) const
{
    if (channel < 0 || channel >= int(m_groupOfChannel.size()))
        return {};
    return createIndex(m_rowOfChannel[size_t(channel)], column,
                       quintptr(m_groupOfChannel[size_t(channel)] + 1));
}

void ChannelModel::emitChannelChanged(int channel, int firstColumn, int lastColumn)
{
    Q_EMIT dataChanged(indexOfChannel(channel, firstColumn), indexOfChannel(channel, lastColumn));
    const int group = m_groupOfChannel[size_t(channel)];
    const QModelIndex region = createIndex(group, firstColumn, kRegionRowId);
    Q_EMIT dataChanged(region, region.siblingAtColumn(lastColumn));
}

void ChannelModel::onCalibrationChanged(int channel)
{
    if (channel >= 0 && channel < int(m_groupOfChannel.size()))
        Q_EMIT dataChanged(indexOfChannel(channel, GainColumn),
                           indexOfChannel(channel, OffsetColumn));
}

QJsonObject ChannelModel::viewState() const
{
    QJsonObject channels;
    for (int c = 0; c < int(m_views.size()); ++c) {
        const ChannelView &view = m_views[size_t(c)];
        channels.insert(m_names[c], QJsonObject{{QStringLiteral("visible"), view.visible},
                                                {QStringLiteral("solo"), view.solo},
                                                {QStringLiteral("colour"),
                                                 view.colour.name(QColor::HexRgb)}});
    }
    return QJsonObject{{QStringLiteral("channels"), channels}};
}

void ChannelModel::setViewState(const QJsonObject &state)
{
    const QJsonObject channels = state.value(QStringLiteral("channels")).toObject();
    bool changed = false;
    for (int c = 0; c < int(m_views.size()); ++c) {
        const QJsonValue entry = channels.value(m_names[c]);
        if (!entry.isObject())
            continue;
        const QJsonObject object = entry.toObject();
        ChannelView &view = m_views[size_t(c)];
        view.visible = object.value(QStringLiteral("visible")).toBool(view.visible);
        view.solo = object.value(QStringLiteral("solo")).toBool(view.solo);
        const QColor colour = QColor::fromString(object.value(QStringLiteral("colour")).toString());
        if (colour.isValid())
            view.colour = QColor(colour.rgb());
        changed = true;
    }
    if (!changed)
        return;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    for (int g = 0; g < int(m_groups.size()); ++g) {
        const QModelIndex parent = index(g, 0);
        Q_EMIT dataChanged(index(0, 0, parent),
                           index(rowCount(parent) - 1, ColumnCount - 1, parent));
    }
    Q_EMIT drawnChannelsChanged();
    Q_EMIT coloursChanged();
}

} // namespace fa
