// PickleReader on hand-made pickles (no Python needed) and loadStateDict on files written by
// /usr/bin/python3's torch.save (tests/nn/python/mae_reference.py fixtures): OrderedDict state
// dicts with _metadata, MAE-style checkpoints, dtypes, views sharing a storage, and contents we
// do not support, which must fail with a clear error and never crash.

#include "nn/pickle_reader.h"
#include "nn/position_embedding.h"
#include "nn/state_dict.h"

#include "python_runner.h"
#include "test_files.h"

#include <torch/torch.h>

#include <QtTest>

using fa::nn::PickleValue;
using fa::nn::PickleValuePtr;

namespace {

QByteArray hex(const char *text)
{
    return QByteArray::fromHex(QByteArray(text));
}

// Pieces of protocol-2 pickles for the tensor cases.
QByteArray unicode(const QByteArray &text)
{
    QByteArray out("X");
    const auto n = static_cast<quint32>(text.size());
    for (int i = 0; i < 4; ++i)
        out.append(static_cast<char>((n >> (8 * i)) & 0xFF));
    return out + text;
}

QByteArray int1(int value)
{
    return QByteArray("K") + static_cast<char>(value);
}

// _rebuild_tensor_v2(('storage', torch.<type>, key, 'cpu', numel), offset, size, stride, False, OrderedDict())
QByteArray tensorPickle(const QByteArray &storageType, int numel, int offset, const QList<int> &size,
                        const QList<int> &stride)
{
    QByteArray out = hex("8002");
    out += "ctorch._utils\n_rebuild_tensor_v2\n(";
    out += "(" + unicode("storage") + "ctorch\n" + storageType + "\n" + unicode("0") + unicode("cpu") + int1(numel)
        + "tQ";
    out += int1(offset);
    out += "(";
    for (int s : size)
        out += int1(s);
    out += "t(";
    for (int s : stride)
        out += int1(s);
    out += "t";
    out += hex("89"); // NEWFALSE
    out += "ccollections\nOrderedDict\n)R";
    out += "tR.";
    return out;
}

PickleValuePtr readPickle(const QByteArray &bytes, std::string *error, fa::nn::PickleReader::StorageLoader loader = {})
{
    fa::nn::PickleReader reader(std::move(loader));
    return reader.read(bytes.constData(), static_cast<size_t>(bytes.size()), error);
}

fa::nn::PickleReader::StorageLoader rampLoader(int numel)
{
    return [numel](const std::string &key, c10::ScalarType dtype, std::string *error) {
        if (key != "0") {
            *error = "no record " + key;
            return torch::Tensor();
        }
        return torch::arange(numel).to(dtype);
    };
}

torch::Tensor entry(const fa::nn::StateDict &dict, const std::string &key)
{
    for (const auto &[name, tensor] : dict)
        if (name == key)
            return tensor;
    return {};
}

std::vector<std::string> keysOf(const fa::nn::StateDict &dict)
{
    std::vector<std::string> keys;
    for (const auto &item : dict)
        keys.push_back(item.first);
    return keys;
}

} // namespace

class TestPickleReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void readsProtocol2And4_data();
    void readsProtocol2And4();
    void readsScalars_data();
    void readsScalars();
    void rebuildsTensorViews();
    void rejects_data();
    void rejects();
    void storageDtypes();

    void pythonStateDictWithMetadata();
    void pythonMaeCheckpoint();
    void pythonStateDictKey();
    void pythonDtypes();
    void pythonViewsShareStorage();
    void pythonParameterAndLongMemo();
    void pythonPositionEmbedding();
    void pythonUnsupported_data();
    void pythonUnsupported();

private:
    QString fixture(const char *name) const { return m_fixtures + QLatin1Char('/') + QLatin1String(name); }
    std::optional<fa::nn::StateDict> loadFixture(const char *name) const;

    QString m_fixtures;
    QString m_noPython; // why the Python fixtures are unavailable
};

void TestPickleReader::initTestCase()
{
    m_noPython = fa::test::pythonTorchUnavailableReason();
    if (!m_noPython.isEmpty())
        return;
    m_fixtures = fa::test::outputDir() + QStringLiteral("/fixtures");
    QDir(m_fixtures).removeRecursively();
    const fa::test::PythonRun run = fa::test::runReference(QStringLiteral("fixtures"), m_fixtures);
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.output));
}

