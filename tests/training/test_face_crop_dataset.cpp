// FaceCropDataset on real data: the Yale faces (face detection, labels from file names), a
// LivePortrait video every 10th frame, a project built with the face importer, bad files.
#include "../projectio/fresh_project.h"
#include "project/project.h"
#include "projectio/face_importer.h"
#include "test_files.h"
#include "training/face_crop_dataset.h"

#include <QRegularExpression>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <memory>

using fa::FaceCropDataset;
using fa::FaceCropLoadReport;
using fa::test::dataPath;
using fa::test::outputDir;

namespace {

const QString kYale = QStringLiteral("images/yale_faces");
const QString kD3 = QStringLiteral("videos/liveportrait_d3.mp4");

QStringList yaleFiles(const QString &pattern)
{
    const QDir dir(dataPath(kYale));
    QStringList files;
    for (const QString &name : dir.entryList({pattern}, QDir::Files, QDir::Name))
        files << dir.absoluteFilePath(name);
    return files;
}

} // namespace

class TestFaceCropDataset : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void yaleFolder();
    void yaleImages();
    void fingerprint();
    void videoEveryTenthFrame();
    void fromProject();
    void fromPathsKeepsOrder();
    void badFilesAreProblems();
    void missingPathIsAnError();
    void cancellation();

private:
    std::optional<FaceCropDataset> m_yale;
    FaceCropLoadReport m_yaleReport;
};

void TestFaceCropDataset::initTestCase()
{
    QString error;
    std::vector<double> fractions;
    fa::FaceCropLoadOptions options;
    options.progress = [&](double f, const QString &) { fractions.push_back(f); };
    m_yale = FaceCropDataset::fromFolder(dataPath(kYale), options, &m_yaleReport, &error);
    QVERIFY2(m_yale, qPrintable(error));
    qInfo("yale: %d faces from %d images in %.2f s (landmark model load included)", int(m_yale->size()),
          m_yaleReport.files, m_yaleReport.seconds);
    QVERIFY(fractions.size() >= 89);
    QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
    QCOMPARE(fractions.back(), 1.0);
}

// Measured: dlib HOG finds a face in all 89 Yale images (tests/projectio agrees); the bound
// leaves room for detector changes without hiding a broken pipeline.
void TestFaceCropDataset::yaleFolder()
{
    QCOMPARE(m_yaleReport.files, 89);
    QCOMPARE(m_yaleReport.framesScanned, qint64(89));
    QVERIFY2(m_yale->size() >= 85, qPrintable(QString::number(m_yale->size())));
    QCOMPARE(m_yaleReport.framesWithoutFace, qint64(89 - m_yale->size()));
    QVERIFY2(m_yaleReport.problems.isEmpty(), qPrintable(m_yaleReport.problems.join(QLatin1Char('\n'))));
    // "normal" is a synonym of neutral (labelsFromFileName).
    QCOMPARE(m_yale->categories(), QStringList({QStringLiteral("happy"), QStringLiteral("neutral"), QStringLiteral("sad"),
                                                QStringLiteral("sleepy"), QStringLiteral("surprised"),
                                                QStringLiteral("wink")}));
    QCOMPARE(m_yale->identities().size(), 15);
    const QRegularExpression subject(QStringLiteral("^subject\\d\\d$"));
    const QStringList expressions = {QStringLiteral("happy"), QStringLiteral("normal"), QStringLiteral("sad"),
                                     QStringLiteral("sleepy"), QStringLiteral("surprised"), QStringLiteral("wink")};
    for (qsizetype i = 0; i < m_yale->size(); ++i) {
        const fa::FaceCropItem &item = m_yale->item(i);
        QVERIFY2(subject.match(item.identity).hasMatch(), qPrintable(item.identity));
        // The labels are the file's: subjectNN_<expression>.png.
        const QString base = QFileInfo(item.origin).completeBaseName();
        QCOMPARE(base.section(QLatin1Char('_'), 0, 0), item.identity);
        const QString expression = base.section(QLatin1Char('_'), 1);
        QVERIFY(expressions.contains(expression));
        QCOMPARE(item.category, expression == QStringLiteral("normal") ? QStringLiteral("neutral") : expression);
        QVERIFY(item.path.isEmpty());
        QVERIFY(item.encoded.startsWith("\xFF\xD8")); // JPEG in memory
        QVERIFY(item.key.startsWith("jpeg:"));
    }
}

