// Augmentation pipeline on real face images: output sizes, determinism, the RandomResizedCrop
// sampling, random erasing's rate, the eval transform's exact centre crop, normalisation.
#include "test_files.h"
#include "training/deterministic_random.h"
#include "training/face_normalization.h"
#include "training/image_augmentation.h"
#include "training/pillow_resize.h"

#include <QtTest>

#include <ATen/ATen.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>

using fa::FaceAugmentation;
using fa::test::dataPath;

Q_DECLARE_METATYPE(FaceAugmentation)

namespace {

cv::Mat readImage(const QString &relative)
{
    return cv::imread(dataPath(relative).toStdString(), cv::IMREAD_COLOR);
}

/// A pattern where every pixel differs from its neighbours: B = x, G = y, R = (3x + 7y) mod 256.
cv::Mat pattern(int width, int height)
{
    cv::Mat image(height, width, CV_8UC3);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            image.at<cv::Vec3b>(y, x) = cv::Vec3b(uchar(x & 255), uchar(y & 255), uchar((3 * x + 7 * y) & 255));
    return image;
}

bool sameMat(const cv::Mat &a, const cv::Mat &b)
{
    return a.size() == b.size() && a.type() == b.type() && cv::norm(a, b, cv::NORM_INF) == 0;
}

} // namespace

class TestImageAugmentation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void outputSize_data();
    void outputSize();
    void determinism_data();
    void determinism();
    void portableDraws();
    void randomResizedCropRegion_data();
    void randomResizedCropRegion();
    void randomResizedCropFallback();
    void randomErasingRate();
    void evalTransformExactCentreCrop();
    void evalTransformNonSquare();
    void normalisation();
    void randAugmentIdentities();

private:
    cv::Mat m_yale; ///< 320x243 grey face, read as BGR
    cv::Mat m_colour; ///< face-api.js "happy", colour
};

void TestImageAugmentation::initTestCase()
{
    m_yale = readImage(QStringLiteral("images/yale_faces/subject01_happy.png"));
    m_colour = readImage(QStringLiteral("images/faceapi_expressions/happy.jpg"));
    QVERIFY(!m_yale.empty());
    QVERIFY(!m_colour.empty());
    QCOMPARE(m_yale.cols, 320);
}

void TestImageAugmentation::outputSize_data()
{
    QTest::addColumn<FaceAugmentation>("augmentation");
    QTest::addColumn<int>("size");
    QTest::newRow("eval 224") << FaceAugmentation::eval() << 224;
    QTest::newRow("eval 32") << FaceAugmentation::eval() << 32;
    QTest::newRow("mae 224") << FaceAugmentation::maePretraining() << 224;
    QTest::newRow("mae 48") << FaceAugmentation::maePretraining() << 48;
    QTest::newRow("triplet 224") << FaceAugmentation::tripletTraining() << 224;
    QTest::newRow("triplet 64") << FaceAugmentation::tripletTraining() << 64;
}

void TestImageAugmentation::outputSize()
{
    QFETCH(FaceAugmentation, augmentation);
    QFETCH(int, size);
    std::mt19937_64 rng(11);
    for (const cv::Mat &image : {m_yale, m_colour}) {
        for (int i = 0; i < 20; ++i) {
            const at::Tensor t = fa::faceAugmentationTensor(image, augmentation, size, rng);
            QCOMPARE(t.sizes().vec(), (std::vector<int64_t>{3, size, size}));
            QCOMPARE(t.scalar_type(), at::kFloat);
            QVERIFY(at::isfinite(t).all().item<bool>());
            // Normalised values stay within what 0..255 maps to (erasing noise aside: |N(0,1)| < 8).
            QVERIFY(t.abs().max().item<float>() < 8.0f);
        }
    }
}

void TestImageAugmentation::determinism_data()
{
    QTest::addColumn<FaceAugmentation>("augmentation");
    QTest::newRow("mae") << FaceAugmentation::maePretraining();
    QTest::newRow("triplet") << FaceAugmentation::tripletTraining();
}

void TestImageAugmentation::determinism()
{
    QFETCH(FaceAugmentation, augmentation);
    int differing = 0;
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
        std::mt19937_64 a(seed), b(seed), c(seed + 1000);
        const at::Tensor ta = fa::faceAugmentationTensor(m_colour, augmentation, 96, a);
        const at::Tensor tb = fa::faceAugmentationTensor(m_colour, augmentation, 96, b);
        const at::Tensor tc = fa::faceAugmentationTensor(m_colour, augmentation, 96, c);
        QVERIFY2(at::equal(ta, tb), "same seed, different output");
        differing += !at::equal(ta, tc);
        // The engine advanced the same way.
        QCOMPARE(a(), b());
    }
    QCOMPARE(differing, 20);
    // Eval draws nothing that matters: equal for any seed.
    std::mt19937_64 a(1), b(2);
    QVERIFY(at::equal(fa::faceAugmentationTensor(m_colour, FaceAugmentation::eval(), 96, a),
                      fa::faceAugmentationTensor(m_colour, FaceAugmentation::eval(), 96, b)));
}

