// FaceImporter on real data: the Yale faces, a group photo, a LivePortrait video, photos with
// no face or too small, bad files, cancellation, the crop framing of older projects.
#include "dataset/content_hash.h"
#include "project/project.h"
#include "projectio/face_crop_geometry.h"
#include "projectio/face_importer.h"
#include "projectio/import_file_list.h"
#include "fresh_project.h"
#include "test_files.h"

#include <QRegularExpression>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <memory>

using fa::FaceImporter;
using fa::FaceImportOptions;
using fa::FaceImportReport;
using fa::Project;
using fa::test::dataPath;
using fa::test::freshProject;

namespace {

const QString kYale = QStringLiteral("images/yale_faces");
const QString kD3 = QStringLiteral("videos/liveportrait_d3.mp4");


} // namespace

class TestFaceImporter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void fileKinds_data();
    void fileKinds();
    void yaleFaces();
    void reimportIsSkipped();
    void videoEveryTenthFrame();
    void nearDuplicatesDropped();
    void badFilesAreProblems();
    void cancellation();
    void groupPhotoGivesEveryFace();
    void noFaceAndTooSmallAreReported();
    void videoWithEveryFace();
    void olderProjectKeepsItsFraming();

private:
    std::unique_ptr<Project> m_yale;
    FaceImportReport m_yaleReport;
};

void TestFaceImporter::initTestCase()
{
    m_yale = freshProject(QStringLiteral("yale"));
    QVERIFY(m_yale);
    QString error;
    std::vector<double> fractions;
    const std::optional<FaceImportReport> report = FaceImporter().run(
        *m_yale, {dataPath(kYale)}, [&](double f, const QString &) { fractions.push_back(f); }, nullptr, &error);
    QVERIFY2(report, qPrintable(error));
    m_yaleReport = *report;
    qInfo("yale: %d faces from %d images in %.2f s (%.1f faces/s, landmark model load included)", report->facesAdded,
          report->filesImported, report->seconds, report->facesAdded / report->seconds);
    // At least one report per file, never going backwards, ending at 1.
    QVERIFY(fractions.size() >= 89);
    QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
    QCOMPARE(fractions.back(), 1.0);
}

void TestFaceImporter::fileKinds_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("kind");
    QTest::newRow("png") << QStringLiteral("a/b.png") << int(fa::ImportFileKind::Image);
    QTest::newRow("JPEG upper case") << QStringLiteral("B.JPEG") << int(fa::ImportFileKind::Image);
    QTest::newRow("tiff") << QStringLiteral("c.tiff") << int(fa::ImportFileKind::Image);
    QTest::newRow("mp4") << QStringLiteral("clip.mp4") << int(fa::ImportFileKind::Video);
    QTest::newRow("webm") << QStringLiteral("clip.webm") << int(fa::ImportFileKind::Video);
    QTest::newRow("m4v") << QStringLiteral("clip.M4V") << int(fa::ImportFileKind::Video);
    QTest::newRow("text") << QStringLiteral("notes.txt") << int(fa::ImportFileKind::Unknown);
    QTest::newRow("no suffix") << QStringLiteral("README") << int(fa::ImportFileKind::Unknown);
}

void TestFaceImporter::fileKinds()
{
    QFETCH(QString, name);
    QFETCH(int, kind);
    QCOMPARE(int(fa::importFileKindFromName(name)), kind);
}

