#pragma once

#include "training/training_config.h"

#include <QColor>
#include <QTableWidget>

#include <vector>

namespace fa::ui {

/// The hyper-parameters of several runs side by side: one row per TrainingConfig key, one column
/// per run (its colour in the charts on the header), and the rows where the runs differ
/// highlighted (bold on a tinted background). With "only differences" the others are hidden.
class HyperParameterTable : public QTableWidget
{
    Q_OBJECT
public:
    struct Run
    {
        QString label;
        QColor color;
        fa::TrainingConfig config;
    };

    explicit HyperParameterTable(QWidget *parent = nullptr);

    void setRuns(const std::vector<Run> &runs);
    void setOnlyDifferences(bool only);
    /// Keys whose values differ between the runs (in key order).
    QStringList differingKeys() const { return m_differing; }

private:
    std::vector<Run> m_runs;
    QStringList m_differing;
    bool m_onlyDifferences = false;
};

} // namespace fa::ui
