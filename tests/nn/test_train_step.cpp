// maeStep / tripletStep on a fixed batch of real face images (Yale faces from the shared data):
// the loss falls, a NaN batch changes nothing and reports finite = false, clipping follows
// torch.nn.utils.clip_grad_norm_.

#include "nn/optimizer_factory.h"
#include "nn/state_dict.h"
#include "nn/train_step.h"
#include "nn/triplet_accuracy.h"

#include "test_files.h"

#include <torch/torch.h>

#include <QImage>
#include "small_network.h"

#include <QtTest>

#include <chrono>
#include <cmath>

namespace {

// A Yale face (grayscale 320x243) as a normalised [3, 32, 32] tensor: centre square, scaled,
// the face mean/std of REFERENCE.md section 2.
torch::Tensor face(const char *name)
{
    QImage image(fa::test::dataPath(QStringLiteral("images/yale_faces/") + QLatin1String(name)));
    if (image.isNull())
        return {};
    const int side = std::min(image.width(), image.height());
    image = image.copy((image.width() - side) / 2, (image.height() - side) / 2, side, side)
                .scaled(32, 32, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
                .convertToFormat(QImage::Format_RGB888);
    torch::Tensor t = torch::empty({3, 32, 32});
    const float mean[3] = {0.499f, 0.410f, 0.366f};
    const float stdev[3] = {0.297f, 0.270f, 0.265f};
    for (int y = 0; y < 32; ++y) {
        const uchar *row = image.constScanLine(y);
        for (int x = 0; x < 32; ++x)
            for (int c = 0; c < 3; ++c)
                t[c][y][x] = (row[3 * x + c] / 255.0f - mean[c]) / stdev[c];
    }
    return t;
}

torch::Tensor faces(std::initializer_list<const char *> names)
{
    std::vector<torch::Tensor> list;
    for (const char *name : names) {
        torch::Tensor t = face(name);
        if (!t.defined())
            return {};
        list.push_back(t);
    }
    return torch::stack(list);
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

} // namespace

class TestTrainStep : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void maeLossFalls();
    void tripletLossFallsAndFitsTheBatch();
    void nanBatchChangesNothing();
    void clipping();
    void autocastIgnoredOnCpu();
    void maeStepBf16Cuda();

private:
    torch::Tensor m_images; // 8 faces
};

void TestTrainStep::initTestCase()
{
    m_images = faces({"subject01_happy.png", "subject02_sad.png", "subject03_surprised.png", "subject04_wink.png",
                      "subject05_normal.png", "subject06_sleepy.png", "subject07_happy.png", "subject08_sad.png"});
    QVERIFY2(m_images.defined(), "Yale faces missing from the shared data folder");
}

void TestTrainStep::maeLossFalls()
{
    torch::manual_seed(0);
    fa::nn::MaskedAutoencoder mae(fa::test::smallVitConfig(), fa::test::smallDecoderConfig());
    fa::nn::OptimizerSettings settings;
    settings.lr = 2e-3;
    const auto optimizer = fa::nn::makeOptimizer(*mae, settings);
    const torch::Tensor noise = torch::rand({8, 16});
    const auto start = std::chrono::steady_clock::now();
    std::vector<double> losses;
    for (int step = 0; step < 60; ++step) {
        const fa::nn::StepResult result = fa::nn::maeStep(mae, *optimizer, m_images, noise);
        QVERIFY(result.finite);
        QVERIFY(result.gradNorm > 0.0);
        losses.push_back(result.loss);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    qInfo("MAE on 8 real faces, fixed mask: loss %.4f -> %.4f after 60 steps (%.0f ms/step)", losses.front(),
          losses.back(), 1000.0 * seconds / 60);
    QVERIFY(losses.back() < 0.5 * losses.front());
}

void TestTrainStep::tripletLossFallsAndFitsTheBatch()
{
    torch::manual_seed(1);
    fa::nn::ExpressionEncoder encoder(fa::test::smallVitConfig(), 16);
    fa::nn::OptimizerSettings settings;
    settings.kind = fa::nn::OptimizerKind::Sgd;
    settings.lr = 0.05;
    settings.weightDecay = 5e-5;
    const auto optimizer = fa::nn::makeOptimizer(*encoder, settings);
    // Anchor and positive share the expression across people; the negative differs.
    const torch::Tensor anchor = faces({"subject01_happy.png", "subject02_surprised.png", "subject03_sad.png",
                                        "subject04_sleepy.png"});
    const torch::Tensor positive = faces({"subject05_happy.png", "subject06_surprised.png", "subject07_sad.png",
                                          "subject08_sleepy.png"});
    const torch::Tensor negative = faces({"subject09_surprised.png", "subject10_sad.png", "subject11_happy.png",
                                          "subject12_wink.png"});
    QVERIFY(anchor.defined() && positive.defined() && negative.defined());
    const torch::Tensor margins = torch::tensor({0.2f, 0.2f, 0.2f, 0.1f});
    const auto correctCount = [&] {
        torch::NoGradGuard noGrad;
        return fa::nn::tripletPredictionCorrect(encoder->forward(anchor).embedding, encoder->forward(positive).embedding,
                                                encoder->forward(negative).embedding)
            .sum()
            .item<int64_t>();
    };
    const int64_t rightBefore = correctCount();
    std::vector<double> losses;
    for (int step = 0; step < 60; ++step) {
        const fa::nn::StepResult result = fa::nn::tripletStep(encoder, *optimizer, anchor, positive, negative, margins);
        QVERIFY(result.finite);
        losses.push_back(result.loss);
    }
    const int64_t right = correctCount();
    qInfo("Triplets on real faces: loss %.4f -> %.4f after 60 steps, correct %lld -> %lld of 4", losses.front(),
          losses.back(), static_cast<long long>(rightBefore), static_cast<long long>(right));
    QVERIFY(losses.back() < 0.5 * losses.front());
    QCOMPARE(right, int64_t(4));
}

void TestTrainStep::nanBatchChangesNothing()
{
    torch::manual_seed(2);
    fa::nn::MaskedAutoencoder mae(fa::test::smallVitConfig(), fa::test::smallDecoderConfig());
    const auto maeOptimizer = fa::nn::makeOptimizer(*mae, {});
    const torch::Tensor noise = torch::rand({8, 16});
    QVERIFY(fa::nn::maeStep(mae, *maeOptimizer, m_images, noise).finite); // optimizer state exists
    const fa::nn::StateDict before = fa::nn::stateDictOf(*mae);
    torch::Tensor bad = m_images.clone();
    bad[3][1][5][7] = std::nanf("");
    const fa::nn::StepResult result = fa::nn::maeStep(mae, *maeOptimizer, bad, noise);
    QVERIFY(!result.finite);
    QVERIFY(std::isnan(result.loss));
    QVERIFY(sameWeights(before, fa::nn::stateDictOf(*mae)));
    QVERIFY(fa::nn::maeStep(mae, *maeOptimizer, m_images, noise).finite); // and training goes on

    fa::nn::ExpressionEncoder encoder(fa::test::smallVitConfig(), 16);
    fa::nn::OptimizerSettings sgd;
    sgd.kind = fa::nn::OptimizerKind::Sgd;
    sgd.lr = 0.01;
    const auto tripletOptimizer = fa::nn::makeOptimizer(*encoder, sgd);
    const fa::nn::StateDict encoderBefore = fa::nn::stateDictOf(*encoder);
    const torch::Tensor inf = torch::full({2, 3, 32, 32}, std::numeric_limits<float>::infinity());
    const fa::nn::StepResult tripletResult = fa::nn::tripletStep(
        encoder, *tripletOptimizer, m_images.slice(0, 0, 2), inf, m_images.slice(0, 2, 4), torch::full({2}, 0.2));
    QVERIFY(!tripletResult.finite);
    QVERIFY(sameWeights(encoderBefore, fa::nn::stateDictOf(*encoder)));
}

void TestTrainStep::clipping()
{
    // Gradient (3, 4): norm 5, clipped to norm 1 as clip_grad_norm_: scale 1 / (5 + 1e-6).
    torch::Tensor p = torch::zeros({2}, torch::requires_grad());
    p.mutable_grad() = torch::tensor({3.0f, 4.0f});
    QCOMPARE(fa::nn::clipGradientNorm({p}, 0.0), 5.0);
    QVERIFY(torch::equal(p.grad(), torch::tensor({3.0f, 4.0f}))); // 0 = off
    QCOMPARE(fa::nn::clipGradientNorm({p}, 10.0), 5.0);
    QVERIFY(torch::equal(p.grad(), torch::tensor({3.0f, 4.0f}))); // below the limit
    QCOMPARE(fa::nn::clipGradientNorm({p}, 1.0), 5.0);
    QVERIFY(torch::allclose(p.grad(), torch::tensor({0.6f, 0.8f}), 1e-6, 1e-6));
    QCOMPARE(fa::nn::clipGradientNorm({torch::zeros({2})}, 1.0), 0.0); // no gradient at all

    // In a step: the reported norm is before clipping, the applied gradient is clipped.
    torch::manual_seed(3);
    fa::nn::MaskedAutoencoder mae(fa::test::smallVitConfig(), fa::test::smallDecoderConfig());
    const auto optimizer = fa::nn::makeOptimizer(*mae, {});
    fa::nn::StepOptions options;
    options.clipNorm = 0.01;
    const fa::nn::StepResult result = fa::nn::maeStep(mae, *optimizer, m_images, torch::rand({8, 16}), options);
    QVERIFY(result.finite);
    QVERIFY2(result.gradNorm > 0.01, qPrintable(QString::number(result.gradNorm)));
    QVERIFY(fa::nn::clipGradientNorm(mae->parameters(), 0.0) <= 0.01 + 1e-6);
}

void TestTrainStep::autocastIgnoredOnCpu()
{
    const torch::Tensor noise = torch::rand({8, 16});
    double losses[2];
    for (int i = 0; i < 2; ++i) {
        torch::manual_seed(4);
        fa::nn::MaskedAutoencoder mae(fa::test::smallVitConfig(), fa::test::smallDecoderConfig());
        const auto optimizer = fa::nn::makeOptimizer(*mae, {});
        fa::nn::StepOptions options;
        options.bf16Autocast = i == 1;
        fa::nn::maeStep(mae, *optimizer, m_images, noise, options);
        losses[i] = fa::nn::maeStep(mae, *optimizer, m_images, noise, options).loss;
    }
    QCOMPARE(losses[1], losses[0]);
}

void TestTrainStep::maeStepBf16Cuda()
{
    if (!torch::cuda::is_available())
        QSKIP("no CUDA device");
    torch::manual_seed(5);
    fa::nn::MaskedAutoencoder mae(fa::test::smallVitConfig(), fa::test::smallDecoderConfig());
    mae->to(torch::kCUDA);
    fa::nn::OptimizerSettings settings;
    settings.lr = 2e-3;
    const auto optimizer = fa::nn::makeOptimizer(*mae, settings);
    const torch::Tensor images = m_images.to(torch::kCUDA);
    const torch::Tensor noise = torch::rand({8, 16}).to(torch::kCUDA);
    fa::nn::StepOptions options;
    options.bf16Autocast = true;
    std::vector<double> losses;
    for (int step = 0; step < 60; ++step) {
        const fa::nn::StepResult result = fa::nn::maeStep(mae, *optimizer, images, noise, options);
        QVERIFY(result.finite);
        losses.push_back(result.loss);
    }
    qInfo("CUDA bf16 MAE: loss %.4f -> %.4f", losses.front(), losses.back());
    QVERIFY(losses.back() < 0.5 * losses.front());
}

QTEST_GUILESS_MAIN(TestTrainStep)
#include "test_train_step.moc"
