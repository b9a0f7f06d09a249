// Opening a long run's history in the Train workspace: how long the GUI thread is busy when a
// run folder with N logged steps is added (metrics.jsonl read, parsed, then charted), for runs
// of 1,000 to 100,000 logged steps. The metrics are made up here (a decaying loss with noise, a
// validation line every 100 steps), written with fa::MetricsLog as a run writes them: only
// their number matters for the timing.
//
// Columns (median of --runs): metrics.jsonl size; MetricsLog::readFile alone (a baseline in the
// same process); the GUI thread's longest stretch without returning to the event loop from
// addRunFolder() until the charts are drawn; the whole time until the charts are drawn.
//
//   bench_run_history [--runs N] [--steps 1000,10000,100000] [--work DIR]
// Run with QT_QPA_PLATFORM=offscreen, or under xvfb-run. Prints a table; asserts nothing.

#include "project/project.h"
#include "train/metric_chart.h"
#include "train/train_workspace.h"
#include "training/metrics_log.h"

#include "bench_statistics.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTimer>

#include <cmath>
#include <cstdio>
#include <random>

namespace {

/// A run folder with `steps` logged steps (config.yaml copied from a preset's YAML).
bool writeRun(const QString &dir, qint64 steps, QString *error)
{
    QDir(dir).removeRecursively();
    if (!QDir().mkpath(dir)) {
        *error = dir + QStringLiteral(": cannot create");
        return false;
    }
    QFile config(dir + QStringLiteral("/config.yaml"));
    if (!config.open(QIODevice::WriteOnly) || config.write("kind: mae\npreset: tiny\n") < 0) {
        *error = config.fileName() + QStringLiteral(": cannot write");
        return false;
    }
    config.close();
    fa::MetricsLog log;
    if (!log.open(dir + QStringLiteral("/metrics.jsonl"), -1, error))
        return false;
    std::mt19937 random(1);
    std::uniform_real_distribution<double> noise(0.0, 0.05);
    for (qint64 step = 1; step <= steps; ++step) {
        fa::TrainingMetrics m;
        m.step = step;
        m.totalSteps = steps;
        m.loss = 1.0 / (1.0 + 1e-3 * double(step)) + noise(random);
        m.learningRate = 1.5e-4 * 0.5 * (1 + std::cos(M_PI * double(step) / double(steps)));
        m.imagesPerSecond = 160 + 10 * noise(random);
        m.loaderWaitFraction = noise(random);
        m.elapsedSeconds = 0.2 * double(step);
        if (step % 100 == 0)
            m.validationLoss = m.loss + 0.1;
        if (!log.append(m, error))
            return false;
    }
    log.close();
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    int runs = 5;
    QList<qint64> stepCounts = {1000, 10000, 100000};
    QString work = QDir::temp().filePath(QStringLiteral("bench_run_history"));
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--runs"))
            runs = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--work"))
            work = args[i + 1];
        else if (args[i] == QLatin1String("--steps")) {
            stepCounts.clear();
            for (const QString &n : args[i + 1].split(QLatin1Char(',')))
                stepCounts.append(n.toLongLong());
        }
    }
    QString error;
    const QString projectDir = work + QStringLiteral("/project");
    QDir(projectDir).removeRecursively();
    if (!fa::Project::create(projectDir, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 2;
    }
    std::printf("Adding a run folder to the Train workspace (1500x950), median of %d runs\n", runs);
    std::printf("%10s %10s %14s %18s %16s\n", "steps", "MB", "readFile ms", "longest stall ms", "charted ms");
    for (qint64 steps : stepCounts) {
        const QString runDir = work + QStringLiteral("/run-%1").arg(steps);
        if (!writeRun(runDir, steps, &error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 2;
        }
        std::vector<double> read, stall, charted;
        for (int run = 0; run < runs; ++run) {
            QElapsedTimer clock;
            clock.start();
            const auto lines = fa::MetricsLog::readFile(runDir + QStringLiteral("/metrics.jsonl"));
            read.push_back(clock.nsecsElapsed() / 1e6);
            if (qint64(lines.size()) != steps) {
                std::fprintf(stderr, "%s: read %zu of %lld lines\n", qPrintable(runDir), lines.size(), steps);
                return 2;
            }

            fa::ui::TrainWorkspace workspace;
            workspace.resize(1500, 950);
            workspace.show();
            if (!workspace.setProjectDirectory(projectDir, &error)) {
                std::fprintf(stderr, "%s\n", qPrintable(error));
                return 2;
            }
            QApplication::processEvents();
            // The longest gap between event-loop passes (a 0 ms timer) from adding the run until
            // its loss curve is drawn with every logged point read.
            double longest = 0;
            QElapsedTimer gap;
            QTimer ticker;
            ticker.setInterval(0);
            QObject::connect(&ticker, &QTimer::timeout, [&] {
                longest = std::max(longest, gap.nsecsElapsed() / 1e6);
                gap.restart();
            });
            const QString key = QDir::cleanPath(runDir) + QStringLiteral("|loss");
            clock.restart();
            gap.start();
            ticker.start();
            QTimer::singleShot(0, &workspace, [&] {
                if (!workspace.addRunFolder(runDir, &error))
                    std::fprintf(stderr, "%s\n", qPrintable(error));
            });
            while ((workspace.lossChart()->loggedPoints(key).isEmpty() || qint64(workspace.runMetrics(runDir).size()) < steps)
                   && clock.elapsed() < 120000)
                QApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
            charted.push_back(clock.nsecsElapsed() / 1e6);
            ticker.stop();
            longest = std::max(longest, gap.nsecsElapsed() / 1e6);
            stall.push_back(longest);
            workspace.removeRunFolder(runDir, &error);
        }
        std::printf("%10lld %10.1f %14.1f %18.1f %16.1f\n", steps,
                    QFileInfo(runDir + QStringLiteral("/metrics.jsonl")).size() / 1e6, fa::bench::median(read),
                    fa::bench::median(stall), fa::bench::median(charted));
        std::fflush(stdout);
    }
    return 0;
}
