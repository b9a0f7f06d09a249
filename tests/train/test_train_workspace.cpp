// The Train workspace under xvfb-run, on real faces (a project built from the Yale images):
// a tiny MAE job started from the run form trains on its own thread while the charts receive its
// points, pauses and resumes, shows reconstruction samples, is cancelled (state, checkpoint),
// resumes from that checkpoint, and comes back after reopening; a tiny triplet run is evaluated
// and its embeddings used for uncertainty sampling; runs are compared; added run folders are
// remembered by the project (and shown missing when gone); the main window has the workspace. The GUI event loop's longest stall while training is measured and reported (qInfo);
// no assertion on time.

#include "event_loop_probe.h"
#include "jobs/job.h"
#include "label/label_workspace.h"
#include "jobs/job_list_model.h"
#include "jobs/job_manager.h"
#include "jobs/job_store.h"
#include "label_test_project.h"
#include "main_window.h"
#include "project/project.h"
#include "project/triplet_sampler.h"
#include "test_files.h"
#include "train/checkpoint_panel.h"
#include "train/hyper_parameter_table.h"
#include "train/job_queue_view.h"
#include "train/metric_chart.h"
#include "train/run_form.h"
#include "train/samples_view.h"
#include "train/train_workspace.h"
#include "training/checkpoint.h"
#include "training/metrics_log.h"

#include <QApplication>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QStandardPaths>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using fa::ui::TrainWorkspace;

namespace {

/// Tiny free-size settings (64 px, 8 px patches, a 64-wide ViT of depth 2): steps of milliseconds.
void setTinyValues(fa::ui::RunForm *form)
{
    const QList<QPair<QString, QString>> values = {
        {QStringLiteral("image_size"), QStringLiteral("64")},   {QStringLiteral("patch_size"), QStringLiteral("8")},
        {QStringLiteral("embed_dim"), QStringLiteral("64")},    {QStringLiteral("depth"), QStringLiteral("2")},
        {QStringLiteral("num_heads"), QStringLiteral("4")},     {QStringLiteral("decoder_embed_dim"), QStringLiteral("32")},
        {QStringLiteral("decoder_depth"), QStringLiteral("1")}, {QStringLiteral("decoder_num_heads"), QStringLiteral("4")},
        {QStringLiteral("batch_size"), QStringLiteral("8")},    {QStringLiteral("log_every"), QStringLiteral("1")},
        {QStringLiteral("workers"), QStringLiteral("1")},       {QStringLiteral("device"), QStringLiteral("cpu")},
        {QStringLiteral("seed"), QStringLiteral("7")},          {QStringLiteral("lr"), QStringLiteral("0.001")},
    };
    for (const auto &[key, value] : values)
        QVERIFY2(form->setValue(key, value), qPrintable(key));
}

QString curveKey(const QString &runDir, const char *what)
{
    return QDir::cleanPath(runDir) + QLatin1Char('|') + QLatin1String(what);
}

/// Records two agreeing judgments per triplet (the odd face by category, else the first), so
/// that every triplet has a strict majority.
bool judgeByCategory(fa::Project &project, QString *error)
{
    std::vector<qint64> annotators;
    for (const QString &name : {QStringLiteral("ann1"), QStringLiteral("ann2")}) {
        const std::optional<qint64> id = project.judgments().annotatorId(name, error);
        if (!id)
            return false;
        annotators.push_back(*id);
    }
    for (const fa::TripletRecord &triplet : project.triplets().all()) {
        QStringList categories;
        for (qint64 faceId : triplet.faceIds)
            categories.append(project.faces().face(faceId)->category);
        int choice = 1;
        for (int i = 0; i < 3; ++i) {
            if (categories.count(categories[i]) == 1 && categories.count(categories[(i + 1) % 3]) == 2)
                choice = i + 1;
        }
        for (qint64 annotator : annotators) {
            fa::JudgmentRecord judgment;
            judgment.tripletId = triplet.id;
            judgment.annotatorId = annotator;
            judgment.choice = choice;
            if (!project.judgments().record(judgment, error))
                return false;
        }
    }
    return true;
}

} // namespace

class TestTrainWorkspace : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void runFormChecksValues();
    void rendererRunForm();
    void failedJobGivesDialog();
    void maeJobTrainsLiveAndCancels();
    void reopenedProjectShowsTheRun();
    void tripletRunEvaluatesAndEmbeds();
    void addedRunFoldersAreRemembered();
    void mainWindowHasTrainWorkspace();

private:
    QString m_maeProject;
    QString m_maeRun;
    qint64 m_maeJob = 0;
};

