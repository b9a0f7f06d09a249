#include "train/metric_charts.h"

#include "train/metric_chart.h"

#include <QGridLayout>

#include <map>

namespace fa::ui {

MetricCharts::MetricCharts(QWidget *parent)
    : QWidget(parent)
    , m_loss(new MetricChart(tr("Training loss"), tr("loss"), this))
    , m_accuracy(new MetricChart(tr("Validation accuracy"), tr("accuracy"), this))
    , m_psnr(new MetricChart(tr("Image quality (renderer)"), tr("PSNR, dB"), this))
    , m_learningRate(new MetricChart(tr("Learning rate"), tr("lr"), this))
    , m_throughput(new MetricChart(tr("Throughput"), tr("images/s"), this))
    , m_avatars(new MetricChart(tr("Held-out rig error per avatar (rig decoder)"), tr("rig MSE"), this))
{
    m_accuracy->setValueRange(0, 1);
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(m_loss, 0, 0);
    grid->addWidget(m_accuracy, 0, 1);
    grid->addWidget(m_psnr, 0, 2);
    grid->addWidget(m_learningRate, 1, 0);
    grid->addWidget(m_throughput, 1, 1);
    grid->addWidget(m_avatars, 1, 2);
}

std::vector<MetricChart *> MetricCharts::charts() const
{
    return {m_loss, m_accuracy, m_psnr, m_learningRate, m_throughput, m_avatars};
}

QStringList MetricCharts::suffixes()
{
    return {QStringLiteral("loss"), QStringLiteral("val_loss"), QStringLiteral("acc"),
            QStringLiteral("acc:one_class"), QStringLiteral("acc:two_class"), QStringLiteral("acc:three_class"),
            QStringLiteral("psnr"), QStringLiteral("train_psnr"), QStringLiteral("lr"), QStringLiteral("ips")};
}

void MetricCharts::drawRun(const QString &runDir, const QString &label, const QColor &color,
                           const std::vector<fa::TrainingMetrics> &metrics)
{
    const QString key = runDir + QLatin1Char('|');
    MetricChart::Curve loss{label, color, Qt::SolidLine, true, {}, {}};
    MetricChart::Curve validationLoss{tr("%1 (validation)").arg(label), color, Qt::DashLine, true, {}, {}};
    MetricChart::Curve accuracy{label, color, Qt::SolidLine, true, {}, {}};
    MetricChart::Curve psnr{tr("%1 (held out)").arg(label), color, Qt::SolidLine, true, {}, {}};
    MetricChart::Curve trainPsnr{tr("%1 (training rigs)").arg(label), color, Qt::DotLine, true, {}, {}};
    MetricChart::Curve lr{label, color, Qt::SolidLine, false, {}, {}};
    MetricChart::Curve throughput{label, color, Qt::SolidLine, true, {}, {}};
    const QStringList types = {QStringLiteral("one_class"), QStringLiteral("two_class"), QStringLiteral("three_class")};
    const Qt::PenStyle typeStyles[] = {Qt::DashLine, Qt::DotLine, Qt::DashDotLine};
    std::vector<MetricChart::Curve> byType;
    for (int t = 0; t < types.size(); ++t)
        byType.push_back({QStringLiteral("%1 %2").arg(label, types[t]), color, typeStyles[t], true, {}, {}});

    auto add = [](MetricChart::Curve &curve, double step, double value) {
        curve.steps.push_back(step);
        curve.values.push_back(value);
    };
    for (MetricChart::Curve *c : {&loss, &lr, &throughput}) {
        c->steps.reserve(metrics.size());
        c->values.reserve(metrics.size());
    }
    for (const fa::TrainingMetrics &m : metrics) {
        const double step = double(m.step);
        add(loss, step, m.loss);
        add(lr, step, m.learningRate);
        add(throughput, step, m.imagesPerSecond);
        if (m.validationLoss)
            add(validationLoss, step, *m.validationLoss);
        if (m.validationAccuracy)
            add(accuracy, step, *m.validationAccuracy);
        if (m.validationPsnr)
            add(psnr, step, *m.validationPsnr);
        if (m.trainPsnr)
            add(trainPsnr, step, *m.trainPsnr);
        for (int t = 0; t < types.size(); ++t) {
            const auto found = m.validationAccuracyByType.find(types[t]);
            if (found != m.validationAccuracyByType.end())
                add(byType[size_t(t)], step, found->second);
        }
    }
    m_loss->setCurve(key + QStringLiteral("loss"), loss);
    if (!validationLoss.values.empty())
        m_loss->setCurve(key + QStringLiteral("val_loss"), validationLoss);
    if (!accuracy.values.empty())
        m_accuracy->setCurve(key + QStringLiteral("acc"), accuracy);
    for (int t = 0; t < types.size(); ++t) {
        if (!byType[size_t(t)].values.empty())
            m_accuracy->setCurve(key + QStringLiteral("acc:") + types[t], byType[size_t(t)]);
    }
    if (!psnr.values.empty())
        m_psnr->setCurve(key + QStringLiteral("psnr"), psnr);
    if (!trainPsnr.values.empty())
        m_psnr->setCurve(key + QStringLiteral("train_psnr"), trainPsnr);
    // Rig decoders: each avatar's held-out rig MSE on real frames (solid) and on renders (dashed).
    std::map<QString, MetricChart::Curve> avatarCurves;
    for (const fa::TrainingMetrics &m : metrics)
        for (const auto &[name, value] : m.avatarScores) {
            const QString metric = name.section(QLatin1Char(':'), 0, 0);
            if (metric != QLatin1String("rig_mse") && metric != QLatin1String("render_rig_mse"))
                continue;
            MetricChart::Curve &curve = avatarCurves[name];
            if (curve.name.isEmpty())
                curve = {QStringLiteral("%1 %2%3").arg(label, name.section(QLatin1Char(':'), 1),
                                                     metric == QLatin1String("render_rig_mse") ? tr(" (renders)") : QString()),
                         color, metric == QLatin1String("render_rig_mse") ? Qt::DashLine : Qt::SolidLine, true, {}, {}};
            add(curve, double(m.step), value);
        }
    for (const auto &[name, curve] : avatarCurves)
        m_avatars->setCurve(key + QStringLiteral("avatar:") + name, curve);
    m_learningRate->setCurve(key + QStringLiteral("lr"), lr);
    m_throughput->setCurve(key + QStringLiteral("ips"), throughput);
}

void MetricCharts::keepRuns(const QStringList &runDirs)
{
    QStringList keep;
    for (const QString &runDir : runDirs)
        for (const QString &suffix : suffixes())
            keep.append(runDir + QLatin1Char('|') + suffix);
    // The per-avatar curves are named by the run's avatars.
    for (const QString &curve : m_avatars->curveKeys())
        for (const QString &runDir : runDirs)
            if (curve.startsWith(runDir + QStringLiteral("|avatar:")))
                keep.append(curve);
    for (MetricChart *chart : charts())
        chart->keepCurves(keep);
}

void MetricCharts::clearCurves()
{
    for (MetricChart *chart : charts())
        chart->clearCurves();
}

bool MetricCharts::hasRun(const QString &runDir) const
{
    return m_loss->curveKeys().contains(runDir + QStringLiteral("|loss"));
}

void MetricCharts::setSmoothing(double weight)
{
    for (MetricChart *chart : charts())
        chart->setSmoothing(weight);
}

double MetricCharts::smoothing() const
{
    return m_loss->smoothing();
}

} // namespace fa::ui
