// The augmentation's image operations against the Pillow functions the reference runs through
// timm and torchvision, with Debian's /usr/bin/python3 and python3-pil: each RandAugment op
// (timm/data/auto_augment.py) with fixed arguments, bicubic resizes (torchvision Resize /
// RandomResizedCrop on PIL images) and the eval transform's resize + centre crop, on real
// faces, compared pixel by pixel (bit-exact). Skipped when Pillow is not installed.
#include "test_files.h"
#include "training/face_normalization.h"
#include "training/pillow_resize.h"
#include "training/rand_augment.h"
#include "training/random_resized_crop.h"

#include <QProcess>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using fa::RandAugmentOp;
using fa::test::dataPath;
using fa::test::outputDir;

Q_DECLARE_METATYPE(fa::RandAugmentOp)
Q_DECLARE_METATYPE(cv::Rect)
Q_DECLARE_METATYPE(cv::Size)

namespace {

const char *const kPython = "/usr/bin/python3";

// Applies each named op with Pillow, as timm's op functions do (bicubic, fill = the face mean
// in RGB), and saves NAME.png next to the input.
const char *const kScript = R"PY(
import sys
from PIL import Image, ImageOps, ImageEnhance
src, out = sys.argv[1], sys.argv[2]
img = Image.open(src).convert('RGB')
w, h = img.size
fill = (127, 105, 93)
def affine(m):
    return img.transform(img.size, Image.AFFINE, m, resample=Image.BICUBIC, fillcolor=fill)
def solarize_add(add):
    lut = [min(255, i + add) if i < 128 else i for i in range(256)]
    return img.point(lut * 3)
ops = {
    'autocontrast': lambda: ImageOps.autocontrast(img),
    'equalize': lambda: ImageOps.equalize(img),
    'invert': lambda: ImageOps.invert(img),
    'posterize1': lambda: ImageOps.posterize(img, 1),
    'posterize3': lambda: ImageOps.posterize(img, 3),
    'solarize26': lambda: ImageOps.solarize(img, 26),
    'solarize150': lambda: ImageOps.solarize(img, 150),
    'solarizeadd99': lambda: solarize_add(99),
    'color0.19': lambda: ImageEnhance.Color(img).enhance(0.19),
    'color1.81': lambda: ImageEnhance.Color(img).enhance(1.81),
    'contrast0.3': lambda: ImageEnhance.Contrast(img).enhance(0.3),
    'contrast1.77': lambda: ImageEnhance.Contrast(img).enhance(1.77),
    'brightness0.45': lambda: ImageEnhance.Brightness(img).enhance(0.45),
    'brightness1.9': lambda: ImageEnhance.Brightness(img).enhance(1.9),
    'sharpness0.1': lambda: ImageEnhance.Sharpness(img).enhance(0.1),
    'sharpness1.85': lambda: ImageEnhance.Sharpness(img).enhance(1.85),
    'rotate27': lambda: img.rotate(27, resample=Image.BICUBIC, fillcolor=fill),
    'rotate-13.5': lambda: img.rotate(-13.5, resample=Image.BICUBIC, fillcolor=fill),
    'rotate30': lambda: img.rotate(30, resample=Image.BICUBIC, fillcolor=fill),
    'rotate-4.7': lambda: img.rotate(-4.7, resample=Image.BICUBIC, fillcolor=fill),
    'shearx0.27': lambda: affine((1, 0.27, 0, 0, 1, 0)),
    'sheary-0.2': lambda: affine((1, 0, 0, -0.2, 1, 0)),
    'translatex0.405': lambda: affine((1, 0, 0.405 * w, 0, 1, 0)),
    'translatey-0.3': lambda: affine((1, 0, 0, 0, 1, -0.3 * h)),
}
for name, op in ops.items():
    op().save('%s/%s.png' % (out, name))
# Resizes (torchvision's resized_crop = crop, then resize) and the eval transform.
yale = Image.open(sys.argv[3]).convert('RGB')
B = Image.BICUBIC
resizes = {
    'resize-enlarge-256': lambda: img.resize((256, 256), B),
    'resize-reduce-64': lambda: img.resize((64, 64), B),
    'resize-reduce-odd-97x53': lambda: img.resize((97, 53), B),
    'resize-mixed-300x150': lambda: img.resize((300, 150), B),
    'resize-width-only-224x243': lambda: yale.resize((224, 243), B),
    'crop-resize-37-21-150x133': lambda: img.crop((37, 21, 187, 154)).resize((224, 224), B),
    'crop-resize-5-60-31x29': lambda: img.crop((5, 60, 36, 89)).resize((224, 224), B),
    'eval-224': lambda: img.resize((256, 256), B).crop((16, 16, 240, 240)),
    'eval-yale-224': lambda: yale.resize((337, 256), B).crop((56, 16, 280, 240)),
    'eval-yale-112': lambda: yale.resize((168, 128), B).crop((28, 8, 140, 120)),
}
for name, op in resizes.items():
    op().save('%s/%s.png' % (out, name))
print(len(ops) + len(resizes))
)PY";

} // namespace

