// stateDictOf / saveStateDict / loadStateDict / loadStateDictInto: order, copies, round trips of
// every dtype, atomic replacement, load reports (missing / unexpected / ignored prefixes) and
// shape mismatches that copy nothing.

#include "nn/expression_encoder.h"
#include "nn/masked_autoencoder.h"
#include "nn/state_dict.h"

#include "test_files.h"

#include <torch/torch.h>

#include "small_network.h"

#include <QtTest>

namespace {

// A module with its own parameter and buffer plus a child, to pin the state_dict() order.
struct ProbeImpl : torch::nn::Module
{
    ProbeImpl()
    {
        child = register_module("child", torch::nn::Linear(2, 3));
        scale = register_parameter("scale", torch::full({2}, 2.0f));
        count = register_buffer("count", torch::tensor({7}, torch::kLong));
    }
    torch::nn::Linear child{nullptr};
    torch::Tensor scale, count;
};
TORCH_MODULE(Probe);

std::vector<std::string> keysOf(const fa::nn::StateDict &dict)
{
    std::vector<std::string> keys;
    for (const auto &item : dict)
        keys.push_back(item.first);
    return keys;
}

torch::Tensor entry(const fa::nn::StateDict &dict, const std::string &key)
{
    for (const auto &[name, tensor] : dict)
        if (name == key)
            return tensor;
    return {};
}

} // namespace

class TestStateDict : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::manual_seed(3); }
    void orderAndCopies();
    void roundTrip_data();
    void roundTrip();
    void readsTorchPickleSave();
    void savedModelReloads();
    void saveReplacesAtomically();
    void saveIntoMissingFolderFails();
    void unsupportedDtypeFails();
    void maeWeightsIntoEncoder();
    void shapeMismatchCopiesNothing();
    void convertsDtype();
    void refusesRecordLargerThanFile();
};

void TestStateDict::orderAndCopies()
{
    Probe probe;
    const fa::nn::StateDict dict = fa::nn::stateDictOf(*probe);
    // nn.Module.state_dict(): own parameters, own buffers, then children.
    QCOMPARE(keysOf(dict), (std::vector<std::string>{"scale", "count", "child.weight", "child.bias"}));
    QCOMPARE(entry(dict, "count").item<int64_t>(), int64_t(7));
    entry(dict, "scale").fill_(-1.0f);
    QVERIFY(torch::equal(probe->scale, torch::full({2}, 2.0f))); // a copy, not an alias
    QVERIFY(!entry(dict, "scale").requires_grad());
}

void TestStateDict::roundTrip_data()
{
    QTest::addColumn<int>("dtype");
    QTest::newRow("float32") << int(torch::kFloat);
    QTest::newRow("float16") << int(torch::kHalf);
    QTest::newRow("bfloat16") << int(torch::kBFloat16);
    QTest::newRow("float64") << int(torch::kDouble);
    QTest::newRow("int64") << int(torch::kLong);
    QTest::newRow("bool") << int(torch::kBool);
}

void TestStateDict::roundTrip()
{
    QFETCH(int, dtype);
    const auto type = static_cast<torch::ScalarType>(dtype);
    const torch::Tensor values = (torch::randn({3, 5}) * 100).to(type);
    const torch::Tensor transposed = values.t(); // non-contiguous input
    const fa::nn::StateDict dict = {{"b.values", values}, {"a.transposed", transposed}, {"scalar", values[1][2]}};
    const QString path = fa::test::outputDir() + QStringLiteral("/round_trip.pt");
    std::string error;
    QVERIFY2(fa::nn::saveStateDict(dict, path.toStdString(), &error), error.c_str());
    const auto loaded = fa::nn::loadStateDict(path.toStdString(), &error);
    QVERIFY2(loaded, error.c_str());
    QCOMPARE(keysOf(*loaded), keysOf(dict)); // insertion order kept
    for (const auto &[name, tensor] : dict) {
        const torch::Tensor back = entry(*loaded, name);
        QCOMPARE(back.scalar_type(), type);
        QCOMPARE(back.sizes().vec(), tensor.sizes().vec());
        QVERIFY2(torch::equal(back, tensor), name.c_str());
    }
}

void TestStateDict::readsTorchPickleSave()
{
    // LibTorch's own torch::pickle_save (a c10::Dict wrapped in restore_type_tag) reads too.
    c10::Dict<std::string, torch::Tensor> dict;
    dict.insert("b", torch::arange(3, torch::kLong));
    dict.insert("a", torch::ones({2, 2}, torch::kHalf));
    const std::vector<char> bytes = torch::pickle_save(dict);
    const QString path = fa::test::outputDir() + QStringLiteral("/pickle_save.pt");
    QVERIFY(fa::test::writeFile(path, QByteArray(bytes.data(), int(bytes.size()))));
    std::string error;
    const auto loaded = fa::nn::loadStateDict(path.toStdString(), &error);
    QVERIFY2(loaded, error.c_str());
    QCOMPARE(keysOf(*loaded), (std::vector<std::string>{"b", "a"}));
    QVERIFY(torch::equal(entry(*loaded, "b"), torch::arange(3, torch::kLong)));
    QVERIFY(torch::equal(entry(*loaded, "a"), torch::ones({2, 2}, torch::kHalf)));
}