void TestTrainWorkspace::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("FreeAvatarTest"));
    QCoreApplication::setApplicationName(QStringLiteral("test_train_workspace"));
    QSettings().clear();
    m_maeProject = fa::test::outputDir() + QStringLiteral("/mae-project");
    QString error;
    QVERIFY2(fa::test::makeLabelProject(m_maeProject, 24, 10, &error), qPrintable(error));
}

void TestTrainWorkspace::runFormChecksValues()
{
    fa::ui::RunForm form;
    QVERIFY(!form.startButton()->isEnabled()); // no project
    form.setProjectDirectory(m_maeProject);
    QVERIFY(form.startButton()->isEnabled());
    QCOMPARE(form.dataSources(), QStringList{QDir(m_maeProject).absolutePath()});
    form.setKind(QStringLiteral("triplet"));
    form.setPreset(QStringLiteral("small"));
    QCOMPARE(form.value(QStringLiteral("embed_dim")), QStringLiteral("384")); // ViT-S/16
    QCOMPARE(form.value(QStringLiteral("optimizer")), QStringLiteral("sgd")); // the reference's fine-tuning
    QVERIFY(form.setValue(QStringLiteral("steps"), QStringLiteral("123")));
    form.setPreset(QStringLiteral("tiny")); // an edited value survives a preset change
    QCOMPARE(form.value(QStringLiteral("steps")), QStringLiteral("123"));
    QCOMPARE(form.value(QStringLiteral("embed_dim")), QStringLiteral("192"));
    QString error;
    std::optional<fa::TrainingConfig> config = form.config(&error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->kind, QStringLiteral("triplet"));
    QCOMPARE(config->steps, 123);
    QCOMPARE(config->data, QStringList{QDir(m_maeProject).absolutePath()});

    // Every wrong value is listed, in TrainingConfig::set's words.
    QVERIFY(form.setValue(QStringLiteral("steps"), QStringLiteral("many")));
    QVERIFY(form.setValue(QStringLiteral("optimizer"), QStringLiteral("adam")));
    QVERIFY(!form.config(&error));
    QVERIFY2(error.contains(QLatin1String("steps:")) && error.contains(QLatin1String("optimizer:")), qPrintable(error));
    QVERIFY(!form.setValue(QStringLiteral("kind"), QStringLiteral("mae"))); // has its own field

    // Start with a problem: a dialog naming it, no signal.
    QSignalSpy started(&form, &fa::ui::RunForm::startRequested);
    QString shown;
    QTimer::singleShot(0, [&shown] {
        if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
            shown = box->text();
            box->done(QMessageBox::Ok);
        }
    });
    form.start();
    QCOMPARE(started.count(), 0);
    QVERIFY2(shown.contains(QLatin1String("optimizer:")), qPrintable(shown));
}

void TestTrainWorkspace::rendererRunForm()
{
    // A renderer run: its presets and keys only, a render set as data, not the project.
    fa::ui::RunForm form;
    form.setProjectDirectory(m_maeProject);
    form.setKind(QStringLiteral("renderer"));
    QCOMPARE(form.preset(), QStringLiteral("tiny"));
    QVERIFY(form.dataSources().isEmpty());
    QCOMPARE(form.value(QStringLiteral("renderer_size")), QStringLiteral("64"));
    QCOMPARE(form.value(QStringLiteral("schedule")), QStringLiteral("cosine"));
    QVERIFY(form.value(QStringLiteral("embed_dim")).isEmpty()); // an encoder key: not shown
    form.setPreset(QStringLiteral("paper"));
    QCOMPARE(form.value(QStringLiteral("schedule")), QStringLiteral("restarts")); // the reference's
    QCOMPARE(form.value(QStringLiteral("renderer_size")), QStringLiteral("256"));
    QCOMPARE(form.value(QStringLiteral("renderer_width")), QStringLiteral("128"));
    QCOMPARE(form.value(QStringLiteral("batch_size")), QStringLiteral("128"));
    QString error;
    QVERIFY(!form.config(&error)); // no render set yet
    QVERIFY2(error.contains(QLatin1String("data:")), qPrintable(error));
    const QString set = fa::test::outputDir() + QStringLiteral("/render-set");
    form.setDataSources({set});
    std::optional<fa::TrainingConfig> config = form.config(&error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->kind, QStringLiteral("renderer"));
    QCOMPARE(config->preset, QStringLiteral("paper"));
    QCOMPARE(config->data, QStringList{set});
    QVERIFY(config->init.isEmpty() && config->validation.isEmpty());
    // Back to an encoder kind: its presets, and the project as data again.
    form.setDataSources({});
    form.setKind(QStringLiteral("mae"));
    QCOMPARE(form.preset(), QStringLiteral("tiny"));
    QCOMPARE(form.dataSources(), QStringList{QDir(m_maeProject).absolutePath()});
    QVERIFY(form.value(QStringLiteral("renderer_size")).isEmpty());

    // A rig decoder: its keys (encoder, avatars, loss weights), the project's faces as data.
    form.setKind(QStringLiteral("rig-decoder"));
    QCOMPARE(form.preset(), QStringLiteral("tiny"));
    QCOMPARE(form.value(QStringLiteral("rig_weight")), QStringLiteral("10"));
    QCOMPARE(form.value(QStringLiteral("embedding_weight")), QStringLiteral("0.2"));
    QVERIFY(form.value(QStringLiteral("embed_dim")).isEmpty());
    QVERIFY(form.value(QStringLiteral("renderer_width")).isEmpty());
    QVERIFY(!form.config(&error));
    QVERIFY2(error.contains(QLatin1String("encoder:")) && error.contains(QLatin1String("avatars:")), qPrintable(error));
    QVERIFY(form.setValue(QStringLiteral("encoder"), QStringLiteral("/runs/encoder")));
    QVERIFY(form.setValue(QStringLiteral("avatars"), QStringLiteral("mannequin:/runs/r1, /a/face.glb:/runs/r2")));
    config = form.config(&error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->kind, QStringLiteral("rig-decoder"));
    QCOMPARE(config->avatars, (QStringList{QStringLiteral("mannequin:/runs/r1"), QStringLiteral("/a/face.glb:/runs/r2")}));
    QCOMPARE(config->data, QStringList{QDir(m_maeProject).absolutePath()});

    // The Samples tab shows a renderer's rows: render, neural render, difference.
    fa::ui::SamplesView view;
    fa::TrainingSamples samples;
    samples.step = 100;
    QImage tile(32, 32, QImage::Format_RGB888);
    tile.fill(Qt::gray);
    samples.renders.push_back({tile, tile, tile});
    samples.renders.push_back({tile, tile, tile});
    view.addSamples(samples);
    QCOMPARE(view.imageCount(), 6);
}

