// Training throughput on the CPU: images/s of one MAE pre-training step and one triplet
// fine-tuning step for the tiny, small and vit-b presets (training_presets.h sizes), next to the
// same network, batch and optimizer run through Debian's python3-torch (bench/python/
// bench_training.py over tests/nn/python/mae_reference.py) in the same benchmark run.
// Target (issue 4): C++ / Python >= 1.0.
//
// Both sides: random normalised inputs (the loader is measured by test_batch_loader and by the
// run's loader_wait_fraction), the same torch intra-op thread count, one warm-up step, then the
// median of the timed steps. The two sides alternate in rounds (C++, Python, C++, Python, ...) so
// that load drift on a shared machine hits both alike; the median is over every round's steps.
// The C++ step is fa::nn::maeStep / tripletStep (zero grad, forward,
// backward, global gradient norm, optimizer step) with the C heap set as TrainingRun::run sets
// it (fa::nn::TrainingHeapScope); Python runs the plain equivalent.
//
// With --threads-compare 1, the C++ steps of the first preset also run with 1 torch thread
// against all cores (std::thread::hardware_concurrency), alternating per round (issue 14).
//
// Usage: bench_training [--presets tiny,small,vit-b] [--steps N per round] [--rounds N]
//                       [--threads N (default: LibTorch's)] [--python /usr/bin/python3]
//                       [--threads-compare 1]

#include "nn/expression_encoder.h"
#include "nn/masked_autoencoder.h"
#include "nn/optimizer_factory.h"
#include "nn/train_step.h"
#include "nn/training_heap_scope.h"
#include "training/training_presets.h"

#include "bench_statistics.h"
#include "cpu_thread_modes.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <thread>
#include <vector>

