#pragma once

#include "training/training_metrics.h"

#include <QColor>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

namespace fa::ui {

class MetricChart;

/// The Train workspace's chart grid: one MetricChart per quantity, and how a run's
/// metrics.jsonl lines become their curves.
///
/// Charts: training loss (+ validation loss dashed: MAE crops, renderer held-out rigs),
/// validation accuracy (triplet: overall solid, per type dashed/dotted), image quality
/// (renderer: PSNR in dB of held-out rigs solid, training rigs dotted), learning rate and
/// images/s. Curve keys are "RUN_DIR|suffix" (suffixes(): loss, val_loss, acc, acc:<type>,
/// psnr, train_psnr, lr, ips).
class MetricCharts : public QWidget
{
    Q_OBJECT
public:
    explicit MetricCharts(QWidget *parent = nullptr);

    /// Replaces the curves of one run from its logged metrics.
    void drawRun(const QString &runDir, const QString &label, const QColor &color,
                 const std::vector<fa::TrainingMetrics> &metrics);
    /// Keeps only the curves of these runs.
    void keepRuns(const QStringList &runDirs);
    void clearCurves();
    /// True when the run has curves drawn.
    bool hasRun(const QString &runDir) const;
    /// 0 (off) .. 0.999, every chart.
    void setSmoothing(double weight);
    double smoothing() const;

    static QStringList suffixes();

    MetricChart *lossChart() const { return m_loss; }
    MetricChart *accuracyChart() const { return m_accuracy; }
    MetricChart *psnrChart() const { return m_psnr; }
    MetricChart *learningRateChart() const { return m_learningRate; }
    MetricChart *throughputChart() const { return m_throughput; }
    /// Rig-decoder runs: held-out rig MSE per avatar (curve keys RUN|avatar:METRIC:AVATAR).
    MetricChart *avatarChart() const { return m_avatars; }

private:
    std::vector<MetricChart *> charts() const;

    MetricChart *m_loss;
    MetricChart *m_accuracy;
    MetricChart *m_psnr;
    MetricChart *m_learningRate;
    MetricChart *m_throughput;
    MetricChart *m_avatars;
};

} // namespace fa::ui