void TestTrainWorkspace::failedJobGivesDialog()
{
    const QString projectDir = fa::test::outputDir() + QStringLiteral("/failing-project");
    QString error;
    QVERIFY2(fa::test::makeLabelProject(projectDir, 6, 4, &error), qPrintable(error));
    TrainWorkspace workspace;
    workspace.show();
    QVERIFY2(workspace.setProjectDirectory(projectDir, &error), qPrintable(error));
    const QString missing = fa::test::outputDir() + QStringLiteral("/no such video.mp4");
    workspace.runForm()->setKind(QStringLiteral("mae"));
    setTinyValues(workspace.runForm());
    workspace.runForm()->setDataSources({missing});
    const std::optional<fa::TrainingConfig> config = workspace.runForm()->config(&error);
    QVERIFY2(config, qPrintable(error));
    const std::optional<qint64> id = workspace.startRun(*config, &error);
    QVERIFY2(id, qPrintable(error));
    fa::Job *job = workspace.jobManager()->job(*id);
    QTRY_COMPARE_WITH_TIMEOUT(job->state(), fa::JobState::Failed, 30000);
    QVERIFY2(job->error().contains(QLatin1String("no such video.mp4")), qPrintable(job->error()));
    // Kept visible in the queue with its error, and a dialog names the job and the cause.
    const int row = workspace.jobManager()->model()->rowOf(*id);
    QVERIFY(workspace.jobManager()->model()->index(row, fa::JobListModel::ErrorColumn).data().toString()
                .contains(QLatin1String("no such video.mp4")));
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = workspace.findChild<QMessageBox *>()) != nullptr);
    QVERIFY2(box->text().contains(job->title()) && box->text().contains(QLatin1String("no such video.mp4")),
             qPrintable(box->text()));
    box->done(QMessageBox::Ok);
}

