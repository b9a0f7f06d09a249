// Render sets under xvfb-run (Mesa): jawOpen changes the mouth box and (almost) nothing outside
// the face regions, same seed -> same bytes, the reader round-trips and refuses damaged files,
// the writer refuses to mix sets. Annotated images (eyes, boxes) go to FA_TEST_OUTPUT_DIR.
#include "render/face_framing.h"
#include "render/offscreen_avatar_renderer.h"
#include "renderset/render_dataset.h"
#include "renderset/render_dataset_writer.h"
#include "renderset/rig_sampler.h"

#include "../render/render_test_avatars.h"
#include "avatar/mannequin_head.h"
#include "common/arkit.h"
#include "test_files.h"

#include <QDirIterator>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QtTest>

#include <cmath>
#include <map>

using namespace fa;

namespace {

QString freshDir(const QString &name)
{
    const QString dir = test::outputDir() + QLatin1Char('/') + name;
    QDir(dir).removeRecursively();
    return dir;
}

/// Every file under `dir`, relative path -> bytes.
std::map<QString, QByteArray> filesUnder(const QString &dir)
{
    std::map<QString, QByteArray> files;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        files[QDir(dir).relativeFilePath(path)] = test::readFile(path);
    }
    return files;
}

int maxChannelDifference(QRgb p, QRgb q)
{
    return std::max({std::abs(qRed(p) - qRed(q)), std::abs(qGreen(p) - qGreen(q)), std::abs(qBlue(p) - qBlue(q))});
}

QRect grown(const QRect &box, int margin)
{
    return box.isNull() ? box : box.adjusted(-margin, -margin, margin, margin);
}

} // namespace

class TestRenderDataset : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void annotatedFraming_data();
    void annotatedFraming();
    void jawOpenChangesTheMouthBoxOnly_data();
    void jawOpenChangesTheMouthBoxOnly();
    void sameSeedSameBytes();
    void readerRoundTrips();
    void readerRefusesDamagedFiles_data();
    void readerRefusesDamagedFiles();
    void writerRefusesADifferentSet();

private:
    void addAvatarRows();
    std::map<QString, std::shared_ptr<const Avatar>> m_avatars;
    OffscreenAvatarRenderer m_renderer;
    QString m_setDir; // a small mannequin set written by readerRoundTrips
};

void TestRenderDataset::initTestCase()
{
    m_avatars[QStringLiteral("mannequin")] = std::shared_ptr<const Avatar>(createMannequinHead());
    QString error;
    m_avatars[QStringLiteral("facecap")] = test::loadAvatar(test::facecapPath(), &error);
    QVERIFY2(m_avatars[QStringLiteral("facecap")], qPrintable(error));
    m_avatars[QStringLiteral("rocketbox")] = test::loadAvatar(test::rocketboxPath(), &error);
    QVERIFY2(m_avatars[QStringLiteral("rocketbox")], qPrintable(error));
    QVERIFY2(m_renderer.initialize(&error), qPrintable(error));
    qInfo("OpenGL: %s", qPrintable(m_renderer.rendererDescription()));
}

void TestRenderDataset::addAvatarRows()
{
    QTest::addColumn<QString>("avatar");
    QTest::newRow("mannequin") << QStringLiteral("mannequin");
    QTest::newRow("facecap") << QStringLiteral("facecap");
}

void TestRenderDataset::annotatedFraming_data()
{
    addAvatarRows();
    QTest::newRow("rocketbox") << QStringLiteral("rocketbox");
}

