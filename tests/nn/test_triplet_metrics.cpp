// Symmetric triplet loss and triplet prediction accuracy on hand-built embeddings
// (REFERENCE.md section 2): values worked out by hand, ties counted as wrong.

#include "nn/triplet_accuracy.h"
#include "nn/triplet_loss.h"

#include <torch/torch.h>

#include <QtTest>

#include <cmath>

using Points = QList<QList<float>>; // one 2-D (or n-D) embedding per row
Q_DECLARE_METATYPE(Points)

namespace {

torch::Tensor toTensor(const Points &points)
{
    const auto rows = static_cast<int64_t>(points.size());
    const auto cols = rows ? static_cast<int64_t>(points.first().size()) : 0;
    torch::Tensor out = torch::empty({rows, cols});
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
            out[r][c] = points[int(r)][int(c)];
    return out;
}

} // namespace

class TestTripletMetrics : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void loss_data();
    void loss();
    void lossMatchesTripletMarginLoss();
    void lossHasGradients();
    void accuracy_data();
    void accuracy();
};

void TestTripletMetrics::loss_data()
{
    QTest::addColumn<Points>("anchor");
    QTest::addColumn<Points>("positive");
    QTest::addColumn<Points>("negative");
    QTest::addColumn<QList<float>>("margins");
    QTest::addColumn<double>("expected");
    // d(a,p)=1, d(a,n)=3, d(p,n)=2: both hinges inactive.
    QTest::newRow("satisfied") << Points{{0, 0}} << Points{{1, 0}} << Points{{3, 0}} << QList<float>{0.2f} << 0.0;
    // d(a,p)=2, d(a,n)=1, d(p,n)=1: (2 - 1 + 0.1) twice.
    QTest::newRow("violated both ways") << Points{{0, 0}} << Points{{2, 0}} << Points{{1, 0}} << QList<float>{0.1f} << 2.2;
    // d(a,p)=1, d(a,n)=sqrt 2 (inactive: 1 - 1.414 + 0.2 < 0), d(p,n)=1 (active: 0.2).
    QTest::newRow("only p side") << Points{{0, 0}} << Points{{0, 1}} << Points{{1, 1}} << QList<float>{0.2f} << 0.2;
    // Inside the margin only: d(a,p)=1, d(a,n)=1.05, d(p,n)=2.05 -> 1 - 1.05 + 0.1 = 0.05.
    QTest::newRow("within margin") << Points{{0, 0}} << Points{{1, 0}} << Points{{-1.05f, 0}} << QList<float>{0.1f}
                                   << 0.05;
    // Batch mean with per-triplet margins: (0 + 2.2 + 0.2) / 3.
    QTest::newRow("batch mean") << Points{{0, 0}, {0, 0}, {0, 0}} << Points{{1, 0}, {2, 0}, {0, 1}}
                                << Points{{3, 0}, {1, 0}, {1, 1}} << QList<float>{0.2f, 0.1f, 0.2f} << 0.8;
}

void TestTripletMetrics::loss()
{
    QFETCH(Points, anchor);
    QFETCH(Points, positive);
    QFETCH(Points, negative);
    QFETCH(QList<float>, margins);
    QFETCH(double, expected);
    const torch::Tensor m = torch::tensor(std::vector<float>(margins.begin(), margins.end()));
    const torch::Tensor value = fa::nn::symmetricTripletLoss(toTensor(anchor), toTensor(positive), toTensor(negative), m);
    QCOMPARE(value.dim(), int64_t(0));
    // pairwise_distance adds eps = 1e-6 to each difference, hence the tolerance.
    QVERIFY2(std::abs(value.item<double>() - expected) < 1e-5, qPrintable(QString::number(value.item<double>())));
}

