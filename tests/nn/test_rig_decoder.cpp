// The rig decoder (core/nn/rig_decoder.h) and its loss and step (rig_decoder_loss.h,
// rig_decoder_step.h): shapes and range, state-dict keys, option errors, the rig MSE over an
// avatar's own controls only, the weights applied, and gradients that reach the decoder through
// the frozen neural renderer and encoder (the reference's no_grad defect) while the frozen
// networks stay unchanged.

#include "nn/rig_decoder.h"
#include "nn/rig_decoder_loss.h"
#include "nn/rig_decoder_step.h"
#include "nn/state_dict.h"

#include "small_network.h"

#include <torch/torch.h>

#include <QtTest>

#include <string>
#include <vector>

namespace {

std::vector<std::string> keysOf(const torch::nn::Module &module)
{
    std::vector<std::string> keys;
    for (const auto &[name, tensor] : fa::nn::stateDictOf(module))
        keys.push_back(name);
    return keys;
}

std::vector<std::string> denseKeys(const std::string &prefix)
{
    std::vector<std::string> keys;
    for (const char *key : {"fc.weight", "fc.bias", "norm.weight", "norm.bias", "norm.running_mean",
                            "norm.running_var", "norm.num_batches_tracked"})
        keys.push_back(prefix + key);
    return keys;
}

// Two small avatars (5 and 7 controls) behind a decoder with n_max 7 and a small encoder.
struct Fixture
{
    fa::nn::ExpressionEncoder encoder{nullptr};
    fa::nn::RigDecoder decoder{nullptr};
    std::vector<fa::nn::DecoderAvatar> avatars;
    fa::nn::RigDecoderBatch batch;

    Fixture()
    {
        torch::manual_seed(7);
        encoder = fa::nn::ExpressionEncoder(fa::test::smallVitConfig(), 16);
        decoder = fa::nn::RigDecoder(fa::nn::RigDecoderOptions(encoder->config().embedDim, 7).identities(3)
                                         .hiddenSize(32));
        for (const int64_t n : {5, 7}) {
            fa::nn::DecoderAvatar avatar;
            avatar.renderer = fa::nn::NeuralRenderer(fa::nn::NeuralRendererOptions(n).imageSize(64).width(4));
            {
                // A renderer whose image depends on the rig as a trained one does (DCGAN's
                // N(0, 0.02) start barely moves a sigmoid output away from 0.5).
                torch::NoGradGuard noGrad;
                for (torch::Tensor &p : avatar.renderer->parameters())
                    if (p.dim() == 4)
                        p.normal_(0.0, 0.3);
            }
            fa::nn::freezeModule(*avatar.renderer);
            avatars.push_back(avatar);
        }
        fa::nn::freezeModule(*encoder);
        const int64_t b = 6;
        batch.faces = torch::randn({b, 3, 32, 32});
        batch.avatars = torch::tensor({0, 1, 0, 1, 1, 0}, torch::kLong);
        batch.rigTargets = torch::rand({b, 7});
        batch.rigWeights = torch::ones({b});
        batch.imageTargets = torch::rand({b, 3, 48, 48});
        batch.imageWeights = torch::tensor({1.0f, 0.0f, 1.0f, 1.0f, 0.0f, 0.0f});
    }
};

std::vector<torch::Tensor> snapshot(const torch::nn::Module &module)
{
    std::vector<torch::Tensor> values;
    for (const torch::Tensor &t : module.parameters())
        values.push_back(t.detach().clone());
    return values;
}

// Largest absolute change of each parameter since `before`.
std::vector<double> changes(const torch::nn::Module &module, const std::vector<torch::Tensor> &before)
{
    std::vector<double> out;
    const auto now = module.parameters();
    for (std::size_t i = 0; i < now.size(); ++i)
        out.push_back((now[i].detach() - before[i]).abs().max().item<double>());
    return out;
}

double maxOf(const std::vector<double> &values)
{
    double m = 0.0;
    for (const double v : values)
        m = std::max(m, v);
    return m;
}

} // namespace

class TestRigDecoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shapesAndRange_data();
    void shapesAndRange();
    void stateDictKeys();
    void invalidOptions_data();
    void invalidOptions();
    void identityRowChangesTheOutput();
    void patchMeanIsTheEncoderFeatureBeforeFcNorm();
    void rigLossCoversOnlyTheAvatarsControls();
    void weightsAreApplied();
    void symmetryTerm();
    void encoderInputOfRenders();
    void gradientsReachTheDecoderThroughTheFrozenNetworks_data();
    void gradientsReachTheDecoderThroughTheFrozenNetworks();
};

