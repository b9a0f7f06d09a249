// Shapes, key names, initialisation and masking of the ViT, MAE and expression encoder
// (core/nn) against facts of timm 0.3.2 / MAE (models_mae.py, models_vit.py, util/pos_embed.py).

#include "nn/expression_encoder.h"
#include "nn/masked_autoencoder.h"
#include "nn/position_embedding.h"
#include "nn/state_dict.h"
#include "nn/vision_transformer.h"

#include <torch/torch.h>

#include "small_network.h"

#include <QtTest>

#include <cmath>
#include <string>
#include <vector>

using fa::nn::MaeDecoderConfig;
using fa::nn::VitConfig;

using Keys = std::vector<std::string>;
Q_DECLARE_METATYPE(Keys)
Q_DECLARE_METATYPE(VitConfig)

namespace {

const Keys kBlock0 = {"blocks.0.norm1.weight", "blocks.0.norm1.bias", "blocks.0.attn.qkv.weight",
                      "blocks.0.attn.qkv.bias", "blocks.0.attn.proj.weight", "blocks.0.attn.proj.bias",
                      "blocks.0.norm2.weight", "blocks.0.norm2.bias", "blocks.0.mlp.fc1.weight",
                      "blocks.0.mlp.fc1.bias", "blocks.0.mlp.fc2.weight", "blocks.0.mlp.fc2.bias"};
const Keys kBlock1 = {"blocks.1.norm1.weight", "blocks.1.norm1.bias", "blocks.1.attn.qkv.weight",
                      "blocks.1.attn.qkv.bias", "blocks.1.attn.proj.weight", "blocks.1.attn.proj.bias",
                      "blocks.1.norm2.weight", "blocks.1.norm2.bias", "blocks.1.mlp.fc1.weight",
                      "blocks.1.mlp.fc1.bias", "blocks.1.mlp.fc2.weight", "blocks.1.mlp.fc2.bias"};

Keys concat(std::initializer_list<Keys> parts)
{
    Keys out;
    for (const auto &part : parts)
        out.insert(out.end(), part.begin(), part.end());
    return out;
}

// models_mae.MaskedAutoencoderViT(img 32, patch 8, dim 64, depth 2, decoder 32/1) state_dict keys,
// as printed by Python (own parameters first, then submodules in attribute order).
const Keys kMaeKeys = concat(
    {{"cls_token", "pos_embed", "mask_token", "decoder_pos_embed", "patch_embed.proj.weight", "patch_embed.proj.bias"},
     kBlock0,
     kBlock1,
     {"norm.weight", "norm.bias", "decoder_embed.weight", "decoder_embed.bias", "decoder_blocks.0.norm1.weight",
      "decoder_blocks.0.norm1.bias", "decoder_blocks.0.attn.qkv.weight", "decoder_blocks.0.attn.qkv.bias",
      "decoder_blocks.0.attn.proj.weight", "decoder_blocks.0.attn.proj.bias", "decoder_blocks.0.norm2.weight",
      "decoder_blocks.0.norm2.bias", "decoder_blocks.0.mlp.fc1.weight", "decoder_blocks.0.mlp.fc1.bias",
      "decoder_blocks.0.mlp.fc2.weight", "decoder_blocks.0.mlp.fc2.bias", "decoder_norm.weight", "decoder_norm.bias",
      "decoder_pred.weight", "decoder_pred.bias"}});

Keys keysOf(const torch::nn::Module &module)
{
    Keys keys;
    for (const auto &[name, tensor] : fa::nn::stateDictOf(module)) {
        (void)tensor;
        keys.push_back(name);
    }
    return keys;
}

std::vector<int64_t> shapeOf(const torch::nn::Module &module, const std::string &key)
{
    for (const auto &item : module.named_parameters())
        if (item.key() == key)
            return item.value().sizes().vec();
    return {};
}

} // namespace

class TestNetworks : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::manual_seed(7); }
    void presets_data();
    void presets();
    void validation_data();
    void validation();
    void positionEmbeddingSmall();
    void positionEmbeddingMatchesNumpySpots();
    void vitKeys_data();
    void vitKeys();
    void maeKeysAndShapes();
    void parameterCountsOfVitB();
    void vitShapes();
    void encoderOutputs();
    void maeOutputsAndMasking();
    void patchifyLayout();
    void initialisation();
};

