// Learning-rate schedule values (MAE util/lr_sched.py per step; PyTorch's
// CosineAnnealingWarmRestarts stepped per iteration, values printed by /usr/bin/python3), optimizer parameter groups
// (timm param_groups_weight_decay + no_weight_decay) and the device helpers.

#include "nn/device.h"
#include "nn/expression_encoder.h"
#include "nn/lr_schedule.h"
#include "nn/masked_autoencoder.h"
#include "nn/optimizer_factory.h"

#include <torch/torch.h>

#include "small_network.h"

#include <QtTest>

#include <thread>

#include <cmath>
#include <set>

namespace {

// Which group (0 decay, 1 no decay, -1 none) holds the tensor.
int groupOf(const torch::optim::Optimizer &optimizer, const torch::Tensor &tensor)
{
    for (size_t g = 0; g < optimizer.param_groups().size(); ++g)
        for (const auto &p : optimizer.param_groups()[g].params())
            if (p.is_same(tensor))
                return int(g);
    return -1;
}

} // namespace

class TestTrainingUtils : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void learningRate_data();
    void learningRate();
    void warmRestarts_data();
    void warmRestarts();
    void adamwGroups();
    void noDecayGroupIsNotDecayed();
    void sgdGroups();
    void setLearningRateAllGroups();
    void device_data();
    void device();
    void description();
};

void TestTrainingUtils::learningRate_data()
{
    QTest::addColumn<qint64>("step");
    QTest::addColumn<qint64>("warmup");
    QTest::addColumn<qint64>("total");
    QTest::addColumn<double>("baseLr");
    QTest::addColumn<double>("minLr");
    QTest::addColumn<double>("expected");
    QTest::newRow("first step is 0") << qint64(0) << qint64(10) << qint64(100) << 1e-3 << 0.0 << 0.0;
    QTest::newRow("half warm-up") << qint64(5) << qint64(10) << qint64(100) << 1e-3 << 0.0 << 5e-4;
    QTest::newRow("end of warm-up") << qint64(10) << qint64(10) << qint64(100) << 1e-3 << 0.0 << 1e-3;
    QTest::newRow("cosine midpoint") << qint64(55) << qint64(10) << qint64(100) << 1e-3 << 0.0 << 5e-4;
    QTest::newRow("midpoint with floor") << qint64(55) << qint64(10) << qint64(100) << 1e-3 << 1e-5 << 5.05e-4;
    QTest::newRow("quarter, no warm-up") << qint64(25) << qint64(0) << qint64(100) << 1.0 << 0.0
                                         << 0.5 * (1.0 + std::cos(M_PI / 4.0));
    QTest::newRow("no warm-up starts at base") << qint64(0) << qint64(0) << qint64(100) << 2.0 << 0.0 << 2.0;
    QTest::newRow("last step") << qint64(100) << qint64(10) << qint64(100) << 1e-3 << 1e-6 << 1e-6;
    QTest::newRow("beyond the end") << qint64(150) << qint64(10) << qint64(100) << 1e-3 << 1e-6 << 1e-6;
    QTest::newRow("negative step") << qint64(-3) << qint64(10) << qint64(100) << 1e-3 << 0.0 << 0.0;
}

void TestTrainingUtils::learningRate()
{
    QFETCH(qint64, step);
    QFETCH(qint64, warmup);
    QFETCH(qint64, total);
    QFETCH(double, baseLr);
    QFETCH(double, minLr);
    QFETCH(double, expected);
    const double lr = fa::nn::warmupCosineLearningRate(step, warmup, total, baseLr, minLr);
    QVERIFY2(std::abs(lr - expected) <= 1e-12 * std::max(1.0, std::abs(expected)), qPrintable(QString::number(lr, 'g', 17)));
}