void TestStateDict::savedModelReloads()
{
    torch::NoGradGuard noGrad;
    fa::nn::MaskedAutoencoder original(fa::test::smallVitConfig(), fa::test::smallDecoderConfig());
    const QString path = fa::test::outputDir() + QStringLiteral("/mae.pt");
    std::string error;
    QVERIFY2(fa::nn::saveStateDict(fa::nn::stateDictOf(*original), path.toStdString(), &error), error.c_str());

    fa::nn::MaskedAutoencoder copy(fa::test::smallVitConfig(), fa::test::smallDecoderConfig()); // other random weights
    const auto dict = fa::nn::loadStateDict(path.toStdString(), &error);
    QVERIFY2(dict, error.c_str());
    fa::nn::LoadReport report;
    QVERIFY2(fa::nn::loadStateDictInto(*copy, *dict, {}, &report, &error), error.c_str());
    QVERIFY(report.missing.empty() && report.unexpected.empty() && report.shapeMismatch.empty());
    const torch::Tensor images = torch::randn({2, 3, 32, 32});
    const torch::Tensor noise = torch::rand({2, 16});
    QVERIFY(torch::equal(copy->forward(images, noise).prediction, original->forward(images, noise).prediction));
}

void TestStateDict::saveReplacesAtomically()
{
    const QString folder = fa::test::outputDir() + QStringLiteral("/atomic");
    QDir(folder).removeRecursively();
    QVERIFY(QDir().mkpath(folder));
    const std::string path = (folder + QStringLiteral("/weights.pt")).toStdString();
    std::string error;
    QVERIFY(fa::nn::saveStateDict({{"w", torch::ones({2})}}, path, &error));
    QVERIFY(fa::nn::saveStateDict({{"w", torch::zeros({3})}}, path, &error));
    const auto loaded = fa::nn::loadStateDict(path, &error);
    QVERIFY2(loaded, error.c_str());
    QVERIFY(torch::equal(entry(*loaded, "w"), torch::zeros({3})));
    // No temporary file left beside it.
    QCOMPARE(QDir(folder).entryList(QDir::Files), QStringList{QStringLiteral("weights.pt")});
}

void TestStateDict::unsupportedDtypeFails()
{
    const QString path = fa::test::outputDir() + QStringLiteral("/complex.pt");
    std::string error;
    QVERIFY(!fa::nn::saveStateDict({{"w", torch::ones({2}, torch::kComplexFloat)}}, path.toStdString(), &error));
    QVERIFY2(QString::fromStdString(error).startsWith(path + QStringLiteral(": unsupported tensor type")), error.c_str());
    QVERIFY(!QFile::exists(path));
}

void TestStateDict::saveIntoMissingFolderFails()
{
    const QString path = fa::test::outputDir() + QStringLiteral("/no/such/folder/weights.pt");
    std::string error;
    QVERIFY(!fa::nn::saveStateDict({{"w", torch::ones({2})}}, path.toStdString(), &error));
    QVERIFY2(QString::fromStdString(error).startsWith(path + QStringLiteral(": ")), error.c_str());
}

void TestStateDict::maeWeightsIntoEncoder()
{
    fa::nn::MaskedAutoencoder mae(fa::test::smallVitConfig(), fa::test::smallDecoderConfig());
    fa::nn::ExpressionEncoder encoder(fa::test::smallVitConfig(), 16);
    const fa::nn::StateDict maeDict = fa::nn::stateDictOf(*mae);

    // Strict view: MAE-only tensors are unexpected, the encoder's own head/fc_norm missing.
    fa::nn::LoadReport strict;
    std::string error;
    QVERIFY2(fa::nn::loadStateDictInto(*encoder, maeDict, {}, &strict, &error), error.c_str());
    QVERIFY(std::count(strict.unexpected.begin(), strict.unexpected.end(), "mask_token") == 1);
    QVERIFY(std::count(strict.unexpected.begin(), strict.unexpected.end(), "norm.weight") == 1);
    QVERIFY(std::count(strict.unexpected.begin(), strict.unexpected.end(), "decoder_pred.bias") == 1);

    fa::nn::ExpressionEncoder fresh(fa::test::smallVitConfig(), 16);
    const torch::Tensor headBefore = fresh->head->weight.clone();
    fa::nn::LoadReport report;
    QVERIFY2(fa::nn::loadStateDictInto(*fresh, maeDict, fa::nn::ExpressionEncoderImpl::maeOnlyPrefixes(), &report, &error),
             error.c_str());
    QVERIFY(report.unexpected.empty());
    QCOMPARE(report.missing,
             (std::vector<std::string>{"head.weight", "head.bias", "fc_norm.weight", "fc_norm.bias"}));
    QVERIFY(torch::equal(fresh->blocks[1]->as<fa::nn::TransformerBlockImpl>()->attn->qkv->weight,
                         mae->blocks[1]->as<fa::nn::TransformerBlockImpl>()->attn->qkv->weight));
    QVERIFY(torch::equal(fresh->cls_token, mae->cls_token));
    QVERIFY(torch::equal(fresh->patch_embed->proj->bias, mae->patch_embed->proj->bias));
    QVERIFY(torch::equal(fresh->head->weight, headBefore));
}