void TestTrainWorkspace::maeJobTrainsLiveAndCancels()
{
    TrainWorkspace workspace;
    workspace.resize(1500, 950);
    workspace.show();
    QVERIFY(QTest::qWaitForWindowExposed(&workspace));
    QString error;
    QVERIFY2(workspace.setProjectDirectory(m_maeProject, &error), qPrintable(error));
    QVERIFY2(workspace.deviceLabel()->text().contains(QLatin1String("CPU")), qPrintable(workspace.deviceLabel()->text()));
    // It fits a small window (the main window may be 900x650: tests/widgets/test_studio.cpp).
    QVERIFY2(workspace.minimumSizeHint().width() <= 800 && workspace.minimumSizeHint().height() <= 520,
             qPrintable(QStringLiteral("%1x%2").arg(workspace.minimumSizeHint().width())
                            .arg(workspace.minimumSizeHint().height())));

    fa::ui::RunForm *form = workspace.runForm();
    form->setKind(QStringLiteral("mae"));
    form->setPreset(QStringLiteral("tiny"));
    setTinyValues(form);
    QVERIFY(form->setValue(QStringLiteral("steps"), QStringLiteral("100000"))); // runs until cancelled
    QVERIFY(form->setValue(QStringLiteral("checkpoint_every"), QStringLiteral("25")));
    QVERIFY(form->setValue(QStringLiteral("sample_every"), QStringLiteral("10")));

    fa::test::EventLoopProbe probe;
    probe.start();
    QElapsedTimer clock;
    clock.start();
    form->start(); // Start Training: queued, and started at once (nothing else runs)
    fa::JobManager *manager = workspace.jobManager();
    QCOMPARE(manager->jobs().size(), size_t(1));
    fa::Job *job = manager->jobs().front();
    m_maeJob = job->id();
    m_maeRun = QDir::cleanPath(job->runDirectory());
    QVERIFY(job->state() == fa::JobState::Running);
    QVERIFY(m_maeRun.startsWith(QDir::cleanPath(m_maeProject + QStringLiteral("/runs/mae-tiny-"))));
    QCOMPARE(workspace.currentRun(), m_maeRun);
    QCOMPARE(workspace.checkedRuns(), QStringList{m_maeRun});

    // Live points reach the loss chart (and the others) while the job trains.
    fa::ui::MetricChart *loss = workspace.lossChart();
    // (Waits below run the event loop as exec() does, so that the probe measures the GUI's own
    // stalls, not QTRY's polling sleeps.)
    using fa::test::waitFor;
    QVERIFY(waitFor([&] { return loss->loggedPoints(curveKey(m_maeRun, "loss")).size() >= 15; }, 90000));
    const double firstPointsAfter = clock.elapsed() / 1000.0;
    QVERIFY(!workspace.learningRateChart()->loggedPoints(curveKey(m_maeRun, "lr")).isEmpty());
    QVERIFY(!workspace.throughputChart()->loggedPoints(curveKey(m_maeRun, "ips")).isEmpty());
    QVERIFY(workspace.deviceLabel()->text().startsWith(QLatin1String("Training on: CPU")));
    const QList<QPointF> points = loss->loggedPoints(curveKey(m_maeRun, "loss"));
    QCOMPARE(points.front().x(), 1.0);
    for (const QPointF &p : points)
        QVERIFY(std::isfinite(p.y()) && p.y() > 0);

    // Pause from the queue view: no step runs while paused.
    fa::ui::JobQueueView *queue = workspace.jobQueue();
    QCOMPARE(queue->selectedJobId(), m_maeJob);
    queue->pauseSelected();
    QVERIFY(waitFor([job] { return job->state() == fa::JobState::Paused; }, 20000));
    const qint64 pausedAt = job->step();
    const qsizetype pointsAtPause = workspace.runMetrics(m_maeRun).size();
    waitFor([] { return false; }, 400);
    QCOMPARE(job->step(), pausedAt);
    QCOMPARE(qsizetype(workspace.runMetrics(m_maeRun).size()), pointsAtPause);
    QCOMPARE(manager->model()->index(0, fa::JobListModel::StateColumn).data().toString(), QStringLiteral("Paused"));
    queue->resumeSelected();
    QVERIFY(waitFor([job] { return job->state() == fa::JobState::Running; }, 5000));

    // MAE samples of a logged step: (masked, prediction, target) rows.
    QVERIFY(waitFor([&] { return workspace.samplesView()->imageCount() >= 3; }, 60000));
    QCOMPARE(workspace.samplesView()->imageCount() % 3, 0);
    QVERIFY(workspace.samplesView()->currentStep() >= 10);
    QVERIFY(waitFor([job] { return job->step() >= 150; }, 120000)); // a few seconds of training

    queue->cancelSelected();
    QVERIFY(waitFor([job] { return job->state() == fa::JobState::Cancelled; }, 30000));
    probe.stop();
    const double trainedSeconds = clock.elapsed() / 1000.0;
    qInfo("GUI event loop while a tiny MAE job trained (%.1f s, %zu ticks of 5 ms; first 15 points after %.1f s): "
          "lateness p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, longest stall %.1f ms",
          trainedSeconds, probe.ticks(), firstPointsAfter, probe.percentile(0.5), probe.percentile(0.95),
          probe.percentile(0.99), probe.longest());
    QVERIFY(probe.ticks() > 100);

    // The cancel wrote a checkpoint of the step reached; the job's state is in the project.
    const std::vector<fa::CheckpointInfo> checkpoints = fa::listCheckpoints(m_maeRun);
    QVERIFY(!checkpoints.empty());
    QCOMPARE(checkpoints.back().step, job->step());
    QVERIFY(QFileInfo(m_maeRun + QStringLiteral("/model.pt")).size() > 1000);
    QCOMPARE(workspace.checkpointPanel()->table()->rowCount(), int(checkpoints.size()));
    {
        std::unique_ptr<fa::Project> project = fa::Project::open(m_maeProject, &error);
        QVERIFY2(project, qPrintable(error));
        const std::optional<fa::JobRecord> stored = fa::JobStore(*project).job(m_maeJob);
        QVERIFY(stored);
        QCOMPARE(stored->state, fa::JobState::Cancelled);
        QCOMPARE(stored->step, job->step());
        QVERIFY(stored->configYaml.contains(QLatin1String("embed_dim: 64")));
    }
    // The chart has every logged line of metrics.jsonl.
    const std::vector<fa::TrainingMetrics> logged =
        fa::MetricsLog::readFile(m_maeRun + QStringLiteral("/metrics.jsonl"));
    workspace.refreshCharts();
    QCOMPARE(workspace.runMetrics(m_maeRun).size(), logged.size());
    QCOMPARE(workspace.runMetrics(m_maeRun).back().step, logged.back().step);

    // Resume from the checkpoint panel: the run continues after the checkpoint's step.
    const qint64 cancelledAt = job->step();
    QTRY_VERIFY(workspace.checkpointPanel()->findChild<QPushButton *>() != nullptr);
    QSignalSpy resumeAsked(workspace.checkpointPanel(), &fa::ui::CheckpointPanel::resumeRequested);
    const QList<QPushButton *> buttons = workspace.checkpointPanel()->findChildren<QPushButton *>();
    QPushButton *resume = nullptr;
    for (QPushButton *b : buttons) {
        if (b->text() == QLatin1String("Resume Run"))
            resume = b;
    }
    QVERIFY(resume && resume->isEnabled());
    resume->click();
    QCOMPARE(resumeAsked.count(), 1);
    QTRY_COMPARE(job->state(), fa::JobState::Running);
    QTRY_VERIFY_WITH_TIMEOUT(!workspace.runMetrics(m_maeRun).empty()
                                 && workspace.runMetrics(m_maeRun).back().step > cancelledAt + 3,
                             60000);
    QVERIFY(manager->cancel(m_maeJob, &error));
    QTRY_COMPARE_WITH_TIMEOUT(job->state(), fa::JobState::Cancelled, 30000);
    const std::vector<fa::TrainingMetrics> afterResume = workspace.runMetrics(m_maeRun);
    for (size_t i = 1; i < afterResume.size(); ++i)
        QCOMPARE(afterResume[i].step, afterResume[i - 1].step + 1); // one line per step, none twice
}