void TestNetworks::presets_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("known");
    QTest::addColumn<int>("embedDim");
    QTest::addColumn<int>("numHeads");
    QTest::newRow("tiny") << QStringLiteral("tiny") << true << 192 << 3;
    QTest::newRow("small") << QStringLiteral("small") << true << 384 << 6;
    QTest::newRow("vit-b") << QStringLiteral("vit-b") << true << 768 << 12;
    QTest::newRow("base alias") << QStringLiteral("base") << true << 768 << 12;
    QTest::newRow("unknown") << QStringLiteral("huge") << false << 0 << 0;
    QTest::newRow("case matters") << QStringLiteral("Tiny") << false << 0 << 0;
}

void TestNetworks::presets()
{
    QFETCH(QString, name);
    QFETCH(bool, known);
    QFETCH(int, embedDim);
    QFETCH(int, numHeads);
    const auto config = VitConfig::fromPresetName(name.toStdString());
    QCOMPARE(config.has_value(), known);
    if (!known)
        return;
    QCOMPARE(config->embedDim, embedDim);
    QCOMPARE(config->numHeads, numHeads);
    QCOMPARE(config->depth, 12);
    QCOMPARE(config->imageSize, 224);
    QCOMPARE(config->patchSize, 16);
    QCOMPARE(config->gridSize(), 14);
    QCOMPARE(config->numPatches(), 196);
    QCOMPARE(config->mlpHiddenDim(), 4 * embedDim);
    QCOMPARE(config->layerNormEps, 1e-6);
    QVERIFY(config->validationError().empty());
}

void TestNetworks::validation_data()
{
    QTest::addColumn<VitConfig>("config");
    QTest::addColumn<QString>("problem"); // substring of the error; empty = valid
    VitConfig ok = fa::test::smallVitConfig();
    QTest::newRow("small is valid") << ok << QString();
    VitConfig c = ok;
    c.imageSize = 30;
    QTest::newRow("image not a multiple of patch") << c << QStringLiteral("multiple of the patch size");
    c = ok;
    c.numHeads = 5;
    QTest::newRow("width not a multiple of heads") << c << QStringLiteral("head count");
    c = ok;
    c.embedDim = 6;
    c.numHeads = 3;
    QTest::newRow("width not a multiple of 4") << c << QStringLiteral("multiple of 4");
    c = ok;
    c.patchSize = 0;
    QTest::newRow("zero patch") << c << QStringLiteral("positive");
}

void TestNetworks::validation()
{
    QFETCH(VitConfig, config);
    QFETCH(QString, problem);
    const QString error = QString::fromStdString(config.validationError());
    if (problem.isEmpty())
        QVERIFY2(error.isEmpty(), qPrintable(error));
    else
        QVERIFY2(error.contains(problem), qPrintable(error));
}

void TestNetworks::positionEmbeddingSmall()
{
    // get_2d_sincos_pos_embed(8, 2, cls_token=True) printed by numpy (MAE util/pos_embed.py).
    const float s1 = 0.841471016f, s2 = 0.00999983307f, c1 = 0.540302277f, c2 = 0.999949992f;
    const std::vector<std::vector<float>> expected = {
        {0, 0, 0, 0, 0, 0, 0, 0},           // cls
        {0, 0, 1, 1, 0, 0, 1, 1},           // (h 0, w 0)
        {s1, s2, c1, c2, 0, 0, 1, 1},       // (h 0, w 1): first half encodes w
        {0, 0, 1, 1, s1, s2, c1, c2},       // (h 1, w 0)
        {s1, s2, c1, c2, s1, s2, c1, c2}};  // (h 1, w 1)
    const torch::Tensor table = fa::nn::sincosPositionEmbedding2d(8, 2, true);
    QCOMPARE(table.sizes().vec(), (std::vector<int64_t>{5, 8}));
    QCOMPARE(table.scalar_type(), torch::kFloat);
    for (int r = 0; r < 5; ++r)
        for (int c = 0; c < 8; ++c)
            QVERIFY2(std::abs(table[r][c].item<float>() - expected[size_t(r)][size_t(c)]) <= 1e-7f,
                     qPrintable(QStringLiteral("row %1 column %2").arg(r).arg(c)));
    QCOMPARE(fa::nn::sincosPositionEmbedding2d(8, 2, false).sizes().vec(), (std::vector<int64_t>{4, 8}));
    QVERIFY(!fa::nn::sincosPositionEmbedding2d(6, 2, true).defined()); // D not a multiple of 4
}