// Measured: all 89 Yale images give a face (dlib HOG, 320x243 grey), each with 68 landmarks.
// The bound leaves room for detector changes without hiding a broken pipeline.
void TestFaceImporter::yaleFaces()
{
    QCOMPARE(m_yaleReport.filesImported, 89);
    QCOMPARE(m_yaleReport.framesScanned, qint64(89));
    QVERIFY2(m_yaleReport.facesAdded >= 85, qPrintable(QString::number(m_yaleReport.facesAdded)));
    QCOMPARE(m_yaleReport.framesWithoutFace, qint64(89 - m_yaleReport.facesAdded));
    QVERIFY2(m_yaleReport.problems.isEmpty(), qPrintable(m_yaleReport.problems.join(QLatin1Char('\n'))));
    QCOMPARE(m_yale->faces().faceCount(), qint64(m_yaleReport.facesAdded));
    QCOMPARE(int(m_yale->faces().sources().size()), 89);

    const QRegularExpression subject(QStringLiteral("^subject\\d\\d$"));
    const QStringList categories = {QStringLiteral("happy"), QStringLiteral("neutral"), QStringLiteral("sad"),
                                    QStringLiteral("sleepy"), QStringLiteral("surprised"), QStringLiteral("wink")};
    int withLandmarks = 0;
    for (const fa::FaceRecord &face : m_yale->faces().faces()) {
        QVERIFY2(categories.contains(face.category), qPrintable(face.category));
        QVERIFY2(subject.match(face.identity).hasMatch(), qPrintable(face.identity));
        const std::optional<fa::SourceRecord> source = m_yale->faces().source(face.sourceId);
        QVERIFY(source);
        QVERIFY(QFileInfo(source->path).fileName().startsWith(face.identity + QLatin1Char('_')));
        QCOMPARE(source->kind, fa::SourceRecord::Kind::Image);
        QCOMPARE(source->width, 320);
        QCOMPARE(source->height, 243);
        QCOMPARE(source->contentHash, fa::fileContentHash(source->path));
        QVERIFY(face.box.width() > 60 && face.box.left() >= 0 && face.box.right() <= 330);
        QVERIFY(std::isfinite(face.detectionScore));
        withLandmarks += face.landmarks.size() == 68;
        const cv::Mat crop = cv::imread(m_yale->absolutePath(face.cropPath).toStdString(), cv::IMREAD_UNCHANGED);
        QCOMPARE(crop.cols, 224);
        QCOMPARE(crop.rows, 224);
        QVERIFY(face.cropPath.endsWith(QLatin1String(".jpg")));
    }
    QCOMPARE(withLandmarks, m_yaleReport.facesAdded);
}

void TestFaceImporter::reimportIsSkipped()
{
    const qint64 before = m_yale->faces().faceCount();
    // The same file, and a renamed copy of another one: both are known by content.
    const QString copy = fa::test::outputDir() + QStringLiteral("/renamed_copy.png");
    QFile::remove(copy);
    QVERIFY(QFile::copy(dataPath(kYale + QStringLiteral("/subject02_sad.png")), copy));
    QString error;
    const std::optional<FaceImportReport> report =
        FaceImporter().run(*m_yale, {dataPath(kYale + QStringLiteral("/subject01_happy.png")), copy}, {}, nullptr, &error);
    QVERIFY2(report, qPrintable(error));
    QCOMPARE(report->filesAlreadyInProject, 2);
    QCOMPARE(report->filesImported, 0);
    QCOMPARE(report->facesAdded, 0);
    QCOMPARE(m_yale->faces().faceCount(), before);
}

// liveportrait_d3.mp4: 354 frames at 30 fps; every 10th frame = frames 0, 10, ..., 350.
void TestFaceImporter::videoEveryTenthFrame()
{
    std::unique_ptr<Project> project = freshProject(QStringLiteral("d3_all"));
    QVERIFY(project);
    FaceImportOptions options;
    options.everyNthFrame = 10;
    options.dropNearDuplicates = false;
    QString error;
    const std::optional<FaceImportReport> report = FaceImporter(options).run(*project, {dataPath(kD3)}, {}, nullptr, &error);
    QVERIFY2(report, qPrintable(error));
    qInfo("d3 (all 36 frames kept): %d faces in %.2f s", report->facesAdded, report->seconds);
    QCOMPARE(report->framesScanned, qint64(36));
    QCOMPARE(report->facesAdded, 36); // measured: a face in every frame of d3
    QVERIFY(report->problems.isEmpty());
    const std::vector<fa::SourceRecord> sources = project->faces().sources();
    QCOMPARE(int(sources.size()), 1);
    QCOMPARE(sources[0].kind, fa::SourceRecord::Kind::Video);
    QCOMPARE(sources[0].frameCount, qint64(354));
    QCOMPARE(sources[0].width, 512);
    QCOMPARE(sources[0].identity, QStringLiteral("liveportrait_d3"));
    const std::vector<fa::FaceRecord> faces = project->faces().faces();
    for (size_t i = 0; i < faces.size(); ++i) {
        QCOMPARE(faces[i].frameIndex, qint64(10 * i));
        QVERIFY(std::abs(faces[i].timeSeconds - faces[i].frameIndex / sources[0].fps) < 1e-3);
        QCOMPARE(faces[i].identity, QStringLiteral("liveportrait_d3"));
        QCOMPARE(int(faces[i].landmarks.size()), 68);
    }
}

