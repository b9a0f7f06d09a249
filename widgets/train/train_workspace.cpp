#include "train/train_workspace.h"

#include "jobs/job_manager.h"
#include "jobs/training_job.h"
#include "nn/device.h"
#include "project/project.h"
#include "train/checkpoint_panel.h"
#include "train/hyper_parameter_table.h"
#include "train/job_queue_view.h"
#include "train/metric_chart.h"
#include "train/metric_charts.h"
#include "train/run_form.h"
#include "train/samples_view.h"
#include "training/metrics_log.h"

#include <QCheckBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPalette>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <string>

namespace fa::ui {

namespace {

constexpr int kRunDirRole = Qt::UserRole + 1;
constexpr int kRedrawIntervalMs = 250;

QColor runColor(int index)
{
    // Matplotlib's / TensorBoard's categorical palette.
    static const QColor colors[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c),
                                    QColor(0xd6, 0x27, 0x28), QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                    QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f), QColor(0xbc, 0xbd, 0x22),
                                    QColor(0x17, 0xbe, 0xcf)};
    return colors[index % int(std::size(colors))];
}

QString normalRunDir(const QString &runDir)
{
    return QDir::cleanPath(QDir(runDir).absolutePath());
}

/// Appends `m`, dropping points of the same or later steps first (a resumed run logs again the
/// steps after its checkpoint).
void mergePoint(std::vector<fa::TrainingMetrics> &metrics, const fa::TrainingMetrics &m)
{
    while (!metrics.empty() && metrics.back().step >= m.step)
        metrics.pop_back();
    metrics.push_back(m);
}

QString autoDeviceDescription()
{
    std::string why;
    const c10::Device device = fa::nn::preferredDevice("auto", &why);
    return QString::fromStdString(fa::nn::deviceDescription(device));
}

} // namespace