class TestPillowParity : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void matchesPillow_data();
    void matchesPillow();
    void timmArguments();
    void resizeMatchesPillow_data();
    void resizeMatchesPillow();

private:
    cv::Mat m_input;
    cv::Mat m_yale;
    QString m_dir;
};

void TestPillowParity::initTestCase()
{
    const cv::Mat face = cv::imread(dataPath(QStringLiteral("images/faceapi_expressions/happy.jpg")).toStdString());
    QVERIFY(!face.empty());
    const int side = std::min(face.cols, face.rows);
    cv::Mat square;
    cv::resize(face(cv::Rect((face.cols - side) / 2, (face.rows - side) / 2, side, side)), square, cv::Size(224, 224),
               0, 0, cv::INTER_AREA);
    // Less contrast than the photo (levels 40..213), so that AutoContrast and Equalize act.
    square.convertTo(m_input, CV_8UC3, 0.68, 40);
    m_dir = outputDir() + QStringLiteral("/pillow");
    QDir(m_dir).removeRecursively();
    QVERIFY(QDir().mkpath(m_dir));
    QVERIFY(cv::imwrite((m_dir + QStringLiteral("/input.png")).toStdString(), m_input));

    QProcess probe;
    probe.start(QString::fromLatin1(kPython), {QStringLiteral("-c"), QStringLiteral("import PIL")});
    if (!probe.waitForFinished(30000) || probe.exitCode() != 0)
        QSKIP("no /usr/bin/python3 with Pillow (python3-pil)");
    QProcess python;
    const QString yale = dataPath(QStringLiteral("images/yale_faces/subject07_surprised.png"));
    m_yale = cv::imread(yale.toStdString(), cv::IMREAD_COLOR);
    QVERIFY(!m_yale.empty());
    python.start(QString::fromLatin1(kPython),
                 {QStringLiteral("-c"), QString::fromLatin1(kScript), m_dir + QStringLiteral("/input.png"), m_dir, yale});
    QVERIFY(python.waitForFinished(60000));
    QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
}