// With the filter on, near-identical crops of the same video are dropped; counted exactly.
void TestFaceImporter::nearDuplicatesDropped()
{
    std::unique_ptr<Project> project = freshProject(QStringLiteral("d3_filtered"));
    QVERIFY(project);
    QString error;
    const std::optional<FaceImportReport> report = FaceImporter().run(*project, {dataPath(kD3)}, {}, nullptr, &error);
    QVERIFY2(report, qPrintable(error));
    qInfo("d3 filtered: %d faces kept, %d near duplicates dropped, %.2f s", report->facesAdded,
          report->nearDuplicatesDropped, report->seconds);
    QVERIFY(report->nearDuplicatesDropped >= 1); // measured: 4 of 36 at the default distance 3
    QCOMPARE(report->facesAdded + report->nearDuplicatesDropped, 36);
    QCOMPARE(project->faces().faceCount(), qint64(report->facesAdded));
}

// A text file named .png, a truncated JPEG, a truncated PNG and a missing path are problems,
// one line each naming the file; the good images around them are imported.
void TestFaceImporter::badFilesAreProblems()
{
    std::unique_ptr<Project> project = freshProject(QStringLiteral("bad_files"));
    QVERIFY(project);
    const QString dir = fa::test::outputDir() + QStringLiteral("/bad_inputs");
    QDir(dir).removeRecursively();
    QVERIFY(QDir().mkpath(dir));
    const QString text = dir + QStringLiteral("/notes.png");
    QVERIFY(fa::test::writeFile(text, "This is not an image.\n"));
    const QByteArray jpeg = fa::test::readFile(dataPath(QStringLiteral("images/faceapi_expressions/happy.jpg")));
    const QString cutJpeg = dir + QStringLiteral("/cut.jpg");
    QVERIFY(fa::test::writeFile(cutJpeg, jpeg.left(jpeg.size() * 6 / 10)));
    const QByteArray png = fa::test::readFile(dataPath(kYale + QStringLiteral("/subject03_sad.png")));
    const QString cutPng = dir + QStringLiteral("/cut.png");
    QVERIFY(fa::test::writeFile(cutPng, png.left(png.size() / 2)));
    QVERIFY(fa::test::writeFile(dir + QStringLiteral("/readme.txt"), "ignored in folders\n"));
    const QString missing = dir + QStringLiteral("/no_such_file.jpg");

    QString error;
    const std::optional<FaceImportReport> report = FaceImporter().run(
        *project, {dataPath(kYale + QStringLiteral("/subject01_happy.png")), dir, missing,
                   dataPath(kYale + QStringLiteral("/subject02_wink.png"))}, {}, nullptr, &error);
    QVERIFY2(report, qPrintable(error));
    QCOMPARE(report->filesImported, 2);
    QCOMPARE(report->facesAdded, 2);
    QCOMPARE(project->faces().faceCount(), qint64(2));
    QCOMPARE(report->problems.size(), 4);
    for (const QString &path : {text, cutJpeg, cutPng, missing}) {
        const QStringList lines = report->problems.filter(path + QStringLiteral(": "));
        QVERIFY2(lines.size() == 1, qPrintable(report->problems.join(QLatin1Char('\n'))));
        QVERIFY(!lines.first().contains(QLatin1Char('\n')));
    }
    // libjpeg would decode the cut JPEG (grey fill): it must be caught as truncated.
    QVERIFY(!report->problems.filter(cutJpeg + QStringLiteral(": truncated JPEG")).isEmpty());
    QVERIFY(!report->problems.filter(cutPng + QStringLiteral(": truncated PNG")).isEmpty());
}