TrainWorkspace::TrainWorkspace(QWidget *parent)
    : QWidget(parent)
    , m_form(new RunForm(this))
    , m_queue(new JobQueueView(this))
    , m_runs(new QListWidget(this))
    , m_tabs(new QTabWidget(this))
    , m_charts(new MetricCharts(this))
    , m_smoothing(new QSlider(Qt::Horizontal, this))
    , m_smoothingValue(new QLabel(this))
    , m_samples(new SamplesView(this))
    , m_comparison(new HyperParameterTable(this))
    , m_onlyDifferences(new QCheckBox(tr("Only differences"), this))
    , m_removeRun(new QPushButton(tr("Remove From List"), this))
    , m_checkpoints(new CheckpointPanel(this))
    , m_device(new QLabel(this))
    , m_redraw(new QTimer(this))
{
    // Left: new run, jobs, runs.
    auto *formBox = new QGroupBox(tr("New Run"), this);
    (new QVBoxLayout(formBox))->addWidget(m_form);
    auto *queueBox = new QGroupBox(tr("Jobs"), this);
    (new QVBoxLayout(queueBox))->addWidget(m_queue);
    auto *runsBox = new QGroupBox(tr("Runs (checked: overlaid in the charts)"), this);
    auto *addRun = new QPushButton(tr("Add Run Folder…"), runsBox);
    m_removeRun->setToolTip(tr("Stop listing this added run folder (its files stay)"));
    m_removeRun->setEnabled(false);
    auto *runButtons = new QHBoxLayout;
    runButtons->addWidget(addRun);
    runButtons->addWidget(m_removeRun);
    runButtons->addStretch(1);
    auto *runsLayout = new QVBoxLayout(runsBox);
    runsLayout->addWidget(m_runs);
    runsLayout->addLayout(runButtons);
    auto *left = new QSplitter(Qt::Vertical, this);
    left->addWidget(formBox);
    left->addWidget(queueBox);
    left->addWidget(runsBox);
    left->setStretchFactor(0, 3);
    left->setStretchFactor(1, 1);
    left->setStretchFactor(2, 1);

    // Right: charts, samples, comparison, checkpoints.
    auto *charts = new QWidget(this);
    m_smoothing->setRange(0, 999);
    m_smoothing->setToolTip(tr("Smoothing: TensorBoard's debiased exponential moving average weight"));
    auto *smoothingRow = new QHBoxLayout;
    smoothingRow->addWidget(new QLabel(tr("Smoothing:"), charts));
    smoothingRow->addWidget(m_smoothing, 1);
    smoothingRow->addWidget(m_smoothingValue);
    auto *chartsLayout = new QVBoxLayout(charts);
    chartsLayout->addLayout(smoothingRow);
    chartsLayout->addWidget(m_charts, 1);
    auto *compare = new QWidget(this);
    auto *compareLayout = new QVBoxLayout(compare);
    compareLayout->addWidget(m_onlyDifferences);
    compareLayout->addWidget(m_comparison, 1);
    m_tabs->addTab(charts, tr("Charts"));
    m_tabs->addTab(m_samples, tr("Samples"));
    m_tabs->addTab(compare, tr("Compare"));
    m_tabs->addTab(m_checkpoints, tr("Checkpoints"));
    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_tabs, 1);
    rightLayout->addWidget(m_device);

    // The left column scrolls rather than forcing a minimum window size (the form is tall).
    auto *leftScroll = new QScrollArea(this);
    leftScroll->setWidget(left);
    leftScroll->setWidgetResizable(true);
    leftScroll->setFrameShape(QFrame::NoFrame);
    leftScroll->setMinimumWidth(220);
    left->setMinimumHeight(700);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(leftScroll);
    split->addWidget(right);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 5);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    m_redraw->setInterval(kRedrawIntervalMs);
    m_redraw->setSingleShot(true);
    connect(m_redraw, &QTimer::timeout, this, &TrainWorkspace::refreshCharts);
    connect(m_smoothing, &QSlider::valueChanged, this, [this](int value) { setSmoothing(value / 1000.0); });
    connect(m_form, &RunForm::startRequested, this, [this](const fa::TrainingConfig &config) {
        QString error;
        if (!startRun(config, &error))
            QMessageBox::warning(this, tr("Start Training"), tr("The run could not be queued: %1").arg(error));
    });
    connect(m_runs, &QListWidget::currentItemChanged, this, &TrainWorkspace::onCurrentRunChanged);
    connect(m_runs, &QListWidget::itemChanged, this, &TrainWorkspace::onRunsChecked);
    connect(addRun, &QPushButton::clicked, this, &TrainWorkspace::addRunFolderWithDialog);
    connect(m_removeRun, &QPushButton::clicked, this, &TrainWorkspace::removeCurrentRunFolder);
    connect(m_queue, &JobQueueView::jobSelected, this, [this](qint64 id) {
        const fa::Job *job = m_manager ? m_manager->job(id) : nullptr;
        if (job)
            setCurrentRun(job->runDirectory());
    });
    connect(m_onlyDifferences, &QCheckBox::toggled, m_comparison, &HyperParameterTable::setOnlyDifferences);
    connect(m_checkpoints, &CheckpointPanel::resumeRequested, this, &TrainWorkspace::resumeRun);
    connect(m_checkpoints, &CheckpointPanel::newRunRequested, this, [this](const QString &checkpointDir) {
        m_form->setInit(checkpointDir);
        m_form->setFocus(Qt::OtherFocusReason);
    });
    connect(m_checkpoints, &CheckpointPanel::embeddingsComputed, this,
            [this](qint64 count) { Q_EMIT embeddingsComputed(count); });

    m_smoothing->setValue(600); // TensorBoard's default weight
    setSmoothing(0.6);
    setDeviceText(tr("Device: %1").arg(autoDeviceDescription()));
}

TrainWorkspace::~TrainWorkspace()
{
    // The studio closes: managers interrupt their running job and wait for its step (shutdown).
    // Their jobs' signals must no longer reach this half-destroyed widget.
    m_queue->setManager(nullptr);
    const QList<fa::JobManager *> managers = findChildren<fa::JobManager *>(QString(), Qt::FindDirectChildrenOnly);
    for (fa::JobManager *manager : managers) {
        detachManager(manager);
        delete manager;
    }
    m_manager = nullptr;
}

void TrainWorkspace::showError(const QString &title, const QString &text)
{
    // Window-modal but not blocking (open(), not exec()): training and the event loop go on.
    auto *box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    box->open();
}

void TrainWorkspace::setDeviceText(const QString &text)
{
    m_device->setText(text);
}