void TestRigDecoder::shapesAndRange_data()
{
    QTest::addColumn<int>("featureSize");
    QTest::addColumn<int>("rigSize");
    QTest::addColumn<int>("hidden");
    QTest::newRow("reference (ViT-B, 61 controls)") << 768 << 61 << 512;
    QTest::newRow("tiny encoder, ARKit") << 192 << 52 << 512;
    QTest::newRow("narrow") << 64 << 3 << 16;
}

void TestRigDecoder::shapesAndRange()
{
    QFETCH(int, featureSize);
    QFETCH(int, rigSize);
    QFETCH(int, hidden);
    torch::manual_seed(1);
    fa::nn::RigDecoder decoder(fa::nn::RigDecoderOptions(featureSize, rigSize).hiddenSize(hidden));
    const torch::Tensor rigs = decoder->forward(torch::randn({4, featureSize}) * 3, torch::tensor({0, 3, 9, 0}));
    QCOMPARE(rigs.sizes().vec(), (std::vector<int64_t>{4, rigSize}));
    QVERIFY(rigs.min().item<double>() >= 0.0);
    QVERIFY(rigs.max().item<double>() <= 1.0);
    // Xavier-uniform Linear weights and zero biases, as the reference.
    const double bound = std::sqrt(6.0 / double(hidden + rigSize));
    QVERIFY(decoder->head->weight.abs().max().item<double>() <= bound);
    QCOMPARE(decoder->head->bias.abs().max().item<double>(), 0.0);
    QCOMPARE(decoder->stem->fc->bias.abs().max().item<double>(), 0.0);
}

void TestRigDecoder::stateDictKeys()
{
    fa::nn::RigDecoder decoder(fa::nn::RigDecoderOptions(8, 4).hiddenSize(6));
    std::vector<std::string> expected = {"identity_embed.weight"};
    for (const auto &prefix : {"stem.", "blocks.0.layer1.", "blocks.0.layer2.", "blocks.1.layer1.", "blocks.1.layer2."})
        for (const auto &key : denseKeys(prefix))
            expected.push_back(key);
    expected.push_back("head.weight");
    expected.push_back("head.bias");
    QCOMPARE(keysOf(*decoder), expected);
    QCOMPARE(decoder->identity_embed->weight.sizes().vec(), (std::vector<int64_t>{10, 16}));
    QCOMPARE(decoder->stem->fc->weight.sizes().vec(), (std::vector<int64_t>{6, 16 + 8}));
}

void TestRigDecoder::invalidOptions_data()
{
    QTest::addColumn<int>("which");
    QTest::addColumn<QString>("error");
    QTest::newRow("no features") << 0 << "feature size 0: must be at least 1";
    QTest::newRow("no controls") << 1 << "rig size 0: must be at least 1";
    QTest::newRow("no identities") << 2 << "identities 0: must be at least 1";
    QTest::newRow("negative blocks") << 3 << "blocks -1: must be at least 0";
    QTest::newRow("dropout 1") << 4 << "dropout 1.000000: must be in [0, 1)";
}

void TestRigDecoder::invalidOptions()
{
    QFETCH(int, which);
    QFETCH(QString, error);
    fa::nn::RigDecoderOptions options(8, 4);
    if (which == 0)
        options.featureSize(0);
    else if (which == 1)
        options.rigSize(0);
    else if (which == 2)
        options.identities(0);
    else if (which == 3)
        options.blocks(-1);
    else
        options.dropout(1.0);
    std::string why;
    QVERIFY(!options.isValid(&why));
    QCOMPARE(QString::fromStdString(why), error);
    QVERIFY_THROWS_EXCEPTION(c10::Error, fa::nn::RigDecoder{options});
}

void TestRigDecoder::identityRowChangesTheOutput()
{
    torch::manual_seed(3);
    fa::nn::RigDecoder decoder(fa::nn::RigDecoderOptions(8, 4).identities(2).hiddenSize(16));
    decoder->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor feature = torch::randn({1, 8}).repeat({2, 1});
    const torch::Tensor rigs = decoder->forward(feature, torch::tensor({0, 1}));
    QVERIFY((rigs[0] - rigs[1]).abs().max().item<double>() > 1e-4);
    QVERIFY_THROWS_EXCEPTION(c10::Error, decoder->forward(feature, torch::tensor({0, 2})));
}

void TestRigDecoder::patchMeanIsTheEncoderFeatureBeforeFcNorm()
{
    torch::manual_seed(5);
    fa::nn::ExpressionEncoder encoder(fa::test::smallVitConfig(), 16);
    encoder->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor images = torch::randn({2, 3, 32, 32});
    const fa::nn::ExpressionOutput out = encoder->forward(images);
    const torch::Tensor patches = encoder->tokens(images).slice(1, 1); // without the cls token
    QVERIFY(torch::allclose(out.patchMean, patches.mean(1)));
    QVERIFY(torch::allclose(out.feature, encoder->fc_norm->forward(out.patchMean)));
    QVERIFY((out.patchMean - out.feature).abs().max().item<double>() > 1e-3);
}

