// The neural renderer (core/nn/neural_renderer.h): shapes, value range, state-dict keys (those of
// a Python nn.Sequential `main`), no biases, DCGAN initialisation statistics, the region-weighted
// L1 loss on hand-computed values, and rendererStep (loss falls on a fixed batch, a NaN batch
// changes nothing, bf16 autocast on CUDA).

#include "nn/neural_renderer.h"
#include "nn/renderer_loss.h"
#include "nn/renderer_step.h"
#include "nn/state_dict.h"

#include <torch/torch.h>

#include <QtTest>

#include <cmath>
#include <string>
#include <vector>

using FloatList = std::vector<float>;
Q_DECLARE_METATYPE(FloatList)

namespace {

std::vector<std::string> keysOf(const torch::nn::Module &module)
{
    std::vector<std::string> keys;
    for (const auto &[name, tensor] : fa::nn::stateDictOf(module))
        keys.push_back(name);
    return keys;
}

// Transposed-conv weights and BatchNorm weights/biases of `model`, each concatenated.
struct Layers
{
    std::vector<torch::Tensor> convWeights;
    std::vector<torch::Tensor> normWeights;
    std::vector<torch::Tensor> normBiases;
    int convBiases = 0;
};

Layers layersOf(fa::nn::NeuralRendererImpl &model)
{
    Layers layers;
    for (const auto &layer : model.main->children()) {
        if (auto *conv = dynamic_cast<torch::nn::ConvTranspose2dImpl *>(layer.get())) {
            layers.convWeights.push_back(conv->weight.detach().flatten());
            layers.convBiases += conv->bias.defined() ? 1 : 0;
        } else if (auto *norm = dynamic_cast<torch::nn::BatchNorm2dImpl *>(layer.get())) {
            layers.normWeights.push_back(norm->weight.detach());
            layers.normBiases.push_back(norm->bias.detach());
        }
    }
    return layers;
}

bool sameWeights(const fa::nn::StateDict &a, const fa::nn::StateDict &b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (a[i].first != b[i].first || !torch::equal(a[i].second, b[i].second))
            return false;
    return true;
}

torch::Tensor tensorOf(const FloatList &values, std::vector<int64_t> shape)
{
    return torch::tensor(values).view(shape);
}

} // namespace

class TestNeuralRenderer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shapesAndRange_data();
    void shapesAndRange();
    void stateDictKeys_data();
    void stateDictKeys();
    void invalidOptions();
    void initialisation();
    void regionWeightedL1_data();
    void regionWeightedL1();
    void regionWeightedL1BroadcastAndGradient();
    void stepLossFalls();
    void nanBatchChangesNothing();
    void stepBf16Cuda();
};

void TestNeuralRenderer::shapesAndRange_data()
{
    QTest::addColumn<int>("imageSize");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("rigSize");
    QTest::addColumn<int>("batch");
    QTest::newRow("64, width 16 (tiny)") << 64 << 16 << 10 << 3;
    QTest::newRow("64, width 1, one control") << 64 << 1 << 1 << 2;
    QTest::newRow("128, width 8") << 128 << 8 << 20 << 2;
    QTest::newRow("256, width 4") << 256 << 4 << 7 << 2;
    QTest::newRow("256, width 128 (paper)") << 256 << 128 << 32 << 2;
}

void TestNeuralRenderer::shapesAndRange()
{
    QFETCH(int, imageSize);
    QFETCH(int, width);
    QFETCH(int, rigSize);
    QFETCH(int, batch);
    torch::manual_seed(0);
    fa::nn::NeuralRenderer model(fa::nn::NeuralRendererOptions(rigSize).imageSize(imageSize).width(width));
    QCOMPARE(model->options().imageSize(), int64_t(imageSize));
    const torch::Tensor rigs = torch::rand({batch, rigSize});
    torch::NoGradGuard noGrad;
    for (const bool train : {true, false}) {
        model->train(train);
        const torch::Tensor images = model->forward(rigs);
        QCOMPARE(images.sizes().vec(), (std::vector<int64_t>{batch, 3, imageSize, imageSize}));
        QCOMPARE(images.scalar_type(), torch::kFloat);
        QVERIFY(images.min().item<double>() >= 0.0);
        QVERIFY(images.max().item<double>() <= 1.0);
        QVERIFY(images.std().item<double>() > 0.0); // not constant
    }
    // One rig in eval mode (the preview): [1, 3, S, S].
    QCOMPARE(model->forward(rigs.slice(0, 0, 1)).size(0), int64_t(1));
}

