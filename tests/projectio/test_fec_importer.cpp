// FecImporter on a hand-written FEC CSV over the Yale images, then statistics and a re-export.
#include "dataset/fec_triplet_csv.h"
#include "project/project.h"
#include "projectio/fec_importer.h"
#include "projectio/project_exporter.h"
#include "projectio/project_statistics.h"
#include "fresh_project.h"
#include "test_files.h"

#include <QtTest>

#include <opencv2/imgcodecs.hpp>

#include <memory>

using fa::FecImporter;
using fa::FecImportOptions;
using fa::FecImportReport;
using fa::Project;
using fa::test::dataPath;
using fa::test::freshProject;

namespace {

QString writeCsv(const QString &name, const QByteArray &text)
{
    const QString path = fa::test::outputDir() + QLatin1Char('/') + name;
    return fa::test::writeFile(path, text) ? path : QString();
}

} // namespace

class TestFecImporter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void localImagePath_data();
    void localImagePath();
    void importThenStatistics();
    void csvErrors_data();
    void csvErrors();
};

void TestFecImporter::localImagePath_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");
    QTest::newRow("relative") << QStringLiteral("sub/a.png") << QStringLiteral("/data/images/sub/a.png");
    QTest::newRow("http") << QStringLiteral("http://farm4.staticflickr.com/3/12_ab.jpg")
                          << QStringLiteral("/data/images/12_ab.jpg");
    QTest::newRow("https, escaped") << QStringLiteral("HTTPS://x.org/p/my%20face.jpg?size=2")
                                    << QStringLiteral("/data/images/my face.jpg");
    QTest::newRow("file URL") << QStringLiteral("file:///srv/faces/b.png") << QStringLiteral("/srv/faces/b.png");
    QTest::newRow("absolute") << QStringLiteral("/srv/faces/../c.png") << QStringLiteral("/srv/c.png");
}

void TestFecImporter::localImagePath()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);
    QCOMPARE(FecImporter::localImagePath(url, QStringLiteral("/data/images")), expected);
}

// Three rows over Yale images (relative path, http URL, file URL), one with a missing image.
void TestFecImporter::importThenStatistics()
{
    std::unique_ptr<Project> project = freshProject(QStringLiteral("fec"));
    QVERIFY(project);
    const QString yale = dataPath(QStringLiteral("images/yale_faces"));
    const QByteArray fileUrl = QUrl::fromLocalFile(yale + QStringLiteral("/subject03_happy.png")).toEncoded();
    const QString csv = writeCsv(QStringLiteral("triplets.csv"),
        "\"subject01_happy.png\",0.25,0.75,0.2,0.8,\"subject01_sad.png\",0.25,0.75,0.2,0.8,"
        "\"subject02_normal.png\",0.3,0.7,0.25,0.85,TWO_CLASS_TRIPLET,ann1,3,ann2,3,ann3,1,,,,,,\r\n"
        "\"http://example.com/faces/subject03_wink.png\",0.2,0.8,0.1,0.9,\"" + fileUrl + "\",0.2,0.8,0.1,0.9,"
        "\"subject01_happy.png\",0.25,0.75,0.2,0.8,ONE_CLASS_TRIPLET,ann1,1,ann2,2\r\n"
        "\"no_such_face.png\",0,1,0,1,\"subject01_sad.png\",0.25,0.75,0.2,0.8,"
        "\"subject02_normal.png\",0.3,0.7,0.25,0.85,THREE_CLASS_TRIPLET,ann1,2\r\n");
    QVERIFY(!csv.isEmpty());
    FecImportOptions options;
    options.imagesDirectory = yale;
    QString error;
    std::optional<FecImportReport> report = FecImporter::run(*project, csv, options, &error);
    QVERIFY2(report, qPrintable(error));
    QCOMPARE(report->rowsRead, 3);
    QCOMPARE(report->rowsSkipped, 1);
    QCOMPARE(report->missingImageCount, 1);
    // Named with the CSV and the line that first uses the image (issue 16).
    QCOMPARE(report->missingImages, QStringList{csv + QStringLiteral(":3: ") + QDir::cleanPath(yale + QStringLiteral("/no_such_face.png"))
                                                + QStringLiteral(": no such image file")});
    QCOMPARE(report->sourcesAdded, 5);
    QCOMPARE(report->facesAdded, 5); // subject01_happy's box is shared by rows 1 and 2
    QCOMPARE(report->tripletsAdded, 2);
    QCOMPARE(report->judgmentsAdded, 5);
    QCOMPARE(report->annotatorsUsed, 3);

    // Faces: the box in pixels, a 224x224 crop, labels from the file name.
    const std::vector<fa::FaceRecord> faces = project->faces().faces();
    QCOMPARE(int(faces.size()), 5);
    const QRectF expectedBox(80, 0.2 * 243, 160, 0.6 * 243); // from float fractions: 1e-4 px
    QVERIFY(std::abs(faces[0].box.x() - expectedBox.x()) < 1e-3 && std::abs(faces[0].box.y() - expectedBox.y()) < 1e-3);
    QVERIFY(std::abs(faces[0].box.width() - expectedBox.width()) < 1e-3
            && std::abs(faces[0].box.height() - expectedBox.height()) < 1e-3);
    QCOMPARE(faces[0].category, QStringLiteral("happy"));
    QCOMPARE(faces[0].identity, QStringLiteral("subject01"));
    QVERIFY(faces[0].landmarks.empty());
    for (const fa::FaceRecord &face : faces) {
        const cv::Mat crop = cv::imread(project->absolutePath(face.cropPath).toStdString());
        QCOMPARE(crop.cols, 224);
        QCOMPARE(crop.rows, 224);
    }
    const std::vector<fa::TripletRecord> triplets = project->triplets().all();
    QCOMPARE(triplets[0].type, fa::TripletType::TwoClass);
    QCOMPARE(triplets[0].origin, fa::TripletRecord::Origin::Imported);
    QCOMPARE(triplets[1].faceIds[2], triplets[0].faceIds[0]);

    // Votes (1,0,2) and (1,1,0): P-bar = (1/3 + 0) / 2, p = (2, 1, 2) / 5, P_e = 0.36,
    // kappa = (1/6 - 0.36) / 0.64.
    const std::optional<fa::ProjectStatistics> stats = fa::computeProjectStatistics(*project, &error);
    QVERIFY2(stats, qPrintable(error));
    QCOMPARE(stats->judgments, qint64(5));
    QCOMPARE(stats->triplets, qint64(2));
    QCOMPARE(stats->completeTriplets, qint64(1));
    QCOMPARE(stats->annotators, (QStringList{QStringLiteral("ann1"), QStringLiteral("ann2"), QStringLiteral("ann3")}));
    QVERIFY(std::abs(stats->agreement.fleissKappa - (1.0 / 6 - 0.36) / 0.64) < 1e-9);
    QCOMPARE(stats->agreement.lowAgreement, std::vector<qint64>{triplets[1].id});

    // The same file again adds nothing.
    report = FecImporter::run(*project, csv, options, &error);
    QVERIFY2(report, qPrintable(error));
    QCOMPARE(report->facesAdded, 0);
    QCOMPARE(report->facesReused, 5);
    QCOMPARE(report->tripletsAdded, 0);
    QCOMPARE(report->tripletsAlreadyInProject, 2);
    QCOMPARE(report->judgmentsAdded, 0);
    QCOMPARE(report->judgmentsAlreadyInProject, 5);
    QCOMPARE(project->judgments().count(), qint64(5));

    // Exported again as FEC: same triplets and votes, crops as URLs.
    const QString out = fa::test::outputDir() + QStringLiteral("/reexported.csv");
    QVERIFY2(fa::ProjectExporter::exportFecCsv(*project, out, &error), qPrintable(error));
    const std::optional<std::vector<fa::FecTripletRow>> rows = fa::FecTripletCsv::readFile(out, &error);
    QVERIFY2(rows, qPrintable(error));
    QCOMPARE(int(rows->size()), 2);
    QCOMPARE((*rows)[0].faces[0].url, faces[0].cropPath);
    QCOMPARE(int((*rows)[0].annotations.size()), 3);
    QCOMPARE((*rows)[0].annotations[2].annotatorId, QStringLiteral("ann3"));
    QCOMPARE((*rows)[0].annotations[2].choice, 1);
}