// The draws rest on std::mt19937_64's standard-fixed sequence only.
void TestImageAugmentation::portableDraws()
{
    std::mt19937_64 rng; // default seed 5489
    rng.discard(9999);
    QCOMPARE(rng(), 9981545732273789042ULL); // C++ standard [rand.predef]
    std::mt19937_64 r(3);
    double sum = 0, sumSquares = 0;
    int low = 0, high = 0;
    const int n = 20000;
    for (int i = 0; i < n; ++i) {
        const double u = fa::uniform01(r);
        QVERIFY(u >= 0 && u < 1);
        const std::int64_t k = fa::uniformInt(r, -2, 2);
        QVERIFY(k >= -2 && k <= 2);
        low += k == -2;
        high += k == 2;
        const double z = fa::standardNormal(r);
        sum += z;
        sumSquares += z * z;
    }
    QVERIFY2(std::abs(sum / n) < 0.05, qPrintable(QString::number(sum / n)));
    QVERIFY2(std::abs(sumSquares / n - 1) < 0.05, qPrintable(QString::number(sumSquares / n)));
    QVERIFY(std::abs(low - n / 5) < n / 25 && std::abs(high - n / 5) < n / 25);
    QVERIFY(fa::deriveSeed({1, 2}) != fa::deriveSeed({2, 1}));
    QCOMPARE(fa::deriveSeed({1, 2}), fa::deriveSeed({1, 2}));
}

void TestImageAugmentation::randomResizedCropRegion_data()
{
    QTest::addColumn<double>("minScale");
    QTest::addColumn<double>("minRatio");
    QTest::addColumn<double>("maxRatio");
    QTest::newRow("triplet 0.08 7/8-8/7") << 0.08 << 7.0 / 8.0 << 8.0 / 7.0;
    QTest::newRow("mae 0.2 3/4-4/3") << 0.2 << 3.0 / 4.0 << 4.0 / 3.0;
}

void TestImageAugmentation::randomResizedCropRegion()
{
    QFETCH(double, minScale);
    QFETCH(double, minRatio);
    QFETCH(double, maxRatio);
    fa::RandomResizedCropOptions options;
    options.minScale = minScale;
    options.minRatio = minRatio;
    options.maxRatio = maxRatio;
    std::mt19937_64 rng(5);
    const cv::Size size(224, 224);
    double meanScale = 0;
    int left = 0, right = 0;
    const int n = 4000;
    for (int i = 0; i < n; ++i) {
        const cv::Rect r = fa::randomResizedCropRegion(size, rng, options);
        QVERIFY(r.x >= 0 && r.y >= 0 && r.width > 0 && r.height > 0);
        QVERIFY(r.x + r.width <= 224 && r.y + r.height <= 224);
        const double scale = double(r.area()) / (224.0 * 224.0);
        meanScale += scale / n;
        // Rounding w and h to pixels moves scale and ratio a little past the sampled range.
        QVERIFY2(scale >= minScale * 0.9 && scale <= 1.0, qPrintable(QString::number(scale)));
        const double ratio = double(r.width) / r.height;
        QVERIFY2(ratio >= minRatio * 0.9 && ratio <= maxRatio * 1.1, qPrintable(QString::number(ratio)));
        left += r.x == 0;
        right += r.x + r.width == 224;
    }
    // Scales are uniform in [minScale, 1] but large ones are rejected more often (they do not fit
    // at extreme ratios): the mean sits a little below the midpoint.
    QVERIFY2(meanScale > (minScale + 1) / 2 - 0.1 && meanScale < (minScale + 1) / 2 + 0.02,
             qPrintable(QString::number(meanScale)));
    QVERIFY(left > 0 && right > 0);
}

// When no attempt fits (scale > 1), torchvision falls back to the centre crop clamped to the
// ratio range.
void TestImageAugmentation::randomResizedCropFallback()
{
    fa::RandomResizedCropOptions options;
    options.minScale = 2.0;
    options.maxScale = 3.0;
    options.minRatio = 7.0 / 8.0;
    options.maxRatio = 8.0 / 7.0;
    std::mt19937_64 rng(1);
    QCOMPARE(fa::randomResizedCropRegion(cv::Size(300, 200), rng, options), cv::Rect(35, 0, 229, 200));
    QCOMPARE(fa::randomResizedCropRegion(cv::Size(200, 300), rng, options), cv::Rect(0, 35, 200, 229));
    QCOMPARE(fa::randomResizedCropRegion(cv::Size(224, 224), rng, options), cv::Rect(0, 0, 224, 224));
}

