// Neural renderer speed on the CPU (REFERENCE.md section 4):
//  1. training images/s of one rendererStep (Adam lr 1e-5, betas (0, 0.99); loss L1 + 10 x
//     masked L1 over the reference's mouth and eye boxes), next to the same network, batch, loss
//     and optimizer run through Debian's python3-torch (bench/python/bench_renderer.py over
//     tests/nn/python/renderer_reference.py) in the same run; target (issue 14): C++ / Python >= 1.0;
//  2. neural preview latency: one rig, eval mode, NoGradGuard, ms per frame, also against Python;
//  3. the tiny training step with 1 thread against all cores: torch's intra-op threads,
//     OpenBLAS's threads, or both (C++ only; nn::useCpuThreads).
// Presets: tiny = 64 px, width 16, batch 32; paper = 256 px, width 128 (the reference network),
// trained at a small batch (default 4; the reference uses 128 on a GPU) so that it finishes on a
// 2-core machine. Rigs have 52 controls (ARKit-sized) drawn in [0, 1); targets are random.
//
// Both sides use the same torch intra-op thread count (LibTorch's default unless --threads), one
// warm-up step, then the median of the timed steps; the sides alternate in rounds (C++, Python,
// C++, ...) so that load drift hits both alike. The C++ step also computes the global gradient
// norm (StepResult.gradNorm), the Python step does not. Nothing is asserted.
//
// Usage: bench_renderer [--steps N per round] [--paper-steps N] [--rounds N] [--paper-batch B]
//                       [--threads N] [--python /usr/bin/python3] [--skip-paper 1]

#include "nn/neural_renderer.h"
#include "nn/renderer_step.h"
#include "nn/training_heap_scope.h"

#include "bench_statistics.h"

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

#include "cpu_thread_modes.h"
#include <vector>

namespace {

constexpr int kRigSize = 52;

struct Preset
{
    const char *name;
    int imageSize;
    int width;
    int batch;
    int steps;
};

// Mouth x [75, 175) y [175, 225) and eyes x [53, 202) y [80, 133) on 256 px (the reference's
// boxes), scaled to `size`; as bench_renderer.py's region_mask.
torch::Tensor regionMask(int size)
{
    torch::Tensor mask = torch::zeros({1, 1, size, size});
    const double s = size / 256.0;
    const int boxes[2][4] = {{75, 175, 175, 225}, {53, 202, 80, 133}};
    for (const auto &b : boxes)
        mask.slice(2, int(b[2] * s), int(b[3] * s)).slice(3, int(b[0] * s), int(b[1] * s)).fill_(1.0f);
    return mask;
}

double secondsOf(const std::function<void()> &work)
{
    const auto start = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Seconds per training step (train = true) or per one-rig preview frame of the C++ side.
std::vector<double> runCpp(const Preset &preset, bool train, int warmup, int steps)
{
    torch::manual_seed(0);
    fa::nn::NeuralRenderer model(
        fa::nn::NeuralRendererOptions(kRigSize).imageSize(preset.imageSize).width(preset.width));
    std::vector<double> times;
    if (train) {
        torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-5).betas({0.0, 0.99}));
        const torch::Tensor rigs = torch::rand({preset.batch, kRigSize});
        const torch::Tensor images = torch::rand({preset.batch, 3, preset.imageSize, preset.imageSize});
        const torch::Tensor mask = regionMask(preset.imageSize);
        for (int i = 0; i < warmup + steps; ++i) {
            const double s = secondsOf([&] { fa::nn::rendererStep(model, optimizer, rigs, images, mask, 10.0); });
            if (i >= warmup)
                times.push_back(s);
        }
    } else {
        model->eval();
        const torch::Tensor rig = torch::rand({1, kRigSize});
        torch::NoGradGuard noGrad;
        for (int i = 0; i < warmup + steps; ++i) {
            const double s = secondsOf([&] { model->forward(rig); });
            if (i >= warmup)
                times.push_back(s);
        }
    }
    return times;
}

