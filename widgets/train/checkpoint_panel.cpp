#include "train/checkpoint_panel.h"

#include "training/checkpoint.h"
#include "training/encoder_diagnosis.h"
#include "training/project_embeddings.h"
#include "training/triplet_evaluation.h"
#include "training/triplet_dataset.h"

#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>
#include <exception>

namespace fa::ui {

namespace {
constexpr int kDirRole = Qt::UserRole + 1;

QString percent(double value)
{
    return std::isfinite(value) ? QStringLiteral("%1 %").arg(value * 100, 0, 'f', 1) : QStringLiteral("–");
}

QString correlation(double r)
{
    return std::isfinite(r) ? QString::number(r, 'f', 2) : QStringLiteral("–");
}

/// The Diagnose Encoder summary: the probes of both spaces and what they say.
QString diagnosisText(const QString &checkpoint, const fa::EncoderDiagnosis &d)
{
    const double chance = 1.0 / double(d.videos.size());
    QString text = CheckpointPanel::tr("Checkpoint %1 on %2 videos: expression probes on held-out people, mean r %3 "
                                       "(pooled feature) and %4 (embedding); people told apart in %5 and %6 of frames "
                                       "(chance %7).")
                       .arg(checkpoint)
                       .arg(d.videos.size())
                       .arg(correlation(d.feature.meanR), correlation(d.embedding.meanR),
                            percent(d.feature.identityAccuracy), percent(d.embedding.identityAccuracy), percent(chance));
    const bool expression = d.feature.meanR >= 0.3;
    const bool identity = d.feature.identityAccuracy > std::min(0.95, 2.0 * chance);
    text += QLatin1Char(' ')
            + (expression && !identity ? CheckpointPanel::tr("The space follows expressions: worth training a rig decoder on.")
               : identity && !expression
                   ? CheckpointPanel::tr("The space is dominated by identity: a rig decoder trained on it will learn "
                                         "who the actor is rather than what the face does.")
                   : CheckpointPanel::tr("Mixed: check the channels that matter with freeavatar eval-encoder --json."));
    return text;
}
} // namespace

CheckpointPanel::CheckpointPanel(QWidget *parent)
    : QWidget(parent)
    , m_table(new QTableWidget(this))
    , m_resume(new QPushButton(tr("Resume Run"), this))
    , m_newRun(new QPushButton(tr("New Run From Checkpoint"), this))
    , m_evaluate(new QPushButton(tr("Evaluate"), this))
    , m_sample(new QPushButton(tr("Use for Sampling"), this))
    , m_diagnose(new QPushButton(tr("Diagnose…"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_progress(new QProgressBar(this))
    , m_result(new QLabel(this))
{
    m_table->setColumnCount(4);
    m_table->setHorizontalHeaderLabels({tr("Step"), tr("Written"), tr("Loss"), tr("Validation accuracy")});
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_resume->setToolTip(tr("Continue the run from its newest checkpoint"));
    m_newRun->setToolTip(tr("Start a new run from the selected checkpoint's weights (sets the run form's init)"));
    m_evaluate->setToolTip(tr("Triplet prediction accuracy of the selected checkpoint on the project's judged "
                              "triplets (overall and per type)"));
    m_sample->setToolTip(tr("Embed the project's faces with the selected checkpoint, so that Sample Triplets can "
                            "pick the triplets the model is least sure of"));
    m_diagnose->setToolTip(tr("On videos of several people: does the selected checkpoint's space follow expressions "
                              "(probes to the landmark solver's curves on a held-out person) or tell people apart? "
                              "An encoder worth training a rig decoder on does the first"));
    m_progress->setRange(0, 1000);
    m_progress->hide();
    m_cancel->hide();
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_resume);
    buttons->addWidget(m_newRun);
    buttons->addWidget(m_evaluate);
    buttons->addWidget(m_sample);
    buttons->addWidget(m_diagnose);
    buttons->addStretch();
    auto *work = new QHBoxLayout;
    work->addWidget(m_progress, 1);
    work->addWidget(m_cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
    layout->addLayout(work);
    layout->addWidget(m_result);

    connect(m_resume, &QPushButton::clicked, this, [this] { Q_EMIT resumeRequested(m_runDir); });
    connect(m_newRun, &QPushButton::clicked, this, [this] {
        const QString checkpoint = selectedCheckpoint();
        if (!checkpoint.isEmpty())
            Q_EMIT newRunRequested(checkpoint);
    });
    connect(m_evaluate, &QPushButton::clicked, this, &CheckpointPanel::evaluateSelected);
    connect(m_sample, &QPushButton::clicked, this, &CheckpointPanel::useSelectedForSampling);
    connect(m_diagnose, &QPushButton::clicked, this, [this] {
        const QStringList videos = QFileDialog::getOpenFileNames(
            this, tr("Videos to Diagnose the Encoder On (one person each, at least two)"), QString(),
            tr("Videos (*.mp4 *.mov *.avi *.mkv *.webm *.m4v);;All files (*)"));
        if (videos.size() == 1)
            QMessageBox::warning(this, tr("Diagnose Encoder"),
                                 tr("The probes leave one person out: choose videos of at least two people."));
        else if (!videos.isEmpty())
            diagnoseSelected(videos);
    });
    connect(m_cancel, &QPushButton::clicked, this, &CheckpointPanel::cancelWork);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &CheckpointPanel::updateButtons);
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, &CheckpointPanel::onFinished);
    updateButtons();
}

CheckpointPanel::~CheckpointPanel()
{
    cancelWork();
    m_watcher.waitForFinished(); // shutdown: the work refers to nothing of this widget but may run on
}

void CheckpointPanel::setProjectDirectory(const QString &directory)
{
    m_projectDirectory = directory;
    updateButtons();
}

void CheckpointPanel::setRun(const QString &runDir, const QString &kind, bool resumable)
{
    if (runDir != m_runDir)
        m_result->clear();
    m_runDir = runDir;
    m_kind = kind;
    m_resumable = resumable;
    refresh();
}

void CheckpointPanel::setResumable(bool resumable)
{
    m_resumable = resumable;
    updateButtons();
}

void CheckpointPanel::refresh()
{
    // Keep a selection the user made; without one the newest checkpoint is the one acted on.
    QString selected;
    const QList<QTableWidgetItem *> selectedItems = m_table->selectedItems();
    if (!selectedItems.isEmpty())
        selected = m_table->item(selectedItems.first()->row(), 0)->data(kDirRole).toString();
    m_table->setRowCount(0);
    if (!m_runDir.isEmpty()) {
        const std::vector<fa::CheckpointInfo> checkpoints = fa::listCheckpoints(m_runDir);
        m_table->setRowCount(int(checkpoints.size()));
        for (int row = 0; row < int(checkpoints.size()); ++row) {
            // Newest first.
            const fa::CheckpointInfo &c = checkpoints[checkpoints.size() - 1 - size_t(row)];
            auto *step = new QTableWidgetItem(QString::number(c.step));
            step->setData(kDirRole, c.directory);
            step->setToolTip(QDir::toNativeSeparators(c.directory));
            m_table->setItem(row, 0, step);
            m_table->setItem(row, 1, new QTableWidgetItem(QLocale().toString(c.written, QLocale::ShortFormat)));
            m_table->setItem(row, 2, new QTableWidgetItem(c.loss ? QString::number(*c.loss, 'g', 4) : QString()));
            m_table->setItem(row, 3, new QTableWidgetItem(c.validationAccuracy ? percent(*c.validationAccuracy)
                                                                               : QString()));
            if (c.directory == selected)
                m_table->selectRow(row);
        }
    }
    updateButtons();
}

QString CheckpointPanel::selectedCheckpoint() const
{
    const QList<QTableWidgetItem *> items = m_table->selectedItems();
    for (QTableWidgetItem *item : items) {
        if (item->column() == 0)
            return item->data(kDirRole).toString();
    }
    return m_table->rowCount() > 0 ? m_table->item(0, 0)->data(kDirRole).toString() : QString();
}

QString CheckpointPanel::evaluationText() const
{
    return m_result->text();
}

void CheckpointPanel::updateButtons()
{
    const bool busy = isBusy();
    const bool triplet = m_kind == QLatin1String("triplet");
    const bool haveCheckpoint = !selectedCheckpoint().isEmpty();
    m_resume->setEnabled(!m_runDir.isEmpty() && m_resumable);
    m_newRun->setEnabled(haveCheckpoint);
    m_evaluate->setEnabled(!busy && triplet && haveCheckpoint && !m_projectDirectory.isEmpty());
    m_sample->setEnabled(!busy && triplet && haveCheckpoint && !m_projectDirectory.isEmpty());
    m_diagnose->setEnabled(!busy && triplet && haveCheckpoint);
    const QString why = triplet ? QString() : tr(" (triplet runs only: an MAE run has no expression head)");
    m_evaluate->setStatusTip(why);
    m_sample->setStatusTip(why);
    m_diagnose->setStatusTip(why);
}

void CheckpointPanel::evaluateSelected()
{
    startWork(Work::Evaluate, selectedCheckpoint());
}

void CheckpointPanel::diagnoseSelected(const QStringList &videos)
{
    startWork(Work::Diagnose, selectedCheckpoint(), videos);
}

void CheckpointPanel::useSelectedForSampling()
{
    startWork(Work::Embed, selectedCheckpoint());
}

void CheckpointPanel::cancelWork()
{
    if (m_cancelFlag)
        *m_cancelFlag = true;
}

void CheckpointPanel::startWork(Work work, const QString &checkpointDir, const QStringList &videos)
{
    if (isBusy() || checkpointDir.isEmpty() || (work != Work::Diagnose && m_projectDirectory.isEmpty()))
        return;
    m_work = work;
    m_workCheckpoint = checkpointDir;
    m_cancelFlag = std::make_shared<std::atomic_bool>(false);
    m_progress->setValue(0);
    m_progress->setFormat(work == Work::Evaluate   ? tr("Evaluating… %p%")
                          : work == Work::Embed    ? tr("Embedding faces… %p%")
                                                   : tr("Diagnosing the encoder… %p%"));
    m_progress->show();
    m_cancel->show();

    const QString projectDir = m_projectDirectory;
    const std::shared_ptr<std::atomic_bool> cancel = m_cancelFlag;
    const auto progress = [this](double fraction) {
        // This widget outlives the work (its destructor waits for it).
        QMetaObject::invokeMethod(this, [this, fraction] { onProgress(fraction); }, Qt::QueuedConnection);
    };
    m_watcher.setFuture(QtConcurrent::run([work, checkpointDir, projectDir, videos, cancel, progress] {
        Outcome outcome;
        try { // the job boundary: c10::Error and std::exception stop here
            if (work == Work::Evaluate) {
                fa::TripletLoadReport report;
                const std::optional<fa::TripletDataset> triplets =
                    fa::TripletDataset::fromProject(projectDir, &report, &outcome.error);
                if (!triplets)
                    return outcome;
                if (triplets->isEmpty()) {
                    outcome.error = tr("%1: no judged triplets with a majority answer to evaluate on")
                                        .arg(QDir::toNativeSeparators(projectDir));
                    return outcome;
                }
                const std::optional<fa::TripletAccuracyReport> accuracy = fa::evaluateTriplets(
                    checkpointDir, *triplets, QStringLiteral("auto"), progress, cancel.get(), &outcome.error);
                if (!accuracy)
                    return outcome;
                outcome.ok = true;
                outcome.accuracy = accuracy->accuracy();
                QStringList parts;
                for (const auto &[type, counts] : accuracy->byType)
                    parts.append(tr("%1 %2 of %3").arg(fa::tripletTypeKey(type), percent(counts.accuracy()))
                                     .arg(counts.total));
                outcome.text = tr("Checkpoint %1: %2 of %3 triplets correct overall")
                                   .arg(QDir(checkpointDir).dirName(), percent(accuracy->accuracy()))
                                   .arg(accuracy->overall.total);
                if (!parts.isEmpty())
                    outcome.text += QStringLiteral("; ") + parts.join(QStringLiteral(", "));
            } else if (work == Work::Diagnose) {
                fa::EncoderDiagnosisOptions options;
                options.cancel = cancel.get();
                options.progress = [progress](double fraction, const QString &) { progress(fraction); };
                const std::optional<fa::EncoderDiagnosis> d =
                    fa::diagnoseEncoder(checkpointDir, videos, options, &outcome.error);
                if (!d)
                    return outcome;
                outcome.ok = true;
                outcome.text = diagnosisText(QDir(checkpointDir).dirName(), *d);
            } else {
                const std::optional<qint64> count = fa::computeProjectEmbeddings(projectDir, checkpointDir, progress,
                                                                                 cancel.get(), &outcome.error);
                if (!count)
                    return outcome;
                outcome.ok = true;
                outcome.embedded = *count;
            }
        } catch (const std::exception &e) {
            outcome.ok = false;
            outcome.error = QString::fromUtf8(e.what());
        }
        return outcome;
    }));
    updateButtons();
}

void CheckpointPanel::onProgress(double fraction)
{
    if (isBusy())
        m_progress->setValue(int(qBound(0.0, fraction, 1.0) * 1000));
}

void CheckpointPanel::onFinished()
{
    const Outcome outcome = m_watcher.result();
    const Work work = m_work;
    m_work = Work::None;
    m_progress->hide();
    m_cancel->hide();
    const bool cancelled = m_cancelFlag && *m_cancelFlag;
    m_cancelFlag.reset();
    updateButtons();
    if (!outcome.ok) {
        if (!cancelled) {
            // Not blocking (open(), not exec()): the event loop and any training go on.
            auto *box = new QMessageBox(
                QMessageBox::Warning,
                work == Work::Evaluate ? tr("Evaluate") : work == Work::Embed ? tr("Use for Sampling") : tr("Diagnose Encoder"),
                (work == Work::Evaluate ? tr("The checkpoint %1 could not be evaluated: %2")
                 : work == Work::Embed  ? tr("The faces could not be embedded with %1: %2")
                                        : tr("The encoder %1 could not be diagnosed: %2"))
                    .arg(QDir::toNativeSeparators(m_workCheckpoint), outcome.error),
                QMessageBox::Ok, this);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->setWindowModality(Qt::WindowModal);
            box->open();
        }
        return;
    }
    if (work == Work::Evaluate) {
        m_result->setText(outcome.text);
        Q_EMIT evaluated(outcome.accuracy);
    } else if (work == Work::Diagnose) {
        m_result->setText(outcome.text);
        Q_EMIT diagnosed();
    } else {
        m_result->setText(tr("%n face(s) embedded with %1: Sample Triplets can now use the uncertainty strategy.",
                             nullptr, int(outcome.embedded))
                              .arg(QDir(m_workCheckpoint).dirName()));
        Q_EMIT embeddingsComputed(outcome.embedded, m_workCheckpoint);
    }
}

} // namespace fa::ui