// Cancelling during the third file stops before it: the faces of the first files stay.
void TestFaceImporter::cancellation()
{
    std::unique_ptr<Project> project = freshProject(QStringLiteral("cancelled"));
    QVERIFY(project);
    std::atomic_bool cancel{false};
    int reports = 0;
    QString error;
    const std::optional<FaceImportReport> report = FaceImporter().run(
        *project, {dataPath(kYale)},
        [&](double, const QString &status) {
            if (++reports == 3) {
                QVERIFY(status.startsWith(QLatin1String("3/89 ")));
                cancel = true;
            }
        },
        &cancel, &error);
    QVERIFY2(report, qPrintable(error));
    QVERIFY(report->cancelled);
    QVERIFY(report->filesImported >= 2 && report->filesImported <= 3);
    QCOMPARE(project->faces().faceCount(), qint64(report->facesAdded));
    QVERIFY(report->facesAdded >= 2);

    // A video cancelled half-way keeps the faces found so far.
    std::unique_ptr<Project> video = freshProject(QStringLiteral("cancelled_video"));
    QVERIFY(video);
    cancel = false;
    FaceImportOptions options;
    options.dropNearDuplicates = false;
    const std::optional<FaceImportReport> partial = FaceImporter(options).run(
        *video, {dataPath(kD3)},
        [&](double fraction, const QString &) {
            if (fraction >= 0.5)
                cancel = true;
        },
        &cancel, &error);
    QVERIFY2(partial, qPrintable(error));
    QVERIFY(partial->cancelled);
    QVERIFY2(partial->framesScanned >= 10 && partial->framesScanned < 36, qPrintable(QString::number(partial->framesScanned)));
    QCOMPARE(video->faces().faceCount(), qint64(partial->facesAdded));
    QVERIFY(!video->faces().sources().front().complete);

    // Importing it again resumes after the last face: every 10th frame once, none twice.
    const std::optional<FaceImportReport> rest = FaceImporter(options).run(*video, {dataPath(kD3)}, {}, nullptr, &error);
    QVERIFY2(rest, qPrintable(error));
    QCOMPARE(rest->filesAlreadyInProject, 0);
    QVERIFY(rest->facesAdded > 0);
    QVERIFY(video->faces().sources().front().complete);
    QCOMPARE(int(video->faces().sources().size()), 1);
    std::vector<qint64> frames;
    for (const fa::FaceRecord &face : video->faces().faces())
        frames.push_back(face.frameIndex);
    std::vector<qint64> expected;
    for (qint64 f = 0; f < 354; f += 10)
        expected.push_back(f);
    QCOMPARE(frames, expected); // d3: a face on all 36 scanned frames
    // Now complete: a third import skips it.
    const std::optional<FaceImportReport> again = FaceImporter(options).run(*video, {dataPath(kD3)}, {}, nullptr, &error);
    QVERIFY2(again, qPrintable(error));
    QCOMPARE(again->filesAlreadyInProject, 1);
    QCOMPARE(again->facesAdded, 0);
}