// The same on the Python side, or empty with a message on stderr.
std::vector<double> runPython(const QString &python, const Preset &preset, bool train, int warmup, int steps)
{
    const QString script = QStringLiteral(FA_BENCH_DIR "/python/bench_renderer.py");
    const QStringList args = {script,
                              QStringLiteral("--mode"), train ? QStringLiteral("train") : QStringLiteral("preview"),
                              QStringLiteral("--image"), QString::number(preset.imageSize),
                              QStringLiteral("--width"), QString::number(preset.width),
                              QStringLiteral("--rig"), QString::number(kRigSize),
                              QStringLiteral("--batch"), QString::number(train ? preset.batch : 1),
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
    const QJsonArray array =
        QJsonDocument::fromJson(out.split('\n').last()).object().value(QStringLiteral("step_seconds")).toArray();
    std::vector<double> times;
    for (const QJsonValue &v : array)
        times.push_back(v.toDouble());
    return times;
}

// Medians (seconds) of both sides over `rounds` alternating rounds.
std::pair<double, double> compare(const QString &python, const Preset &preset, bool train, int rounds, int steps)
{
    std::vector<double> cppTimes, pyTimes;
    for (int round = 0; round < rounds; ++round) {
        const auto c = runCpp(preset, train, 1, steps);
        const auto p = runPython(python, preset, train, 1, steps);
        cppTimes.insert(cppTimes.end(), c.begin(), c.end());
        pyTimes.insert(pyTimes.end(), p.begin(), p.end());
    }
    return {fa::bench::median(cppTimes), fa::bench::median(pyTimes)};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int steps = 10;
    int paperSteps = 3;
    int rounds = 3;
    int paperBatch = 4;
    int threads = at::get_num_threads();
    bool skipPaper = false;
    QString python = QStringLiteral("/usr/bin/python3");
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--steps"))
            steps = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--paper-steps"))
            paperSteps = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--rounds"))
            rounds = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--paper-batch"))
            paperBatch = std::max(2, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--threads"))
            threads = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--python"))
            python = args[i + 1];
        else if (args[i] == QLatin1String("--skip-paper"))
            skipPaper = args[i + 1].toInt() != 0;
    }
    at::set_num_threads(threads);
    const fa::nn::TrainingHeapScope heap; // as TrainingRun::run
    std::vector<Preset> presets = {{"tiny", 64, 16, 32, steps}};
    if (!skipPaper)
        presets.push_back({"paper", 256, 128, paperBatch, paperSteps});

    std::printf("Neural renderer on the CPU, %d torch threads (%u hardware threads), %d rig controls; "
                "median of %d rounds (1 warm-up each), sides alternating\n\n",
                at::get_num_threads(), std::thread::hardware_concurrency(), kRigSize, rounds);
    std::printf("Training step (Adam, L1 + 10 x region L1)\n");
    std::printf("%-6s %5s %6s %6s %6s %12s %12s %7s\n", "preset", "size", "width", "batch", "steps", "C++ img/s",
                "Python img/s", "ratio");
    for (const Preset &preset : presets) {
        const auto [cpp, py] = compare(python, preset, true, rounds, preset.steps);
        const double cppRate = cpp > 0 ? preset.batch / cpp : 0.0;
        const double pyRate = py > 0 ? preset.batch / py : 0.0;
        std::printf("%-6s %5d %6d %6d %6d %12.1f %12.1f %7.2f\n", preset.name, preset.imageSize, preset.width,
                    preset.batch, preset.steps, cppRate, pyRate, pyRate > 0 ? cppRate / pyRate : 0.0);
        std::fflush(stdout);
    }

    std::printf("\nPreview latency (one rig, eval mode, no grad), ms per frame\n");
    std::printf("%-6s %5s %6s %10s %10s %7s\n", "preset", "size", "width", "C++ ms", "Python ms", "py/C++");
    for (const Preset &preset : presets) {
        const int frames = preset.imageSize >= 256 ? 10 : 50;
        const auto [cpp, py] = compare(python, preset, false, rounds, frames);
        std::printf("%-6s %5d %6d %10.2f %10.2f %7.2f\n", preset.name, preset.imageSize, preset.width, 1000 * cpp,
                    1000 * py, cpp > 0 ? py / cpp : 0.0);
        std::fflush(stdout);
    }

    // 1 thread against all cores (torch's threads, OpenBLAS's, both), C++ only, alternating per round.
    const Preset &tiny = presets.front();
    const std::vector<fa::bench::CpuThreadMode> modes = fa::bench::cpuThreadModes();
    std::vector<std::vector<double>> times(modes.size());
    for (int round = 0; round < rounds; ++round) {
        for (std::size_t m = 0; m < modes.size(); ++m) {
            fa::bench::applyCpuThreadMode(modes[m]);
            const auto t = runCpp(tiny, true, 1, tiny.steps);
            times[m].insert(times[m].end(), t.begin(), t.end());
        }
    }
    at::set_num_threads(threads);
    std::printf("\nTiny training step, C++: 1 thread against all cores (torch intra-op threads, OpenBLAS threads)\n");
    std::printf("%-10s %6s %5s %12s %7s\n", "mode", "torch", "BLAS", "img/s", "vs 1");
    const double oneRate = tiny.batch / fa::bench::median(times.front());
    for (std::size_t m = 0; m < modes.size(); ++m) {
        const double rate = tiny.batch / fa::bench::median(times[m]);
        std::printf("%-10s %6d %5d %12.1f %7.2f\n", modes[m].name, modes[m].torch, modes[m].blas, rate, rate / oneRate);
    }
    return 0;
}