namespace {

struct Case
{
    QString preset;
    QString task; // "mae" or "triplet"
    int batch = 0; // images (mae) or triplets (triplet) per step
};

// Step seconds of the C++ side.
std::vector<double> runCpp(const fa::TrainingConfig &c, const Case &test, int warmup, int steps)
{
    torch::manual_seed(0);
    fa::nn::VitConfig vit;
    vit.imageSize = c.imageSize;
    vit.patchSize = c.patchSize;
    vit.embedDim = c.embedDim;
    vit.depth = c.depth;
    vit.numHeads = c.numHeads;
    vit.mlpRatio = c.mlpRatio;
    std::vector<double> times;
    auto time = [&](const std::function<void()> &step) {
        for (int i = 0; i < warmup + steps; ++i) {
            const auto start = std::chrono::steady_clock::now();
            step();
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            if (i >= warmup)
                times.push_back(s);
        }
    };
    if (test.task == QLatin1String("mae")) {
        fa::nn::MaeDecoderConfig decoder;
        decoder.embedDim = c.decoderEmbedDim;
        decoder.depth = c.decoderDepth;
        decoder.numHeads = c.decoderNumHeads;
        fa::nn::MaskedAutoencoder model(vit, decoder);
        model->train();
        fa::nn::OptimizerSettings settings; // AdamW, MAE's betas and weight decay
        auto optimizer = fa::nn::makeOptimizer(*model, settings);
        const torch::Tensor images = torch::randn({test.batch, 3, vit.imageSize, vit.imageSize});
        time([&] { fa::nn::maeStep(model, *optimizer, images, torch::rand({test.batch, vit.numPatches()})); });
    } else {
        fa::nn::ExpressionEncoder model(vit, c.embeddingSize);
        model->train();
        fa::nn::OptimizerSettings settings;
        settings.kind = fa::nn::OptimizerKind::Sgd;
        settings.lr = 0.002;
        settings.weightDecay = 5e-5;
        auto optimizer = fa::nn::makeOptimizer(*model, settings);
        const auto shape = std::vector<int64_t>{test.batch, 3, vit.imageSize, vit.imageSize};
        const torch::Tensor a = torch::randn(shape), p = torch::randn(shape), n = torch::randn(shape);
        const torch::Tensor margins = torch::full({test.batch}, 0.2);
        time([&] { fa::nn::tripletStep(model, *optimizer, a, p, n, margins); });
    }
    return times;
}

// Step seconds of the Python side, or empty with a message on stderr.
std::vector<double> runPython(const QString &python, const fa::TrainingConfig &c, const Case &test,
                              int warmup, int steps)
{
    const QString script = QStringLiteral(FA_BENCH_DIR "/python/bench_training.py");
    const QStringList args = {script, QStringLiteral("--task"), test.task,
                              QStringLiteral("--image"), QString::number(c.imageSize),
                              QStringLiteral("--patch"), QString::number(c.patchSize),
                              QStringLiteral("--dim"), QString::number(c.embedDim),
                              QStringLiteral("--depth"), QString::number(c.depth),
                              QStringLiteral("--heads"), QString::number(c.numHeads),
                              QStringLiteral("--dec-dim"), QString::number(c.decoderEmbedDim),
                              QStringLiteral("--dec-depth"), QString::number(c.decoderDepth),
                              QStringLiteral("--dec-heads"), QString::number(c.decoderNumHeads),
                              QStringLiteral("--batch"), QString::number(test.batch),
                              QStringLiteral("--steps"), QString::number(steps),
                              QStringLiteral("--warmup"), QString::number(warmup),
                              QStringLiteral("--threads"), QString::number(at::get_num_threads())};
    QProcess process;
    process.start(python, args);
    if (!process.waitForFinished(-1) || process.exitCode() != 0) {
        std::fprintf(stderr, "python baseline failed: %s\n", process.readAllStandardError().constData());
        return {};
    }
    const QByteArray out = process.readAllStandardOutput().trimmed();
    const QJsonArray array = QJsonDocument::fromJson(out.split('\n').last()).object()
                                 .value(QStringLiteral("step_seconds")).toArray();
    std::vector<double> times;
    for (const QJsonValue &v : array)
        times.push_back(v.toDouble());
    return times;
}


// The C++ steps of `preset` with 1 torch thread against all cores, alternating per round; the
// thread count is restored to `threads` afterwards.
void compareThreadCounts(const QString &preset, const std::function<int(const QString &, const QString &)> &batchFor,
                         int rounds, int steps, int threads)
{
    const int allCores = std::max(1, int(std::thread::hardware_concurrency()));
    std::printf("\nC++ step, %s preset: 1 thread against all %d cores: torch, OpenBLAS or both (median of %d rounds x %d steps)\n",
                qPrintable(preset), allCores, rounds, steps);
    const std::vector<fa::bench::CpuThreadMode> modes = fa::bench::cpuThreadModes();
    std::printf("%-8s %6s", "task", "batch");
    for (const fa::bench::CpuThreadMode &mode : modes)
        std::printf(" %10s", mode.name);
    std::printf("   (img/s; torch/BLAS threads:");
    for (const fa::bench::CpuThreadMode &mode : modes)
        std::printf(" %d/%d", mode.torch, mode.blas);
    std::printf(")\n");
    for (const QString &task : {QStringLiteral("mae"), QStringLiteral("triplet")}) {
        QString error;
        const auto config = fa::trainingPreset(task, preset, &error);
        if (!config) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return;
        }
        const Case test{preset, task, batchFor(preset, task)};
        const int images = task == QLatin1String("mae") ? test.batch : 3 * test.batch;
        std::vector<std::vector<double>> times(modes.size());
        for (int round = 0; round < rounds; ++round) {
            for (std::size_t m = 0; m < modes.size(); ++m) {
                fa::bench::applyCpuThreadMode(modes[m]);
                const auto t = runCpp(*config, test, 1, steps);
                times[m].insert(times[m].end(), t.begin(), t.end());
            }
        }
        at::set_num_threads(threads);
        std::printf("%-8s %6d", qPrintable(task), test.batch);
        for (const std::vector<double> &t : times)
            std::printf(" %10.1f", images / fa::bench::median(t));
        std::printf("\n");
        std::fflush(stdout);
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList presets = {QStringLiteral("tiny"), QStringLiteral("small"), QStringLiteral("vit-b")};
    int steps = 5;
    int rounds = 3;
    int threads = at::get_num_threads();
    QString python = QStringLiteral("/usr/bin/python3");
    bool threadsCompare = false;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--presets"))
            presets = args[i + 1].split(QLatin1Char(','));
        else if (args[i] == QLatin1String("--steps"))
            steps = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--rounds"))
            rounds = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--threads"))
            threads = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--python"))
            python = args[i + 1];
        else if (args[i] == QLatin1String("--threads-compare"))
            threadsCompare = args[i + 1].toInt() != 0;
    }
    // Batches small enough for a 2-core machine; both sides use the same ones.
    auto batchFor = [](const QString &preset, const QString &task) {
        const bool mae = task == QLatin1String("mae");
        if (preset == QLatin1String("tiny"))
            return mae ? 32 : 16;
        if (preset == QLatin1String("small"))
            return mae ? 16 : 8;
        return mae ? 8 : 4;
    };
    // LibTorch's default intra-op thread count (Debian's: 1, which on 2 cores beats 2 because
    // OpenBLAS runs its own threads; bench/RESULTS.md); Python gets the same count.
    at::set_num_threads(threads);
    const fa::nn::TrainingHeapScope heap; // as TrainingRun::run
    const int warmup = 1;
    std::printf("CPU training step, %d torch threads, median of %d rounds x %d steps (1 warm-up each), "
                "sides alternating\n", at::get_num_threads(), rounds, steps);
    std::printf("%-7s %-8s %6s %8s %12s %12s %8s\n", "preset", "task", "batch", "images", "C++ img/s",
                "Python img/s", "ratio");
    for (const QString &preset : presets) {
        for (const QString &task : {QStringLiteral("mae"), QStringLiteral("triplet")}) {
            QString error;
            const auto config = fa::trainingPreset(task, preset, &error);
            if (!config) {
                std::fprintf(stderr, "%s\n", qPrintable(error));
                return 2;
            }
            const Case test{preset, task, batchFor(preset, task)};
            const int images = task == QLatin1String("mae") ? test.batch : 3 * test.batch;
            std::vector<double> cppTimes, pyTimes;
            for (int round = 0; round < rounds; ++round) {
                const auto c = runCpp(*config, test, warmup, steps);
                const auto p = runPython(python, *config, test, warmup, steps);
                cppTimes.insert(cppTimes.end(), c.begin(), c.end());
                pyTimes.insert(pyTimes.end(), p.begin(), p.end());
            }
            const double cpp = fa::bench::median(cppTimes);
            const double py = fa::bench::median(pyTimes);
            const double cppRate = cpp > 0 ? images / cpp : 0.0;
            const double pyRate = py > 0 ? images / py : 0.0;
            std::printf("%-7s %-8s %6d %8d %12.1f %12.1f %8.2f\n", qPrintable(preset), qPrintable(task),
                        test.batch, images, cppRate, pyRate, pyRate > 0 ? cppRate / pyRate : 0.0);
            std::fflush(stdout);
        }
    }
    if (threadsCompare && !presets.isEmpty())
        compareThreadCounts(presets.front(), batchFor, rounds, steps, threads);
    return 0;
}