void TestFecImporter::csvErrors_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    const QByteArray good = "\"subject01_happy.png\",0.25,0.75,0.2,0.8,\"subject01_sad.png\",0.25,0.75,0.2,0.8,"
                            "\"subject02_normal.png\",0.3,0.7,0.25,0.85,TWO_CLASS_TRIPLET,ann1,3\r\n";
    QTest::newRow("17 columns") << good + "a.png,0,1,0,1,b.png,0,1,0,1,c.png,0,1,0,1,ONE_CLASS_TRIPLET,x\r\n" << 2;
    QTest::newRow("box outside") << good + good + "a.png,0,1.5,0,1,b.png,0,1,0,1,c.png,0,1,0,1,ONE_CLASS_TRIPLET\r\n" << 3;
    QTest::newRow("same face twice") << QByteArray("a.png,0,1,0,1,a.png,0,1,0,1,c.png,0,1,0,1,ONE_CLASS_TRIPLET\r\n") << 1;
    QTest::newRow("unknown type") << QByteArray("a.png,0,1,0,1,b.png,0,1,0,1,c.png,0,1,0,1,FOUR\r\n") << 1;
}

// CSV errors: nullopt with "PATH:LINE: what", nothing imported.
void TestFecImporter::csvErrors()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    std::unique_ptr<Project> project = freshProject(QStringLiteral("fec_errors"));
    QVERIFY(project);
    const QString csv = writeCsv(QStringLiteral("bad.csv"), text);
    FecImportOptions options;
    options.imagesDirectory = dataPath(QStringLiteral("images/yale_faces"));
    QString error;
    QVERIFY(!FecImporter::run(*project, csv, options, &error));
    QVERIFY2(error.startsWith(QStringLiteral("%1:%2: ").arg(csv).arg(line)), qPrintable(error));
    QCOMPARE(project->faces().faceCount(), qint64(0));
    QCOMPARE(project->triplets().count(), qint64(0));
}

QTEST_GUILESS_MAIN(TestFecImporter)
#include "test_fec_importer.moc"
