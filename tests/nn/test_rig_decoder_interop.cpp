// Python interop of the rig decoder, both directions, against a plain-PyTorch module with the
// same names (tests/nn/python/rig_decoder_reference.py) run by /usr/bin/python3: Python's weights
// load strictly here and give Python's outputs, and ours load strictly in Python (torch.load
// weights_only) and give ours there; max abs diff <= 1e-5, in eval mode and in train mode
// (batch statistics; dropout 0 on both sides so that the outputs are deterministic).

#include "nn/rig_decoder.h"
#include "nn/state_dict.h"

#include "python_runner.h"
#include "state_dict_files.h"
#include "test_files.h"

#include <torch/torch.h>

#include <QJsonDocument>
#include <QJsonObject>

#include <QtTest>

namespace {

// The size rig_decoder_reference.py uses.
constexpr int kFeatureSize = 24;
constexpr int kRigSize = 7;
constexpr int kIdentities = 3;
constexpr int kHidden = 32;
constexpr double kTolerance = 1e-5;

fa::nn::RigDecoder makeDecoder()
{
    return fa::nn::RigDecoder(
        fa::nn::RigDecoderOptions(kFeatureSize, kRigSize).identities(kIdentities).hiddenSize(kHidden).dropout(0.0));
}

std::pair<torch::Tensor, torch::Tensor> outputs(fa::nn::RigDecoder &model, const torch::Tensor &features,
                                                const torch::Tensor &avatars)
{
    torch::NoGradGuard noGrad;
    model->eval();
    torch::Tensor evaluated = model->forward(features, avatars);
    model->train();
    torch::Tensor trained = model->forward(features, avatars);
    return {evaluated, trained};
}

} // namespace

class TestRigDecoderInterop : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void pythonWeightsGiveTheSameOutputsHere();
    void ourWeightsGiveTheSameOutputsInPython();

private:
    QString m_dir;
};

void TestRigDecoderInterop::initTestCase()
{
    const QString why = fa::test::pythonTorchUnavailableReason();
    if (!why.isEmpty())
        QSKIP(qPrintable(why));
    m_dir = fa::test::outputDir() + QStringLiteral("/rig_decoder");
    QDir(m_dir).removeRecursively();
    QVERIFY(QDir().mkpath(m_dir));
}

void TestRigDecoderInterop::pythonWeightsGiveTheSameOutputsHere()
{
    const fa::test::PythonRun run = fa::test::runReference(QStringLiteral("reference"), m_dir);
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.output));
    fa::nn::RigDecoder model = makeDecoder();
    QVERIFY(fa::test::loadStrict(*model, m_dir + QStringLiteral("/py_decoder_weights.pt")));
    const auto io = fa::test::loadStateDictFile(m_dir + QStringLiteral("/py_decoder_io.pt"));
    QVERIFY(io);
    const auto [evaluated, trained] =
        outputs(model, fa::test::entry(*io, "features"), fa::test::entry(*io, "avatars"));
    const double evalDiff = fa::test::maxAbsDiff(evaluated, fa::test::entry(*io, "eval"));
    const double trainDiff = fa::test::maxAbsDiff(trained, fa::test::entry(*io, "train"));
    qInfo("Python -> C++ rig decoder: max abs diff eval %.3g, train %.3g", evalDiff, trainDiff);
    QVERIFY(evalDiff <= kTolerance);
    QVERIFY(trainDiff <= kTolerance);
}

void TestRigDecoderInterop::ourWeightsGiveTheSameOutputsInPython()
{
    torch::manual_seed(2024);
    fa::nn::RigDecoder model = makeDecoder();
    {
        // Move every floating tensor off its initial value (running_var kept positive).
        torch::NoGradGuard noGrad;
        for (auto &p : model->named_parameters())
            p.value().add_(0.05 * torch::randn(p.value().sizes()));
        for (auto &b : model->named_buffers())
            if (b.value().is_floating_point())
                b.value().add_(0.05 * torch::randn(b.value().sizes()).abs());
    }
    // The weights before the outputs: the train-mode forward updates the running statistics.
    std::string error;
    QVERIFY2(fa::nn::saveStateDict(fa::nn::stateDictOf(*model),
                                   (m_dir + QStringLiteral("/cpp_decoder_weights.pt")).toStdString(), &error),
             error.c_str());
    const torch::Tensor features = torch::randn({4, kFeatureSize});
    const torch::Tensor avatars = torch::tensor({1, 0, 2, 1}, torch::kLong);
    const auto [evaluated, trained] = outputs(model, features, avatars);
    QVERIFY2(fa::nn::saveStateDict({{"features", features}, {"avatars", avatars}, {"eval", evaluated},
                                    {"train", trained}},
                                   (m_dir + QStringLiteral("/cpp_decoder_io.pt")).toStdString(), &error),
             error.c_str());

    const fa::test::PythonRun run = fa::test::runReference(QStringLiteral("check"), m_dir);
    QVERIFY2(run.finished, qPrintable(run.output));
    const QStringList lines = run.output.trimmed().split(QLatin1Char('\n'));
    const QJsonObject diffs = QJsonDocument::fromJson(lines.last().toUtf8()).object();
    QVERIFY2(!diffs.isEmpty(), qPrintable(run.output));
    qInfo("C++ -> Python rig decoder (strict load_state_dict): %s", qPrintable(lines.last()));
    for (const QString &key : {QStringLiteral("eval"), QStringLiteral("train")}) {
        QVERIFY2(diffs.contains(key), qPrintable(key));
        QVERIFY2(diffs.value(key).toDouble(1.0) <= kTolerance, qPrintable(key));
    }
    QCOMPARE(run.exitCode, 0);
}

QTEST_GUILESS_MAIN(TestRigDecoderInterop)
#include "test_rig_decoder_interop.moc"
