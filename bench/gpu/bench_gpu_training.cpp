// Training throughput of the expression-encoder networks on a GPU: MAE pre-training of ViT-B/16
// and triplet fine-tuning of the ViT-B/16 expression encoder, one optimizer step at a time
// (fa::nn::maeStep / tripletStep with bf16 autocast), on synthetic normalised images already on
// the device: this measures the step, the data loader is measured elsewhere. Also measures the
// bf16 matmul rate of the device and the model-FLOPs utilisation (MFU).
//
// FLOPs are counted analytically (the usual 6 x matmul-MACs rule): per token and block, the
// matmul multiply-accumulates are (4 + 2 r) D^2 (qkv 3D^2, proj D^2, MLP 2 r D^2, r = mlp ratio)
// plus 2 T D for attention (q k^T and attn v over T tokens); a training step costs 3 forward
// passes (forward + backward for activations and weights), 2 FLOPs per MAC: 6 x MACs. Added: the
// patch projection (N patches x C p^2 x D), MAE's decoder_embed (T_enc x D x D_dec) and
// decoder_pred (T_dec x D_dec x C p^2), the encoder's 16-d head. LayerNorm, softmax, GELU and the
// optimizer are not counted. MFU = model FLOP/s / measured bf16 matmul FLOP/s (and / --peak-tflops
// when given, e.g. 989 for an H100/H200 SXM dense bf16).
//
// Also the neural renderer (REFERENCE.md section 4, the paper network: 256x256, width 128, 52
// rig controls, batch 128) trained by fa::nn::rendererStep (Adam lr 1e-5, betas (0, 0.99), L1 +
// 10 x region L1) in float32 (cuDNN may use TF32 for the convolutions, LibTorch's default) and
// under bf16 autocast, with cudnn.benchmark on (fixed shapes). Its FLOPs: 6 x the transposed
// convolutions' MACs (C_in x C_out x 4 x 4 x H_in x W_in each); BatchNorm, activations, loss and
// optimizer not counted.
//
// Also the rig decoder (REFERENCE.md section 5): fa::nn::rigDecoderStep with the frozen ViT-B/16
// encoder and two frozen paper renderers (52 and 61 controls) in the graph, batch 16, Adam lr
// 1e-5 betas (0, 0.99), weights rig 10 / embedding 0.2 / image 1; images/s counts source faces
// (each costs a decoder pass, a neural render and an encoder pass with its backward to the
// input). GFLOP/img is not counted for it (0). And the learnt solver's inference path: encoder
// forward + decoder forward on batches of 64 face crops, under NoGradGuard (frames/s).
//
// On a machine without CUDA it runs a tiny configuration in float32 on the CPU (smoke test; the
// renderer: 64 px, width 16, batch 8, float32 only).

#include "nn/autocast_guard.h"
#include "nn/device.h"
#include "nn/expression_encoder.h"
#include "nn/masked_autoencoder.h"
#include "nn/neural_renderer.h"
#include "nn/optimizer_factory.h"
#include "nn/renderer_step.h"
#include "nn/rig_decoder.h"
#include "nn/rig_decoder_step.h"
#include "nn/train_step.h"

#include <ATen/Context.h>

#include <torch/cuda.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Settings
{
    int runs = 5;          // timed runs; the median is reported
    int steps = 20;        // steps per timed run
    int warmupSteps = 5;   // untimed steps first (cuDNN/cuBLAS autotuning, allocator)
    int maeBatch = 256;    // images per MAE step (MAE's per-GPU batch is 64..256)
    int tripletBatch = 64; // triplets per step = 3 x 64 images (reference batch)
    int rendererBatch = 128; // rig/image pairs per renderer step (reference batch)
    int decoderBatch = 16;   // source faces per rig-decoder step (reference batch)
    double peakTflops = 0; // nominal peak for a second MFU column; 0 = not shown
};

void synchronize(const torch::Device &device)
{
    if (device.is_cuda())
        torch::cuda::synchronize();
}

double seconds(Clock::time_point since)
{
    return std::chrono::duration<double>(Clock::now() - since).count();
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n == 0 ? 0.0 : (n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]));
}

// Multiply-accumulates of `depth` blocks of width `dim` over `tokens` tokens (see the header).
double blockMacs(int depth, double dim, double tokens, double mlpRatio)
{
    return depth * tokens * ((4.0 + 2.0 * mlpRatio) * dim * dim + 2.0 * tokens * dim);
}

