#include "channel_list_view.h"

#include "animate/channel_model.h"

#include <QColorDialog>
#include <QHeaderView>
#include <QMouseEvent>
#include <QStyledItemDelegate>

namespace fa::ui {

namespace {

/// QStyledItemDelegate::initStyleOption is protected; the swatch's rectangle needs it.
class SwatchDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void styleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
    {
        initStyleOption(option, index);
    }
};

} // namespace

ChannelListView::ChannelListView(ChannelModel *model, QWidget *parent)
    : QTreeView(parent)
    , m_model(model)
    , m_picker([](const QColor &initial, QWidget *owner) {
        return QColorDialog::getColor(initial, owner, tr("Channel colour"));
    })
{
    setItemDelegate(new SwatchDelegate(this));
    setModel(m_model);
    setUniformRowHeights(true);
    setAllColumnsShowFocus(true);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setEditTriggers(QAbstractItemView::EditKeyPressed | QAbstractItemView::SelectedClicked);
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(ChannelModel::NameColumn, QHeaderView::Stretch);
    for (int column = ChannelModel::SoloColumn; column < ChannelModel::ColumnCount; ++column)
        header()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    // Regions stay expanded whatever the model does.
    connect(m_model, &QAbstractItemModel::modelReset, this, &QTreeView::expandAll);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &QTreeView::expandAll);
    connect(m_model, &QAbstractItemModel::layoutChanged, this, &QTreeView::expandAll);
    expandAll();
}

QRect ChannelListView::swatchRect(int channel) const
{
    const QModelIndex index = m_model->indexOfChannel(channel, ChannelModel::NameColumn);
    const QRect cell = visualRect(index);
    if (!index.isValid() || cell.isEmpty())
        return {};
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    option.rect = cell;
    static_cast<SwatchDelegate *>(itemDelegate())->styleOption(&option, index);
    return style()->subElementRect(QStyle::SE_ItemViewItemDecoration, &option, this);
}

void ChannelListView::mouseDoubleClickEvent(QMouseEvent *event)
{
    const QModelIndex index = indexAt(event->position().toPoint());
    const int channel = index.isValid() ? index.data(ChannelModel::ChannelRole).toInt() : -1;
    if (event->button() == Qt::LeftButton && channel >= 0 && index.column() == ChannelModel::NameColumn
        && swatchRect(channel).contains(event->position().toPoint())) {
        const QColor chosen = m_picker(m_model->colour(channel), this);
        if (chosen.isValid())
            m_model->setColour(channel, chosen);
        event->accept();
        return;
    }
    QTreeView::mouseDoubleClickEvent(event);
}

} // namespace fa::ui