void TrainWorkspace::attachManager(fa::JobManager *manager)
{
    connect(manager, &fa::JobManager::jobAdded, this, &TrainWorkspace::onJobAdded);
    connect(manager, &fa::JobManager::jobRemoved, this, [this](qint64 id) {
        for (auto &[runDir, run] : m_runData) {
            if (run.jobId == id) {
                run.jobId = 0;
                if (QListWidgetItem *item = runItem(runDir))
                    item->setText(run.label);
            }
        }
        updateCheckpointActions();
    });
    connect(manager, &fa::JobManager::persistenceFailed, this, [this](const QString &error) {
        if (m_persistenceErrorShown) // once per project: the cause is the same each time
            return;
        m_persistenceErrorShown = true;
        showError(tr("Jobs"), tr("A job's state could not be saved in the project: %1").arg(error));
    });
    connect(manager, &fa::JobManager::jobFinished, this, [this](fa::Job *job) {
        if (job->state() == fa::JobState::Failed)
            showError(tr("Training"), tr("The job \"%1\" failed: %2").arg(job->title(), job->error()));
    });
}

void TrainWorkspace::detachManager(fa::JobManager *manager)
{
    disconnect(manager, nullptr, this, nullptr);
    for (fa::Job *job : manager->jobs())
        disconnect(job, nullptr, this, nullptr);
}

bool TrainWorkspace::setProjectDirectory(const QString &directory, QString *error)
{
    const QString dir = directory.isEmpty() ? QString() : normalRunDir(directory);
    if (m_manager && dir == m_projectDirectory)
        return true;
    if (fa::JobManager *old = m_manager) {
        m_manager = nullptr;
        detachManager(old);
        m_queue->setManager(nullptr);
        if (old->hasActiveJobs()) {
            // Let its running step end in the background; the job stays resumable.
            connect(old, &fa::JobManager::allStopped, old, &QObject::deleteLater);
            old->stopAll();
        } else {
            delete old;
        }
    }
    m_runs->clear();
    m_runData.clear();
    m_linkedRuns.clear();
    ++m_projectGeneration;
    m_nextColor = 0;
    m_persistenceErrorShown = false;
    m_charts->clearCurves();
    m_comparison->setRuns({});
    m_samples->setRun(QString());
    m_checkpoints->setRun(QString(), QString(), false);
    m_projectDirectory = dir;
    m_form->setProjectDirectory(dir);
    m_checkpoints->setProjectDirectory(dir);
    if (dir.isEmpty())
        return true;

    auto *manager = new fa::JobManager(this);
    attachManager(manager);
    if (!manager->openProject(dir, error)) {
        detachManager(manager);
        delete manager;
        m_projectDirectory.clear();
        m_form->setProjectDirectory(QString());
        m_checkpoints->setProjectDirectory(QString());
        m_runs->clear();
        m_runData.clear();
        return false;
    }
    m_manager = manager;
    m_queue->setManager(manager);
    scanRunsFolder();
    addLinkedRuns();
    if (m_runs->count() > 0) {
        QListWidgetItem *newest = m_runs->item(m_runs->count() - 1);
        newest->setCheckState(Qt::Checked);
        m_runs->setCurrentItem(newest);
    }
    return true;
}

QListWidgetItem *TrainWorkspace::runItem(const QString &runDir) const
{
    for (int i = 0; i < m_runs->count(); ++i) {
        if (m_runs->item(i)->data(kRunDirRole).toString() == runDir)
            return m_runs->item(i);
    }
    return nullptr;
}

TrainWorkspace::RunData &TrainWorkspace::addRun(const QString &runDir, const QString &label, qint64 jobId)
{
    auto it = m_runData.find(runDir);
    if (it == m_runData.end()) {
        RunData run;
        run.label = label;
        run.color = runColor(m_nextColor++);
        run.jobId = jobId;
        it = m_runData.emplace(runDir, std::move(run)).first;
        auto *item = new QListWidgetItem(label);
        item->setData(kRunDirRole, runDir);
        item->setToolTip(QDir::toNativeSeparators(runDir));
        item->setForeground(it->second.color);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        const QSignalBlocker blocker(m_runs);
        item->setCheckState(Qt::Unchecked);
        m_runs->addItem(item);
    } else if (jobId) {
        it->second.jobId = jobId;
    }
    return it->second;
}