// Every face of an ordinary group photo becomes its own face record: its own box, landmarks and
// crop, and its own identity (they are different people).
void TestFaceImporter::groupPhotoGivesEveryFace()
{
    std::unique_ptr<Project> project = freshProject(QStringLiteral("group"));
    QVERIFY(project);
    const QString group = QDir::cleanPath(dataPath(QStringLiteral("images/pexels_expressions/group.jpeg")));
    QString error;
    const std::optional<FaceImportReport> report = FaceImporter().run(*project, {group}, {}, nullptr, &error);
    QVERIFY2(report, qPrintable(error));
    QCOMPARE(int(report->files.size()), 1);
    const fa::FileImportReport &file = report->files.front();
    qInfo("%s", qPrintable(file.line()));
    QVERIFY2(file.facesFound >= 3, qPrintable(file.line()));
    QCOMPARE(file.facesAdded, file.facesFound);
    QCOMPARE(report->facesAdded, file.facesAdded);
    QVERIFY(file.line().startsWith(group + QStringLiteral(": %1 faces found, %1 added").arg(file.facesFound)));
    QCOMPARE(project->cropFraming(), QStringLiteral("whole-face"));

    const std::vector<fa::FaceRecord> faces = project->faces().faces();
    QCOMPARE(int(faces.size()), file.facesAdded);
    QStringList identities;
    for (const fa::FaceRecord &face : faces) {
        identities << face.identity;
        QCOMPARE(int(face.landmarks.size()), 68);
        QCOMPARE(face.frameIndex, qint64(0));
        const cv::Mat crop = cv::imread(project->absolutePath(face.cropPath).toStdString());
        QCOMPARE(crop.cols, 224);
        for (const fa::FaceRecord &other : faces)
            if (other.id != face.id)
                QVERIFY(!face.box.contains(other.box.center()));
    }
    identities.sort();
    QStringList expected;
    for (int k = 1; k <= file.facesAdded; ++k)
        expected << QStringLiteral("group#%1").arg(k);
    QCOMPARE(identities, expected);
    // Numbered left to right.
    const fa::FaceRecord *leftmost = &faces.front();
    for (const fa::FaceRecord &face : faces)
        if (face.box.center().x() < leftmost->box.center().x())
            leftmost = &face;
    QCOMPARE(leftmost->identity, QStringLiteral("group#1"));
}

// A photo without a face and an image smaller than the minimum face size each get a clear line;
// neither is a problem, and the rest is imported.
void TestFaceImporter::noFaceAndTooSmallAreReported()
{
    const QString folder = fa::test::outputDir() + QStringLiteral("/mixed_files");
    QDir(folder).removeRecursively();
    QVERIFY(QDir().mkpath(folder));
    // The lower part of the group photo: laptop, cup and table, no face.
    const cv::Mat group = cv::imread(dataPath(QStringLiteral("images/pexels_expressions/group.jpeg")).toStdString());
    QVERIFY(cv::imwrite((folder + QStringLiteral("/table.jpg")).toStdString(), group(cv::Rect(0, 600, 1280, 253))));
    cv::Mat thumbnail;
    cv::resize(cv::imread(dataPath(QStringLiteral("images/faceapi_expressions/happy.jpg")).toStdString()), thumbnail,
               cv::Size(32, 24), 0, 0, cv::INTER_AREA);
    QVERIFY(cv::imwrite((folder + QStringLiteral("/thumbnail.png")).toStdString(), thumbnail));
    QVERIFY(QFile::copy(dataPath(QStringLiteral("images/faceapi_expressions/happy.jpg")), folder + QStringLiteral("/happy.jpg")));

    std::unique_ptr<Project> project = freshProject(QStringLiteral("mixed"));
    QVERIFY(project);
    QString error;
    const std::optional<FaceImportReport> report = FaceImporter().run(*project, {folder}, {}, nullptr, &error);
    QVERIFY2(report, qPrintable(error));
    QVERIFY2(report->problems.isEmpty(), qPrintable(report->problems.join(QLatin1Char('\n'))));
    QCOMPARE(report->filesImported, 3);
    QCOMPARE(report->facesAdded, 1);
    QCOMPARE(report->imagesTooSmall, 1);
    QCOMPARE(int(report->files.size()), 3);
    QStringList lines;
    for (const fa::FileImportReport &file : report->files)
        lines << file.line();
    QCOMPARE(lines, QStringList({folder + QStringLiteral("/happy.jpg: 1 face found, 1 added"),
                                 folder + QStringLiteral("/table.jpg: no face found"),
                                 folder + QStringLiteral("/thumbnail.png: 32x24 image, smaller than the minimum face size "
                                                         "(40 px): skipped")}));
    // A photo too large to scan for the smallest faces says from which size it was searched.
    fa::FileImportReport huge;
    huge.path = QStringLiteral("/photos/panorama.jpg");
    huge.framesScanned = 1;
    huge.facesFound = huge.facesAdded = 2;
    huge.minFaceSize = 40;
    huge.searchedFromSize = 96;
    QCOMPARE(huge.line(), QStringLiteral("/photos/panorama.jpg: 2 faces found, 2 added (too large to search faces below 96 px)"));
    // Faces found below the minimum size are counted and named.
    std::unique_ptr<Project> large = freshProject(QStringLiteral("large_faces_only"));
    FaceImportOptions options;
    options.faces.minFaceSize = 400;
    const std::optional<FaceImportReport> big = FaceImporter(options).run(
        *large, {dataPath(QStringLiteral("images/pexels_expressions/group.jpeg"))}, {}, nullptr, &error);
    QVERIFY2(big, qPrintable(error));
    QCOMPARE(big->facesAdded, 0);
    QVERIFY(big->facesTooSmall >= 3);
    QVERIFY2(big->files.front().line().endsWith(QStringLiteral(": no face found, %1 too small (below 400 px)")
                                                    .arg(big->facesTooSmall)),
             qPrintable(big->files.front().line()));
}