void TestPillowParity::matchesPillow_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<RandAugmentOp>("op");
    QTest::addColumn<double>("argument");
    QTest::addColumn<int>("maxDifference");   ///< largest |ours - Pillow| allowed, grey levels
    QTest::addColumn<double>("meanDifference"); ///< mean |ours - Pillow| allowed
    // Every op is bit-exact with Pillow 9.4 (measured: max 0 everywhere); the columns leave room
    // for a tolerance should another Pillow round differently.
    QTest::newRow("AutoContrast") << "autocontrast" << RandAugmentOp::AutoContrast << 0.0 << 0 << 0.0;
    QTest::newRow("Equalize") << "equalize" << RandAugmentOp::Equalize << 0.0 << 0 << 0.0;
    QTest::newRow("Invert") << "invert" << RandAugmentOp::Invert << 0.0 << 0 << 0.0;
    QTest::newRow("Posterize 1") << "posterize1" << RandAugmentOp::Posterize << 1.0 << 0 << 0.0;
    QTest::newRow("Posterize 3") << "posterize3" << RandAugmentOp::Posterize << 3.0 << 0 << 0.0;
    QTest::newRow("Solarize 26") << "solarize26" << RandAugmentOp::Solarize << 26.0 << 0 << 0.0;
    QTest::newRow("Solarize 150") << "solarize150" << RandAugmentOp::Solarize << 150.0 << 0 << 0.0;
    QTest::newRow("SolarizeAdd 99") << "solarizeadd99" << RandAugmentOp::SolarizeAdd << 99.0 << 0 << 0.0;
    QTest::newRow("Color 0.19") << "color0.19" << RandAugmentOp::Color << 0.19 << 0 << 0.0;
    QTest::newRow("Color 1.81") << "color1.81" << RandAugmentOp::Color << 1.81 << 0 << 0.0;
    QTest::newRow("Contrast 0.3") << "contrast0.3" << RandAugmentOp::Contrast << 0.3 << 0 << 0.0;
    QTest::newRow("Contrast 1.77") << "contrast1.77" << RandAugmentOp::Contrast << 1.77 << 0 << 0.0;
    QTest::newRow("Brightness 0.45") << "brightness0.45" << RandAugmentOp::Brightness << 0.45 << 0 << 0.0;
    QTest::newRow("Brightness 1.9") << "brightness1.9" << RandAugmentOp::Brightness << 1.9 << 0 << 0.0;
    QTest::newRow("Sharpness 0.1") << "sharpness0.1" << RandAugmentOp::Sharpness << 0.1 << 0 << 0.0;
    QTest::newRow("Sharpness 1.85") << "sharpness1.85" << RandAugmentOp::Sharpness << 1.85 << 0 << 0.0;
    // Resampling ops: Pillow's bicubic (a = -1), truncated, fill outside.
    QTest::newRow("Rotate 27") << "rotate27" << RandAugmentOp::Rotate << 27.0 << 0 << 0.0;
    QTest::newRow("Rotate -13.5") << "rotate-13.5" << RandAugmentOp::Rotate << -13.5 << 0 << 0.0;
    QTest::newRow("Rotate 30") << "rotate30" << RandAugmentOp::Rotate << 30.0 << 0 << 0.0;
    QTest::newRow("Rotate -4.7") << "rotate-4.7" << RandAugmentOp::Rotate << -4.7 << 0 << 0.0;
    QTest::newRow("ShearX 0.27") << "shearx0.27" << RandAugmentOp::ShearX << 0.27 << 0 << 0.0;
    QTest::newRow("ShearY -0.2") << "sheary-0.2" << RandAugmentOp::ShearY << -0.2 << 0 << 0.0;
    QTest::newRow("TranslateXRel 0.405") << "translatex0.405" << RandAugmentOp::TranslateXRel << 0.405 << 0 << 0.0;
    QTest::newRow("TranslateYRel -0.3") << "translatey-0.3" << RandAugmentOp::TranslateYRel << -0.3 << 0 << 0.0;
}

void TestPillowParity::matchesPillow()
{
    QFETCH(QString, name);
    QFETCH(RandAugmentOp, op);
    QFETCH(double, argument);
    QFETCH(int, maxDifference);
    QFETCH(double, meanDifference);
    const cv::Mat pillow = cv::imread((m_dir + QLatin1Char('/') + name + QStringLiteral(".png")).toStdString());
    QVERIFY(!pillow.empty());
    const cv::Mat ours = fa::applyRandAugmentOp(m_input, op, argument);
    QCOMPARE(ours.size(), pillow.size());
    cv::Mat difference;
    cv::absdiff(ours, pillow, difference);
    double maxValue = 0;
    cv::minMaxLoc(difference.reshape(1), nullptr, &maxValue);
    const double mean = cv::mean(difference.reshape(1))[0];
    const double changed = cv::mean(cv::Mat(difference.reshape(1) > 0))[0] / 255.0;
    qInfo("%s: max %g, mean %.4f, %.2f %% of values differ", qPrintable(name), maxValue, mean, 100 * changed);
    QVERIFY2(maxValue <= maxDifference, qPrintable(QString::number(maxValue)));
    QVERIFY2(mean <= meanDifference, qPrintable(QString::number(mean)));
    // The op did something (the input is not a fixed point of any of these arguments).
    QVERIFY(cv::norm(ours, m_input, cv::NORM_INF) > 0);
}

