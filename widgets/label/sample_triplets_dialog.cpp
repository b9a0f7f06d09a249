#include "label/sample_triplets_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QSpinBox>

namespace fa::ui {

SampleTripletsDialog::SampleTripletsDialog(QWidget *parent)
    : QDialog(parent)
    , m_count(new QSpinBox(this))
    , m_goldPercent(new QDoubleSpinBox(this))
    , m_strategy(new QComboBox(this))
{
    setWindowTitle(tr("Sample Triplets"));
    m_count->setRange(1, 1000000);
    m_count->setValue(100);
    m_goldPercent->setRange(0, 100);
    m_goldPercent->setDecimals(1);
    m_goldPercent->setSuffix(QStringLiteral(" %"));
    m_goldPercent->setValue(10);
    m_goldPercent->setToolTip(tr("Triplets whose answer is known from the faces' categories, "
                                 "to measure each annotator's accuracy"));
    m_strategy->addItem(tr("Random"), int(fa::TripletSampler::Strategy::Random));
    m_strategy->addItem(tr("Least certain for the encoder (needs embeddings)"),
                        int(fa::TripletSampler::Strategy::Uncertainty));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *form = new QFormLayout(this);
    form->addRow(tr("Triplets to add:"), m_count);
    form->addRow(tr("Gold triplets:"), m_goldPercent);
    form->addRow(tr("Strategy:"), m_strategy);
    form->addRow(buttons);
}

fa::TripletSampler::Options SampleTripletsDialog::options() const
{
    fa::TripletSampler::Options options;
    options.count = m_count->value();
    options.goldRate = m_goldPercent->value() / 100.0;
    options.strategy = fa::TripletSampler::Strategy(m_strategy->currentData().toInt());
    return options;
}

void SampleTripletsDialog::setOptions(const fa::TripletSampler::Options &options)
{
    m_count->setValue(options.count);
    m_goldPercent->setValue(options.goldRate * 100.0);
    m_strategy->setCurrentIndex(m_strategy->findData(int(options.strategy)));
}

} // namespace fa::ui
