// The GUI's responsiveness while a training job runs: how late the event loop of the studio's
// Train workspace runs a 5 ms timer (QTimer, Qt::PreciseTimer; lateness = gap between ticks
// minus 5 ms), with the workspace shown at 1500x950 and its charts, queue and samples following
// the job live. The loop runs as the application's exec() runs it (QEventLoop::exec).
//
// Scenarios, each measured for --seconds in N runs (median of each statistic over the runs):
//   idle                     the workspace with the project open, no job (baseline, same process)
//   training, T, nice K      a tiny MAE job (free-size ViT: 64 px, 8 px patches, width 64,
//                            depth 2, batch 8, a metrics line every step, samples every 10 steps,
//                            checkpoints every 25) on the faces of a project built from the Yale
//                            images; torch with T intra-op threads (default: one per core); the
//                            job's threads at niceness K (JobManager::setWorkerNice; the default
//                            is JobManager::kDefaultWorkerNice)
//   not shown, nice K        the same job in a JobManager the workspace does not follow: the
//                            scheduler's share of the lateness without any dashboard work
// Measuring starts once the job has logged its first step (data loaded, model built). Columns:
// lateness percentiles and maximum, training steps per second during the measurement, and the
// GUI thread's CPU time as a share of the wall time.
//
//   bench_train_dashboard [--runs N] [--seconds S] [--threads 0,1] [--work DIR]
// Run with QT_QPA_PLATFORM=offscreen, or under xvfb-run. Prints a table; asserts nothing.

#include "jobs/job.h"
#include "jobs/job_manager.h"
#include "project/project.h"
#include "train/run_form.h"
#include "train/train_workspace.h"
#include "training/training_presets.h"

#include "bench_statistics.h"

#include <QApplication>
#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <ctime>
#include <cstdio>
#include <thread>
#include <vector>

using fa::bench::median;
using fa::bench::percentile;

namespace {

const QString kDataDir = QStringLiteral(FA_DATA_DIR);

struct Stats
{
    double ticks = 0, p50 = 0, p95 = 0, p99 = 0, max = 0, steps = 0, guiBusy = 0;
};

/// CPU time of the calling thread, ms.
double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

/// Runs the event loop for `seconds` while a 5 ms timer measures its lateness.
Stats probeEventLoop(double seconds)
{
    std::vector<double> lateness;
    QElapsedTimer clock;
    clock.start();
    double last = -1;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(5);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const double now = double(clock.nsecsElapsed()) / 1e6;
        if (last >= 0)
            lateness.push_back(std::max(0.0, now - last - 5.0));
        last = now;
    });
    tick.start();
    const double cpuStart = threadCpuMs();
    QEventLoop loop; // the application's loop as exec() runs it: sleeps when idle
    QTimer::singleShot(int(seconds * 1000), &loop, &QEventLoop::quit);
    loop.exec();
    tick.stop();
    Stats s;
    s.guiBusy = (threadCpuMs() - cpuStart) / double(clock.elapsed()) * 100;
    s.ticks = double(lateness.size());
    s.p50 = percentile(lateness, 0.5);
    s.p95 = percentile(lateness, 0.95);
    s.p99 = percentile(lateness, 0.99);
    s.max = lateness.empty() ? 0 : *std::max_element(lateness.begin(), lateness.end());
    return s;
}

/// Runs the event loop until `done()` or `timeoutMs`.
template<typename Predicate>
void waitUntil(Predicate done, int timeoutMs)
{
    QEventLoop loop;
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    check.start(10);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (!done())
        loop.exec();
}

/// A project with the Yale faces (each image its own face, resized to 224x224).
bool makeProject(const QString &dir, QString *error)
{
    QDir(dir).removeRecursively();
    std::unique_ptr<fa::Project> project = fa::Project::create(dir, error);
    if (!project)
        return false;
    const QDir yale(kDataDir + QStringLiteral("/images/yale_faces"));
    const QStringList names = yale.entryList({QStringLiteral("*.png")}, QDir::Files, QDir::Name);
    for (const QString &name : names) {
        const QImage image(yale.filePath(name));
        if (image.isNull())
            continue;
        fa::SourceRecord source;
        source.path = yale.filePath(name);
        source.contentHash = QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Sha256).toHex();
        source.width = image.width();
        source.height = image.height();
        const std::optional<qint64> sourceId = project->faces().addSource(source, error);
        if (!sourceId)
            return false;
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        image.convertToFormat(QImage::Format_RGB32).scaled(224, 224).save(&buffer, "PNG");
        fa::FaceRecord face;
        face.sourceId = *sourceId;
        if (!project->faces().addFace(face, png, QStringLiteral("png"), error))
            return false;
    }
    return true;
}