void TestTrainingUtils::warmRestarts_data()
{
    // torch 1.13: opt.param_groups[0]['lr'] before the step-th scheduler.step() of
    // CosineAnnealingWarmRestarts(SGD(lr=baseLr), T_0, T_mult, eta_min), one step per iteration.
    QTest::addColumn<qint64>("step");
    QTest::addColumn<qint64>("t0");
    QTest::addColumn<double>("tMult");
    QTest::addColumn<double>("baseLr");
    QTest::addColumn<double>("minLr");
    QTest::addColumn<double>("expected");
    const struct
    {
        qint64 step;
        double expected;
    } renderer[] = {{0, 1e-05}, {1, 9.999911173852617e-06}, {250, 5.5e-06}, {499, 1.000088826147383e-06},
                    {500, 1e-05}, {501, 9.999977793408363e-06}, {1499, 1.000022206591638e-06}, {1500, 1e-05},
                    {1501, 9.999994448348667e-06}, {3499, 1.0000055516513341e-06}, {3500, 1e-05},
                    {7499, 1.0000013879130475e-06}, {7500, 1e-05}};
    for (const auto &row : renderer)
        QTest::addRow("renderer T0 500 x2, step %lld", static_cast<long long>(row.step))
            << row.step << qint64(500) << 2.0 << 1e-5 << 1e-6 << row.expected;
    QTest::newRow("T_mult 1, step 0") << qint64(0) << qint64(10) << 1.0 << 1.0 << 0.0 << 1.0;
    QTest::newRow("T_mult 1, step 3") << qint64(3) << qint64(10) << 1.0 << 1.0 << 0.0 << 0.7938926261462366;
    QTest::newRow("T_mult 1, step 9") << qint64(9) << qint64(10) << 1.0 << 1.0 << 0.0 << 0.024471741852423234;
    QTest::newRow("T_mult 1, restart") << qint64(10) << qint64(10) << 1.0 << 1.0 << 0.0 << 1.0;
    QTest::newRow("T_mult 1, third cycle") << qint64(25) << qint64(10) << 1.0 << 1.0 << 0.0 << 0.5;
    QTest::newRow("T_mult 3, step 2") << qint64(2) << qint64(3) << 3.0 << 0.5 << 0.1 << 0.20000000000000007;
    QTest::newRow("T_mult 3, step 3") << qint64(3) << qint64(3) << 3.0 << 0.5 << 0.1 << 0.5;
    QTest::newRow("T_mult 3, step 11") << qint64(11) << qint64(3) << 3.0 << 0.5 << 0.1 << 0.11206147584281834;
    QTest::newRow("T_mult 3, step 12") << qint64(12) << qint64(3) << 3.0 << 0.5 << 0.1 << 0.5;
    QTest::newRow("T_mult 3, step 13") << qint64(13) << qint64(3) << 3.0 << 0.5 << 0.1 << 0.4986476715483886;
    QTest::newRow("T_mult 3, step 38") << qint64(38) << qint64(3) << 3.0 << 0.5 << 0.1 << 0.1013523284516114;
    QTest::newRow("T_mult 3, step 39") << qint64(39) << qint64(3) << 3.0 << 0.5 << 0.1 << 0.5;
    // Outside torch's domain (it raises): documented clamps.
    QTest::newRow("negative step = step 0") << qint64(-5) << qint64(500) << 2.0 << 1e-5 << 1e-6 << 1e-5;
    QTest::newRow("T_mult 2.7 = 2") << qint64(1500) << qint64(500) << 2.7 << 1e-5 << 1e-6 << 1e-5;
    QTest::newRow("T_mult 0.5 = 1") << qint64(25) << qint64(10) << 0.5 << 1.0 << 0.0 << 0.5;
}

void TestTrainingUtils::warmRestarts()
{
    QFETCH(qint64, step);
    QFETCH(qint64, t0);
    QFETCH(double, tMult);
    QFETCH(double, baseLr);
    QFETCH(double, minLr);
    QFETCH(double, expected);
    const double lr = fa::nn::cosineWarmRestartsLearningRate(step, t0, tMult, baseLr, minLr);
    QVERIFY2(std::abs(lr - expected) <= 1e-12 * std::abs(expected),
             qPrintable(QString::number(lr, 'g', 17)));
}