void TestRigDecoder::rigLossCoversOnlyTheAvatarsControls()
{
    Fixture f;
    fa::nn::RigDecoderLossOptions options;
    // Avatar 0 has 5 controls: its targets 5 and 6 are padding and must not count.
    f.batch.rigTargets.index_put_({f.batch.avatars == 0, torch::indexing::Slice(5, 7)}, 100.0);
    f.decoder->eval(); // same dropout-free forward both times
    const fa::nn::RigDecoderLossTerms a = fa::nn::rigDecoderLoss(f.decoder, f.encoder, f.avatars, f.batch, options);
    f.batch.rigTargets.index_put_({f.batch.avatars == 0, torch::indexing::Slice(5, 7)}, -100.0);
    const fa::nn::RigDecoderLossTerms b = fa::nn::rigDecoderLoss(f.decoder, f.encoder, f.avatars, f.batch, options);
    QCOMPARE(a.rig.item<double>(), b.rig.item<double>());
    QVERIFY(a.rig.item<double>() < 1.0);
    // By hand: the mean over (sample, own control) entries.
    const torch::Tensor rigs = a.rigs.detach();
    double sum = 0.0;
    int count = 0;
    for (int64_t i = 0; i < rigs.size(0); ++i) {
        const int64_t n = f.batch.avatars[i].item<int64_t>() == 0 ? 5 : 7;
        for (int64_t j = 0; j < n; ++j, ++count)
            sum += std::pow(rigs[i][j].item<double>() - f.batch.rigTargets[i][j].item<double>(), 2);
    }
    QVERIFY(std::abs(a.rig.item<double>() - sum / count) < 1e-6);
    // Per-control weights (a real frame's target covers only the avatar's ARKit controls).
    const torch::Tensor perControl = torch::ones({6, 7});
    perControl.select(1, 2).zero_();
    f.batch.rigWeights = perControl;
    double sum2 = 0.0;
    int count2 = 0;
    for (int64_t i = 0; i < rigs.size(0); ++i) {
        const int64_t n = f.batch.avatars[i].item<int64_t>() == 0 ? 5 : 7;
        for (int64_t j = 0; j < n; ++j)
            if (j != 2)
                sum2 += std::pow(rigs[i][j].item<double>() - f.batch.rigTargets[i][j].item<double>(), 2), ++count2;
    }
    const double masked = fa::nn::rigDecoderLoss(f.decoder, f.encoder, f.avatars, f.batch, options).rig.item<double>();
    QVERIFY(std::abs(masked - sum2 / count2) < 1e-6);
    // No sample with a target: the term is 0.
    f.batch.rigWeights = torch::zeros({6});
    QCOMPARE(fa::nn::rigDecoderLoss(f.decoder, f.encoder, f.avatars, f.batch, options).rig.item<double>(), 0.0);
}

void TestRigDecoder::weightsAreApplied()
{
    Fixture f;
    f.decoder->eval();
    fa::nn::RigDecoderLossOptions options;
    options.rigWeight = 10;
    options.embeddingWeight = 0.2;
    options.imageWeight = 1;
    const auto t = fa::nn::rigDecoderLoss(f.decoder, f.encoder, f.avatars, f.batch, options);
    QVERIFY(t.embedding.item<double>() > 0.0);
    QVERIFY(t.image.item<double>() > 0.0);
    const double expected = 10 * t.rig.item<double>() + 0.2 * t.embedding.item<double>() + t.image.item<double>();
    QVERIFY(std::abs(t.total.item<double>() - expected) < 1e-6);
    // The image term averages the samples with a paired render only.
    const torch::Tensor neural = fa::nn::renderRigs(f.avatars, t.rigs.detach(), f.batch.avatars, 48);
    const torch::Tensor perSample = (neural - f.batch.imageTargets).abs().mean({1, 2, 3});
    const double byHand = (perSample * f.batch.imageWeights).sum().item<double>() / 3.0;
    QVERIFY(std::abs(t.image.item<double>() - byHand) < 1e-6);
}

void TestRigDecoder::symmetryTerm()
{
    Fixture f;
    f.decoder->eval();
    fa::nn::RigDecoderLossOptions options;
    QCOMPARE(fa::nn::rigDecoderLoss(f.decoder, f.encoder, f.avatars, f.batch, options).symmetry.item<double>(), 0.0);
    // Avatar 1: controls 0 <-> 1 mirrored, the rest are their own mirror.
    f.avatars[1].mirror = torch::tensor({1, 0, 2, 3, 4, 5, 6}, torch::kLong);
    const auto t = fa::nn::rigDecoderLoss(f.decoder, f.encoder, f.avatars, f.batch, options);
    const torch::Tensor r = t.rigs.detach().index_select(0, (f.batch.avatars == 1).nonzero().flatten());
    const double byHand = (2.0 * (r.select(1, 0) - r.select(1, 1)).pow(2) / 7.0).mean().item<double>();
    QVERIFY(std::abs(t.symmetry.item<double>() - byHand) < 1e-6);
    QVERIFY(t.symmetry.item<double>() > 0.0);
}