// The crops are aligned faces: 224 x 224 BGR, from a grey source (three equal channels), the
// face filling the middle (brighter than the dark Yale background corners on average).
void TestFaceCropDataset::yaleImages()
{
    for (qsizetype i = 0; i < m_yale->size(); i += 7) {
        QString error;
        const cv::Mat image = m_yale->image(i, &error);
        QVERIFY2(!image.empty(), qPrintable(error));
        QCOMPARE(image.size(), cv::Size(224, 224));
        QCOMPARE(image.type(), CV_8UC3);
        std::vector<cv::Mat> channels;
        cv::split(image, channels);
        // JPEG chroma rounding leaves the channels within a few levels of each other.
        QVERIFY(cv::norm(channels[0], channels[2], cv::NORM_INF) <= 8);
        const double centre = cv::mean(image(cv::Rect(72, 72, 80, 80)))[0];
        QVERIFY2(centre > 60, qPrintable(QString::number(centre)));
    }
    QString error;
    QVERIFY(m_yale->image(m_yale->size(), &error).empty());
    QVERIFY(error.contains(QStringLiteral("out of range")));
}

void TestFaceCropDataset::fingerprint()
{
    const QByteArray fingerprint = m_yale->fingerprint();
    QCOMPARE(fingerprint.size(), 64);
    FaceCropDataset copy = *m_yale;
    QCOMPARE(copy.fingerprint(), fingerprint);
    std::vector<fa::FaceCropItem> items = m_yale->items();
    std::swap(items[0], items[1]);
    QVERIFY(FaceCropDataset(items).fingerprint() != fingerprint);
    items = m_yale->items();
    items[3].category = QStringLiteral("angry");
    QVERIFY(FaceCropDataset(items).fingerprint() != fingerprint);
    items.pop_back();
    QVERIFY(FaceCropDataset(items).fingerprint() != fingerprint);
}

// liveportrait_d3: 354 frames, 512 x 512, one face in every frame (REFERENCE.md section 8).
void TestFaceCropDataset::videoEveryTenthFrame()
{
    FaceCropLoadReport report;
    QString error;
    const std::optional<FaceCropDataset> video = FaceCropDataset::fromVideo(dataPath(kD3), 10, {}, &report, &error);
    QVERIFY2(video, qPrintable(error));
    qInfo("d3 every 10th frame: %d faces in %.2f s", int(video->size()), report.seconds);
    QCOMPARE(report.files, 1);
    QCOMPARE(report.framesScanned, qint64(36)); // frames 0, 10, ..., 350
    QCOMPARE(report.framesWithoutFace, qint64(36 - video->size()));
    QVERIFY2(video->size() >= 34, qPrintable(QString::number(video->size())));
    QVERIFY(report.problems.isEmpty());
    // Origins name the file by its clean absolute path.
    const QString path = QDir::cleanPath(QFileInfo(dataPath(kD3)).absoluteFilePath());
    QCOMPARE(video->item(0).origin, path + QStringLiteral(" frame 0"));
    QCOMPARE(video->item(1).origin, path + QStringLiteral(" frame 10"));
    // No category in the name; the video's base name is the identity.
    QVERIFY(video->categories().isEmpty());
    QCOMPARE(video->identities(), QStringList{QStringLiteral("liveportrait_d3")});
    // Consecutive sampled frames differ (the actor moves), and each crop is a colour face.
    QVERIFY(video->item(0).key != video->item(1).key);
    const cv::Mat first = video->image(0);
    QCOMPARE(first.size(), cv::Size(224, 224));
    std::vector<cv::Mat> channels;
    cv::split(first, channels);
    QVERIFY(cv::norm(channels[0], channels[2], cv::NORM_L1) > 224.0 * 224.0); // not grey
}

// Crops stored by the face importer, read back with their records' labels.
void TestFaceCropDataset::fromProject()
{
    const std::unique_ptr<fa::Project> project = fa::test::freshProject(QStringLiteral("project"));
    QVERIFY(project);
    QStringList files = yaleFiles(QStringLiteral("subject0[12]_*.png"));
    QCOMPARE(files.size(), 12);
    QString error;
    const std::optional<fa::FaceImportReport> report = fa::FaceImporter().run(*project, files, {}, nullptr, &error);
    QVERIFY2(report, qPrintable(error));
    QVERIFY(report->facesAdded >= 11);
    const std::optional<FaceCropDataset> dataset = FaceCropDataset::fromProject(project->directory(), &error);
    QVERIFY2(dataset, qPrintable(error));
    const std::vector<fa::FaceRecord> faces = project->faces().faces();
    QCOMPARE(dataset->size(), qsizetype(faces.size()));
    for (qsizetype i = 0; i < dataset->size(); ++i) {
        const fa::FaceRecord &face = faces[size_t(i)];
        const fa::FaceCropItem &item = dataset->item(i);
        QCOMPARE(item.faceId, face.id);
        QCOMPARE(item.category, face.category);
        QCOMPARE(item.identity, face.identity);
        QVERIFY(item.identity == QStringLiteral("subject01") || item.identity == QStringLiteral("subject02"));
        QCOMPARE(item.path, project->absolutePath(face.cropPath));
        const cv::Mat image = dataset->image(i, &error);
        QVERIFY2(!image.empty(), qPrintable(error));
        const cv::Mat stored = cv::imread(item.path.toStdString(), cv::IMREAD_COLOR);
        QCOMPARE(cv::norm(image, stored, cv::NORM_INF), 0.0);
    }
    QCOMPARE(dataset->categories().size(), 6);
    // The project opened through fromPaths gives the same items.
    const std::optional<FaceCropDataset> viaPaths = FaceCropDataset::fromPaths({project->directory()}, {}, nullptr, &error);
    QVERIFY2(viaPaths, qPrintable(error));
    QCOMPARE(viaPaths->fingerprint(), dataset->fingerprint());
    // A crop that disappeared is an error of that image, naming the file.
    QVERIFY(QFile::remove(dataset->item(0).path));
    QVERIFY(dataset->image(0, &error).empty());
    QVERIFY2(error.contains(dataset->item(0).path), qPrintable(error));
    // Not a project.
    QVERIFY(!FaceCropDataset::fromProject(outputDir() + QStringLiteral("/nothing-here"), &error));
    QVERIFY(!error.isEmpty());
}