void TestNeuralRenderer::stateDictKeys_data()
{
    QTest::addColumn<int>("imageSize");
    QTest::addColumn<int>("lastConv"); // index of the final ngf -> 3 convolution in `main`
    QTest::newRow("64") << 64 << 12;
    QTest::newRow("128") << 128 << 15;
    QTest::newRow("256") << 256 << 18;
}

void TestNeuralRenderer::stateDictKeys()
{
    QFETCH(int, imageSize);
    QFETCH(int, lastConv);
    fa::nn::NeuralRenderer model(fa::nn::NeuralRendererOptions(6).imageSize(imageSize).width(2));
    // As Python's nn.Sequential `main` (tests/nn/python/renderer_reference.py): conv weight, then
    // BatchNorm weight, bias, running_mean, running_var, num_batches_tracked; ReLU has no keys.
    std::vector<std::string> expected;
    for (int i = 0; i < lastConv; i += 3) {
        const std::string conv = "main." + std::to_string(i) + ".";
        const std::string norm = "main." + std::to_string(i + 1) + ".";
        expected.insert(expected.end(), {conv + "weight", norm + "weight", norm + "bias", norm + "running_mean",
                                         norm + "running_var", norm + "num_batches_tracked"});
    }
    expected.push_back("main." + std::to_string(lastConv) + ".weight");
    QCOMPARE(keysOf(*model), expected);
    const auto dict = fa::nn::stateDictOf(*model);
    QCOMPARE(dict.front().second.sizes().vec(), (std::vector<int64_t>{6, 16, 4, 4})); // n -> 8 ngf
    QCOMPARE(dict.back().second.sizes().vec(), (std::vector<int64_t>{2, 3, 4, 4}));   // ngf -> 3
    QCOMPARE(model->main->size(), size_t(lastConv + 2));                              // + Sigmoid
}

void TestNeuralRenderer::invalidOptions()
{
    std::string error;
    QVERIFY(fa::nn::NeuralRendererOptions(5).isValid(&error));
    QVERIFY(error.empty());
    QVERIFY(!fa::nn::NeuralRendererOptions(5).imageSize(100).isValid(&error));
    QCOMPARE(QString::fromStdString(error), QStringLiteral("image size 100: must be 64, 128 or 256"));
    QVERIFY(!fa::nn::NeuralRendererOptions(0).isValid(&error));
    QCOMPARE(QString::fromStdString(error), QStringLiteral("rig size 0: must be at least 1"));
    QVERIFY(!fa::nn::NeuralRendererOptions(5).width(0).isValid(&error));
    QCOMPARE(QString::fromStdString(error), QStringLiteral("width 0: must be at least 1"));
    bool threw = false;
    try {
        fa::nn::NeuralRenderer model(fa::nn::NeuralRendererOptions(5).imageSize(32));
    } catch (const c10::Error &) {
        threw = true;
    }
    QVERIFY(threw);
}

void TestNeuralRenderer::initialisation()
{
    torch::manual_seed(1);
    fa::nn::NeuralRenderer model(fa::nn::NeuralRendererOptions(32).imageSize(128).width(32));
    const Layers layers = layersOf(*model);
    QCOMPARE(layers.convBiases, 0);
    QCOMPARE(int(layers.convWeights.size()), 6);
    QCOMPARE(int(layers.normWeights.size()), 5);
    // Only BatchNorm affine parameters besides the conv weights: no bias anywhere else.
    int64_t parameters = 0;
    for (const auto &p : model->named_parameters()) {
        const bool bias = p.key().size() > 5 && p.key().substr(p.key().size() - 5) == ".bias";
        if (bias)
            QVERIFY2(model->main[std::stoi(p.key().substr(5))]->as<torch::nn::BatchNorm2d>(), p.key().c_str());
        parameters += p.value().numel();
    }
    QVERIFY(parameters > 0);

    // Every transposed conv ~ N(0, 0.02), each layer on its own (the smallest has 32*3*16 = 1536
    // values: the sample std is within 10% of 0.02 with overwhelming probability).
    for (const auto &weight : layers.convWeights) {
        const double std = weight.std().item<double>();
        const double mean = weight.mean().item<double>();
        QVERIFY2(std::abs(std - 0.02) < 0.002, qPrintable(QString::number(std)));
        QVERIFY2(std::abs(mean) < 0.002, qPrintable(QString::number(mean)));
    }
    const torch::Tensor normWeights = torch::cat(layers.normWeights);
    QVERIFY(std::abs(normWeights.mean().item<double>() - 1.0) < 0.005);
    QVERIFY(std::abs(normWeights.std().item<double>() - 0.02) < 0.004);
    QCOMPARE(torch::cat(layers.normBiases).abs().max().item<double>(), 0.0);

    // Construction (torch's own layer init, then ours) and re-drawing are reproducible by seed.
    torch::manual_seed(1);
    fa::nn::NeuralRenderer twin(fa::nn::NeuralRendererOptions(32).imageSize(128).width(32));
    const fa::nn::StateDict constructed = fa::nn::stateDictOf(*model);
    QVERIFY(sameWeights(constructed, fa::nn::stateDictOf(*twin)));
    torch::manual_seed(7);
    model->resetParameters();
    torch::manual_seed(7);
    twin->resetParameters();
    QVERIFY(sameWeights(fa::nn::stateDictOf(*model), fa::nn::stateDictOf(*twin)));
    QVERIFY(!sameWeights(constructed, fa::nn::stateDictOf(*model)));
}