void TestTripletMetrics::lossMatchesTripletMarginLoss()
{
    // TripletMarginLoss(a,p,n) + TripletMarginLoss(p,a,n), as the reference with one margin.
    torch::manual_seed(5);
    const torch::Tensor a = torch::nn::functional::normalize(torch::randn({32, 16}));
    const torch::Tensor p = torch::nn::functional::normalize(torch::randn({32, 16}));
    const torch::Tensor n = torch::nn::functional::normalize(torch::randn({32, 16}));
    namespace F = torch::nn::functional;
    const auto options = F::TripletMarginLossFuncOptions().margin(0.2);
    const torch::Tensor expected = F::triplet_margin_loss(a, p, n, options) + F::triplet_margin_loss(p, a, n, options);
    const torch::Tensor value = fa::nn::symmetricTripletLoss(a, p, n, torch::full({32}, 0.2));
    QVERIFY(expected.item<double>() > 0.1);
    QVERIFY(std::abs(value.item<double>() - expected.item<double>()) < 1e-6);
}

void TestTripletMetrics::lossHasGradients()
{
    torch::Tensor a = torch::tensor({{0.f, 0.f}}).requires_grad_(true);
    const torch::Tensor p = torch::tensor({{2.f, 0.f}});
    const torch::Tensor n = torch::tensor({{1.f, 0.f}});
    fa::nn::symmetricTripletLoss(a, p, n, torch::tensor({0.1f})).backward();
    // Both hinges active. d/da (|a-p| - |a-n|) = (a-p)/|a-p| - (a-n)/|a-n| = (-1, 0) - (-1, 0) = 0;
    // d/da (|p-a| - |p-n|) = (a-p)/|a-p| = (-1, 0). Total (-1, 0).
    QVERIFY(std::abs(a.grad()[0][0].item<float>() + 1.0f) < 1e-4f);
    QVERIFY(std::abs(a.grad()[0][1].item<float>()) < 1e-4f);
}

void TestTripletMetrics::accuracy_data()
{
    QTest::addColumn<Points>("anchor");
    QTest::addColumn<Points>("positive");
    QTest::addColumn<Points>("negative");
    QTest::addColumn<QList<bool>>("correct");
    const float nan = std::nanf("");
    QTest::newRow("closest pair is (a,p)") << Points{{0, 0}} << Points{{0.1f, 0}} << Points{{1, 0}} << QList<bool>{true};
    QTest::newRow("n closer to a") << Points{{0, 0}} << Points{{1, 0}} << Points{{0.5f, 0.5f}} << QList<bool>{false};
    // d(a,p)=1 < d(a,n)=1.5 but d(p,n)=0.5: (p,n) is the closest pair.
    QTest::newRow("n closer to p") << Points{{0, 0}} << Points{{1, 0}} << Points{{1.5f, 0}} << QList<bool>{false};
    QTest::newRow("tie d(a,p) = d(a,n)") << Points{{0, 0}} << Points{{1, 0}} << Points{{-1, 0}} << QList<bool>{false};
    QTest::newRow("tie d(a,p) = d(p,n)") << Points{{0, 0}} << Points{{2, 0}} << Points{{2, 2}} << QList<bool>{false};
    QTest::newRow("tie, rotated unit vectors")
        << Points{{0, 0}} << Points{{0.6f, 0.8f}} << Points{{0.8f, 0.6f}} << QList<bool>{false};
    QTest::newRow("all equal") << Points{{0.3f, 0.3f}} << Points{{0.3f, 0.3f}} << Points{{0.3f, 0.3f}} << QList<bool>{false};
    QTest::newRow("NaN") << Points{{nan, 0}} << Points{{0.1f, 0}} << Points{{1, 0}} << QList<bool>{false};
    QTest::newRow("batch, 4-D") << Points{{1, 0, 0, 0}, {1, 0, 0, 0}, {0, 0, 1, 0}}
                                << Points{{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 0.9f, 0.1f}}
                                << Points{{0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}} << QList<bool>{true, false, true};
}

void TestTripletMetrics::accuracy()
{
    QFETCH(Points, anchor);
    QFETCH(Points, positive);
    QFETCH(Points, negative);
    QFETCH(QList<bool>, correct);
    const torch::Tensor result = fa::nn::tripletPredictionCorrect(toTensor(anchor), toTensor(positive), toTensor(negative));
    QCOMPARE(result.scalar_type(), torch::kBool);
    QCOMPARE(result.numel(), int64_t(correct.size()));
    for (int i = 0; i < correct.size(); ++i)
        QCOMPARE(result[i].item<bool>(), correct[i]);
}

QTEST_GUILESS_MAIN(TestTripletMetrics)
#include "test_triplet_metrics.moc"
