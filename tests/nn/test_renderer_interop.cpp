// Python interop of the neural renderer, both directions, against a plain-PyTorch DCGAN generator
// with the same `main` Sequential (tests/nn/python/renderer_reference.py) run by
// /usr/bin/python3: Python's weights load strictly here and give Python's outputs, and ours load
// strictly in Python (torch.load weights_only) and give ours there; max abs diff <= 1e-5, in
// eval mode (running statistics) and in train mode (batch statistics).

#include "nn/neural_renderer.h"
#include "nn/state_dict.h"

#include "python_runner.h"
#include "state_dict_files.h"
#include "test_files.h"

#include <torch/torch.h>

#include <QJsonDocument>
#include <QJsonObject>

#include <QtTest>

namespace {

using fa::test::entry;
using fa::test::loadStrict;
using fa::test::maxAbsDiff;

// The size renderer_reference.py uses.
constexpr int kRigSize = 10;
constexpr int kImageSize = 64;
constexpr int kWidth = 8;
constexpr double kTolerance = 1e-5;

fa::nn::NeuralRenderer makeRenderer()
{
    return fa::nn::NeuralRenderer(fa::nn::NeuralRendererOptions(kRigSize).imageSize(kImageSize).width(kWidth));
}

// Eval-mode output, then train-mode output, as renderer_reference.py's outputs().
std::pair<torch::Tensor, torch::Tensor> outputs(fa::nn::NeuralRenderer &model, const torch::Tensor &rigs)
{
    torch::NoGradGuard noGrad;
    model->eval();
    torch::Tensor evaluated = model->forward(rigs);
    model->train();
    torch::Tensor trained = model->forward(rigs);
    return {evaluated, trained};
}

} // namespace

class TestRendererInterop : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void pythonWeightsGiveTheSameOutputsHere();
    void ourWeightsGiveTheSameOutputsInPython();

private:
    QString m_dir;
};

void TestRendererInterop::initTestCase()
{
    const QString why = fa::test::pythonTorchUnavailableReason();
    if (!why.isEmpty())
        QSKIP(qPrintable(why));
    m_dir = fa::test::outputDir() + QStringLiteral("/renderer");
    QDir(m_dir).removeRecursively();
    QVERIFY(QDir().mkpath(m_dir));
}

void TestRendererInterop::pythonWeightsGiveTheSameOutputsHere()
{
    const fa::test::PythonRun run = fa::test::runReference(QStringLiteral("reference"), m_dir);
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.output));
    fa::nn::NeuralRenderer model = makeRenderer();
    QVERIFY(loadStrict(*model, m_dir + QStringLiteral("/py_renderer_weights.pt")));
    const auto io = fa::test::loadStateDictFile(m_dir + QStringLiteral("/py_renderer_io.pt"));
    QVERIFY(io);
    const auto [evaluated, trained] = outputs(model, entry(*io, "rigs"));
    const double evalDiff = maxAbsDiff(evaluated, entry(*io, "eval"));
    const double trainDiff = maxAbsDiff(trained, entry(*io, "train"));
    qInfo("Python -> C++ renderer: max abs diff eval %.3g, train %.3g", evalDiff, trainDiff);
    QVERIFY(evalDiff <= kTolerance);
    QVERIFY(trainDiff <= kTolerance);
}

void TestRendererInterop::ourWeightsGiveTheSameOutputsInPython()
{
    torch::manual_seed(2024);
    fa::nn::NeuralRenderer model = makeRenderer();
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
                                   (m_dir + QStringLiteral("/cpp_renderer_weights.pt")).toStdString(), &error),
             error.c_str());
    const torch::Tensor rigs = torch::rand({3, kRigSize});
    const auto [evaluated, trained] = outputs(model, rigs);
    QVERIFY2(fa::nn::saveStateDict({{"rigs", rigs}, {"eval", evaluated}, {"train", trained}},
                                   (m_dir + QStringLiteral("/cpp_renderer_io.pt")).toStdString(), &error),
             error.c_str());

    const fa::test::PythonRun run = fa::test::runReference(QStringLiteral("check"), m_dir);
    QVERIFY2(run.finished, qPrintable(run.output));
    const QStringList lines = run.output.trimmed().split(QLatin1Char('\n'));
    const QJsonObject diffs = QJsonDocument::fromJson(lines.last().toUtf8()).object();
    QVERIFY2(!diffs.isEmpty(), qPrintable(run.output));
    qInfo("C++ -> Python renderer (strict load_state_dict): %s", qPrintable(lines.last()));
    for (const QString &key : {QStringLiteral("eval"), QStringLiteral("train")}) {
        QVERIFY2(diffs.contains(key), qPrintable(key));
        QVERIFY2(diffs.value(key).toDouble(1.0) <= kTolerance, qPrintable(key));
    }
    QCOMPARE(run.exitCode, 0);
}

QTEST_GUILESS_MAIN(TestRendererInterop)
#include "test_renderer_interop.moc"
