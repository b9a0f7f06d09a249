// Rig-decoder training on the CPU: seconds per fa::nn::rigDecoderStep (the frozen encoder and two
// frozen renderers in the graph, the sources' encoder outputs given as the trainer gives them),
// next to the same step in Debian's python3-torch (bench/python/bench_rig_decoder.py over the
// interop-tested modules of tests/nn/python) in the same run. Target (issue 15): C++ / Python
// >= 1.0 in images/s. Random inputs; the sides alternate in rounds; median of the timed steps.
//
//   bench_rig_decoder [--rounds N] [--steps N] [--threads N] [--python /usr/bin/python3]
//
// Size: the tiny preset's encoder as the CPU runs use it (ViT-Ti/16 at 112 px, embed 192, depth
// 12, 3 heads), renderers of 52 and 61 controls at 64 px, width 16, batch 8.

#include "bench_statistics.h"
#include "nn/expression_encoder.h"
#include "nn/neural_renderer.h"
#include "nn/rig_decoder.h"
#include "nn/rig_decoder_step.h"
#include "nn/training_heap_scope.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <torch/torch.h>

#include <chrono>
#include <cstdio>

namespace {

constexpr int kImage = 112, kPatch = 16, kDim = 192, kDepth = 12, kHeads = 3;
constexpr int kRender = 64, kWidth = 16, kBatch = 8;

std::vector<double> runCpp(int warmup, int steps)
{
    torch::manual_seed(0);
    fa::nn::VitConfig vit;
    vit.imageSize = kImage;
    vit.patchSize = kPatch;
    vit.embedDim = kDim;
    vit.depth = kDepth;
    vit.numHeads = kHeads;
    fa::nn::ExpressionEncoder encoder(vit, 16);
    fa::nn::freezeModule(*encoder);
    std::vector<fa::nn::DecoderAvatar> avatars;
    for (const int64_t n : {int64_t(52), int64_t(61)}) {
        fa::nn::DecoderAvatar avatar;
        avatar.renderer = fa::nn::NeuralRenderer(fa::nn::NeuralRendererOptions(n).imageSize(kRender).width(kWidth));
        fa::nn::freezeModule(*avatar.renderer);
        avatars.push_back(avatar);
    }
    fa::nn::RigDecoder decoder(fa::nn::RigDecoderOptions(kDim, 61));
    torch::optim::Adam optimizer(decoder->parameters(), torch::optim::AdamOptions(1e-5).betas({0.0, 0.99}));
    fa::nn::RigDecoderBatch batch;
    batch.sourcePatchMean = torch::randn({kBatch, kDim});
    batch.sourceEmbedding = torch::nn::functional::normalize(torch::randn({kBatch, 16}),
                                                             torch::nn::functional::NormalizeFuncOptions().dim(1));
    batch.avatars = torch::arange(kBatch, torch::kLong).remainder(2);
    batch.rigTargets = torch::rand({kBatch, 61});
    batch.rigWeights = torch::ones({kBatch});
    batch.imageTargets = torch::rand({kBatch, 3, kRender, kRender});
    batch.imageWeights = torch::ones({kBatch});
    const fa::nn::RigDecoderLossOptions loss;
    std::vector<double> times;
    for (int i = 0; i < warmup + steps; ++i) {
        const auto start = std::chrono::steady_clock::now();
        fa::nn::rigDecoderStep(decoder, encoder, avatars, optimizer, batch, loss);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (i >= warmup)
            times.push_back(s);
    }
    return times;
}

std::vector<double> runPython(const QString &python, int warmup, int steps)
{
    QStringList args = {QStringLiteral(FA_BENCH_DIR "/python/bench_rig_decoder.py")};
    const std::vector<std::pair<const char *, int>> values = {
        {"image", kImage}, {"patch", kPatch}, {"dim", kDim}, {"depth", kDepth}, {"heads", kHeads}, {"render", kRender},
        {"width", kWidth}, {"batch", kBatch}, {"steps", steps}, {"warmup", warmup}, {"threads", at::get_num_threads()}};
    for (const auto &[name, value] : values)
        args << QStringLiteral("--") + QLatin1String(name) << QString::number(value);
    QProcess process;
    process.start(python, args);
    if (!process.waitForFinished(-1) || process.exitCode() != 0) {
        std::fprintf(stderr, "python baseline failed: %s\n", process.readAllStandardError().constData());
        return {};
    }
    const QJsonArray array = QJsonDocument::fromJson(process.readAllStandardOutput().trimmed().split('\n').last())
                                 .object()
                                 .value(QStringLiteral("step_seconds"))
                                 .toArray();
    std::vector<double> times;
    for (const QJsonValue &v : array)
        times.push_back(v.toDouble());
    return times;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int rounds = 3;
    int steps = 5;
    int threads = at::get_num_threads();
    QString python = QStringLiteral("/usr/bin/python3");
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--rounds"))
            rounds = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--steps"))
            steps = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--threads"))
            threads = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--python"))
            python = args[i + 1];
    }
    at::set_num_threads(threads);
    const fa::nn::TrainingHeapScope heap; // as TrainingRun::run
    std::printf("Rig-decoder step: ViT-Ti/16 at %d px (frozen, in the graph), renderers 52 and 61 controls at %d px "
                "width %d, batch %d; %d threads, %d rounds x %d steps\n\n", kImage, kRender, kWidth, kBatch, threads,
                rounds, steps);
    std::vector<double> cpp, py;
    for (int r = 0; r < rounds; ++r) {
        const auto c = runCpp(1, steps);
        const auto p = runPython(python, 1, steps);
        cpp.insert(cpp.end(), c.begin(), c.end());
        py.insert(py.end(), p.begin(), p.end());
    }
    const double cppRate = kBatch / fa::bench::median(cpp);
    const double pyRate = py.empty() ? 0.0 : kBatch / fa::bench::median(py);
    std::printf("%-12s %12s %12s %8s\n", "", "C++ img/s", "Python img/s", "ratio");
    std::printf("%-12s %12.1f %12.1f %8.2f\n", "train step", cppRate, pyRate, pyRate > 0 ? cppRate / pyRate : 0.0);
    return 0;
}