double maeTrainFlopsPerImage(const fa::nn::VitConfig &vit, const fa::nn::MaeDecoderConfig &decoder)
{
    const double patches = vit.numPatches();
    const double patchValues = double(vit.inChannels) * vit.patchSize * vit.patchSize;
    const double kept = static_cast<int>(patches * (1.0 - decoder.maskRatio));
    const double encoderTokens = 1.0 + kept;
    const double decoderTokens = 1.0 + patches;
    double macs = patches * patchValues * vit.embedDim;
    macs += blockMacs(vit.depth, vit.embedDim, encoderTokens, vit.mlpRatio);
    macs += encoderTokens * vit.embedDim * decoder.embedDim;
    macs += blockMacs(decoder.depth, decoder.embedDim, decoderTokens, vit.mlpRatio);
    macs += decoderTokens * decoder.embedDim * patchValues;
    return 6.0 * macs;
}

double encoderTrainFlopsPerImage(const fa::nn::VitConfig &vit, int embeddingSize)
{
    const double patches = vit.numPatches();
    const double patchValues = double(vit.inChannels) * vit.patchSize * vit.patchSize;
    double macs = patches * patchValues * vit.embedDim;
    macs += blockMacs(vit.depth, vit.embedDim, 1.0 + patches, vit.mlpRatio);
    macs += double(vit.embedDim) * embeddingSize;
    return 6.0 * macs;
}

// Training FLOPs per image of the renderer: 6 x the MACs of its transposed convolutions.
double rendererTrainFlopsPerImage(fa::nn::NeuralRendererImpl &renderer)
{
    double macs = 0;
    int64_t side = 1; // input side of the next layer: the rig is n x 1 x 1
    for (const auto &layer : renderer.main->children()) {
        auto *conv = dynamic_cast<torch::nn::ConvTranspose2dImpl *>(layer.get());
        if (!conv)
            continue;
        const auto &o = conv->options;
        macs += double(o.in_channels()) * o.out_channels() * 16.0 * double(side) * double(side);
        side = side == 1 ? 4 : 2 * side;
    }
    return 6.0 * macs;
}

// FLOP/s of a large square matmul: bf16 on CUDA, float32 on the CPU.
double matmulFlops(const torch::Device &device, int64_t n, int iterations)
{
    torch::NoGradGuard noGrad;
    const auto dtype = device.is_cuda() ? torch::kBFloat16 : torch::kFloat;
    const torch::Tensor a = torch::randn({n, n}, torch::TensorOptions().device(device).dtype(dtype));
    const torch::Tensor b = torch::randn({n, n}, torch::TensorOptions().device(device).dtype(dtype));
    for (int i = 0; i < 3; ++i)
        torch::matmul(a, b);
    synchronize(device);
    std::vector<double> rates;
    for (int run = 0; run < 3; ++run) {
        const auto start = Clock::now();
        for (int i = 0; i < iterations; ++i)
            torch::matmul(a, b);
        synchronize(device);
        rates.push_back(2.0 * double(n) * double(n) * double(n) * iterations / seconds(start));
    }
    return median(rates);
}

struct Measurement
{
    std::string name;
    int batch = 0;          // samples per step (images, or triplets)
    int imagesPerSample = 1;
    std::vector<double> imagesPerSecond;
    double flopsPerImage = 0;
    double lastLoss = 0;
};

// Runs warm-up then timed runs of `step` (which returns the loss), filling images/s per run.
void measure(Measurement &m, const Settings &settings, const torch::Device &device, const std::function<double()> &step)
{
    for (int i = 0; i < settings.warmupSteps; ++i)
        m.lastLoss = step();
    synchronize(device);
    for (int run = 0; run < settings.runs; ++run) {
        const auto start = Clock::now();
        for (int i = 0; i < settings.steps; ++i)
            m.lastLoss = step(); // each step reads its loss back: one sync per step, as training does
        synchronize(device);
        m.imagesPerSecond.push_back(double(m.batch) * m.imagesPerSample * settings.steps / seconds(start));
    }
}