void TestRenderDataset::annotatedFraming()
{
    // For a look: the neutral face with the eye targets (crosses), the eye centres found in the
    // mesh (circles) and the boxes; and the same with blinks at 0.5 (the lids should cross
    // the eye centres).
    QFETCH(QString, avatar);
    const std::shared_ptr<const Avatar> a = m_avatars[avatar];
    const FaceFraming framing(*a);
    const OrbitCamera camera = framing.camera();
    const QSize size(256, 256);
    m_renderer.setAvatar(a);
    const RigDefinition rig = a->rig();
    for (float blink : {0.0f, 0.5f, 1.0f}) {
        std::vector<float> values(size_t(rig.controlCount()), 0.0f);
        for (int c = 0; c < rig.controlCount(); ++c) {
            const int shape = arkit::indexOf(rig.control(c).name);
            if (shape == int(ArkitShape::EyeBlinkLeft) || shape == int(ArkitShape::EyeBlinkRight))
                values[size_t(c)] = blink;
        }
        QImage image = m_renderer.render(values, camera, size);
        QVERIFY2(!image.isNull(), qPrintable(m_renderer.errorString()));
        image = image.scaled(size * 3); // pixel (i, j) -> centre 3i + 1.5
        QPainter painter(&image);
        auto at = [](const QPointF &p) { return QPointF(3 * p.x() + 1.5, 3 * p.y() + 1.5); };
        painter.setPen(QPen(Qt::green, 1));
        const double targetY = 0.34 * 256 - 0.5;
        for (double x : {256 * 0.375 - 0.5, 256 * 0.625 - 0.5}) {
            const QPointF t = at(QPointF(x, targetY));
            painter.drawLine(t - QPointF(8, 0), t + QPointF(8, 0));
            painter.drawLine(t - QPointF(0, 8), t + QPointF(0, 8));
        }
        painter.setPen(QPen(Qt::yellow, 1));
        for (const QVector3D &eye : {framing.leftEye(), framing.rightEye()})
            painter.drawEllipse(at(FaceFraming::project(camera, size, eye)), 5, 5);
        painter.setPen(QPen(Qt::red, 1));
        const QRect mouth = framing.mouthBox(camera, size), eyes = framing.eyeBox(camera, size);
        painter.drawRect(QRect(3 * mouth.left(), 3 * mouth.top(), 3 * mouth.width(), 3 * mouth.height()));
        painter.setPen(QPen(Qt::cyan, 1));
        painter.drawRect(QRect(3 * eyes.left(), 3 * eyes.top(), 3 * eyes.width(), 3 * eyes.height()));
        painter.end();
        image.save(test::outputDir() + QStringLiteral("/framing_%1_blink%2.png").arg(avatar).arg(int(blink * 10)));
    }
}

void TestRenderDataset::jawOpenChangesTheMouthBoxOnly_data()
{
    addAvatarRows();
}

void TestRenderDataset::jawOpenChangesTheMouthBoxOnly()
{
    QFETCH(QString, avatar);
    const std::shared_ptr<const Avatar> a = m_avatars[avatar];
    const int size = 256;
    const QString dir = freshDir(QStringLiteral("jaw_") + avatar);
    // A two-image set: the neutral rig and jawOpen = 1, written through the writer (so the
    // images are the set's own), with a mixture of neutral only and the jaw rig rendered
    // alongside through the same framing.
    RenderDatasetRequest request;
    request.avatar = a;
    request.outputDirectory = dir;
    request.count = 1;
    request.size = size;
    request.mixture = RigSamplerOptions{1.0, 0.0, 0.0, 0.0};
    RenderDatasetWriter writer;
    QVERIFY2(writer.write(request), qPrintable(writer.errorString()));
    QString error;
    const std::optional<RenderDataset> set = RenderDataset::open(dir, &error);
    QVERIFY2(set, qPrintable(error));
    const QImage neutral = QImage(set->imagePath(0)).convertToFormat(QImage::Format_RGB32);
    QCOMPARE(neutral.size(), QSize(size, size));

    const RigDefinition rig = a->rig();
    std::vector<float> jaw(size_t(rig.controlCount()), 0.0f);
    int jawControls = 0;
    for (int c = 0; c < rig.controlCount(); ++c)
        if (arkit::indexOf(rig.control(c).name) == int(ArkitShape::JawOpen)) {
            jaw[size_t(c)] = 1.0f;
            ++jawControls;
        }
    QVERIFY(jawControls > 0);
    const FaceFraming framing(*a);
    m_renderer.setAvatar(a);
    const QImage open = m_renderer.render(jaw, framing.camera(), QSize(size, size));
    QVERIFY(!open.isNull());
    // The writer's neutral image equals a direct render of the neutral rig at the framing.
    const QImage direct = m_renderer.render(std::vector<float>(size_t(rig.controlCount()), 0.0f), framing.camera(),
                                            QSize(size, size));
    QCOMPARE(direct.convertToFormat(QImage::Format_RGB888), neutral.convertToFormat(QImage::Format_RGB888));

    const QRect mouth = set->mouthBox();
    QVERIFY(!mouth.isNull());
    QCOMPARE(mouth, framing.mouthBox(framing.camera(), QSize(size, size)));
    // "Outside the face": outside both boxes grown by 4 % of the side (shading of the skin next
    // to a moved vertex, antialiasing-free edges one pixel further). A changed pixel there is a
    // vertex that jawOpen moves outside the box: a wrong box or wrong framing.
    const int margin = int(std::lround(0.04 * size));
    const QRect mouthGrown = grown(mouth, margin), eyesGrown = grown(set->eyeBox(), margin);
    long inside = 0, outside = 0, insideCount = 0;
    QImage diff(neutral.size(), QImage::Format_RGB32);
    diff.fill(Qt::black);
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x) {
            const bool changed = maxChannelDifference(neutral.pixel(x, y), open.pixel(x, y)) > 8;
            if (mouth.contains(x, y))
                ++insideCount;
            if (!changed)
                continue;
            diff.setPixel(x, y, qRgb(255, 255, 255));
            if (mouth.contains(x, y))
                ++inside;
            else if (!mouthGrown.contains(x, y) && !eyesGrown.contains(x, y)) {
                ++outside;
                diff.setPixel(x, y, qRgb(255, 0, 0));
            }
        }
    diff.save(test::outputDir() + QStringLiteral("/jaw_diff_%1.png").arg(avatar));
    open.save(test::outputDir() + QStringLiteral("/jaw_open_%1.png").arg(avatar));
    qInfo("%s: jawOpen changes %ld pixels inside the mouth box (%.1f %% of it), %ld outside the grown boxes",
          qPrintable(avatar), inside, 100.0 * inside / insideCount, outside);
    QVERIFY(inside > 0.05 * insideCount);
    QVERIFY2(outside <= 0.002 * size * size, qPrintable(QString::number(outside)));
}