// --all-faces on a video: each scanned frame searched as a photo; one person keeps one track.
void TestFaceImporter::videoWithEveryFace()
{
    std::unique_ptr<Project> project = freshProject(QStringLiteral("d3_every_face"));
    QVERIFY(project);
    FaceImportOptions options;
    options.everyNthFrame = 50;
    options.dropNearDuplicates = false;
    options.faces.allFacesInVideos = true;
    QString error;
    const std::optional<FaceImportReport> report = FaceImporter(options).run(*project, {dataPath(kD3)}, {}, nullptr, &error);
    QVERIFY2(report, qPrintable(error));
    QCOMPARE(report->framesScanned, qint64(8));
    QCOMPARE(report->facesAdded, 8); // one woman on every frame, no false face
    for (const fa::FaceRecord &face : project->faces().faces())
        QCOMPARE(face.identity, QStringLiteral("liveportrait_d3#1"));
    QVERIFY(report->files.front().line().endsWith(QStringLiteral("(8 frames scanned, 0 without a face)")));
}

// A project whose faces were cropped before whole-face crops keeps its compact framing, so that
// all its crops frame faces alike and its exports map boxes right.
void TestFaceImporter::olderProjectKeepsItsFraming()
{
    std::unique_ptr<Project> project = freshProject(QStringLiteral("older"));
    QVERIFY(project);
    fa::FaceRecord earlier;
    fa::SourceRecord source;
    source.path = dataPath(kYale + QStringLiteral("/subject03_sad.png"));
    source.contentHash = fa::fileContentHash(source.path);
    QString error;
    const std::optional<qint64> sourceId = project->faces().addSource(source, &error);
    QVERIFY2(sourceId, qPrintable(error));
    earlier.sourceId = *sourceId;
    QVERIFY2(project->faces().addFace(earlier, QByteArray("not read"), QStringLiteral("jpg"), &error), qPrintable(error));
    QVERIFY(project->cropFraming().isEmpty());
    QCOMPARE(fa::projectCropFraming(*project), fa::FaceCropper::Framing::Compact);
    const std::optional<FaceImportReport> report =
        FaceImporter().run(*project, {dataPath(kYale + QStringLiteral("/subject04_happy.png"))}, {}, nullptr, &error);
    QVERIFY2(report, qPrintable(error));
    QCOMPARE(report->facesAdded, 1);
    QCOMPARE(project->cropFraming(), QStringLiteral("compact"));
    // The new crop has the eyes where the compact framing puts them.
    const fa::FaceRecord face = project->faces().faces().back();
    cv::Point2f left, right;
    QVERIFY(fa::eyeCentres(face.landmarks, &left, &right));
    const fa::FaceCropper compact(fa::FaceCropper::framingOptions(fa::FaceCropper::Framing::Compact));
    const cv::Mat crop = cv::imread(project->absolutePath(face.cropPath).toStdString());
    cv::Mat expected = compact.crop(cv::imread(dataPath(kYale + QStringLiteral("/subject04_happy.png")).toStdString()),
                                    left, right);
    cv::Mat difference;
    cv::absdiff(crop, expected, difference);
    QVERIFY2(cv::mean(difference)[0] < 3.0, qPrintable(QString::number(cv::mean(difference)[0]))); // JPEG only
}

QTEST_GUILESS_MAIN(TestFaceImporter)
#include "test_face_importer.moc"
