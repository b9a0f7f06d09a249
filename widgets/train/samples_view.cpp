#include "train/samples_view.h"

#include "jobs/training_samples_folder.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPixmap>
#include <QScrollArea>
#include <QVBoxLayout>

#include <cmath>
#include <set>

namespace fa::ui {

namespace {
constexpr int kTileSize = 128;
constexpr size_t kLiveKept = 4;
} // namespace

SamplesView::SamplesView(QWidget *parent)
    : QWidget(parent)
    , m_step(new QComboBox(this))
    , m_message(new QLabel(this))
    , m_scroll(new QScrollArea(this))
    , m_grid(new QWidget)
    , m_gridLayout(new QGridLayout(m_grid))
{
    m_scroll->setWidget(m_grid);
    m_scroll->setWidgetResizable(true);
    m_gridLayout->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_message->setWordWrap(true);
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Step:"), this));
    top->addWidget(m_step);
    top->addWidget(m_message, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_scroll, 1);
    connect(m_step, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (m_filling || index < 0)
            return;
        m_followNewest = index == m_step->count() - 1;
        showStep(m_step->itemData(index).toLongLong());
    });
    setRun(QString());
}

void SamplesView::setRun(const QString &runDir)
{
    if (runDir != m_runDir)
        m_live.clear();
    m_runDir = runDir;
    m_followNewest = true;
    fillSteps();
}

std::vector<qint64> SamplesView::steps() const
{
    std::set<qint64> all;
    if (!m_runDir.isEmpty()) {
        for (qint64 step : fa::TrainingSamplesFolder::steps(m_runDir))
            all.insert(step);
    }
    for (const auto &entry : m_live)
        all.insert(entry.first);
    return std::vector<qint64>(all.begin(), all.end());
}

void SamplesView::fillSteps()
{
    const std::vector<qint64> all = steps();
    const qint64 current = currentStep();
    m_filling = true;
    m_step->clear();
    for (qint64 step : all)
        m_step->addItem(QString::number(step), step);
    m_filling = false;
    if (all.empty()) {
        clearGrid();
        m_message->setText(m_runDir.isEmpty() ? tr("Select a run to see its samples.")
                                              : tr("No samples yet: a run writes them every sample_every steps."));
        return;
    }
    const qint64 wanted = m_followNewest || current < 0 ? all.back() : current;
    const int index = m_step->findData(wanted);
    m_filling = true;
    m_step->setCurrentIndex(index >= 0 ? index : m_step->count() - 1);
    m_filling = false;
    showStep(m_step->currentData().toLongLong());
}

void SamplesView::addSamples(const fa::TrainingSamples &samples)
{
    m_live[samples.step] = samples;
    while (m_live.size() > kLiveKept)
        m_live.erase(m_live.begin());
    if (m_followNewest) {
        fillSteps();
    } else {
        m_filling = true;
        if (m_step->findData(samples.step) < 0)
            m_step->addItem(QString::number(samples.step), samples.step);
        m_filling = false;
    }
}

qint64 SamplesView::currentStep() const
{
    return m_step->currentIndex() >= 0 ? m_step->currentData().toLongLong() : -1;
}

void SamplesView::showStep(qint64 step)
{
    const int index = m_step->findData(step);
    if (index >= 0 && index != m_step->currentIndex()) {
        m_filling = true;
        m_step->setCurrentIndex(index);
        m_filling = false;
    }
    const auto live = m_live.find(step);
    if (live != m_live.end()) {
        display(live->second);
        return;
    }
    QString error;
    const std::optional<fa::TrainingSamples> samples = fa::TrainingSamplesFolder::read(m_runDir, step, &error);
    if (!samples) {
        clearGrid();
        m_message->setText(error);
        return;
    }
    display(*samples);
}

void SamplesView::clearGrid()
{
    while (QLayoutItem *item = m_gridLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_imageCount = 0;
}

QLabel *SamplesView::imageLabel(const QImage &image, const QString &caption)
{
    auto *label = new QLabel(m_grid);
    if (!image.isNull()) {
        label->setPixmap(QPixmap::fromImage(
            image.scaled(kTileSize, kTileSize, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
        ++m_imageCount;
    }
    label->setToolTip(caption);
    label->setAlignment(Qt::AlignCenter);
    return label;
}

void SamplesView::display(const fa::TrainingSamples &samples)
{
    clearGrid();
    int row = 0;
    // Rows of images under one header row (reconstructions, renders).
    auto addRows = [&](const QStringList &headers, const std::vector<std::vector<QImage>> &rows) {
        if (rows.empty())
            return;
        for (int c = 0; c < headers.size(); ++c)
            m_gridLayout->addWidget(new QLabel(QStringLiteral("<b>%1</b>").arg(headers[c]), m_grid), row, c,
                                    Qt::AlignCenter);
        ++row;
        for (const std::vector<QImage> &images : rows) {
            for (int c = 0; c < int(images.size()) && c < headers.size(); ++c)
                m_gridLayout->addWidget(imageLabel(images[size_t(c)], headers[c]), row, c);
            ++row;
        }
    };
    std::vector<std::vector<QImage>> reconstructions;
    for (const fa::ReconstructionSample &r : samples.reconstructions)
        reconstructions.push_back({r.masked, r.prediction, r.target});
    addRows({tr("Masked input"), tr("Prediction"), tr("Target")}, reconstructions);
    std::vector<std::vector<QImage>> renders;
    for (const fa::RenderSample &r : samples.renders)
        renders.push_back({r.real, r.neural, r.difference});
    addRows({tr("Render (held-out rig)"), tr("Neural render"), tr("Difference (x4)")}, renders);
    if (!samples.neighbours.empty()) {
        m_gridLayout->addWidget(new QLabel(tr("<b>Query</b>"), m_grid), row, 0, Qt::AlignCenter);
        m_gridLayout->addWidget(new QLabel(tr("<b>Nearest faces (embedding distance)</b>"), m_grid), row, 1, 1, -1,
                                Qt::AlignLeft);
        ++row;
        for (const fa::NeighbourSample &n : samples.neighbours) {
            m_gridLayout->addWidget(imageLabel(n.query, tr("Query")), row, 0);
            for (size_t j = 0; j < n.neighbours.size(); ++j) {
                const double d = j < n.distances.size() ? n.distances[j] : std::nan("");
                const QString text = std::isfinite(d) ? QStringLiteral("%1").arg(d, 0, 'f', 3) : QStringLiteral("?");
                auto *cell = new QWidget(m_grid);
                auto *box = new QVBoxLayout(cell);
                box->setContentsMargins(0, 0, 0, 0);
                box->addWidget(imageLabel(n.neighbours[j], tr("Neighbour %1, distance %2").arg(j + 1).arg(text)));
                box->addWidget(new QLabel(text, cell), 0, Qt::AlignCenter);
                m_gridLayout->addWidget(cell, row, int(j) + 1);
            }
            ++row;
        }
    }
    m_message->setText(row == 0 ? tr("Step %1 has no images.").arg(samples.step)
                                : tr("Samples of step %1").arg(samples.step));
}

} // namespace fa::ui