void TrainWorkspace::onJobAdded(fa::Job *job)
{
    const QString runDir = normalRunDir(job->runDirectory());
    RunData &run = addRun(runDir, job->title(), job->id());
    run.label = job->title();
    run.kind = job->kind();
    auto updateItem = [this, job, runDir] {
        if (QListWidgetItem *item = runItem(runDir)) {
            const QSignalBlocker blocker(m_runs);
            item->setText(QStringLiteral("%1 — %2").arg(job->title(), fa::jobStateLabel(job->state())));
        }
        if (runDir == currentRun())
            updateCheckpointActions();
    };
    updateItem();
    connect(job, &fa::Job::stateChanged, this, updateItem);
    auto *training = qobject_cast<fa::TrainingJob *>(job);
    if (!training)
        return;
    run.config = training->config();
    run.haveConfig = true;
    connect(training, &fa::TrainingJob::metricsLogged, this,
            [this, runDir](const fa::TrainingMetrics &metrics) { onMetrics(runDir, metrics); });
    connect(training, &fa::TrainingJob::samplesReady, this, [this, runDir](const fa::TrainingSamples &samples) {
        if (runDir == currentRun())
            m_samples->addSamples(samples);
    });
    connect(training, &fa::TrainingJob::checkpointWritten, this, [this, runDir] {
        if (runDir == currentRun())
            m_checkpoints->refresh();
    });
    connect(training, &fa::TrainingJob::deviceKnown, this,
            [this](const QString &device) { setDeviceText(tr("Training on: %1").arg(device)); });
    connect(training, &fa::Job::finished, this, [this, runDir] {
        if (runDir == currentRun())
            m_checkpoints->refresh();
    });
}

void TrainWorkspace::scanRunsFolder()
{
    const QDir runs(QDir(m_projectDirectory).filePath(QStringLiteral("runs")));
    const QFileInfoList folders = runs.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Time | QDir::Reversed);
    for (const QFileInfo &folder : folders) {
        const QString runDir = normalRunDir(folder.absoluteFilePath());
        if (!m_runData.count(runDir) && QFileInfo::exists(folder.absoluteFilePath() + QStringLiteral("/config.yaml")))
            addRun(runDir, folder.fileName(), 0);
    }
}

void TrainWorkspace::addLinkedRuns()
{
    m_linkedRuns = m_manager->project()->linkedRunFolders();
    for (const QString &folder : std::as_const(m_linkedRuns)) {
        const QString runDir = normalRunDir(folder);
        if (m_runData.count(runDir))
            continue;
        if (QFileInfo::exists(runDir + QStringLiteral("/config.yaml"))) {
            addRun(runDir, QFileInfo(runDir).fileName(), 0);
            continue;
        }
        // Kept on the list (a drive may come back); not a run until it does.
        auto *item = new QListWidgetItem(tr("%1 (missing)").arg(QFileInfo(runDir).fileName()));
        item->setData(kRunDirRole, runDir);
        item->setToolTip(tr("%1: the run folder is missing").arg(QDir::toNativeSeparators(runDir)));
        item->setForeground(palette().color(QPalette::Disabled, QPalette::Text));
        item->setFlags(item->flags() & ~Qt::ItemIsUserCheckable);
        const QSignalBlocker blocker(m_runs);
        m_runs->addItem(item);
    }
}

bool TrainWorkspace::addRunFolder(const QString &runDir, QString *error)
{
    const QString dir = normalRunDir(runDir);
    if (!QFileInfo::exists(dir + QStringLiteral("/config.yaml"))) {
        if (error)
            *error = tr("%1: not a run folder (no config.yaml)").arg(QDir::toNativeSeparators(dir));
        return false;
    }
    const QString projectRuns = normalRunDir(QDir(m_projectDirectory).filePath(QStringLiteral("runs")));
    const bool inProject = QFileInfo(dir).absolutePath() == projectRuns;
    if (m_manager && !inProject && !m_linkedRuns.contains(dir)) {
        if (!m_manager->project()->linkRunFolder(dir, error))
            return false;
        m_linkedRuns.append(dir);
    }
    addRun(dir, QFileInfo(dir).fileName(), 0);
    setRunChecked(dir, true);
    updateCheckpointActions();
    return true;
}

bool TrainWorkspace::isLinkedRun(const QString &runDir) const
{
    return m_linkedRuns.contains(normalRunDir(runDir));
}

bool TrainWorkspace::removeRunFolder(const QString &runDir, QString *error)
{
    const QString dir = normalRunDir(runDir);
    if (!m_manager || !m_linkedRuns.contains(dir)) {
        if (error)
            *error = tr("%1 is not an added run folder").arg(QDir::toNativeSeparators(dir));
        return false;
    }
    if (!m_manager->project()->unlinkRunFolder(dir, error))
        return false;
    m_linkedRuns.removeAll(dir);
    const auto it = m_runData.find(dir);
    if (it != m_runData.end() && it->second.jobId) // also a job's folder: it stays listed
        return true;
    if (it != m_runData.end())
        m_runData.erase(it);
    delete runItem(dir); // -> currentItemChanged
    onRunsChecked();
    return true;
}