void TestNetworks::positionEmbeddingMatchesNumpySpots()
{
    // Entries of get_2d_sincos_pos_embed(768, 14, cls_token=True) printed by numpy.
    const torch::Tensor table = fa::nn::sincosPositionEmbedding2d(768, 14, true);
    QCOMPARE(table.sizes().vec(), (std::vector<int64_t>{197, 768}));
    const struct
    {
        int row, column;
        float value;
    } spots[] = {{2, 0, 0.841471016f},      {196, 191, 0.00136388105f}, {196, 192, 0.907446802f},
                 {196, 383, 0.999999046f},  {196, 384, 0.420167059f},   {196, 575, 0.00136388105f},
                 {196, 576, 0.907446802f},  {196, 767, 0.999999046f},   {100, 500, 0.0268150885f}};
    for (const auto &spot : spots)
        QVERIFY2(std::abs(table[spot.row][spot.column].item<float>() - spot.value) <= 1e-6f,
                 qPrintable(QStringLiteral("row %1 column %2").arg(spot.row).arg(spot.column)));
}

void TestNetworks::vitKeys_data()
{
    QTest::addColumn<bool>("globalPool");
    QTest::addColumn<int>("numClasses");
    QTest::addColumn<Keys>("keys");
    const Keys prefix = {"cls_token", "pos_embed", "patch_embed.proj.weight", "patch_embed.proj.bias"};
    QTest::newRow("cls token, no head") << false << 0 << concat({prefix, kBlock0, kBlock1, {"norm.weight", "norm.bias"}});
    QTest::newRow("cls token, head 10")
        << false << 10 << concat({prefix, kBlock0, kBlock1, {"norm.weight", "norm.bias", "head.weight", "head.bias"}});
    // models_vit with global_pool: timm's head, then fc_norm (added after `del self.norm`).
    QTest::newRow("global pool, head 16") << true << 16
                                          << concat({prefix, kBlock0, kBlock1,
                                                     {"head.weight", "head.bias", "fc_norm.weight", "fc_norm.bias"}});
}

void TestNetworks::vitKeys()
{
    QFETCH(bool, globalPool);
    QFETCH(int, numClasses);
    QFETCH(Keys, keys);
    fa::nn::VisionTransformer vit(fa::test::smallVitConfig(), globalPool, numClasses);
    QCOMPARE(keysOf(*vit), keys);
    if (globalPool && numClasses == 16) {
        fa::nn::ExpressionEncoder encoder(fa::test::smallVitConfig(), 16);
        QCOMPARE(keysOf(*encoder), keys);
    }
}

void TestNetworks::maeKeysAndShapes()
{
    fa::nn::MaskedAutoencoder mae(fa::test::smallVitConfig(), fa::test::smallDecoderConfig());
    QCOMPARE(keysOf(*mae), kMaeKeys);
    using Shape = std::vector<int64_t>;
    QCOMPARE(shapeOf(*mae, "cls_token"), (Shape{1, 1, 64}));
    QCOMPARE(shapeOf(*mae, "pos_embed"), (Shape{1, 17, 64}));
    QCOMPARE(shapeOf(*mae, "mask_token"), (Shape{1, 1, 32}));
    QCOMPARE(shapeOf(*mae, "decoder_pos_embed"), (Shape{1, 17, 32}));
    QCOMPARE(shapeOf(*mae, "patch_embed.proj.weight"), (Shape{64, 3, 8, 8}));
    QCOMPARE(shapeOf(*mae, "blocks.1.attn.qkv.weight"), (Shape{192, 64}));
    QCOMPARE(shapeOf(*mae, "blocks.1.mlp.fc1.weight"), (Shape{256, 64}));
    QCOMPARE(shapeOf(*mae, "decoder_embed.weight"), (Shape{32, 64}));
    QCOMPARE(shapeOf(*mae, "decoder_blocks.0.mlp.fc2.weight"), (Shape{32, 128}));
    QCOMPARE(shapeOf(*mae, "decoder_pred.weight"), (Shape{192, 32}));
    // Fixed sin-cos tables are parameters that do not train (MAE: requires_grad=False).
    QVERIFY(!mae->pos_embed.requires_grad());
    QVERIFY(!mae->decoder_pos_embed.requires_grad());
    QVERIFY(mae->cls_token.requires_grad());
    QVERIFY(mae->mask_token.requires_grad());
    QVERIFY(torch::equal(mae->pos_embed[0], fa::nn::sincosPositionEmbedding2d(64, 4, true)));
}

