#include "train/hyper_parameter_table.h"

#include <QHeaderView>

namespace fa::ui {

HyperParameterTable::HyperParameterTable(QWidget *parent) : QTableWidget(parent)
{
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionMode(QAbstractItemView::NoSelection);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
}

void HyperParameterTable::setRuns(const std::vector<Run> &runs)
{
    m_runs = runs;
    m_differing.clear();
    const QStringList keys = fa::TrainingConfig::keys();
    clear();
    setRowCount(int(keys.size()));
    setColumnCount(int(runs.size()));
    setVerticalHeaderLabels(keys);
    for (int c = 0; c < int(runs.size()); ++c) {
        auto *header = new QTableWidgetItem(runs[c].label);
        header->setForeground(runs[c].color);
        header->setToolTip(runs[c].label);
        setHorizontalHeaderItem(c, header);
    }
    QColor tint = palette().color(QPalette::Highlight);
    tint.setAlphaF(0.18);
    for (int r = 0; r < keys.size(); ++r) {
        QStringList values;
        for (const Run &run : runs)
            values.append(run.config.value(keys[r]));
        const bool differs = values.size() > 1 && values.count(values.first()) != values.size();
        if (differs)
            m_differing.append(keys[r]);
        for (int c = 0; c < values.size(); ++c) {
            auto *item = new QTableWidgetItem(values[c]);
            item->setToolTip(values[c]);
            if (differs) {
                QFont font = item->font();
                font.setBold(true);
                item->setFont(font);
                item->setBackground(tint);
            }
            setItem(r, c, item);
        }
        setRowHidden(r, m_onlyDifferences && !differs);
    }
}

void HyperParameterTable::setOnlyDifferences(bool only)
{
    m_onlyDifferences = only;
    const QStringList keys = fa::TrainingConfig::keys();
    for (int r = 0; r < rowCount() && r < keys.size(); ++r)
        setRowHidden(r, only && !m_differing.contains(keys[r]));
}

} // namespace fa::ui