void TestImageAugmentation::randomErasingRate()
{
    std::mt19937_64 rng(42);
    const int n = 4000, side = 224;
    int erased = 0;
    double areaSum = 0, noiseSum = 0, noiseSquares = 0;
    qint64 noiseCount = 0;
    for (int i = 0; i < n; ++i) {
        at::Tensor image = at::full({3, side, side}, 100.0f); // a value noise never takes exactly
        const bool changed = fa::randomErasing(image, rng);
        const at::Tensor mask = image != 100.0f;
        const qint64 count = mask.sum().item<int64_t>();
        QCOMPARE(changed, count > 0);
        if (!changed)
            continue;
        ++erased;
        const double fraction = double(count) / (3.0 * side * side);
        // One rectangle in all channels, area in [0.02, 1/3] up to rounding.
        QVERIFY2(fraction > 0.017 && fraction < 0.35, qPrintable(QString::number(fraction)));
        QCOMPARE(count % 3, 0);
        QVERIFY(at::equal(mask[0], mask[1]) && at::equal(mask[0], mask[2]));
        areaSum += fraction;
        const at::Tensor noise = image.masked_select(mask).to(at::kDouble);
        noiseSum += noise.sum().item<double>();
        noiseSquares += noise.pow(2).sum().item<double>();
        noiseCount += noise.numel();
    }
    const double rate = double(erased) / n;
    qInfo("random erasing: %d of %d images erased (%.3f, p = 0.25), mean area %.3f", erased, n, rate, areaSum / erased);
    // Binomial standard deviation at n = 4000: 0.0068; 0.03 is over 4 of them.
    QVERIFY2(std::abs(rate - 0.25) < 0.03, qPrintable(QString::number(rate)));
    QVERIFY(std::abs(noiseSum / noiseCount) < 0.01);
    QVERIFY(std::abs(noiseSquares / noiseCount - 1) < 0.02);
    // p = 0 never erases, p = 1 always does (on a 224 image an attempt always fits eventually).
    fa::RandomErasingOptions never;
    never.probability = 0;
    fa::RandomErasingOptions always;
    always.probability = 1;
    int alwaysCount = 0;
    for (int i = 0; i < 200; ++i) {
        at::Tensor image = at::zeros({3, 32, 32});
        QVERIFY(!fa::randomErasing(image, rng, never));
        alwaysCount += fa::randomErasing(image, rng, always);
    }
    QVERIFY2(alwaysCount >= 195, qPrintable(QString::number(alwaysCount)));
}

// 256 x 256 needs no resize at size 224: the result is exactly the centre 224 x 224.
void TestImageAugmentation::evalTransformExactCentreCrop()
{
    const cv::Mat image = pattern(256, 256);
    const cv::Mat crop = fa::evalResizeCentreCrop(image, 224);
    QVERIFY(sameMat(crop, image(cv::Rect(16, 16, 224, 224))));
    const at::Tensor tensor = fa::evalTransform(image, 224);
    QVERIFY(at::equal(tensor, fa::toNormalizedTensor(image(cv::Rect(16, 16, 224, 224)).clone())));
    // Size 112: resize to 128 (= 112 * 256 / 224), centre 112.
    const cv::Mat small = pattern(128, 128);
    QVERIFY(sameMat(fa::evalResizeCentreCrop(small, 112), small(cv::Rect(8, 8, 112, 112))));
    // A 224 crop is enlarged to 256 first: same as resizing by hand.
    const cv::Mat face = m_colour(cv::Rect(0, 0, std::min(m_colour.cols, m_colour.rows), std::min(m_colour.cols, m_colour.rows)));
    const cv::Mat face224 = fa::pillowResizeBicubic(face, cv::Size(224, 224));
    const cv::Mat enlarged = fa::pillowResizeBicubic(face224, cv::Size(256, 256));
    QVERIFY(sameMat(fa::evalResizeCentreCrop(face224, 224), enlarged(cv::Rect(16, 16, 224, 224))));
}

// torchvision Resize(256) keeps the aspect ratio (long side int(256 * 320 / 243) = 337), then
// CenterCrop rounds (337 - 224) / 2 = 56.5 half to even: 56.
void TestImageAugmentation::evalTransformNonSquare()
{
    const cv::Mat crop = fa::evalResizeCentreCrop(m_yale, 224);
    const cv::Mat resized = fa::pillowResizeBicubic(m_yale, cv::Size(337, 256));
    QCOMPARE(crop.size(), cv::Size(224, 224));
    QVERIFY(sameMat(crop, resized(cv::Rect(56, 16, 224, 224))));
}