void TestFaceCropDataset::fromPathsKeepsOrder()
{
    const QStringList files = {dataPath(kYale + QStringLiteral("/subject05_sad.png")),
                               dataPath(kYale + QStringLiteral("/subject03_wink.png"))};
    QString error;
    const std::optional<FaceCropDataset> dataset = FaceCropDataset::fromPaths(files, {}, nullptr, &error);
    QVERIFY2(dataset, qPrintable(error));
    QCOMPARE(dataset->size(), 2);
    QCOMPARE(dataset->item(0).identity, QStringLiteral("subject05"));
    QCOMPARE(dataset->item(1).category, QStringLiteral("wink"));
}

void TestFaceCropDataset::badFilesAreProblems()
{
    const QString dir = outputDir() + QStringLiteral("/bad");
    QDir(dir).removeRecursively();
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(QFile::copy(dataPath(kYale + QStringLiteral("/subject04_happy.png")), dir + QStringLiteral("/a_good.png")));
    QVERIFY(fa::test::writeFile(dir + QStringLiteral("/b_text.png"), "this is not an image\n"));
    const QByteArray jpeg = fa::test::readFile(dataPath(QStringLiteral("images/faceapi_expressions/happy.jpg")));
    QVERIFY(fa::test::writeFile(dir + QStringLiteral("/c_cut.jpg"), jpeg.left(jpeg.size() / 2)));
    // A flat grey image decodes but holds no face.
    QVERIFY(cv::imwrite((dir + QStringLiteral("/d_blank.png")).toStdString(), cv::Mat(200, 200, CV_8UC3, cv::Scalar::all(128))));
    QVERIFY(fa::test::writeFile(dir + QStringLiteral("/notes.txt"), "ignored\n"));
    FaceCropLoadReport report;
    QString error;
    const std::optional<FaceCropDataset> dataset = FaceCropDataset::fromFolder(dir, {}, &report, &error);
    QVERIFY2(dataset, qPrintable(error));
    QCOMPARE(dataset->size(), 1);
    QCOMPARE(report.files, 2); // the good and the blank image
    QCOMPARE(report.framesWithoutFace, qint64(1));
    QCOMPARE(report.problems.size(), 2);
    QVERIFY2(report.problems[0].startsWith(dir + QStringLiteral("/b_text.png: ")), qPrintable(report.problems[0]));
    QVERIFY2(report.problems[1].startsWith(dir + QStringLiteral("/c_cut.jpg: ")), qPrintable(report.problems[1]));
    QVERIFY(report.problems[1].contains(QStringLiteral("truncated")));
}

void TestFaceCropDataset::missingPathIsAnError()
{
    QString error;
    const QString missing = outputDir() + QStringLiteral("/missing.png");
    QVERIFY(!FaceCropDataset::fromPaths({dataPath(kYale + QStringLiteral("/subject01_sad.png")), missing}, {}, nullptr, &error));
    QCOMPARE(error, missing + QStringLiteral(": no such file or folder"));
    QVERIFY(!FaceCropDataset::fromFolder(missing, {}, nullptr, &error));
    QVERIFY(error.startsWith(missing));
    QVERIFY(!FaceCropDataset::fromVideo(missing, 10, {}, nullptr, &error));
    QVERIFY(error.startsWith(missing));
}

void TestFaceCropDataset::cancellation()
{
    std::atomic_bool cancel{false};
    fa::FaceCropLoadOptions options;
    options.cancel = &cancel;
    int reports = 0;
    options.progress = [&](double, const QString &) {
        if (++reports == 3)
            cancel = true;
    };
    QString error;
    QVERIFY(!FaceCropDataset::fromVideo(dataPath(kD3), 10, options, nullptr, &error));
    QCOMPARE(error, QStringLiteral("cancelled"));
    QVERIFY(reports < 6);
}

QTEST_GUILESS_MAIN(TestFaceCropDataset)
#include "test_face_crop_dataset.moc"
