#pragma once

#include "project/triplet_sampler.h"

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QSpinBox;

namespace fa::ui {

/// Asks how many triplets to sample and how: count, share of gold triplets (their answer known
/// from the faces' categories, to measure annotators) and strategy (random, or the triplets an
/// expression encoder is least sure of: needs face embeddings). See fa::TripletSampler.
class SampleTripletsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SampleTripletsDialog(QWidget *parent = nullptr);

    fa::TripletSampler::Options options() const;
    void setOptions(const fa::TripletSampler::Options &options);

private:
    QSpinBox *m_count;
    QDoubleSpinBox *m_goldPercent;
    QComboBox *m_strategy;
};

} // namespace fa::ui
