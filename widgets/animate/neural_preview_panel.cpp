#include "animate/neural_preview_panel.h"

#include "training/neural_renderer_model.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPixmap>
#include <QPointer>
#include <QPushButton>
#include <QThreadPool>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace fa::ui {

NeuralPreviewPanel::NeuralPreviewPanel(QWidget *parent)
    : QWidget(parent)
    , m_runs(new QComboBox(this))
    , m_view(new QLabel(this))
    , m_status(new QLabel(this))
    , m_pool(new QThreadPool(this))
{
    m_pool->setMaxThreadCount(1);
    m_runs->setToolTip(tr("A neural renderer run of this project (Train: Neural renderer) to preview the rig with"));
    m_runs->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_runs->setMinimumContentsLength(12);
    auto *browse = new QPushButton(tr("Browse…"), this);
    browse->setToolTip(tr("Choose a renderer run folder"));
    m_view->setAlignment(Qt::AlignCenter);
    m_view->setMinimumSize(128, 128);
    m_view->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    m_view->setStyleSheet(QStringLiteral("background: #202328;"));
    m_status->setWordWrap(true);
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Neural preview:"), this));
    top->addWidget(m_runs, 1);
    top->addWidget(browse);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);
    fillRuns();

    connect(m_runs, &QComboBox::activated, this, [this](int index) { setRun(m_runs->itemData(index).toString(), true); });
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString start = m_projectDirectory.isEmpty() ? QString() : QDir(m_projectDirectory).filePath(QStringLiteral("runs"));
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose a Neural Renderer Run"), start);
        if (!dir.isEmpty())
            setRun(dir, true);
    });
}

NeuralPreviewPanel::~NeuralPreviewPanel()
{
    m_pool->waitForDone();
}

void NeuralPreviewPanel::setProject(const QString &projectDirectory, const QStringList &linkedRunFolders)
{
    m_projectDirectory = projectDirectory;
    m_linked = linkedRunFolders;
    fillRuns();
    // Keep the run shown when it is still listed; otherwise preview with the newest one.
    const QStringList runs = listedRuns();
    if (!runs.contains(m_runDir))
        setRun(runs.isEmpty() ? QString() : runs.last());
}

QStringList NeuralPreviewPanel::listedRuns() const
{
    QStringList runs;
    for (int i = 1; i < m_runs->count(); ++i)
        runs << m_runs->itemData(i).toString();
    return runs;
}

void NeuralPreviewPanel::fillRuns()
{
    const QSignalBlocker blocker(m_runs);
    m_runs->clear();
    m_runs->addItem(tr("None"), QString());
    QStringList runs = NeuralRendererModel::findRuns(m_projectDirectory, m_linked);
    if (!m_runDir.isEmpty() && !runs.contains(m_runDir))
        runs << m_runDir; // chosen with Browse…
    for (const QString &run : std::as_const(runs))
        m_runs->addItem(QFileInfo(run).fileName(), run);
    m_runs->setCurrentIndex(std::max(0, m_runs->findData(m_runDir)));
}

void NeuralPreviewPanel::setRun(const QString &runDir, bool userChoice)
{
    const QString dir = runDir.isEmpty() ? QString() : QFileInfo(runDir).absoluteFilePath();
    m_runDir = dir;
    m_model.reset();
    const quint64 generation = ++m_loadGeneration;
    fillRuns();
    if (dir.isEmpty()) {
        m_image = QImage();
        m_view->clear();
        m_status->setText(tr("No neural renderer: train one in the Train workspace (Neural renderer) to preview it here"));
        return;
    }
    m_status->setText(tr("Loading %1…").arg(QFileInfo(dir).fileName()));
    QPointer<NeuralPreviewPanel> self(this);
    const QFuture<void> future = QtConcurrent::run(m_pool, [self, dir, generation, userChoice] {
        QString error;
        std::shared_ptr<NeuralRendererModel> model(NeuralRendererModel::load(dir, QStringLiteral("cpu"), &error).release());
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, model, error, generation, userChoice] {
            if (!self || generation != self->m_loadGeneration)
                return;
            if (!model) {
                self->m_status->setText(error);
                if (userChoice)
                    QMessageBox::warning(self, tr("Neural Preview"), error);
                Q_EMIT self->loadFailed(error);
                return;
            }
            self->m_model = model;
            const RendererRunInfo &info = model->info();
            self->m_status->setText(tr("Renderer of %1, %2 px").arg(info.avatarName.isEmpty() ? tr("an avatar") : info.avatarName)
                                        .arg(info.imageSize));
            Q_EMIT self->modelLoaded();
            self->startNext();
        });
    });
    Q_UNUSED(future);
}

void NeuralPreviewPanel::requestRig(const QStringList &controlNames, const std::vector<float> &values)
{
    m_pending = Request{controlNames, values};
    startNext();
}

void NeuralPreviewPanel::startNext()
{
    if (m_busy || !m_model || !m_pending)
        return;
    const Request request = std::move(*m_pending);
    m_pending.reset();
    m_busy = true;
    std::shared_ptr<NeuralRendererModel> model = m_model;
    QPointer<NeuralPreviewPanel> self(this);
    const QFuture<void> future = QtConcurrent::run(m_pool, [self, model, request] {
        QString error;
        const QImage image = model->render(model->inputFor(request.names, request.values), &error);
        QMetaObject::invokeMethod(QCoreApplication::instance(), [self, model, image, error] {
            if (!self)
                return;
            self->m_busy = false;
            if (model == self->m_model) {
                if (image.isNull())
                    self->m_status->setText(error);
                else
                    self->showImage(image);
            }
            self->startNext();
        });
    });
    Q_UNUSED(future);
}

void NeuralPreviewPanel::showImage(const QImage &image)
{
    m_image = image;
    const int side = std::max(64, std::min(m_view->width(), m_view->height()));
    m_view->setPixmap(QPixmap::fromImage(image).scaled(side, side, Qt::KeepAspectRatio, Qt::SmoothTransformation));
    Q_EMIT imageUpdated();
}

QString NeuralPreviewPanel::statusText() const
{
    return m_status->text();
}

} // namespace fa::ui