void TestTrainingUtils::adamwGroups()
{
    fa::nn::MaskedAutoencoder mae(fa::test::smallVitConfig(), fa::test::smallDecoderConfig());
    fa::nn::OptimizerSettings settings;
    settings.lr = 1e-3;
    const auto optimizer = fa::nn::makeOptimizer(*mae, settings);
    QCOMPARE(optimizer->param_groups().size(), size_t(2));
    int decay = 0, noDecay = 0;
    for (const auto &item : mae->named_parameters()) {
        const std::string &name = item.key();
        const int group = groupOf(*optimizer, item.value());
        if (!item.value().requires_grad()) { // frozen sin-cos tables
            QVERIFY2(group == -1, name.c_str());
            continue;
        }
        const bool expectNoDecay = item.value().dim() <= 1 || name == "cls_token" || name == "mask_token";
        QVERIFY2(group == (expectNoDecay ? 1 : 0), name.c_str());
        (expectNoDecay ? noDecay : decay) += 1;
    }
    // 2-D+ weights: patch proj, 2 x (qkv, proj, fc1, fc2), decoder_embed, 1 x 4, decoder_pred = 15.
    QCOMPARE(decay, 15);
    QVERIFY(groupOf(*optimizer, mae->blocks[0]->as<fa::nn::TransformerBlockImpl>()->attn->qkv->bias) == 1);
    QVERIFY(groupOf(*optimizer, mae->norm->weight) == 1);
    QCOMPARE(groupOf(*optimizer, mae->pos_embed), -1);
    const auto &options0 = static_cast<const torch::optim::AdamWOptions &>(optimizer->param_groups()[0].options());
    const auto &options1 = static_cast<const torch::optim::AdamWOptions &>(optimizer->param_groups()[1].options());
    QCOMPARE(options0.weight_decay(), 0.05);
    QCOMPARE(options1.weight_decay(), 0.0);
    QCOMPARE(std::get<1>(options0.betas()), 0.95);
    QCOMPARE(options0.lr(), 1e-3);
    QVERIFY(fa::nn::isNoWeightDecayParameter("decoder_pos_embed", torch::zeros({1, 17, 32})));
    QVERIFY(!fa::nn::isNoWeightDecayParameter("head.weight", torch::zeros({16, 64})));
}

void TestTrainingUtils::noDecayGroupIsNotDecayed()
{
    // With zero gradients AdamW only applies weight decay: p *= 1 - lr * wd on group 0 alone.
    fa::nn::ExpressionEncoder encoder(fa::test::smallVitConfig(), 16);
    fa::nn::OptimizerSettings settings;
    settings.lr = 0.1;
    settings.weightDecay = 0.5;
    const auto optimizer = fa::nn::makeOptimizer(*encoder, settings);
    for (auto &p : encoder->parameters())
        p.mutable_grad() = torch::zeros_like(p);
    const torch::Tensor weight = encoder->head->weight.clone();
    const torch::Tensor bias = encoder->fc_norm->weight.clone();
    const torch::Tensor cls = encoder->cls_token.clone();
    optimizer->step();
    QVERIFY(torch::allclose(encoder->head->weight, weight * (1 - 0.1 * 0.5)));
    QVERIFY(torch::equal(encoder->fc_norm->weight, bias));
    QVERIFY(torch::equal(encoder->cls_token, cls));
}

void TestTrainingUtils::sgdGroups()
{
    fa::nn::ExpressionEncoder encoder(fa::test::smallVitConfig(), 16);
    fa::nn::OptimizerSettings settings;
    settings.kind = fa::nn::OptimizerKind::Sgd;
    settings.lr = 0.002;
    settings.weightDecay = 5e-5;
    settings.momentum = 0.9;
    const auto optimizer = fa::nn::makeOptimizer(*encoder, settings);
    QVERIFY(dynamic_cast<torch::optim::SGD *>(optimizer.get()));
    const auto &options0 = static_cast<const torch::optim::SGDOptions &>(optimizer->param_groups()[0].options());
    const auto &options1 = static_cast<const torch::optim::SGDOptions &>(optimizer->param_groups()[1].options());
    QCOMPARE(options0.weight_decay(), 5e-5);
    QCOMPARE(options1.weight_decay(), 0.0);
    QCOMPARE(options0.momentum(), 0.9);
    QCOMPARE(options1.momentum(), 0.9);
    QCOMPARE(groupOf(*optimizer, encoder->head->weight), 0);
    QCOMPARE(groupOf(*optimizer, encoder->head->bias), 1);
    QCOMPARE(groupOf(*optimizer, encoder->cls_token), 1);
}