void TestNetworks::parameterCountsOfVitB()
{
    // Python: sum(p.numel() for p in mae_vit_base_patch16().parameters()) == 111,907,840 (MAE
    // ViT-B with its fixed tables); the global-pool ViT-B with a 16-d head == 85,810,960.
    const auto count = [](const torch::nn::Module &module) {
        int64_t n = 0;
        for (const auto &p : module.parameters())
            n += p.numel();
        return n;
    };
    fa::nn::MaskedAutoencoder mae(VitConfig::base(), MaeDecoderConfig());
    QCOMPARE(count(*mae), int64_t(111907840));
    fa::nn::ExpressionEncoder encoder(VitConfig::base(), 16);
    QCOMPARE(count(*encoder), int64_t(85810960));
}

void TestNetworks::vitShapes()
{
    torch::NoGradGuard noGrad;
    fa::nn::VisionTransformer vit(fa::test::smallVitConfig(), false, 10);
    const torch::Tensor images = torch::randn({3, 3, 32, 32});
    QCOMPARE(vit->tokens(images).sizes().vec(), (std::vector<int64_t>{3, 17, 64}));
    QCOMPARE(vit->pooledFeature(images).sizes().vec(), (std::vector<int64_t>{3, 64}));
    QCOMPARE(vit->forward(images).sizes().vec(), (std::vector<int64_t>{3, 10}));
    // Without head the forward is the pooled feature; the cls-token feature is LayerNorm'ed.
    fa::nn::VisionTransformer plain(fa::test::smallVitConfig(), false, 0);
    const torch::Tensor feature = plain->forward(images);
    QCOMPARE(feature.sizes().vec(), (std::vector<int64_t>{3, 64}));
    QVERIFY(feature.mean(1).abs().max().item<float>() < 1e-5f);
}

void TestNetworks::encoderOutputs()
{
    torch::NoGradGuard noGrad;
    fa::nn::ExpressionEncoder encoder(fa::test::smallVitConfig(), 16);
    QCOMPARE(encoder->embeddingSize(), 16);
    const torch::Tensor images = torch::randn({4, 3, 32, 32});
    const fa::nn::ExpressionOutput out = encoder->forward(images);
    QCOMPARE(out.embedding.sizes().vec(), (std::vector<int64_t>{4, 16}));
    QCOMPARE(out.feature.sizes().vec(), (std::vector<int64_t>{4, 64}));
    QVERIFY((out.embedding.norm(2, 1) - 1).abs().max().item<float>() < 1e-5f);
    // Feature = fc_norm(mean of the patch tokens), computed independently here.
    const torch::Tensor tokens = encoder->tokens(images);
    const torch::Tensor expected = encoder->fc_norm->forward(tokens.slice(1, 1).mean(1));
    QVERIFY(torch::allclose(out.feature, expected, 0, 1e-6));
    // Batch independence: one image alone gives the same embedding.
    const fa::nn::ExpressionOutput single = encoder->forward(images.slice(0, 2, 3));
    QVERIFY((single.embedding[0] - out.embedding[2]).abs().max().item<float>() < 1e-5f);
}