std::optional<fa::nn::StateDict> TestPickleReader::loadFixture(const char *name) const
{
    std::string error;
    auto dict = fa::nn::loadStateDict(fixture(name).toStdString(), &error);
    if (!dict)
        qWarning("%s", error.c_str());
    return dict;
}

void TestPickleReader::readsProtocol2And4_data()
{
    QTest::addColumn<QByteArray>("bytes");
    // pickle.dumps(OrderedDict([('x', 1.5), ('y', [1, -2, None, True])]), protocol=2 / 4)
    QTest::newRow("protocol 2") << hex("800263636f6c6c656374696f6e730a4f726465726564446963740a710029527101285801000000787"
                                       "102473ff800000000000058010000007971035d7104284b014afeffffff4e8865752e");
    QTest::newRow("protocol 4") << hex("80049542000000000000008c0b636f6c6c656374696f6e73948c0b4f72646572656444696374949"
                                       "394295294288c017894473ff80000000000008c0179945d94284b014afeffffff4e8865752e");
}

void TestPickleReader::readsProtocol2And4()
{
    QFETCH(QByteArray, bytes);
    std::string error;
    const PickleValuePtr value = readPickle(bytes, &error);
    QVERIFY2(value, error.c_str());
    QCOMPARE(int(value->kind), int(PickleValue::Kind::Dict));
    QCOMPARE(value->entries.size(), size_t(2));
    QCOMPARE(value->entries[0].first->text, std::string("x"));
    QCOMPARE(value->find("x")->real, 1.5);
    const PickleValuePtr list = value->find("y");
    QCOMPARE(int(list->kind), int(PickleValue::Kind::List));
    QCOMPARE(list->items.size(), size_t(4));
    QCOMPARE(list->items[0]->integer, int64_t(1));
    QCOMPARE(list->items[1]->integer, int64_t(-2));
    QCOMPARE(int(list->items[2]->kind), int(PickleValue::Kind::None));
    QCOMPARE(list->items[3]->boolean, true);
}

void TestPickleReader::readsScalars_data()
{
    QTest::addColumn<QByteArray>("bytes");
    // pickle.dumps((2**40, -300, 70000, 'é', b'\x00\xff'), protocol=2 / 4)
    QTest::newRow("protocol 2") << hex("8002288a060000000000014ad4feffff4a701101005802000000c3a97100635f636f646563730a656e"
                                       "636f64650a7101580300000000c3bf710258060000006c6174696e3171038671045271057471062e");
    QTest::newRow("protocol 4") << hex("8004952000000000000000288a060000000000014ad4feffff4a701101008c02c3a994430200ff9474"
                                       "942e");
}

void TestPickleReader::readsScalars()
{
    QFETCH(QByteArray, bytes);
    std::string error;
    const PickleValuePtr value = readPickle(bytes, &error);
    QVERIFY2(value, error.c_str());
    QCOMPARE(int(value->kind), int(PickleValue::Kind::Tuple));
    QCOMPARE(value->items.size(), size_t(5));
    QCOMPARE(value->items[0]->integer, int64_t(1) << 40);
    QCOMPARE(value->items[1]->integer, int64_t(-300));
    QCOMPARE(value->items[2]->integer, int64_t(70000));
    QCOMPARE(value->items[3]->text, std::string("\xc3\xa9"));
    QCOMPARE(int(value->items[4]->kind), int(PickleValue::Kind::Bytes));
    QCOMPARE(value->items[4]->text, std::string("\x00\xff", 2));
}

void TestPickleReader::rebuildsTensorViews()
{
    std::string error;
    // Elements 1, 3, 5 of a 6-element LongStorage holding 0..5.
    const PickleValuePtr value =
        readPickle(tensorPickle("LongStorage", 6, 1, {3}, {2}), &error, rampLoader(6));
    QVERIFY2(value, error.c_str());
    QCOMPARE(int(value->kind), int(PickleValue::Kind::Tensor));
    QCOMPARE(value->tensor.scalar_type(), torch::kLong);
    QVERIFY(torch::equal(value->tensor, torch::tensor({1, 3, 5}, torch::kLong)));
    // A 2x2 transposed view of a FloatStorage.
    const PickleValuePtr transposed =
        readPickle(tensorPickle("FloatStorage", 4, 0, {2, 2}, {1, 2}), &error, rampLoader(4));
    QVERIFY2(transposed, error.c_str());
    QVERIFY(torch::equal(transposed->tensor, torch::tensor({{0.f, 2.f}, {1.f, 3.f}})));
}