// timm's level-to-argument rules at magnitude 9 (rand-m9, inc1).
void TestPillowParity::timmArguments()
{
    std::mt19937_64 rng(3);
    QCOMPARE(fa::randAugmentArgument(RandAugmentOp::Posterize, 9, true, rng), 1.0);   // 4 - int(3.6)
    QCOMPARE(fa::randAugmentArgument(RandAugmentOp::Posterize, 9, false, rng), 3.0);  // int(3.6)
    QCOMPARE(fa::randAugmentArgument(RandAugmentOp::Solarize, 9, true, rng), 26.0);   // 256 - int(230.4)
    QCOMPARE(fa::randAugmentArgument(RandAugmentOp::Solarize, 9, false, rng), 230.0);
    QCOMPARE(fa::randAugmentArgument(RandAugmentOp::SolarizeAdd, 9, true, rng), 99.0); // int(99.0)
    QCOMPARE(fa::randAugmentArgument(RandAugmentOp::Color, 9, false, rng), 1.72);     // 1.8 * 0.9 + 0.1
    bool sawLow = false, sawHigh = false, sawLeft = false, sawRight = false;
    for (int i = 0; i < 64; ++i) {
        const double factor = fa::randAugmentArgument(RandAugmentOp::Contrast, 9, true, rng);
        QVERIFY(qFuzzyCompare(factor, 0.19) || qFuzzyCompare(factor, 1.81)); // 1 -+ 0.81
        sawLow |= factor < 1;
        sawHigh |= factor > 1;
        const double degrees = fa::randAugmentArgument(RandAugmentOp::Rotate, 9, true, rng);
        QVERIFY(qFuzzyCompare(std::abs(degrees), 27.0));
        sawLeft |= degrees < 0;
        sawRight |= degrees > 0;
        QVERIFY(qFuzzyCompare(std::abs(fa::randAugmentArgument(RandAugmentOp::TranslateXRel, 9, true, rng)), 0.405));
        QVERIFY(qFuzzyCompare(std::abs(fa::randAugmentArgument(RandAugmentOp::ShearY, 10, true, rng)), 0.3));
    }
    QVERIFY(sawLow && sawHigh && sawLeft && sawRight);
    QCOMPARE(fa::randAugmentOpName(RandAugmentOp::Posterize, true), QStringLiteral("PosterizeIncreasing"));
    QCOMPARE(fa::randAugmentOpName(RandAugmentOp::TranslateYRel, true), QStringLiteral("TranslateYRel"));
}

void TestPillowParity::resizeMatchesPillow_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("yale");
    QTest::addColumn<cv::Rect>("crop");  ///< region resized (empty: whole image); eval: -
    QTest::addColumn<cv::Size>("size");
    QTest::addColumn<int>("evalSize");   ///< > 0: evalResizeCentreCrop(image, evalSize) instead
    QTest::newRow("enlarge 224 -> 256") << "resize-enlarge-256" << false << cv::Rect() << cv::Size(256, 256) << 0;
    QTest::newRow("reduce 224 -> 64") << "resize-reduce-64" << false << cv::Rect() << cv::Size(64, 64) << 0;
    QTest::newRow("reduce to 97 x 53") << "resize-reduce-odd-97x53" << false << cv::Rect() << cv::Size(97, 53) << 0;
    QTest::newRow("mixed 300 x 150") << "resize-mixed-300x150" << false << cv::Rect() << cv::Size(300, 150) << 0;
    QTest::newRow("width only") << "resize-width-only-224x243" << true << cv::Rect() << cv::Size(224, 243) << 0;
    QTest::newRow("crop 150x133 -> 224") << "crop-resize-37-21-150x133" << false << cv::Rect(37, 21, 150, 133)
                                         << cv::Size(224, 224) << 0;
    QTest::newRow("crop 31x29 -> 224") << "crop-resize-5-60-31x29" << false << cv::Rect(5, 60, 31, 29)
                                       << cv::Size(224, 224) << 0;
    QTest::newRow("eval 224") << "eval-224" << false << cv::Rect() << cv::Size() << 224;
    QTest::newRow("eval yale 224") << "eval-yale-224" << true << cv::Rect() << cv::Size() << 224;
    QTest::newRow("eval yale 112") << "eval-yale-112" << true << cv::Rect() << cv::Size() << 112;
}

void TestPillowParity::resizeMatchesPillow()
{
    QFETCH(QString, name);
    QFETCH(bool, yale);
    QFETCH(cv::Rect, crop);
    QFETCH(cv::Size, size);
    QFETCH(int, evalSize);
    const cv::Mat pillow = cv::imread((m_dir + QLatin1Char('/') + name + QStringLiteral(".png")).toStdString());
    QVERIFY(!pillow.empty());
    const cv::Mat &input = yale ? m_yale : m_input;
    const cv::Mat ours = evalSize > 0 ? fa::evalResizeCentreCrop(input, evalSize)
                                      : fa::pillowResizeBicubic(crop.empty() ? input : input(crop), size);
    QCOMPARE(ours.size(), pillow.size());
    QCOMPARE(cv::norm(ours, pillow, cv::NORM_INF), 0.0);
}

QTEST_GUILESS_MAIN(TestPillowParity)
#include "test_pillow_parity.moc"