void TestRenderDataset::sameSeedSameBytes()
{
    RenderDatasetRequest request;
    request.avatar = m_avatars[QStringLiteral("facecap")];
    request.avatarPath = test::facecapPath();
    request.count = 10;
    request.size = 96;
    request.seed = 42;
    request.realFrames = {std::vector<float>(size_t(request.avatar->rig().controlCount()), 0.3f)};
    request.realSources = {QStringLiteral("synthetic")};
    RenderDatasetWriter writer;
    request.outputDirectory = freshDir(QStringLiteral("seed42_a"));
    QVERIFY2(writer.write(request), qPrintable(writer.errorString()));
    const auto a = filesUnder(request.outputDirectory);
    request.outputDirectory = freshDir(QStringLiteral("seed42_b"));
    QVERIFY2(writer.write(request), qPrintable(writer.errorString()));
    const auto b = filesUnder(request.outputDirectory);
    QCOMPARE(a.size(), size_t(12)); // 10 images, rigs.csv, dataset.json
    QVERIFY(a == b);
    // Writing the identical request over a set renders it again, same bytes.
    QVERIFY2(writer.write(request), qPrintable(writer.errorString()));
    QVERIFY(filesUnder(request.outputDirectory) == a);
    // Another seed, other rigs and images.
    request.seed = 43;
    request.outputDirectory = freshDir(QStringLiteral("seed43"));
    QVERIFY2(writer.write(request), qPrintable(writer.errorString()));
    const auto c = filesUnder(request.outputDirectory);
    QVERIFY(c.at(QStringLiteral("rigs.csv")) != a.at(QStringLiteral("rigs.csv")));
    // The images are 8-bit RGB PNGs of the size.
    const QString png = request.outputDirectory + QStringLiteral("/images/000003.png");
    QCOMPARE(QImage(png).size(), QSize(96, 96));
    const QByteArray bytes = test::readFile(png);
    QVERIFY(bytes.startsWith("\x89PNG\r\n\x1a\n"));
    QCOMPARE(bytes.mid(12, 4), QByteArray("IHDR"));
    QCOMPARE(int(bytes[24]), 8); // bit depth
    QCOMPARE(int(bytes[25]), 2); // colour type: RGB (no alpha, no palette)
}