void TestPickleReader::rejects_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("problem");
    QTest::newRow("unknown opcode") << hex("8002ff") << QStringLiteral("unsupported pickle opcode 0xff at byte 2");
    QTest::newRow("text INT opcode") << QByteArray("I1\n.") << QStringLiteral("unsupported pickle opcode 0x49");
    QTest::newRow("truncated string") << hex("800258100000006162") << QStringLiteral("truncated");
    QTest::newRow("no STOP") << hex("80024e") << QStringLiteral("truncated");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("truncated");
    QTest::newRow("SETITEM on empty stack") << hex("8002732e") << QStringLiteral("stack underflow");
    QTest::newRow("two values left") << hex("80024e4e2e") << QStringLiteral("ends with 2 values");
    QTest::newRow("unknown memo") << hex("800268052e") << QStringLiteral("memo entry 5 missing");
    QTest::newRow("APPEND on a dict") << hex("80027d4b01612e") << QStringLiteral("APPEND on a dict");
    QTest::newRow("huge LONG1") << hex("80028a090000000000000000012e") << QStringLiteral("too large");
    QTest::newRow("TUPLE without MARK") << hex("8002742e") << QStringLiteral("MARK missing");
    QTest::newRow("persistent id, no loader")
        << tensorPickle("FloatStorage", 4, 0, {4}, {1}) << QStringLiteral("without a storage source");
    QTest::newRow("unknown storage type")
        << tensorPickle("QUInt8Storage", 4, 0, {4}, {1}) << QStringLiteral("unsupported storage type torch.QUInt8Storage");
    QTest::newRow("view beyond storage")
        << tensorPickle("FloatStorage", 4, 2, {2, 2}, {2, 1}) << QStringLiteral("exceeds its storage");
    // Issue 16: 100,000 nested lists overflowed the stack; cycles; a global that a state dict
    // never names (built, then discarded).
    QTest::newRow("nested 100000 deep")
        << hex("8002") + QByteArray(100000, ']') + QByteArray(99999, 'a') + "." << QStringLiteral("nest deeper than 64");
    QTest::newRow("list contains itself") << hex("80025d71006800612e")
                                          << QStringLiteral("contains itself");
    QTest::newRow("cycle through two lists") << hex("80025d71005d680061612e") << QStringLiteral("recursive structure");
    QTest::newRow("os.system discarded")
        << hex("8002") + "cos\nsystem\n0N." << QStringLiteral("refers to os.system");
    QTest::newRow("numel disagrees") << tensorPickle("FloatStorage", 5, 0, {4}, {1}) << QStringLiteral("the pickle says 5");
}

void TestPickleReader::rejects()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, problem);
    std::string error;
    const bool needsStorage = QTest::currentDataTag() != QByteArray("persistent id, no loader");
    const PickleValuePtr value = readPickle(bytes, &error, needsStorage ? rampLoader(4) : nullptr);
    QVERIFY(!value);
    QVERIFY2(QString::fromStdString(error).contains(problem), error.c_str());
}

void TestPickleReader::storageDtypes()
{
    using fa::nn::PickleReader;
    QCOMPARE(*PickleReader::storageDtype("torch.FloatStorage"), c10::ScalarType::Float);
    QCOMPARE(*PickleReader::storageDtype("torch.HalfStorage"), c10::ScalarType::Half);
    QCOMPARE(*PickleReader::storageDtype("torch.BFloat16Storage"), c10::ScalarType::BFloat16);
    QCOMPARE(*PickleReader::storageDtype("torch.LongStorage"), c10::ScalarType::Long);
    QVERIFY(!PickleReader::storageDtype("torch.QInt8Storage"));
}

void TestPickleReader::pythonStateDictWithMetadata()
{
    if (!m_noPython.isEmpty())
        QSKIP(qPrintable(m_noPython));
    const auto dict = loadFixture("metadata_state_dict.pt");
    QVERIFY(dict);
    QCOMPARE(keysOf(*dict), (std::vector<std::string>{"fc.weight", "fc.bias", "norm.weight", "norm.bias"}));
    QVERIFY(torch::equal(entry(*dict, "fc.weight"), torch::arange(6, torch::kFloat).reshape({2, 3}) * 0.5));
    QVERIFY(torch::equal(entry(*dict, "fc.bias"), torch::tensor({-1.f, 1.f})));
    QVERIFY(torch::equal(entry(*dict, "norm.weight"), torch::tensor({2.f, 3.f})));
    QVERIFY(torch::equal(entry(*dict, "norm.bias"), torch::tensor({0.25f, -0.25f})));
    QVERIFY(entry(*dict, "fc.weight").device().is_cpu());
}

