#include "animate/filter_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace fa::ui {

namespace {

QDoubleSpinBox *spin(QWidget *parent, double lo, double hi, double step, int decimals, const QString &suffix)
{
    auto *box = new QDoubleSpinBox(parent);
    box->setRange(lo, hi);
    box->setSingleStep(step);
    box->setDecimals(decimals);
    box->setSuffix(suffix);
    return box;
}

} // namespace

FilterDialog::FilterDialog(double fps, QWidget *parent)
    : QDialog(parent), m_kind(new QComboBox(this)), m_pages(new QStackedWidget(this)),
      m_order(new QSpinBox(this)),
      m_cutoff(spin(this, 0.1, std::max(0.2, 0.49 * fps), 0.5, 2, QStringLiteral(" Hz"))),
      m_minCutoff(spin(this, 0.01, 30.0, 0.1, 2, QStringLiteral(" Hz"))),
      m_beta(spin(this, 0.0, 100.0, 0.1, 3, QString())),
      m_derivativeCutoff(spin(this, 0.01, 30.0, 0.1, 2, QStringLiteral(" Hz"))),
      m_sigma(spin(this, 0.1, 100.0, 0.5, 2, tr(" frames")))
{
    setWindowTitle(tr("Smooth Keys"));
    m_kind->addItem(tr("Butterworth (zero phase)"), int(CurveFilter::Kind::Butterworth));
    m_kind->addItem(tr("One-Euro"), int(CurveFilter::Kind::OneEuro));
    m_kind->addItem(tr("Gaussian"), int(CurveFilter::Kind::Gaussian));
    m_order->setRange(1, 8);

    auto *butterworth = new QWidget(m_pages);
    auto *bForm = new QFormLayout(butterworth);
    bForm->addRow(tr("Order:"), m_order);
    bForm->addRow(tr("Cutoff:"), m_cutoff);
    auto *oneEuro = new QWidget(m_pages);
    auto *oForm = new QFormLayout(oneEuro);
    oForm->addRow(tr("Minimum cutoff:"), m_minCutoff);
    oForm->addRow(tr("Beta:"), m_beta);
    oForm->addRow(tr("Derivative cutoff:"), m_derivativeCutoff);
    auto *gaussian = new QWidget(m_pages);
    auto *gForm = new QFormLayout(gaussian);
    gForm->addRow(tr("Sigma:"), m_sigma);
    m_pages->addWidget(butterworth);
    m_pages->addWidget(oneEuro);
    m_pages->addWidget(gaussian);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto *layout = new QVBoxLayout(this);
    auto *top = new QFormLayout;
    top->addRow(tr("Filter:"), m_kind);
    layout->addLayout(top);
    layout->addWidget(m_pages);
    layout->addWidget(buttons);
    connect(m_kind, &QComboBox::currentIndexChanged, m_pages, &QStackedWidget::setCurrentIndex);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setFilter(CurveFilter());
}

CurveFilter FilterDialog::filter() const
{
    CurveFilter f;
    f.kind = CurveFilter::Kind(m_kind->currentData().toInt());
    f.butterworthOrder = m_order->value();
    f.cutoffHz = m_cutoff->value();
    f.oneEuro = {m_minCutoff->value(), m_beta->value(), m_derivativeCutoff->value()};
    f.gaussianSigmaFrames = m_sigma->value();
    return f;
}

void FilterDialog::setFilter(const CurveFilter &filter)
{
    m_kind->setCurrentIndex(m_kind->findData(int(filter.kind)));
    m_pages->setCurrentIndex(m_kind->currentIndex());
    m_order->setValue(filter.butterworthOrder);
    m_cutoff->setValue(filter.cutoffHz);
    m_minCutoff->setValue(filter.oneEuro.minCutoff);
    m_beta->setValue(filter.oneEuro.beta);
    m_derivativeCutoff->setValue(filter.oneEuro.derivativeCutoff);
    m_sigma->setValue(filter.gaussianSigmaFrames);
}

} // namespace fa::ui