void TestNetworks::maeOutputsAndMasking()
{
    torch::NoGradGuard noGrad;
    fa::nn::MaskedAutoencoder mae(fa::test::smallVitConfig(), fa::test::smallDecoderConfig());
    const torch::Tensor images = torch::randn({3, 3, 32, 32});
    const torch::Tensor noise = torch::rand({3, 16});
    const fa::nn::MaeOutput out = mae->forward(images, noise);
    QCOMPARE(out.loss.dim(), int64_t(0));
    QVERIFY(std::isfinite(out.loss.item<double>()));
    QCOMPARE(out.prediction.sizes().vec(), (std::vector<int64_t>{3, 16, 192}));
    QCOMPARE(out.mask.sizes().vec(), (std::vector<int64_t>{3, 16}));
    // int(16 * 0.25) = 4 kept per sample: the 4 lowest noise values.
    QVERIFY(torch::equal(out.mask.sum(1), torch::full({3}, 12.0f)));
    const torch::Tensor kept = std::get<1>(noise.sort(1)).slice(1, 0, 4);
    QVERIFY(torch::equal(out.mask.gather(1, kept), torch::zeros({3, 4})));
    // Same noise, same output; other noise, other mask.
    QVERIFY(torch::equal(mae->forward(images, noise).prediction, out.prediction));
    QVERIFY(!torch::equal(mae->forward(images, torch::rand({3, 16})).mask, out.mask));
}

void TestNetworks::patchifyLayout()
{
    fa::nn::MaskedAutoencoder mae(fa::test::smallVitConfig(), fa::test::smallDecoderConfig());
    const torch::Tensor images = torch::randn({2, 3, 32, 32});
    const torch::Tensor patches = mae->patchify(images);
    QCOMPARE(patches.sizes().vec(), (std::vector<int64_t>{2, 16, 192}));
    QVERIFY(torch::equal(mae->unpatchify(patches), images));
    // Patch (row 1, column 2) = index 6; value (p=3, q=5, c=2) sits at (3 * 8 + 5) * 3 + 2.
    QCOMPARE(patches[1][6][(3 * 8 + 5) * 3 + 2].item<float>(), images[1][2][8 + 3][16 + 5].item<float>());
}

void TestNetworks::initialisation()
{
    fa::nn::MaskedAutoencoder mae(VitConfig::tiny(), MaeDecoderConfig());
    // LayerNorm 1/0, Linear biases 0, xavier_uniform bounds sqrt(6 / (fan_in + fan_out)).
    QVERIFY(torch::equal(mae->norm->weight, torch::ones({192})));
    QVERIFY(torch::equal(mae->decoder_norm->bias, torch::zeros({512})));
    const auto *block = mae->blocks[3]->as<fa::nn::TransformerBlockImpl>();
    QVERIFY(torch::equal(block->attn->qkv->bias, torch::zeros({576})));
    const double qkvBound = std::sqrt(6.0 / (192 + 576));
    const double qkvMax = block->attn->qkv->weight.abs().max().item<double>();
    QVERIFY2(qkvMax <= qkvBound && qkvMax > 0.95 * qkvBound, qPrintable(QString::number(qkvMax)));
    // Patch projection: xavier on the [D, C*p*p] view.
    const double patchBound = std::sqrt(6.0 / (3 * 16 * 16 + 192));
    const double patchMax = mae->patch_embed->proj->weight.abs().max().item<double>();
    QVERIFY2(patchMax <= patchBound && patchMax > 0.95 * patchBound, qPrintable(QString::number(patchMax)));
    // Tokens ~ N(0, 0.02).
    const double clsStd = mae->cls_token.std().item<double>();
    QVERIFY2(clsStd > 0.015 && clsStd < 0.025, qPrintable(QString::number(clsStd)));
    const double maskStd = mae->mask_token.std().item<double>();
    QVERIFY2(maskStd > 0.017 && maskStd < 0.023, qPrintable(QString::number(maskStd)));
    // torch's global generator: the same seed builds the same network.
    torch::manual_seed(42);
    fa::nn::ExpressionEncoder a(fa::test::smallVitConfig(), 16);
    torch::manual_seed(42);
    fa::nn::ExpressionEncoder b(fa::test::smallVitConfig(), 16);
    QVERIFY(torch::equal(a->blocks[1]->as<fa::nn::TransformerBlockImpl>()->mlp->fc1->weight,
                         b->blocks[1]->as<fa::nn::TransformerBlockImpl>()->mlp->fc1->weight));
}

QTEST_GUILESS_MAIN(TestNetworks)
#include "test_networks.moc"