fa::TrainingConfig tinyMae(const QString &projectDir, int threads)
{
    fa::TrainingConfig c = *fa::trainingPreset(QStringLiteral("mae"), QStringLiteral("tiny"));
    c.imageSize = 64;
    c.patchSize = 8;
    c.embedDim = 64;
    c.depth = 2;
    c.numHeads = 4;
    c.decoderEmbedDim = 32;
    c.decoderDepth = 1;
    c.decoderNumHeads = 4;
    c.batchSize = 8;
    c.steps = 1000000;
    c.logEvery = 1;
    c.sampleEvery = 10;
    c.checkpointEvery = 25;
    c.keepCheckpoints = 2;
    c.workers = 1;
    c.threads = threads;
    c.device = QStringLiteral("cpu");
    c.lr = 1e-3;
    c.data = QStringList{projectDir};
    return c;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    int runs = 3;
    double seconds = 10;
    QList<int> threadCounts = {0, 1};
    QString work = QDir::temp().filePath(QStringLiteral("bench_train_dashboard"));
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--runs"))
            runs = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--seconds"))
            seconds = std::max(1.0, args[i + 1].toDouble());
        else if (args[i] == QLatin1String("--work"))
            work = args[i + 1];
        else if (args[i] == QLatin1String("--threads")) {
            threadCounts.clear();
            for (const QString &t : args[i + 1].split(QLatin1Char(',')))
                threadCounts.append(t.toInt());
        }
    }
    const QString projectDir = QDir(work).filePath(QStringLiteral("project"));
    QString error;
    if (!makeProject(projectDir, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }

    fa::ui::TrainWorkspace workspace;
    workspace.resize(1500, 950);
    workspace.show();
    if (!workspace.setProjectDirectory(projectDir, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    waitUntil([] { return false; }, 500); // shown and laid out

    struct Row
    {
        QString name;
        std::vector<Stats> runs;
    };
    std::vector<Row> rows;
    rows.push_back({QStringLiteral("idle (no job)"), {}});
    for (int r = 0; r < runs; ++r)
        rows.back().runs.push_back(probeEventLoop(seconds));

    // One scenario: a job trains for `seconds` after its first step while the loop is probed.
    auto measureTraining = [&](fa::JobManager *manager, int threads, int nice, std::vector<Stats> *out) {
        manager->setWorkerNice(nice);
        const fa::TrainingConfig config = tinyMae(projectDir, threads);
        const std::optional<qint64> id =
            manager == workspace.jobManager()
                ? workspace.startRun(config, &error)
                : manager->enqueue(config.kind, QStringLiteral("headless"), QString::fromUtf8(config.toYaml()),
                                   config.steps, &error);
        if (!id) {
            std::fprintf(stderr, "cannot start: %s\n", qPrintable(error));
            return false;
        }
        fa::Job *job = manager->job(*id);
        waitUntil([job] { return job->step() >= 1 || job->state() != fa::JobState::Running; }, 120000);
        if (job->state() != fa::JobState::Running) {
            std::fprintf(stderr, "the job stopped: %s\n", qPrintable(job->error()));
            return false;
        }
        const qint64 firstStep = job->step();
        Stats s = probeEventLoop(seconds);
        s.steps = double(job->step() - firstStep) / seconds;
        out->push_back(s);
        manager->cancel(*id);
        waitUntil([job] { return !job->hasWorker(); }, 120000);
        return true;
    };

    for (int nice : {fa::JobManager::kDefaultWorkerNice, 0}) {
        for (int threads : threadCounts) {
            rows.push_back({QStringLiteral("training, %1, nice %2")
                                .arg(threads == 0 ? QStringLiteral("default threads")
                                                  : QStringLiteral("%1 thread(s)").arg(threads))
                                .arg(nice),
                            {}});
            for (int r = 0; r < runs; ++r) {
                if (!measureTraining(workspace.jobManager(), threads, nice, &rows.back().runs))
                    return 1;
            }
        }
    }
    // The same job in a manager the workspace does not follow: what the scheduler alone costs.
    fa::JobManager headless;
    if (!headless.openProject(projectDir, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    for (int nice : {fa::JobManager::kDefaultWorkerNice, 0}) {
        rows.push_back({QStringLiteral("not shown: default threads, nice %1").arg(nice), {}});
        for (int r = 0; r < runs; ++r) {
            if (!measureTraining(&headless, 0, nice, &rows.back().runs))
                return 1;
        }
    }

    std::printf("GUI event-loop lateness of a 5 ms timer, Train workspace shown (%s), %d run(s) of %.0f s each, "
                "median over runs; %u hardware threads\n\n",
                qPrintable(QGuiApplication::platformName()), runs, seconds, std::thread::hardware_concurrency());
    std::printf("%-40s %7s %8s %8s %8s %8s %8s %9s\n", "scenario", "ticks", "p50 ms", "p95 ms", "p99 ms",
                "max ms", "steps/s", "GUI CPU%");
    for (const Row &row : rows) {
        auto med = [&row](double Stats::*field) {
            std::vector<double> v;
            for (const Stats &s : row.runs)
                v.push_back(s.*field);
            return median(v);
        };
        std::printf("%-40s %7.0f %8.2f %8.2f %8.2f %8.1f %8.1f %9.1f\n", qPrintable(row.name), med(&Stats::ticks),
                    med(&Stats::p50), med(&Stats::p95), med(&Stats::p99), med(&Stats::max), med(&Stats::steps),
                    med(&Stats::guiBusy));
    }
    return 0;
}