void TestImageAugmentation::normalisation()
{
    cv::Mat image(4, 5, CV_8UC3, cv::Scalar(0, 128, 255)); // B, G, R
    const at::Tensor t = fa::toNormalizedTensor(image);
    QCOMPARE(t.sizes().vec(), (std::vector<int64_t>{3, 4, 5}));
    QVERIFY(std::abs(t[0][2][3].item<float>() - float((1.0 - 0.499) / 0.297)) < 1e-6f);
    QVERIFY(std::abs(t[1][0][0].item<float>() - float((128 / 255.0 - 0.410) / 0.270)) < 1e-6f);
    QVERIFY(std::abs(t[2][3][4].item<float>() - float((0.0 - 0.366) / 0.265)) < 1e-6f);
    // Round trip on a real image.
    QVERIFY(sameMat(fa::fromNormalizedTensor(fa::toNormalizedTensor(m_colour)), m_colour));
    QVERIFY(sameMat(fa::fromNormalizedTensor(fa::toNormalizedTensor(m_colour).unsqueeze(0)), m_colour));
    // Grey input is expanded to three equal channels.
    cv::Mat grey;
    cv::cvtColor(m_colour, grey, cv::COLOR_BGR2GRAY);
    const at::Tensor g = fa::toNormalizedTensor(grey);
    QVERIFY(at::allclose(g[0] * 0.297 + 0.499, g[1] * 0.270 + 0.410, 1e-5, 1e-5));
    QCOMPARE(fa::faceMeanBgr8(), cv::Scalar(93, 105, 127));
    QVERIFY(!fa::toNormalizedTensor(cv::Mat()).defined());
}

void TestImageAugmentation::randAugmentIdentities()
{
    cv::Mat face;
    cv::resize(m_colour, face, cv::Size(224, 224), 0, 0, cv::INTER_AREA);
    using Op = fa::RandAugmentOp;
    QVERIFY(sameMat(fa::applyRandAugmentOp(face, Op::Posterize, 8), face));
    QVERIFY(sameMat(fa::applyRandAugmentOp(face, Op::Solarize, 256), face));
    QVERIFY(sameMat(fa::applyRandAugmentOp(face, Op::SolarizeAdd, 0), face));
    QVERIFY(sameMat(fa::applyRandAugmentOp(fa::applyRandAugmentOp(face, Op::Invert, 0), Op::Invert, 0), face));
    for (Op op : {Op::Color, Op::Contrast, Op::Brightness, Op::Sharpness})
        QVERIFY2(sameMat(fa::applyRandAugmentOp(face, op, 1.0), face), qPrintable(fa::randAugmentOpName(op)));
    for (Op op : {Op::Rotate, Op::ShearX, Op::ShearY, Op::TranslateXRel, Op::TranslateYRel})
        QVERIFY2(sameMat(fa::applyRandAugmentOp(face, op, 0.0), face), qPrintable(fa::randAugmentOpName(op)));
    QVERIFY(cv::countNonZero(fa::applyRandAugmentOp(face, Op::Posterize, 0).reshape(1)) == 0);
    // Translating by half the width fills the right half with the face mean.
    const cv::Mat shifted = fa::applyRandAugmentOp(face, Op::TranslateXRel, 0.5);
    QVERIFY(sameMat(shifted(cv::Rect(112, 0, 112, 224)), cv::Mat(224, 112, CV_8UC3, fa::faceMeanBgr8())));
    // Every op keeps size and type; the whole RandAugment is deterministic for a seed.
    for (int i = 0; i < fa::kRandAugmentOpCount; ++i) {
        std::mt19937_64 rng(i);
        const Op op = Op(i);
        const cv::Mat out = fa::applyRandAugmentOp(face, op, fa::randAugmentArgument(op, 9, true, rng));
        QCOMPARE(out.size(), face.size());
        QCOMPARE(out.type(), CV_8UC3);
    }
    int changed = 0;
    for (std::uint64_t seed = 0; seed < 50; ++seed) {
        std::mt19937_64 a(seed), b(seed);
        const cv::Mat ra = fa::randAugment(face, a), rb = fa::randAugment(face, b);
        QVERIFY(sameMat(ra, rb));
        changed += !sameMat(ra, face);
    }
    // Each of the 2 ops runs with probability 0.5: about 3 in 4 images change (a few ops at
    // some magnitudes leave an image as it is).
    QVERIFY2(changed > 25 && changed < 48, qPrintable(QString::number(changed)));
}

QTEST_GUILESS_MAIN(TestImageAugmentation)
#include "test_image_augmentation.moc"