void TestTrainWorkspace::reopenedProjectShowsTheRun()
{
    QVERIFY(!m_maeRun.isEmpty());
    TrainWorkspace workspace;
    workspace.show();
    QString error;
    QVERIFY2(workspace.setProjectDirectory(m_maeProject, &error), qPrintable(error));
    fa::Job *job = workspace.jobManager()->job(m_maeJob);
    QVERIFY(job);
    QCOMPARE(job->state(), fa::JobState::Cancelled);
    QCOMPARE(workspace.currentRun(), m_maeRun);
    const std::vector<fa::TrainingMetrics> logged = fa::MetricsLog::readFile(m_maeRun + QStringLiteral("/metrics.jsonl"));
    QTRY_COMPARE(workspace.runMetrics(m_maeRun).size(), logged.size()); // read on a worker thread
    workspace.refreshCharts();
    QCOMPARE(workspace.lossChart()->loggedPoints(curveKey(m_maeRun, "loss")).size(), qsizetype(logged.size()));
    // Samples of past steps come back from the run folder; the step selector can go back.
    fa::ui::SamplesView *samples = workspace.samplesView();
    const std::vector<qint64> steps = samples->steps();
    QVERIFY(steps.size() >= 2);
    QCOMPARE(samples->currentStep(), steps.back());
    samples->showStep(steps.front());
    QCOMPARE(samples->currentStep(), steps.front());
    QVERIFY(samples->imageCount() >= 3);
    // The smoothing slider re-smooths the drawn line.
    workspace.setSmoothing(0);
    QCOMPARE(workspace.lossChart()->drawnPoints(curveKey(m_maeRun, "loss")),
             workspace.lossChart()->loggedPoints(curveKey(m_maeRun, "loss")));
    workspace.setSmoothing(0.9);
    QVERIFY(workspace.lossChart()->drawnPoints(curveKey(m_maeRun, "loss"))
            != workspace.lossChart()->loggedPoints(curveKey(m_maeRun, "loss")));
    QCOMPARE(workspace.smoothingSlider()->value(), 900);
}