void TestPickleReader::pythonMaeCheckpoint()
{
    if (!m_noPython.isEmpty())
        QSKIP(qPrintable(m_noPython));
    // {'model': sd, 'optimizer': AdamW state, 'epoch': 799, 'scaler': {...}, 'args': Namespace}
    const auto dict = loadFixture("mae_checkpoint.pt");
    QVERIFY(dict);
    QCOMPARE(keysOf(*dict), (std::vector<std::string>{"fc.weight", "fc.bias", "norm.weight", "norm.bias"}));
    QVERIFY(torch::equal(entry(*dict, "norm.bias"), torch::tensor({0.25f, -0.25f})));
}

void TestPickleReader::pythonStateDictKey()
{
    if (!m_noPython.isEmpty())
        QSKIP(qPrintable(m_noPython));
    const auto dict = loadFixture("state_dict_key.pt");
    QVERIFY(dict);
    QCOMPARE(dict->size(), size_t(4));
    QVERIFY(torch::equal(entry(*dict, "fc.bias"), torch::tensor({-1.f, 1.f})));
}

void TestPickleReader::pythonDtypes()
{
    if (!m_noPython.isEmpty())
        QSKIP(qPrintable(m_noPython));
    const auto dict = loadFixture("dtypes.pt");
    QVERIFY(dict);
    const torch::Tensor half = entry(*dict, "half");
    QCOMPARE(half.scalar_type(), torch::kHalf);
    QVERIFY(torch::equal(half.to(torch::kFloat), torch::arange(6, torch::kFloat).reshape({2, 3}) / 4));
    const torch::Tensor bf16 = entry(*dict, "bfloat16");
    QCOMPARE(bf16.scalar_type(), torch::kBFloat16);
    QVERIFY(torch::equal(bf16.to(torch::kFloat), torch::tensor({-1.5f, -0.5f, 0.5f, 1.5f})));
    const torch::Tensor int64 = entry(*dict, "int64");
    QCOMPARE(int64.scalar_type(), torch::kLong);
    QCOMPARE(int64[2].item<int64_t>(), int64_t(5000000000123));
    QCOMPARE(int64[0].item<int64_t>(), int64_t(-3));
    QCOMPARE(entry(*dict, "float64")[0].item<double>(), 1.0 / 3.0);
    QCOMPARE(entry(*dict, "int32").scalar_type(), torch::kInt);
    QCOMPARE(entry(*dict, "int32")[1].item<int>(), -8);
    QCOMPARE(entry(*dict, "uint8")[1].item<int>(), 255);
    QVERIFY(torch::equal(entry(*dict, "bool"), torch::tensor({true, false, true})));
}

void TestPickleReader::pythonViewsShareStorage()
{
    if (!m_noPython.isEmpty())
        QSKIP(qPrintable(m_noPython));
    const auto dict = loadFixture("views.pt");
    QVERIFY(dict);
    const torch::Tensor base = torch::arange(48, torch::kFloat);
    QVERIFY(torch::equal(entry(*dict, "base"), base));
    const torch::Tensor transposed = entry(*dict, "transposed");
    QCOMPARE(transposed.sizes().vec(), (std::vector<int64_t>{8, 6}));
    QCOMPARE(transposed.strides().vec(), (std::vector<int64_t>{1, 8}));
    QVERIFY(torch::equal(transposed, base.view({6, 8}).t()));
    QVERIFY(torch::equal(entry(*dict, "offset"), base.slice(0, 10, 20)));
    QVERIFY(torch::equal(entry(*dict, "strided"), base.view({6, 8}).slice(0, 1, 5, 2).slice(1, 0, 8, 3)));
    QCOMPARE(entry(*dict, "scalar").dim(), int64_t(0));
    QCOMPARE(entry(*dict, "scalar").item<float>(), 3.5f);
    QCOMPARE(entry(*dict, "empty").sizes().vec(), (std::vector<int64_t>{0, 4}));
    // One storage, as in Python: the views alias the base.
    QCOMPARE(entry(*dict, "offset").data_ptr<float>(), entry(*dict, "base").data_ptr<float>() + 10);
}

