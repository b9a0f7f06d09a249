// Python interop of the networks and state-dict files, both directions, against a plain-PyTorch
// re-implementation of MAE's models_mae / models_vit (tests/nn/python/mae_reference.py) run by
// /usr/bin/python3: Python's weights give the same outputs here, and our weights, loaded strictly
// by Python, give our outputs there (max abs diff <= 1e-5).

#include "nn/expression_encoder.h"
#include "nn/masked_autoencoder.h"
#include "nn/state_dict.h"

#include "python_runner.h"
#include "state_dict_files.h"
#include "test_files.h"

#include <torch/torch.h>

#include <QJsonDocument>
#include <QJsonObject>
#include "small_network.h"

#include <QtTest>

namespace {

using fa::test::entry;
using fa::test::loadStrict;
using fa::test::maxAbsDiff;

constexpr double kTolerance = 1e-5;

// Moves every tensor off its initial value, as mae_reference.py's perturb().
void perturb(torch::nn::Module &module)
{
    torch::NoGradGuard noGrad;
    for (auto &p : module.parameters())
        p.add_(0.05 * torch::randn(p.sizes()));
}

bool save(const fa::nn::StateDict &dict, const QString &path)
{
    std::string error;
    const bool ok = fa::nn::saveStateDict(dict, path.toStdString(), &error);
    if (!ok)
        qWarning("%s", error.c_str());
    return ok;
}

} // namespace

class TestPythonInterop : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void pythonWeightsGiveTheSameOutputsHere();
    void ourWeightsGiveTheSameOutputsInPython();

private:
    QString m_dir;
};

void TestPythonInterop::initTestCase()
{
    const QString why = fa::test::pythonTorchUnavailableReason();
    if (!why.isEmpty())
        QSKIP(qPrintable(why));
    m_dir = fa::test::outputDir() + QStringLiteral("/interop");
    QDir(m_dir).removeRecursively();
    QVERIFY(QDir().mkpath(m_dir));
}

void TestPythonInterop::pythonWeightsGiveTheSameOutputsHere()
{
    const fa::test::PythonRun run = fa::test::runReference(QStringLiteral("reference"), m_dir);
    QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.output));
    torch::NoGradGuard noGrad;

    // MAE: Python's OrderedDict state dict, inputs (images + masking noise) and outputs.
    fa::nn::MaskedAutoencoder mae(fa::test::smallVitConfig(), fa::test::smallDecoderConfig());
    QVERIFY(loadStrict(*mae, m_dir + QStringLiteral("/py_mae_weights.pt")));
    const auto maeIo = fa::test::loadStateDictFile(m_dir + QStringLiteral("/py_mae_io.pt"));
    QVERIFY(maeIo);
    const fa::nn::MaeOutput out = mae->forward(entry(*maeIo, "images"), entry(*maeIo, "noise"));
    const double lossDiff = maxAbsDiff(out.loss, entry(*maeIo, "loss"));
    const double predictionDiff = maxAbsDiff(out.prediction, entry(*maeIo, "prediction"));
    const double maskDiff = maxAbsDiff(out.mask, entry(*maeIo, "mask"));
    qInfo("Python -> C++ MAE: loss %.6f (Python %.6f); max abs diff loss %.3g, prediction %.3g, mask %.3g",
          out.loss.item<double>(), entry(*maeIo, "loss").item<double>(), lossDiff, predictionDiff, maskDiff);
    QVERIFY(lossDiff <= kTolerance);
    QVERIFY(predictionDiff <= kTolerance);
    QCOMPARE(maskDiff, 0.0);

    // Expression encoder: weights under 'model' next to an int, as MAE's checkpoints.
    fa::nn::ExpressionEncoder encoder(fa::test::smallVitConfig(), 16);
    QVERIFY(loadStrict(*encoder, m_dir + QStringLiteral("/py_encoder_weights.pt")));
    const auto encoderIo = fa::test::loadStateDictFile(m_dir + QStringLiteral("/py_encoder_io.pt"));
    QVERIFY(encoderIo);
    const fa::nn::ExpressionOutput expression = encoder->forward(entry(*encoderIo, "images"));
    const double embeddingDiff = maxAbsDiff(expression.embedding, entry(*encoderIo, "embedding"));
    const double featureDiff = maxAbsDiff(expression.feature, entry(*encoderIo, "feature"));
    qInfo("Python -> C++ encoder: max abs diff embedding %.3g, feature %.3g", embeddingDiff, featureDiff);
    QVERIFY(embeddingDiff <= kTolerance);
    QVERIFY(featureDiff <= kTolerance);
}

void TestPythonInterop::ourWeightsGiveTheSameOutputsInPython()
{
    torch::manual_seed(2024);
    fa::nn::MaskedAutoencoder mae(fa::test::smallVitConfig(), fa::test::smallDecoderConfig());
    fa::nn::ExpressionEncoder encoder(fa::test::smallVitConfig(), 16);
    perturb(*mae);
    perturb(*encoder);
    const torch::Tensor images = torch::randn({3, 3, 32, 32});
    const torch::Tensor noise = torch::rand({3, 16});
    torch::NoGradGuard noGrad;
    const fa::nn::MaeOutput out = mae->forward(images, noise);
    const fa::nn::ExpressionOutput expression = encoder->forward(images);

    QVERIFY(save(fa::nn::stateDictOf(*mae), m_dir + QStringLiteral("/cpp_mae_weights.pt")));
    QVERIFY(save(fa::nn::stateDictOf(*encoder), m_dir + QStringLiteral("/cpp_encoder_weights.pt")));
    QVERIFY(save({{"images", images}, {"noise", noise}, {"loss", out.loss}, {"prediction", out.prediction},
                  {"mask", out.mask}},
                 m_dir + QStringLiteral("/cpp_mae_io.pt")));
    QVERIFY(save({{"images", images}, {"embedding", expression.embedding}, {"feature", expression.feature}},
                 m_dir + QStringLiteral("/cpp_encoder_io.pt")));

    const fa::test::PythonRun run = fa::test::runReference(QStringLiteral("check"), m_dir);
    QVERIFY2(run.finished, qPrintable(run.output));
    const QStringList lines = run.output.trimmed().split(QLatin1Char('\n'));
    const QJsonObject diffs = QJsonDocument::fromJson(lines.last().toUtf8()).object();
    QVERIFY2(!diffs.isEmpty(), qPrintable(run.output));
    qInfo("C++ -> Python (strict load_state_dict): %s", qPrintable(lines.last()));
    for (const QString &key : {QStringLiteral("mae_loss"), QStringLiteral("mae_prediction"), QStringLiteral("mae_mask"),
                               QStringLiteral("encoder_embedding"), QStringLiteral("encoder_feature")}) {
        QVERIFY2(diffs.contains(key), qPrintable(key));
        QVERIFY2(diffs.value(key).toDouble(1.0) <= kTolerance, qPrintable(key));
    }
    QCOMPARE(run.exitCode, 0);
}

QTEST_GUILESS_MAIN(TestPythonInterop)
#include "test_python_interop.moc"