void TestStateDict::shapeMismatchCopiesNothing()
{
    fa::nn::ExpressionEncoder encoder(fa::test::smallVitConfig(), 16);
    const torch::Tensor clsBefore = encoder->cls_token.clone();
    const fa::nn::StateDict dict = {{"cls_token", torch::zeros({1, 1, 64})}, {"head.weight", torch::zeros({8, 64})}};
    fa::nn::LoadReport report;
    std::string error;
    QVERIFY(!fa::nn::loadStateDictInto(*encoder, dict, {}, &report, &error));
    QCOMPARE(report.shapeMismatch, (std::vector<std::string>{"head.weight: state dict [8, 64], module [16, 64]"}));
    QVERIFY2(QString::fromStdString(error).contains(QStringLiteral("head.weight")), error.c_str());
    QVERIFY(torch::equal(encoder->cls_token, clsBefore)); // nothing copied
}

void TestStateDict::convertsDtype()
{
    Probe probe;
    const fa::nn::StateDict dict = {{"scale", torch::tensor({0.5, 1.5}).to(torch::kHalf)},
                                    {"count", torch::tensor({9}, torch::kLong)}};
    fa::nn::LoadReport report;
    std::string error;
    QVERIFY2(fa::nn::loadStateDictInto(*probe, dict, {}, &report, &error), error.c_str());
    QCOMPARE(probe->scale.scalar_type(), torch::kFloat);
    QVERIFY(torch::equal(probe->scale, torch::tensor({0.5f, 1.5f})));
    QCOMPARE(probe->count.item<int64_t>(), int64_t(9));
    QCOMPARE(report.missing, (std::vector<std::string>{"child.weight", "child.bias"}));
}

// Issue 16: a checkpoint whose entry claims to inflate far beyond the file (a zip bomb: 24 MB
// inflating to 2 GiB drove the process to 4.4 GB) is refused from the zip directory, before
// anything is inflated. The test patches a real file's size fields (central directory and
// local header) to claim a deflated tensor record of 2 GiB.
void TestStateDict::refusesRecordLargerThanFile()
{
    QTemporaryDir dir;
    const std::string path = (dir.path() + QStringLiteral("/bomb.pt")).toStdString();
    fa::nn::StateDict dict{{"w", torch::ones({16})}};
    std::string error;
    QVERIFY2(fa::nn::saveStateDict(dict, path, &error), error.c_str());
    QByteArray bytes = fa::test::readFile(QString::fromStdString(path));
    int patched = 0;
    for (const QByteArray &signature : {QByteArray::fromHex("504b0102"), QByteArray::fromHex("504b0304")}) {
        const bool central = signature.endsWith(QByteArray::fromHex("0102"));
        const int nameLengthAt = central ? 28 : 26;
        const int sizeAt = central ? 24 : 22;
        const int nameAt = central ? 46 : 30;
        const int methodAt = central ? 10 : 8;
        for (qsizetype at = bytes.indexOf(signature); at >= 0; at = bytes.indexOf(signature, at + 4)) {
            const int nameLength = quint8(bytes[at + nameLengthAt]) | (quint8(bytes[at + nameLengthAt + 1]) << 8);
            if (!bytes.mid(at + nameAt, nameLength).endsWith("/data/0"))
                continue;
            bytes.replace(at + methodAt, 2, QByteArray::fromHex("0800")); // deflated (miniz checks stored sizes)
            bytes.replace(at + sizeAt, 4, QByteArray::fromHex("00000080")); // 2^31 bytes
            ++patched;
        }
    }
    QCOMPARE(patched, 2);
    QVERIFY(fa::test::writeFile(QString::fromStdString(path), bytes));
    QVERIFY(!fa::nn::loadStateDict(path, &error));
    QVERIFY2(QString::fromStdString(error).startsWith(QString::fromStdString(path)
                                                      + QStringLiteral(": corrupt archive: record data/0 claims 2147483648 bytes")),
             error.c_str());
}

QTEST_GUILESS_MAIN(TestStateDict)
#include "test_state_dict.moc"