void TestRenderDataset::readerRoundTrips()
{
    RenderDatasetRequest request;
    request.avatar = m_avatars[QStringLiteral("mannequin")];
    request.count = 20;
    request.size = 64;
    request.seed = 7;
    m_setDir = freshDir(QStringLiteral("mannequin_set"));
    request.outputDirectory = m_setDir;
    RenderDatasetWriter writer;
    std::vector<double> progress;
    QVERIFY2(writer.write(request, [&](double f) { progress.push_back(f); }), qPrintable(writer.errorString()));
    QCOMPARE(progress.front(), 0.0);
    QCOMPARE(progress.back(), 1.0);
    QVERIFY(std::is_sorted(progress.begin(), progress.end()));
    QCOMPARE(writer.imagesWritten(), qsizetype(20));

    QString error;
    const std::optional<RenderDataset> set = RenderDataset::open(m_setDir, &error);
    QVERIFY2(set, qPrintable(error));
    QCOMPARE(set->size(), qsizetype(20));
    QCOMPARE(set->imageSize(), 64);
    QCOMPARE(set->avatarName(), request.avatar->name);
    QCOMPARE(set->avatarPath(), QString());
    QCOMPARE(set->rig().names(), request.avatar->rig().names());
    QCOMPARE(set->directory(), QDir(m_setDir).absolutePath());
    const FaceFraming framing(*request.avatar);
    QCOMPARE(set->mouthBox(), framing.mouthBox(framing.camera(), QSize(64, 64)));
    QCOMPARE(set->eyeBox(), framing.eyeBox(framing.camera(), QSize(64, 64)));
    QCOMPARE(set->fingerprint().size(), 40);
    // The rigs are the sampler's, rounded to 6 decimals.
    const RigSampler sampler(request.avatar->rig());
    const std::vector<RigSampleKind> kinds = sampler.kinds(20, 7);
    for (qsizetype i = 0; i < set->size(); ++i) {
        const std::vector<float> expected = sampler.sample(kinds[size_t(i)], 7, i);
        QCOMPARE(set->rig(i).size(), expected.size());
        for (size_t c = 0; c < expected.size(); ++c)
            QVERIFY(std::abs(set->rig(i)[c] - expected[c]) <= 5.1e-7f);
        QVERIFY(QFileInfo(set->imagePath(i)).isFile());
        QVERIFY(QFileInfo(set->imagePath(i)).isAbsolute());
    }
    const QJsonObject json = QJsonDocument::fromJson(test::readFile(m_setDir + QStringLiteral("/dataset.json"))).object();
    QCOMPARE(json.value(QStringLiteral("format")).toString(), QStringLiteral("freeavatar-render-set"));
    QCOMPARE(json.value(QStringLiteral("mixture")).toObject().value(QStringLiteral("counts")).toObject()
                 .value(QStringLiteral("sparse")).toInt(), 15); // 45 % + the 30 % real share without real rigs
    QCOMPARE(json.value(QStringLiteral("eyes")).toObject().value(QStringLiteral("source")).toString(),
             QStringLiteral("eyeBlink"));
    // Reopening gives the same fingerprint.
    QCOMPARE(RenderDataset::open(m_setDir, &error)->fingerprint(), set->fingerprint());
}

void TestRenderDataset::readerRefusesDamagedFiles_data()
{
    QTest::addColumn<int>("line");        // rigs.csv line to damage (1 = header)
    QTest::addColumn<QString>("damage");  // what to do to it
    QTest::addColumn<QString>("expected"); // in the error
    QTest::newRow("missing column") << 3 << QStringLiteral("drop") << QStringLiteral("rigs.csv:3: ");
    QTest::newRow("out of range") << 5 << QStringLiteral("range") << QStringLiteral("rigs.csv:5: ");
    QTest::newRow("not a number") << 4 << QStringLiteral("nan") << QStringLiteral("rigs.csv:4: ");
    QTest::newRow("path outside") << 2 << QStringLiteral("dotdot") << QStringLiteral("rigs.csv:2: ");
    QTest::newRow("absolute path") << 6 << QStringLiteral("absolute") << QStringLiteral("rigs.csv:6: ");
    QTest::newRow("missing image") << 7 << QStringLiteral("noimage") << QStringLiteral("rigs.csv:7: ");
    QTest::newRow("header") << 1 << QStringLiteral("header") << QStringLiteral("rigs.csv:1: ");
    QTest::newRow("row count") << 0 << QStringLiteral("truncate") << QStringLiteral("rigs.csv: 19 rows");
    QTest::newRow("json") << 0 << QStringLiteral("json") << QStringLiteral("dataset.json: ");
}