void TestNeuralRenderer::regionWeightedL1_data()
{
    // One image, 3 channels of 2x2 (R, G, B planes, row-major), prediction all 0.
    QTest::addColumn<FloatList>("target");
    QTest::addColumn<FloatList>("mask");
    QTest::addColumn<double>("weight");
    QTest::addColumn<double>("expected");
    const FloatList half(12, 0.5f);
    QTest::newRow("equal images") << FloatList(12, 0.0f) << FloatList{1, 1, 1, 1} << 10.0 << 0.0;
    QTest::newRow("empty mask: plain L1") << half << FloatList{0, 0, 0, 0} << 10.0 << 0.5;
    QTest::newRow("full mask: 1 + weight") << half << FloatList{1, 1, 1, 1} << 10.0 << 5.5;
    // |d| sums 1.5 over 12 values; inside the mask (pixel 0, all channels) 1 over 12.
    QTest::newRow("one pixel masked") << FloatList{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.5f} << FloatList{1, 0, 0, 0}
                                      << 10.0 << 1.5 / 12.0 + 10.0 / 12.0;
    // Masked pixel 3 holds 0.5 in B only: 1.5 / 12 + 2 * 0.5 / 12.
    QTest::newRow("weight 2, other pixel") << FloatList{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.5f}
                                           << FloatList{0, 0, 0, 1} << 2.0 << 2.5 / 12.0;
    QTest::newRow("weight 0") << half << FloatList{1, 1, 1, 1} << 0.0 << 0.5;
}

void TestNeuralRenderer::regionWeightedL1()
{
    QFETCH(FloatList, target);
    QFETCH(FloatList, mask);
    QFETCH(double, weight);
    QFETCH(double, expected);
    const torch::Tensor prediction = torch::zeros({1, 3, 2, 2});
    const torch::Tensor loss =
        fa::nn::regionWeightedL1(prediction, tensorOf(target, {1, 3, 2, 2}), tensorOf(mask, {1, 1, 2, 2}), weight);
    QCOMPARE(loss.dim(), int64_t(0));
    QVERIFY2(std::abs(loss.item<double>() - expected) < 1e-6, qPrintable(QString::number(loss.item<double>())));
    // Symmetric in prediction and target.
    const torch::Tensor swapped =
        fa::nn::regionWeightedL1(tensorOf(target, {1, 3, 2, 2}), prediction, tensorOf(mask, {1, 1, 2, 2}), weight);
    QVERIFY(std::abs(swapped.item<double>() - expected) < 1e-6);
}

void TestNeuralRenderer::regionWeightedL1BroadcastAndGradient()
{
    // A [1, 1, S, S] mask is the same as that mask repeated over the batch.
    torch::manual_seed(2);
    const torch::Tensor prediction = torch::rand({4, 3, 8, 8}, torch::requires_grad());
    const torch::Tensor target = torch::rand({4, 3, 8, 8});
    const torch::Tensor mask = (torch::rand({1, 1, 8, 8}) > 0.5).to(torch::kFloat);
    const torch::Tensor shared = fa::nn::regionWeightedL1(prediction, target, mask, 10.0);
    const torch::Tensor repeated = fa::nn::regionWeightedL1(prediction, target, mask.repeat({4, 1, 1, 1}), 10.0);
    QVERIFY(torch::allclose(shared, repeated));
    // d/dp = sign(p - t) * (1 + 10 * mask) / N, N = 4 * 3 * 8 * 8.
    shared.backward();
    const torch::Tensor expected = torch::sign(prediction.detach() - target) * (1.0 + 10.0 * mask) / 768.0;
    QVERIFY(torch::allclose(prediction.grad(), expected, 1e-6, 1e-7));
}