void TestTrainingUtils::setLearningRateAllGroups()
{
    fa::nn::ExpressionEncoder encoder(fa::test::smallVitConfig(), 16);
    const auto optimizer = fa::nn::makeOptimizer(*encoder, {});
    fa::nn::setLearningRate(*optimizer, 0.0123);
    for (const auto &group : optimizer->param_groups())
        QCOMPARE(group.options().get_lr(), 0.0123);
}

void TestTrainingUtils::device_data()
{
    QTest::addColumn<QString>("request");
    QTest::addColumn<bool>("wantsCuda");
    QTest::addColumn<bool>("valid"); // a request that can never work
    QTest::newRow("auto") << QStringLiteral("auto") << true << true;
    QTest::newRow("cpu") << QStringLiteral("cpu") << false << true;
    QTest::newRow("cuda") << QStringLiteral("cuda") << true << true;
    QTest::newRow("cuda:0") << QStringLiteral("cuda:0") << true << true;
    QTest::newRow("cuda:x") << QStringLiteral("cuda:x") << true << false;
    QTest::newRow("gpu") << QStringLiteral("gpu") << false << false;
}

void TestTrainingUtils::device()
{
    QFETCH(QString, request);
    QFETCH(bool, wantsCuda);
    QFETCH(bool, valid);
    const bool haveCuda = torch::cuda::is_available();
    std::string error = "stale";
    const c10::Device device = fa::nn::preferredDevice(request.toStdString(), &error);
    if (!valid) {
        QVERIFY(device.is_cpu());
        QVERIFY(!error.empty());
        return;
    }
    if (request == QStringLiteral("auto")) {
        QCOMPARE(device.is_cuda(), haveCuda);
        QVERIFY(error.empty());
    } else if (wantsCuda && !haveCuda) {
        QVERIFY(device.is_cpu());
        QVERIFY2(QString::fromStdString(error).contains(QStringLiteral("CUDA")), error.c_str());
    } else {
        QCOMPARE(device.is_cuda(), wantsCuda);
        QVERIFY2(error.empty(), error.c_str());
    }
}

void TestTrainingUtils::description()
{
    const auto count = [](int n) { return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? QStringLiteral("thread") : QStringLiteral("threads")); };
    // Every core to torch, then to BLAS (OpenBLAS here: Debian's LibTorch), never to both.
    const int cores = std::max(1, int(std::thread::hardware_concurrency()));
    fa::nn::useCpuThreads(0, fa::nn::CpuThreadUse::Torch);
    QCOMPARE(at::get_num_threads(), cores);
    const int blas = fa::nn::blasThreadCount();
    QVERIFY(blas == -1 || blas == 1);
    QString text = QString::fromStdString(fa::nn::deviceDescription(c10::Device(c10::kCPU)));
    QCOMPARE(text, QStringLiteral("CPU, %1").arg(count(cores)) + (blas > 0 ? QStringLiteral(", BLAS 1 thread") : QString()));
    fa::nn::useCpuThreads(0, fa::nn::CpuThreadUse::Blas);
    QCOMPARE(at::get_num_threads(), blas > 0 ? 1 : cores);
    if (blas > 0)
        QCOMPARE(fa::nn::blasThreadCount(), cores);
    text = QString::fromStdString(fa::nn::deviceDescription(c10::Device(c10::kCPU)));
    qInfo("%s", qPrintable(text));
    QVERIFY(text.startsWith(QStringLiteral("CPU, ")));
    if (torch::cuda::is_available()) {
        const QString cuda = QString::fromStdString(fa::nn::deviceDescription(c10::Device(c10::kCUDA, 0)));
        qInfo("%s", qPrintable(cuda));
        QVERIFY(cuda.startsWith(QStringLiteral("CUDA")));
    }
}

QTEST_GUILESS_MAIN(TestTrainingUtils)
#include "test_training_utils.moc"