void TestRigDecoder::encoderInputOfRenders()
{
    // A render of one colour becomes that colour normalised with the face statistics, at the
    // encoder's size; a gradient at the centre comes out of the centre crop.
    const torch::Tensor grey = torch::full({2, 3, 64, 64}, 0.5);
    const torch::Tensor input = fa::nn::normalizeForEncoder(grey, 32);
    QCOMPARE(input.sizes().vec(), (std::vector<int64_t>{2, 3, 32, 32}));
    QVERIFY(std::abs(input[0][0][5][5].item<double>() - (0.5 - 0.499) / 0.297) < 1e-5);
    QVERIFY(std::abs(input[1][2][31][0].item<double>() - (0.5 - 0.366) / 0.265) < 1e-5);
    // Centre crop of floor(32 * 256 / 224) = 36: a bar at columns [0, 4) of a 36-px image is cut off.
    torch::Tensor bars = torch::zeros({1, 3, 36, 36});
    bars.slice(3, 0, 2).fill_(1.0);
    const torch::Tensor cropped = fa::nn::normalizeForEncoder(bars, 32);
    QVERIFY(std::abs(cropped[0][0][10][0].item<double>() - (0.0 - 0.499) / 0.297) < 1e-5);
}

void TestRigDecoder::gradientsReachTheDecoderThroughTheFrozenNetworks_data()
{
    QTest::addColumn<double>("embeddingWeight");
    QTest::addColumn<double>("imageWeight");
    QTest::addColumn<int>("space");
    QTest::newRow("embedding term alone") << 1.0 << 0.0 << int(fa::nn::ExpressionSpace::Embedding);
    QTest::newRow("pooled-feature space alone") << 1.0 << 0.0 << int(fa::nn::ExpressionSpace::PooledFeature);
    QTest::newRow("image term alone") << 0.0 << 1.0 << int(fa::nn::ExpressionSpace::Embedding);
}

void TestRigDecoder::gradientsReachTheDecoderThroughTheFrozenNetworks()
{
    QFETCH(double, embeddingWeight);
    QFETCH(double, imageWeight);
    QFETCH(int, space);
    Fixture f;
    fa::nn::RigDecoderLossOptions options;
    options.rigWeight = 0;
    options.embeddingWeight = embeddingWeight;
    options.imageWeight = imageWeight;
    options.space = fa::nn::ExpressionSpace(space);
    const auto decoderBefore = snapshot(*f.decoder);
    const auto encoderBefore = snapshot(*f.encoder);
    const auto rendererBefore = snapshot(*f.avatars[1].renderer);
    torch::optim::SGD optimizer(f.decoder->parameters(), torch::optim::SGDOptions(1.0));
    fa::nn::RigDecoderStepTerms terms;
    const fa::nn::StepResult result =
        fa::nn::rigDecoderStep(f.decoder, f.encoder, f.avatars, optimizer, f.batch, options, {}, &terms);
    QVERIFY(result.finite);
    QVERIFY(result.gradNorm > 0.0);
    // Every decoder tensor that reaches the output moved; the frozen networks did not, and no
    // gradient was even kept for them.
    QVERIFY(f.decoder->stem->fc->weight.grad().defined());
    QVERIFY(f.decoder->head->weight.grad().abs().max().item<double>() > 0.0);
    QVERIFY(maxOf(changes(*f.decoder, decoderBefore)) > 0.0);
    qInfo("decoder gradient norm %.3g", result.gradNorm);
    const torch::Tensor row2 = f.decoder->identity_embed->weight[2];
    QCOMPARE((row2 - decoderBefore.front()[2]).abs().max().item<double>(), 0.0); // no sample drives identity 2
    QVERIFY((f.decoder->identity_embed->weight[0] - decoderBefore.front()[0]).abs().max().item<double>() > 0.0);
    QCOMPARE(maxOf(changes(*f.encoder, encoderBefore)), 0.0);
    QCOMPARE(maxOf(changes(*f.avatars[1].renderer, rendererBefore)), 0.0);
    for (const torch::Tensor &p : f.encoder->parameters())
        QVERIFY(!p.grad().defined());
    QVERIFY(!f.avatars[1].renderer->is_training());
}

QTEST_GUILESS_MAIN(TestRigDecoder)
#include "test_rig_decoder.moc"