void TrainWorkspace::removeCurrentRunFolder()
{
    QString error;
    if (!removeRunFolder(currentRun(), &error))
        QMessageBox::warning(this, tr("Remove Run Folder"), error);
}

void TrainWorkspace::addRunFolderWithDialog()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Add Run Folder"), m_projectDirectory);
    if (dir.isEmpty())
        return;
    QString error;
    if (!addRunFolder(dir, &error))
        QMessageBox::warning(this, tr("Add Run Folder"), error);
}

std::optional<qint64> TrainWorkspace::startRun(const fa::TrainingConfig &config, QString *error)
{
    if (!m_manager) {
        if (error)
            *error = tr("no project is open");
        return std::nullopt;
    }
    const QString name = QStringLiteral("%1-%2-%3")
                             .arg(config.kind, config.preset,
                                  QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    const std::optional<qint64> id = m_manager->enqueue(config.kind, fa::TrainingJob::titleFor(config),
                                                        QString::fromUtf8(config.toYaml()), config.steps, error, name);
    if (!id)
        return std::nullopt;
    const QString runDir = normalRunDir(m_manager->job(*id)->runDirectory());
    setRunChecked(runDir, true);
    setCurrentRun(runDir);
    m_queue->selectJob(*id);
    return id;
}

void TrainWorkspace::setCurrentRun(const QString &runDir)
{
    if (QListWidgetItem *item = runItem(normalRunDir(runDir)))
        m_runs->setCurrentItem(item);
}

QString TrainWorkspace::currentRun() const
{
    const QListWidgetItem *item = m_runs->currentItem();
    return item ? item->data(kRunDirRole).toString() : QString();
}

void TrainWorkspace::setRunChecked(const QString &runDir, bool checked)
{
    if (QListWidgetItem *item = runItem(normalRunDir(runDir)))
        item->setCheckState(checked ? Qt::Checked : Qt::Unchecked); // -> onRunsChecked
}

QStringList TrainWorkspace::checkedRuns() const
{
    QStringList runs;
    for (int i = 0; i < m_runs->count(); ++i) {
        if (m_runs->item(i)->checkState() == Qt::Checked)
            runs.append(m_runs->item(i)->data(kRunDirRole).toString());
    }
    return runs;
}

std::vector<fa::TrainingMetrics> TrainWorkspace::runMetrics(const QString &runDir) const
{
    const auto it = m_runData.find(normalRunDir(runDir));
    return it == m_runData.end() ? std::vector<fa::TrainingMetrics>() : it->second.metrics;
}

void TrainWorkspace::onCurrentRunChanged()
{
    const QString runDir = currentRun();
    m_samples->setRun(runDir);
    const auto it = m_runData.find(runDir);
    if (it != m_runData.end() && it->second.kind.isEmpty()) {
        loadRun(runDir, it->second);
    }
    m_checkpoints->setRun(runDir, it == m_runData.end() ? QString() : it->second.kind, false);
    updateCheckpointActions();
    if (it != m_runData.end() && it->second.jobId && m_queue->selectedJobId() != it->second.jobId)
        m_queue->selectJob(it->second.jobId);
}

void TrainWorkspace::updateCheckpointActions()
{
    m_removeRun->setEnabled(isLinkedRun(currentRun()));
    const auto it = m_runData.find(currentRun());
    const fa::Job *job = (it != m_runData.end() && m_manager) ? m_manager->job(it->second.jobId) : nullptr;
    m_checkpoints->setResumable(job && !m_manager->isForeign(job->id())
                                && fa::jobStateIsResumable(job->state()));
}

void TrainWorkspace::resumeRun(const QString &runDir)
{
    const auto it = m_runData.find(runDir);
    QString error;
    if (!m_manager || it == m_runData.end() || !it->second.jobId) {
        error = tr("%1 is not a job of this project").arg(QDir::toNativeSeparators(runDir));
    } else if (m_manager->resume(it->second.jobId, &error)) {
        updateCheckpointActions();
        return;
    }
    QMessageBox::warning(this, tr("Resume Run"), tr("The run cannot be resumed: %1").arg(error));
}

void TrainWorkspace::loadRun(const QString &runDir, RunData &run)
{
    if (!run.haveConfig) {
        QString ignored; // a run folder without a readable config.yaml is compared without one
        if (std::optional<fa::TrainingConfig> config =
                fa::TrainingConfig::fromYamlFile(QDir(runDir).filePath(QStringLiteral("config.yaml")), &ignored)) {
            run.config = *config;
            run.haveConfig = true;
        }
    }
    if (run.kind.isEmpty() && run.haveConfig)
        run.kind = run.config.kind;
    if (run.loaded)
        return;
    run.loaded = true;
    // The history is read off the GUI thread (a 100,000-step metrics.jsonl takes ~0.25 s to
    // parse: bench_run_history); points that arrive live meanwhile are merged after its lines.
    using History = std::vector<fa::TrainingMetrics>;
    auto *watcher = new QFutureWatcher<History>(this);
    const quint64 generation = m_projectGeneration;
    connect(watcher, &QFutureWatcher<History>::finished, this, [this, watcher, runDir, generation] {
        watcher->deleteLater();
        const auto it = m_runData.find(runDir);
        if (generation != m_projectGeneration || it == m_runData.end())
            return; // another project, or the run was taken off the list
        RunData &loaded = it->second;
        std::vector<fa::TrainingMetrics> live = std::move(loaded.metrics);
        loaded.metrics = watcher->result();
        for (const fa::TrainingMetrics &m : live)
            mergePoint(loaded.metrics, m);
        loaded.dirty = true;
        refreshCharts();
    });
    const QString path = QDir(runDir).filePath(QStringLiteral("metrics.jsonl"));
    watcher->setFuture(QtConcurrent::run([path] {
        History history;
        for (const fa::TrainingMetrics &m : fa::MetricsLog::readFile(path))
            mergePoint(history, m);
        return history;
    }));
}

void TrainWorkspace::onMetrics(const QString &runDir, const fa::TrainingMetrics &metrics)
{
    auto it = m_runData.find(runDir);
    if (it == m_runData.end())
        return;
    RunData &run = it->second;
    if (!run.loaded)
        loadRun(runDir, run);
    mergePoint(run.metrics, metrics);
    run.dirty = true;
    if (!m_redraw->isActive())
        m_redraw->start();
}

void TrainWorkspace::onRunsChecked()
{
    const QStringList checked = checkedRuns();
    for (const QString &runDir : checked) {
        auto it = m_runData.find(runDir);
        if (it != m_runData.end() && !m_charts->hasRun(runDir))
            it->second.dirty = true;
    }
    m_charts->keepRuns(checked);
    updateComparison();
    refreshCharts();
}

void TrainWorkspace::updateComparison()
{
    std::vector<HyperParameterTable::Run> runs;
    for (const QString &runDir : checkedRuns()) {
        RunData &run = m_runData[runDir];
        loadRun(runDir, run);
        if (run.haveConfig)
            runs.push_back({run.label, run.color, run.config});
    }
    m_comparison->setRuns(runs);
}

void TrainWorkspace::setSmoothing(double weight)
{
    m_charts->setSmoothing(weight);
    m_smoothingValue->setText(QString::number(m_charts->smoothing(), 'f', 3));
    const int slider = qRound(m_charts->smoothing() * 1000);
    if (m_smoothing->value() != slider) {
        const QSignalBlocker blocker(m_smoothing);
        m_smoothing->setValue(slider);
    }
}

void TrainWorkspace::refreshCharts()
{
    m_redraw->stop();
    for (const QString &runDir : checkedRuns()) {
        auto it = m_runData.find(runDir);
        if (it == m_runData.end())
            continue;
        RunData &run = it->second;
        if (!run.loaded)
            loadRun(runDir, run);
        if (!run.dirty)
            continue;
        drawRun(runDir, run);
        run.dirty = false;
    }
}

MetricChart *TrainWorkspace::lossChart() const
{
    return m_charts->lossChart();
}

MetricChart *TrainWorkspace::accuracyChart() const
{
    return m_charts->accuracyChart();
}

MetricChart *TrainWorkspace::psnrChart() const
{
    return m_charts->psnrChart();
}

MetricChart *TrainWorkspace::learningRateChart() const
{
    return m_charts->learningRateChart();
}

MetricChart *TrainWorkspace::throughputChart() const
{
    return m_charts->throughputChart();
}

void TrainWorkspace::drawRun(const QString &runDir, RunData &run)
{
    m_charts->drawRun(runDir, run.label, run.color, run.metrics);
}

} // namespace fa::ui