void TestTrainWorkspace::tripletRunEvaluatesAndEmbeds()
{
    const QString projectDir = fa::test::outputDir() + QStringLiteral("/triplet-project");
    QString error;
    {
        std::unique_ptr<fa::Project> project = fa::test::makeLabelProject(projectDir, 24, 40, &error);
        QVERIFY2(project, qPrintable(error));
        QVERIFY2(judgeByCategory(*project, &error), qPrintable(error));
    }
    TrainWorkspace workspace;
    workspace.resize(1500, 950);
    workspace.show();
    QVERIFY2(workspace.setProjectDirectory(projectDir, &error), qPrintable(error));
    fa::ui::RunForm *form = workspace.runForm();
    form->setKind(QStringLiteral("triplet"));
    form->setPreset(QStringLiteral("tiny"));
    setTinyValues(form);
    QVERIFY(form->setValue(QStringLiteral("steps"), QStringLiteral("30")));
    QVERIFY(form->setValue(QStringLiteral("eval_every"), QStringLiteral("10")));
    QVERIFY(form->setValue(QStringLiteral("checkpoint_every"), QStringLiteral("15")));
    QVERIFY(form->setValue(QStringLiteral("sample_every"), QStringLiteral("15")));
    form->setValidationSources({projectDir});
    std::optional<fa::TrainingConfig> config = form->config(&error);
    QVERIFY2(config, qPrintable(error));
    const std::optional<qint64> id = workspace.startRun(*config, &error);
    QVERIFY2(id, qPrintable(error));
    fa::Job *job = workspace.jobManager()->job(*id);
    QTRY_VERIFY_WITH_TIMEOUT(job->state() != fa::JobState::Running && job->state() != fa::JobState::Queued, 90000);
    QVERIFY2(job->state() == fa::JobState::Finished, qPrintable(job->error()));
    const QString runDir = QDir::cleanPath(job->runDirectory());

    // Validation accuracy, overall and per type, reached the accuracy chart.
    workspace.refreshCharts();
    const QList<QPointF> accuracy = workspace.accuracyChart()->loggedPoints(curveKey(runDir, "acc"));
    QCOMPARE(accuracy.size(), 3); // steps 10, 20, 30
    for (const QPointF &p : accuracy)
        QVERIFY(p.y() >= 0 && p.y() <= 1);
    QVERIFY(!workspace.accuracyChart()->loggedPoints(curveKey(runDir, "acc:two_class")).isEmpty());
    // Nearest-neighbour samples: a query and its neighbours with distances.
    QTRY_VERIFY(workspace.samplesView()->imageCount() >= 2);

    // Evaluate the newest checkpoint on the project's judged triplets, off the GUI thread.
    fa::ui::CheckpointPanel *panel = workspace.checkpointPanel();
    QTRY_VERIFY(panel->table()->rowCount() >= 2);
    QSignalSpy evaluated(panel, &fa::ui::CheckpointPanel::evaluated);
    panel->evaluateSelected();
    QVERIFY(panel->isBusy());
    QTRY_COMPARE_WITH_TIMEOUT(evaluated.count(), 1, 60000);
    const double overall = evaluated.first().first().toDouble();
    QVERIFY(overall >= 0 && overall <= 1);
    qInfo("tiny triplet run, 30 steps: %s", qPrintable(panel->evaluationText()));
    // The newest checkpoint (the run's end) unless another one is selected.
    QVERIFY2(panel->evaluationText().startsWith(QLatin1String("Checkpoint step-00000030: "))
                 && panel->evaluationText().contains(QLatin1String("of 40 triplets correct overall")),
             qPrintable(panel->evaluationText()));

    // Diagnose Encoder on two people's videos: the probes' summary, off the GUI thread.
    QSignalSpy diagnosed(panel, &fa::ui::CheckpointPanel::diagnosed);
    panel->diagnoseSelected({fa::test::dataPath(QStringLiteral("videos/liveportrait_d3.mp4")),
                             fa::test::dataPath(QStringLiteral("videos/liveportrait_d18.mp4"))});
    QVERIFY(panel->isBusy());
    QTRY_COMPARE_WITH_TIMEOUT(diagnosed.count(), 1, 120000);
    qInfo("diagnosis: %s", qPrintable(panel->evaluationText()));
    QVERIFY2(panel->evaluationText().contains(QLatin1String("on 2 videos: expression probes on held-out people, mean r"))
                 && panel->evaluationText().contains(QLatin1String("(chance 50.0 %)")),
             qPrintable(panel->evaluationText()));

    // Use for sampling: every face gets an embedding; uncertainty sampling works.
    QSignalSpy embedded(&workspace, &TrainWorkspace::embeddingsComputed);
    panel->useSelectedForSampling();
    QTRY_COMPARE_WITH_TIMEOUT(embedded.count(), 1, 60000);
    QCOMPARE(embedded.first().first().toLongLong(), 24);
    std::unique_ptr<fa::Project> project = fa::Project::open(projectDir, &error);
    QVERIFY2(project, qPrintable(error));
    for (const fa::FaceRecord &face : project->faces().faces())
        QCOMPARE(int(face.embedding.size()), 16);
    fa::TripletSampler::Options options;
    options.count = 5;
    options.strategy = fa::TripletSampler::Strategy::Uncertainty;
    options.seed = 3;
    const auto sampled = fa::TripletSampler::sample(*project, options, &error);
    QVERIFY2(sampled, qPrintable(error));
    QCOMPARE(int(sampled->size()), 5);

    // New Run From Checkpoint: a new run starts from the weights of the older checkpoint.
    for (int row = 0; row < panel->table()->rowCount(); ++row)
        if (panel->table()->item(row, 0)->text() == QLatin1String("15"))
            panel->table()->selectRow(row);
    const QString older = panel->selectedCheckpoint();
    QVERIFY2(older.endsWith(QLatin1String("/checkpoints/step-00000015")), qPrintable(older));
    QPushButton *newRun = nullptr;
    for (QPushButton *button : panel->findChildren<QPushButton *>())
        if (button->text() == QLatin1String("New Run From Checkpoint"))
            newRun = button;
    QVERIFY(newRun && newRun->isEnabled());
    newRun->click();
    QVERIFY(form->setValue(QStringLiteral("steps"), QStringLiteral("3")));
    config = form->config(&error);
    QVERIFY2(config, qPrintable(error));
    QCOMPARE(config->init, older);
    const std::optional<qint64> fromOlder = workspace.startRun(*config, &error);
    QVERIFY2(fromOlder, qPrintable(error));
    fa::Job *olderJob = workspace.jobManager()->job(*fromOlder);
    QTRY_VERIFY_WITH_TIMEOUT(olderJob->state() != fa::JobState::Running && olderJob->state() != fa::JobState::Queued, 60000);
    QVERIFY2(olderJob->state() == fa::JobState::Finished, qPrintable(olderJob->error()));
    QFile log(olderJob->runDirectory() + QStringLiteral("/run.log"));
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QString logText = QString::fromUtf8(log.readAll());
    QVERIFY2(logText.contains(QStringLiteral("weights from %1/model.pt: missing keys: none;").arg(older)), qPrintable(logText));
    form->setInit(QString());
    workspace.setRunChecked(olderJob->runDirectory(), false);
    workspace.setCurrentRun(runDir);

    // Runs compared: the MAE run of the other project, added as a folder, beside this one.
    QVERIFY2(workspace.addRunFolder(m_maeRun, &error), qPrintable(error));
    QCOMPARE(workspace.checkedRuns().size(), 2);
    fa::ui::HyperParameterTable *table = workspace.comparisonTable();
    QCOMPARE(table->columnCount(), 2);
    const QStringList differing = table->differingKeys();
    QVERIFY2(differing.contains(QStringLiteral("kind")) && differing.contains(QStringLiteral("steps"))
                 && !differing.contains(QStringLiteral("embed_dim")),
             qPrintable(differing.join(QLatin1Char(','))));
    const int kindRow = int(fa::TrainingConfig::keys().indexOf(QStringLiteral("kind")));
    QVERIFY(table->item(kindRow, 0)->font().bold());
    QCOMPARE(table->item(kindRow, 0)->text(), QStringLiteral("triplet"));
    QCOMPARE(table->item(kindRow, 1)->text(), QStringLiteral("mae"));
    workspace.refreshCharts();
    QTRY_VERIFY(!workspace.lossChart()->loggedPoints(curveKey(m_maeRun, "loss")).isEmpty()); // overlaid, once read
    QVERIFY(!workspace.lossChart()->loggedPoints(curveKey(runDir, "loss")).isEmpty());
}