void TestNeuralRenderer::stepLossFalls()
{
    torch::manual_seed(3);
    fa::nn::NeuralRenderer model(fa::nn::NeuralRendererOptions(6).imageSize(64).width(4));
    torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(2e-3).betas({0.0, 0.99}));
    const torch::Tensor rigs = torch::rand({4, 6});
    // A flat colour per sample, far from the initial grey: learnable by the tiny net.
    const torch::Tensor images = torch::rand({4, 3, 1, 1}).round().expand({4, 3, 64, 64}).contiguous();
    torch::Tensor mask = torch::zeros({1, 1, 64, 64});
    mask.slice(2, 40, 56).slice(3, 16, 48).fill_(1.0f);
    std::vector<double> losses;
    for (int step = 0; step < 30; ++step) {
        const fa::nn::StepResult result = fa::nn::rendererStep(model, optimizer, rigs, images, mask, 10.0);
        QVERIFY(result.finite);
        QVERIFY(result.gradNorm > 0.0);
        losses.push_back(result.loss);
    }
    qInfo("Renderer 64 px, width 4, fixed batch of 4: loss %.4f -> %.4f after 30 steps", losses.front(),
          losses.back());
    QVERIFY(model->is_training());
    QVERIFY(losses.back() < 0.9 * losses.front());
}

void TestNeuralRenderer::nanBatchChangesNothing()
{
    torch::manual_seed(4);
    fa::nn::NeuralRenderer model(fa::nn::NeuralRendererOptions(6).imageSize(64).width(4));
    torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(1e-3).betas({0.0, 0.99}));
    const torch::Tensor images = torch::rand({2, 3, 64, 64});
    const torch::Tensor mask = torch::ones({1, 1, 64, 64});
    QVERIFY(fa::nn::rendererStep(model, optimizer, torch::rand({2, 6}), images, mask, 10.0).finite);
    std::vector<torch::Tensor> before;
    for (const auto &p : model->parameters())
        before.push_back(p.detach().clone());
    torch::Tensor rigs = torch::rand({2, 6});
    rigs[1][2] = std::nanf("");
    const fa::nn::StepResult result = fa::nn::rendererStep(model, optimizer, rigs, images, mask, 10.0);
    QVERIFY(!result.finite);
    QVERIFY(std::isnan(result.loss));
    const auto after = model->parameters();
    for (size_t i = 0; i < before.size(); ++i)
        QVERIFY(torch::equal(before[i], after[i]));
}

void TestNeuralRenderer::stepBf16Cuda()
{
    if (!torch::cuda::is_available())
        QSKIP("no CUDA device");
    torch::manual_seed(5);
    fa::nn::NeuralRenderer model(fa::nn::NeuralRendererOptions(6).imageSize(64).width(8));
    model->to(torch::kCUDA);
    torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(2e-3).betas({0.0, 0.99}));
    const torch::Tensor rigs = torch::rand({4, 6}).to(torch::kCUDA);
    const torch::Tensor images = torch::rand({4, 3, 1, 1}).round().expand({4, 3, 64, 64}).contiguous().to(torch::kCUDA);
    const torch::Tensor mask = torch::ones({1, 1, 64, 64}).to(torch::kCUDA);
    fa::nn::StepOptions options;
    options.bf16Autocast = true;
    std::vector<double> losses;
    for (int step = 0; step < 30; ++step) {
        const fa::nn::StepResult result = fa::nn::rendererStep(model, optimizer, rigs, images, mask, 10.0, options);
        QVERIFY(result.finite);
        losses.push_back(result.loss);
    }
    qInfo("CUDA bf16 renderer: loss %.4f -> %.4f", losses.front(), losses.back());
    QVERIFY(losses.back() < 0.9 * losses.front());
}

QTEST_GUILESS_MAIN(TestNeuralRenderer)
#include "test_neural_renderer.moc"