void TestPickleReader::pythonParameterAndLongMemo()
{
    if (!m_noPython.isEmpty())
        QSKIP(qPrintable(m_noPython));
    const auto parameter = loadFixture("parameter.pt");
    QVERIFY(parameter);
    QVERIFY(torch::equal(entry(*parameter, "weight"), torch::full({2, 2}, 1.5f)));
    const auto many = loadFixture("many.pt"); // memo indices beyond 255 (LONG_BINPUT / LONG_BINGET)
    QVERIFY(many);
    QCOMPARE(many->size(), size_t(300));
    QCOMPARE((*many)[299].first, std::string("tensor_299"));
    QCOMPARE((*many)[299].second.item<float>(), 299.0f);
    QCOMPARE((*many)[0].second.item<float>(), 0.0f);
}

void TestPickleReader::pythonPositionEmbedding()
{
    if (!m_noPython.isEmpty())
        QSKIP(qPrintable(m_noPython));
    const auto dict = loadFixture("pos_embed.pt");
    QVERIFY(dict);
    const double vitB =
        (entry(*dict, "vit_b_cls") - fa::nn::sincosPositionEmbedding2d(768, 14, true)).abs().max().item<double>();
    const double small =
        (entry(*dict, "dim64_grid4") - fa::nn::sincosPositionEmbedding2d(64, 4, false)).abs().max().item<double>();
    qInfo("sin-cos table vs numpy: max abs diff %.3g (768, 14, cls), %.3g (64, 4)", vitB, small);
    // numpy's float32 power may be 1 ulp off the correctly rounded powf used here (numpy 1.24:
    // 43 of 192 frequencies); times positions up to 13 that moves sin/cos by up to ~9e-7.
    QVERIFY(vitB <= 2e-6);
    QVERIFY(small <= 2e-6);
}

void TestPickleReader::pythonUnsupported_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("problem");
    QTest::newRow("non-tensor entry") << QStringLiteral("non_tensor.pt")
                                      << QStringLiteral(": unsupported content: entry 'step' is a int, not a tensor");
    QTest::newRow("list") << QStringLiteral("list_root.pt") << QStringLiteral(": unsupported content: a list");
    QTest::newRow("quantized tensor") << QStringLiteral("quantized.pt") << QStringLiteral(": unsupported");
    QTest::newRow("legacy format") << QStringLiteral("legacy.pt")
                                   << QStringLiteral(": not a PyTorch zip archive (legacy torch.save format");
    // torch.jit.save: data.pkl holds the scripted module object itself.
    QTest::newRow("TorchScript") << QStringLiteral("torchscript.pt")
                                 << QStringLiteral(": unsupported content: the pickle refers to __torch__.torch.nn.modules.linear.Linear");
    QTest::newRow("missing record") << QStringLiteral("missing_record.pt")
                                    << QStringLiteral(": corrupt archive: tensor record data/0 is missing");
    QTest::newRow("text file") << QStringLiteral("text.txt") << QStringLiteral(": not a PyTorch zip archive");
    QTest::newRow("cut in half") << QStringLiteral("cut.pt") << QStringLiteral(": not a PyTorch zip archive");
    QTest::newRow("no file") << QStringLiteral("absent.pt") << QStringLiteral(": cannot be opened");
}

void TestPickleReader::pythonUnsupported()
{
    if (!m_noPython.isEmpty())
        QSKIP(qPrintable(m_noPython));
    QFETCH(QString, name);
    QFETCH(QString, problem);
    QVERIFY(fa::test::writeFile(m_fixtures + QStringLiteral("/text.txt"), "not a zip\n"));
    const QByteArray whole = fa::test::readFile(fixture("metadata_state_dict.pt"));
    QVERIFY(fa::test::writeFile(m_fixtures + QStringLiteral("/cut.pt"), whole.left(whole.size() / 2)));

    const QString path = m_fixtures + QLatin1Char('/') + name;
    std::string error;
    const auto dict = fa::nn::loadStateDict(path.toStdString(), &error);
    QVERIFY(!dict);
    const QString message = QString::fromStdString(error);
    qInfo("%s", qPrintable(message));
    QVERIFY2(message.startsWith(path + problem), qPrintable(message));
}

QTEST_GUILESS_MAIN(TestPickleReader)
#include "test_pickle_reader.moc"
