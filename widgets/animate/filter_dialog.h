#pragma once

#include "animate/curve_filter.h"

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QSpinBox;
class QStackedWidget;

namespace fa::ui {

/// Asks for a smoothing filter for the selected keys: Butterworth (order, cutoff in Hz, zero
/// phase), One-Euro (min cutoff Hz, beta, derivative cutoff Hz) or Gaussian (sigma in frames).
/// Defaults are clip_smoothing.h's (Butterworth order 2 at 6 Hz, One-Euro 1.5/1.0/1.0) and a
/// Gaussian sigma of 2 frames. The cutoff is limited below the clip's Nyquist frequency.
class FilterDialog : public QDialog
{
    Q_OBJECT
public:
    explicit FilterDialog(double fps, QWidget *parent = nullptr);

    CurveFilter filter() const;
    void setFilter(const CurveFilter &filter);

private:
    QComboBox *m_kind;
    QStackedWidget *m_pages;
    QSpinBox *m_order;
    QDoubleSpinBox *m_cutoff;
    QDoubleSpinBox *m_minCutoff;
    QDoubleSpinBox *m_beta;
    QDoubleSpinBox *m_derivativeCutoff;
    QDoubleSpinBox *m_sigma;
};

} // namespace fa::ui