void TestRenderDataset::readerRefusesDamagedFiles()
{
    QFETCH(int, line);
    QFETCH(QString, damage);
    QFETCH(QString, expected);
    QVERIFY(!m_setDir.isEmpty());
    const QString dir = freshDir(QStringLiteral("damaged"));
    QDir().mkpath(dir + QStringLiteral("/images"));
    for (const auto &[name, bytes] : filesUnder(m_setDir))
        QVERIFY(test::writeFile(dir + QLatin1Char('/') + name, bytes));
    QList<QByteArray> lines = test::readFile(dir + QStringLiteral("/rigs.csv")).split('\n');
    QByteArray &target = lines[line > 0 ? line - 1 : 0];
    if (damage == QLatin1String("drop"))
        target.truncate(target.lastIndexOf(','));
    else if (damage == QLatin1String("range"))
        target.replace(target.lastIndexOf(',') + 1, 8, "1.500000");
    else if (damage == QLatin1String("nan"))
        target.replace(target.lastIndexOf(',') + 1, 8, "nan");
    else if (damage == QLatin1String("dotdot"))
        target.replace(0, 6, "../../");
    else if (damage == QLatin1String("absolute"))
        target.replace(0, 7, "/images");
    else if (damage == QLatin1String("noimage"))
        QVERIFY(QFile::remove(dir + QLatin1Char('/') + QString::fromLatin1(target.left(target.indexOf(',')))));
    else if (damage == QLatin1String("header"))
        target.replace("jawOpen", "jawClosed");
    else if (damage == QLatin1String("truncate"))
        lines.removeAt(lines.size() - 2);
    QVERIFY(test::writeFile(dir + QStringLiteral("/rigs.csv"), lines.join('\n')));
    if (damage == QLatin1String("json"))
        QVERIFY(test::writeFile(dir + QStringLiteral("/dataset.json"), "{\"format\": \"something else\"}"));
    QString error;
    QVERIFY(!RenderDataset::open(dir, &error));
    qInfo("%s", qPrintable(error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY(error.startsWith(QDir(dir).absolutePath()));
}

void TestRenderDataset::writerRefusesADifferentSet()
{
    QVERIFY(!m_setDir.isEmpty());
    const auto before = filesUnder(m_setDir);
    RenderDatasetRequest request;
    request.avatar = m_avatars[QStringLiteral("mannequin")];
    request.count = 20;
    request.size = 64;
    request.seed = 8; // the set holds seed 7
    request.outputDirectory = m_setDir;
    RenderDatasetWriter writer;
    QVERIFY(!writer.write(request));
    QCOMPARE(writer.failure(), RenderDatasetWriter::Failure::BadInput);
    QVERIFY2(writer.errorString().contains(QStringLiteral("different render set")), qPrintable(writer.errorString()));
    QVERIFY(filesUnder(m_setDir) == before);
    // A folder with other files and no dataset.json is refused too.
    const QString other = freshDir(QStringLiteral("other_files"));
    QDir().mkpath(other);
    QVERIFY(test::writeFile(other + QStringLiteral("/notes.txt"), "mine"));
    request.outputDirectory = other;
    QVERIFY(!writer.write(request));
    QCOMPARE(writer.failure(), RenderDatasetWriter::Failure::BadInput);
    // Bad requests.
    request.outputDirectory = freshDir(QStringLiteral("bad"));
    request.count = 0;
    QVERIFY(!writer.write(request));
    QCOMPARE(writer.failure(), RenderDatasetWriter::Failure::BadInput);
    // A canceled run leaves an incomplete set that the reader refuses and the same request
    // completes.
    request.count = 5;
    std::atomic_bool cancel{false};
    QVERIFY(!writer.write(request, [&](double f) { if (f > 0.3) cancel = true; }, &cancel));
    QCOMPARE(writer.failure(), RenderDatasetWriter::Failure::Canceled);
    QString error;
    QVERIFY(!RenderDataset::open(request.outputDirectory, &error));
    QVERIFY2(error.contains(QStringLiteral("incomplete")), qPrintable(error));
    QVERIFY2(writer.write(request), qPrintable(writer.errorString()));
    QVERIFY2(RenderDataset::open(request.outputDirectory, &error), qPrintable(error));
}

QTEST_MAIN(TestRenderDataset)
#include "test_render_dataset.moc"