void TestTrainWorkspace::addedRunFoldersAreRemembered()
{
    QVERIFY(!m_maeRun.isEmpty());
    const QString base = fa::test::outputDir() + QStringLiteral("/linked-runs");
    QDir(base).removeRecursively();
    const QString projectDir = base + QStringLiteral("/project");
    QString error;
    QVERIFY2(fa::Project::create(projectDir, &error), qPrintable(error));
    // A second outside run (config and metrics of the MAE run) that will go missing, and a run
    // inside the project's runs/ (listed by the folder scan, not remembered).
    const QString gone = base + QStringLiteral("/elsewhere/mae-copy");
    const QString inside = projectDir + QStringLiteral("/runs/mae-inside");
    for (const QString &dir : {gone, inside}) {
        QVERIFY(QDir().mkpath(dir));
        for (const char *file : {"config.yaml", "metrics.jsonl"})
            QVERIFY(QFile::copy(m_maeRun + QLatin1Char('/') + QLatin1String(file), dir + QLatin1Char('/') + QLatin1String(file)));
    }
    {
        TrainWorkspace workspace;
        workspace.show();
        QVERIFY2(workspace.setProjectDirectory(projectDir, &error), qPrintable(error));
        QCOMPARE(workspace.runList()->count(), 1); // runs/mae-inside
        QVERIFY(!workspace.addRunFolder(base, &error));
        QCOMPARE(error, QStringLiteral("%1: not a run folder (no config.yaml)").arg(QDir::toNativeSeparators(base)));
        QVERIFY2(workspace.addRunFolder(m_maeRun, &error), qPrintable(error));
        QVERIFY2(workspace.addRunFolder(gone, &error), qPrintable(error));
        QVERIFY2(workspace.addRunFolder(inside, &error), qPrintable(error));
        QVERIFY2(workspace.addRunFolder(m_maeRun, &error), qPrintable(error)); // listed once
        QCOMPARE(workspace.runList()->count(), 3);
        QVERIFY(workspace.isLinkedRun(m_maeRun) && workspace.isLinkedRun(gone) && !workspace.isLinkedRun(inside));
        QVERIFY(!workspace.removeRunFolder(inside, &error));
        workspace.setCurrentRun(gone);
        bool removeEnabled = false;
        for (QPushButton *button : workspace.findChildren<QPushButton *>())
            if (button->text() == QLatin1String("Remove From List"))
                removeEnabled = button->isEnabled();
        QVERIFY(removeEnabled);
    }
    {
        std::unique_ptr<fa::Project> project = fa::Project::open(projectDir, &error);
        QVERIFY2(project, qPrintable(error));
        QCOMPARE(project->linkedRunFolders(), (QStringList{QDir::cleanPath(m_maeRun), QDir::cleanPath(gone)}));
    }
    QVERIFY(QDir(gone).removeRecursively());
    {
        TrainWorkspace workspace;
        workspace.show();
        QVERIFY2(workspace.setProjectDirectory(projectDir, &error), qPrintable(error));
        QCOMPARE(workspace.runList()->count(), 3);
        QListWidgetItem *missing = workspace.runList()->item(2);
        QCOMPARE(missing->text(), QStringLiteral("mae-copy (missing)"));
        QVERIFY(!(missing->flags() & Qt::ItemIsUserCheckable));
        QVERIFY(workspace.runList()->item(1)->flags() & Qt::ItemIsUserCheckable);
        // The remembered run's points come back from its metrics.jsonl.
        workspace.setRunChecked(m_maeRun, true);
        QTRY_COMPARE(workspace.runMetrics(m_maeRun).size(),
                     fa::MetricsLog::readFile(m_maeRun + QStringLiteral("/metrics.jsonl")).size());
        QVERIFY2(workspace.removeRunFolder(gone, &error), qPrintable(error));
        QCOMPARE(workspace.runList()->count(), 2);
        QVERIFY2(workspace.removeRunFolder(m_maeRun, &error), qPrintable(error));
        QCOMPARE(workspace.runList()->count(), 1);
        QVERIFY(workspace.checkedRuns().isEmpty() || !workspace.checkedRuns().contains(QDir::cleanPath(m_maeRun)));
        QVERIFY(QFileInfo::exists(m_maeRun + QStringLiteral("/config.yaml"))); // files stay
    }
    TrainWorkspace reopened;
    QVERIFY2(reopened.setProjectDirectory(projectDir, &error), qPrintable(error));
    QCOMPARE(reopened.runList()->count(), 1);
    QCOMPARE(reopened.currentRun(), QDir::cleanPath(inside));
}

void TestTrainWorkspace::mainWindowHasTrainWorkspace()
{
    fa::studio::MainWindow window;
    window.show();
    QVERIFY(window.openProject(m_maeProject, QStringLiteral("ann")));
    QCOMPARE(window.trainWorkspace()->projectDirectory(), QDir::cleanPath(QDir(m_maeProject).absolutePath()));
    QVERIFY(window.trainWorkspace()->jobManager()->job(m_maeJob));
    window.setCurrentWorkspace(fa::studio::MainWindow::Workspace::Train);
    QCOMPARE(window.currentWorkspace(), fa::studio::MainWindow::Workspace::Train);
    window.setCurrentWorkspace(fa::studio::MainWindow::Workspace::Inspect);
    QCOMPARE(window.currentWorkspace(), fa::studio::MainWindow::Workspace::Inspect);
    window.setCurrentWorkspace(fa::studio::MainWindow::Workspace::Label);
    QVERIFY(window.labelWorkspace()->project()); // labelling still works beside it
}

QTEST_MAIN(TestTrainWorkspace)
#include "test_train_workspace.moc"