bool parse(int argc, char **argv, Settings &settings)
{
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto next = [&](double &out) {
            if (i + 1 >= argc)
                return false;
            out = std::atof(argv[++i]);
            return true;
        };
        double value = 0;
        if (arg == "--help" || arg == "-h")
            return false;
        if (!next(value))
            return false;
        if (arg == "--runs")
            settings.runs = std::max(1, int(value));
        else if (arg == "--steps")
            settings.steps = std::max(1, int(value));
        else if (arg == "--warmup")
            settings.warmupSteps = std::max(0, int(value));
        else if (arg == "--mae-batch")
            settings.maeBatch = std::max(1, int(value));
        else if (arg == "--triplet-batch")
            settings.tripletBatch = std::max(1, int(value));
        else if (arg == "--decoder-batch")
            settings.decoderBatch = std::max(2, int(value));
        else if (arg == "--renderer-batch")
            settings.rendererBatch = std::max(2, int(value));
        else if (arg == "--peak-tflops")
            settings.peakTflops = value;
        else
            return false;
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    Settings settings;
    if (!parse(argc, argv, settings)) {
        std::printf("usage: bench_gpu_training [--runs N] [--steps N] [--warmup N] [--mae-batch B] "
                    "[--triplet-batch B] [--renderer-batch B] [--decoder-batch B] [--peak-tflops T]\n");
        return 2;
    }
    std::string error;
    const torch::Device device = fa::nn::preferredDevice("auto", &error);
    const bool cuda = device.is_cuda();
    fa::nn::VitConfig vit = fa::nn::VitConfig::base();
    fa::nn::MaeDecoderConfig decoder;
    if (!cuda) { // smoke test: tiny sizes, float32
        vit.imageSize = 32;
        vit.patchSize = 8;
        vit.embedDim = 64;
        vit.depth = 2;
        vit.numHeads = 4;
        decoder.embedDim = 32;
        decoder.depth = 1;
        decoder.numHeads = 4;
        settings.maeBatch = std::min(settings.maeBatch, 16);
        settings.tripletBatch = std::min(settings.tripletBatch, 8);
        settings.steps = std::min(settings.steps, 5);
        settings.runs = std::min(settings.runs, 3);
        settings.warmupSteps = std::min(settings.warmupSteps, 2);
    }
    std::printf("Device: %s (LibTorch %s)\n", fa::nn::deviceDescription(device).c_str(), TORCH_VERSION);
    std::printf("Config: %s, %d px, patch %d, width %d, depth %d, heads %d; MAE decoder %d/%d/%d, mask %.2f; %s\n",
                cuda ? "ViT-B/16" : "tiny CPU smoke test", vit.imageSize, vit.patchSize, vit.embedDim, vit.depth,
                vit.numHeads, decoder.embedDim, decoder.depth, decoder.numHeads, decoder.maskRatio,
                cuda ? "bf16 autocast" : "float32");
    std::printf("Timing: %d warm-up steps, then %d runs x %d steps; median run reported\n\n", settings.warmupSteps,
                settings.runs, settings.steps);

    const int64_t matmulSize = cuda ? 8192 : 512;
    const double peak = matmulFlops(device, matmulSize, cuda ? 20 : 5);
    // TFLOP/s on a GPU, GFLOP/s for the CPU smoke test.
    const double unit = cuda ? 1e12 : 1e9;
    const char *unitName = cuda ? "TFLOP/s" : "GFLOP/s";
    std::printf("Matmul %lldx%lld %s: %.1f %s\n\n", static_cast<long long>(matmulSize),
                static_cast<long long>(matmulSize), cuda ? "bf16" : "float32", peak / unit, unitName);

    fa::nn::StepOptions options;
    options.bf16Autocast = cuda;
    const auto imageOptions = torch::TensorOptions().device(device);
    std::vector<Measurement> results;

    { // MAE pre-training: AdamW (0.9, 0.95), wd 0.05 (MAE main_pretrain.py)
        torch::manual_seed(0);
        fa::nn::MaskedAutoencoder mae(vit, decoder);
        mae->to(device);
        fa::nn::OptimizerSettings optimizerSettings;
        optimizerSettings.lr = 1.5e-4 * settings.maeBatch / 256.0;
        const auto optimizer = fa::nn::makeOptimizer(*mae, optimizerSettings);
        const torch::Tensor images = torch::randn({settings.maeBatch, 3, vit.imageSize, vit.imageSize}, imageOptions);
        Measurement m;
        m.name = "MAE pre-training";
        m.batch = settings.maeBatch;
        m.flopsPerImage = maeTrainFlopsPerImage(vit, decoder);
        measure(m, settings, device, [&] {
            const torch::Tensor noise = torch::rand({settings.maeBatch, vit.numPatches()}, imageOptions);
            return fa::nn::maeStep(mae, *optimizer, images, noise, options).loss;
        });
        results.push_back(m);
    }
    { // Triplet fine-tuning: SGD lr 0.002, momentum 0.9, wd 5e-5, batch 64 (REFERENCE.md section 2)
        torch::manual_seed(1);
        fa::nn::ExpressionEncoder encoder(vit, 16);
        encoder->to(device);
        fa::nn::OptimizerSettings optimizerSettings;
        optimizerSettings.kind = fa::nn::OptimizerKind::Sgd;
        optimizerSettings.lr = 0.002;
        optimizerSettings.weightDecay = 5e-5;
        const auto optimizer = fa::nn::makeOptimizer(*encoder, optimizerSettings);
        const auto shape = std::vector<int64_t>{settings.tripletBatch, 3, vit.imageSize, vit.imageSize};
        const torch::Tensor anchor = torch::randn(shape, imageOptions);
        const torch::Tensor positive = torch::randn(shape, imageOptions);
        const torch::Tensor negative = torch::randn(shape, imageOptions);
        const torch::Tensor margins = torch::full({settings.tripletBatch}, 0.2, imageOptions);
        Measurement m;
        m.name = "Triplet fine-tuning";
        m.batch = settings.tripletBatch;
        m.imagesPerSample = 3;
        m.flopsPerImage = encoderTrainFlopsPerImage(vit, 16);
        measure(m, settings, device, [&] {
            return fa::nn::tripletStep(encoder, *optimizer, anchor, positive, negative, margins, options).loss;
        });
        results.push_back(m);
    }

    { // Neural renderer: the paper network, float32 then bf16 autocast (CPU: tiny, float32 only)
        fa::nn::NeuralRendererOptions rendererOptions(52);
        if (!cuda)
            rendererOptions.imageSize(64).width(16);
        const int batch = cuda ? settings.rendererBatch : std::min(settings.rendererBatch, 8);
        at::globalContext().setBenchmarkCuDNN(true);
        for (const bool bf16 : {false, true}) {
            if (bf16 && !cuda)
                continue; // autocast is CUDA-only in rendererStep
            torch::manual_seed(2);
            fa::nn::NeuralRenderer renderer(rendererOptions);
            renderer->to(device);
            torch::optim::Adam optimizer(renderer->parameters(),
                                         torch::optim::AdamOptions(1e-5).betas({0.0, 0.99}));
            const int64_t size = rendererOptions.imageSize();
            const torch::Tensor rigs = torch::rand({batch, int64_t(52)}, imageOptions);
            const torch::Tensor targets = torch::rand({batch, int64_t(3), size, size}, imageOptions);
            torch::Tensor mask = torch::zeros({1, 1, size, size}, imageOptions);
            mask.slice(2, size * 80 / 256, size * 225 / 256).slice(3, size * 53 / 256, size * 202 / 256).fill_(1.0f);
            fa::nn::StepOptions rendererStepOptions;
            rendererStepOptions.bf16Autocast = bf16;
            Measurement m;
            m.name = std::string(cuda ? "Renderer paper " : "Renderer tiny ") + (bf16 ? "bf16" : "fp32");
            m.batch = batch;
            m.flopsPerImage = rendererTrainFlopsPerImage(*renderer);
            measure(m, settings, device, [&] {
                return fa::nn::rendererStep(renderer, optimizer, rigs, targets, mask, 10.0, rendererStepOptions).loss;
            });
            results.push_back(m);
        }
        at::globalContext().setBenchmarkCuDNN(false);
    }

    { // Rig decoder: frozen encoder and renderers in the graph (the reference's no_grad fixed)
        torch::manual_seed(3);
        fa::nn::ExpressionEncoder encoder(vit, 16);
        encoder->to(device);
        fa::nn::freezeModule(*encoder);
        std::vector<fa::nn::DecoderAvatar> avatars;
        for (const int64_t controls : {int64_t(52), int64_t(61)}) {
            fa::nn::NeuralRendererOptions rendererOptions(controls);
            if (!cuda)
                rendererOptions.imageSize(64).width(16);
            fa::nn::DecoderAvatar avatar;
            avatar.renderer = fa::nn::NeuralRenderer(rendererOptions);
            avatar.renderer->to(device);
            fa::nn::freezeModule(*avatar.renderer);
            avatars.push_back(avatar);
        }
        const int64_t batch = cuda ? settings.decoderBatch : std::min(settings.decoderBatch, 4);
        const int64_t size = avatars.front().renderer->options().imageSize();
        for (const bool bf16 : {false, true}) {
            if (bf16 && !cuda)
                continue;
            fa::nn::RigDecoder rigDecoder(fa::nn::RigDecoderOptions(vit.embedDim, 61));
            rigDecoder->to(device);
            torch::optim::Adam optimizer(rigDecoder->parameters(), torch::optim::AdamOptions(1e-5).betas({0.0, 0.99}));
            fa::nn::RigDecoderBatch b;
            b.faces = torch::randn({batch, 3, int64_t(vit.imageSize), int64_t(vit.imageSize)}, imageOptions);
            b.avatars = torch::arange(batch, torch::TensorOptions().dtype(torch::kLong).device(device)).remainder(2);
            b.rigTargets = torch::rand({batch, int64_t(61)}, imageOptions);
            b.rigWeights = torch::ones({batch}, imageOptions);
            b.imageTargets = torch::rand({batch, 3, size, size}, imageOptions);
            b.imageWeights = torch::ones({batch}, imageOptions);
            fa::nn::StepOptions stepOptions;
            stepOptions.bf16Autocast = bf16;
            const fa::nn::RigDecoderLossOptions lossOptions;
            Measurement m;
            m.name = std::string("Rig decoder ") + (bf16 ? "bf16" : "fp32");
            m.batch = int(batch);
            measure(m, settings, device, [&] {
                return fa::nn::rigDecoderStep(rigDecoder, encoder, avatars, optimizer, b, lossOptions, stepOptions).loss;
            });
            results.push_back(m);
        }
        // Inference of the learnt solver: encoder + decoder, no gradient.
        fa::nn::RigDecoder rigDecoder(fa::nn::RigDecoderOptions(vit.embedDim, 61));
        rigDecoder->to(device);
        rigDecoder->eval();
        const int64_t frames = cuda ? 64 : 8;
        const torch::Tensor crops = torch::randn({frames, 3, int64_t(vit.imageSize), int64_t(vit.imageSize)}, imageOptions);
        const torch::Tensor identity = torch::zeros({frames}, torch::TensorOptions().dtype(torch::kLong).device(device));
        Measurement m;
        m.name = std::string("Solve path ") + (cuda ? "bf16" : "fp32");
        m.batch = int(frames);
        measure(m, settings, device, [&] {
            torch::NoGradGuard noGrad;
            fa::nn::AutocastGuard autocast(cuda);
            return rigDecoder->forward(encoder->forward(crops).patchMean.to(torch::kFloat32), identity).mean().item<double>();
        });
        results.push_back(m);
    }

    std::printf("%-20s %7s %12s %19s %11s %10s %9s", "Model", "Batch", "GFLOP/img", "images/s med (min-max)",
                unitName, "MFU(mm)", "loss");
    if (settings.peakTflops > 0)
        std::printf(" %9s", "MFU(peak)");
    std::printf("\n");
    for (const Measurement &m : results) {
        const double rate = median(m.imagesPerSecond);
        const auto [lo, hi] = std::minmax_element(m.imagesPerSecond.begin(), m.imagesPerSecond.end());
        const double flops = rate * m.flopsPerImage;
        char batch[32];
        std::snprintf(batch, sizeof batch, m.imagesPerSample == 3 ? "%dx3" : "%d", m.batch);
        std::printf("%-20s %7s %12.2f %9.1f (%.1f-%.1f) %11.2f %9.1f%% %9.4f", m.name.c_str(), batch,
                    m.flopsPerImage / 1e9, rate, *lo, *hi, flops / unit, 100.0 * flops / peak, m.lastLoss);
        if (settings.peakTflops > 0)
            std::printf(" %8.1f%%", 100.0 * flops / (settings.peakTflops * 1e12));
        std::printf("\n");
    }
    std::printf("\nGFLOP/img: analytic training FLOPs per image (6 x matmul MACs incl. attention; see the source).\n"
                "MFU(mm): model FLOP/s over the measured matmul rate above (for the fp32 renderer row too).\n"
                "Renderer: %s; GFLOP/img = 6 x transposed-conv MACs.\n",
                cuda ? "256 px, width 128, 52 controls, cudnn.benchmark on"
                     : "64 px, width 16, 52 controls (CPU smoke test)");
    if (!cuda)
        std::printf("No CUDA device: this was the CPU smoke test; the bf16 renderer row needs CUDA and was skipped.\n");
    return 0;
}
