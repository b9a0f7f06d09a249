// ProjectExporter on a project with hand-recorded judgments (judged_project.h): exact reference
// rows, FEC rows (boxes checked against FaceCropper's own transforms), the folder export.
#include "dataset/fec_triplet_csv.h"
#include "judged_project.h"
#include "projectio/project_exporter.h"

#include <QtTest>

using fa::FaceRecord;
using fa::Project;
using fa::ProjectExporter;

class TestProjectExporter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void formatNames();
    void referenceCsv();
    void fecCsv();
    void folderExport();
    void folderExportRefusesForeignFolder();

private:
    fa::test::JudgedProject m_judged;
    Project *m_project = nullptr;
};

void TestProjectExporter::initTestCase()
{
    QString error;
    QVERIFY2(fa::test::buildJudgedProject(fa::test::outputDir() + QStringLiteral("/project"), &m_judged, &error),
             qPrintable(error));
    m_project = m_judged.project.get();
    QCOMPARE(m_project->faces().faceCount(), qint64(5));
}

void TestProjectExporter::formatNames()
{
    for (auto format : {ProjectExporter::Format::Reference, ProjectExporter::Format::Fec, ProjectExporter::Format::Folder})
        QCOMPARE(ProjectExporter::formatFromName(ProjectExporter::formatName(format)), format);
    QCOMPARE(ProjectExporter::formatFromName(QStringLiteral("FEC")), ProjectExporter::Format::Fec);
    QVERIFY(!ProjectExporter::formatFromName(QStringLiteral("xml")));
}

void TestProjectExporter::referenceCsv()
{
    const QString path = fa::test::outputDir() + QStringLiteral("/reference.csv");
    QString error;
    const std::optional<fa::ProjectExportReport> report = ProjectExporter::exportReferenceCsv(*m_project, path, &error);
    QVERIFY2(report, qPrintable(error));
    QCOMPARE(report->referenceRows, 4);
    QCOMPARE(report->tripletsWithoutMajority, 1);
    QCOMPARE(report->tripletsWithoutJudgments, 1);
    QCOMPARE(fa::test::readFile(path),
             QByteArray("anchor,positive,negative,type\r\n"
                        "crops/0000001.jpg,crops/0000002.jpg,crops/0000003.jpg,TWO_CLASS_TRIPLET\r\n"
                        "crops/0000005.png,crops/0000004.jpg,crops/0000001.jpg,THREE_CLASS_TRIPLET\r\n"
                        "crops/0000003.jpg,crops/0000005.png,crops/0000001.jpg,ONE_CLASS_TRIPLET\r\n"
                        "crops/0000002.jpg,crops/0000005.png,crops/0000004.jpg,TWO_CLASS_TRIPLET\r\n"));
    // The paths resolve against the project folder.
    QVERIFY(QFile::exists(m_project->absolutePath(QStringLiteral("crops/0000005.png"))));
}

void TestProjectExporter::fecCsv()
{
    const QString path = fa::test::outputDir() + QStringLiteral("/fec.csv");
    QString error;
    const std::optional<fa::ProjectExportReport> report = ProjectExporter::exportFecCsv(*m_project, path, &error);
    QVERIFY2(report, qPrintable(error));
    QCOMPARE(report->fecRows, 5);
    QCOMPARE(report->tripletsWithoutJudgments, 1);
    const QByteArray bytes = fa::test::readFile(path);
    QVERIFY(bytes.contains("\"crops/0000003.jpg\",0,1,0,1,") || bytes.contains("crops/0000003.jpg,0,1,0,1,"));
    const std::optional<std::vector<fa::FecTripletRow>> rows = fa::FecTripletCsv::readFile(path, &error);
    QVERIFY2(rows, qPrintable(error));
    QCOMPARE(int(rows->size()), 5);
    const std::vector<size_t> triplets = {0, 1, 2, 4, 5};
    const std::vector<std::vector<std::pair<QString, int>>> annotations = {
        {{QStringLiteral("alice"), 3}, {QStringLiteral("bob"), 3}, {QStringLiteral("carol"), 1}},
        {{QStringLiteral("alice"), 1}, {QStringLiteral("bob"), 2}},
        {{QStringLiteral("alice"), 2}, {QStringLiteral("bob"), 2}},
        {{QStringLiteral("alice"), 1}, {QStringLiteral("carol"), 1}, {QStringLiteral("bob"), 3}},
        {{QStringLiteral("a1"), 2}, {QStringLiteral("a2"), 2}, {QStringLiteral("a3"), 2}, {QStringLiteral("a4"), 2},
         {QStringLiteral("a5"), 2}, {QStringLiteral("a6"), 2}}};
    for (size_t r = 0; r < rows->size(); ++r) {
        const fa::FecTripletRow &row = (*rows)[r];
        const fa::TripletRecord triplet = *m_project->triplets().triplet(m_judged.triplets[triplets[r]]);
        QCOMPARE(row.type, triplet.type);
        for (size_t i = 0; i < 3; ++i) {
            const FaceRecord face = *m_project->faces().face(triplet.faceIds[i]);
            QCOMPARE(row.faces[i].url, face.cropPath);
            const std::array<float, 4> expected = m_judged.boxes.at(face.id);
            const std::array<float, 4> actual = {row.faces[i].left, row.faces[i].right, row.faces[i].top,
                                                 row.faces[i].bottom};
            for (size_t k = 0; k < 4; ++k)
                QVERIFY2(std::abs(actual[k] - expected[k]) < 1e-5,
                         qPrintable(QStringLiteral("face %1 box[%2]: %3, expected %4").arg(face.id).arg(k).arg(actual[k]).arg(expected[k])));
        }
        QCOMPARE(row.annotations.size(), annotations[r].size());
        for (size_t a = 0; a < annotations[r].size(); ++a) {
            QCOMPARE(row.annotations[a].annotatorId, annotations[r][a].first);
            QCOMPARE(row.annotations[a].choice, annotations[r][a].second);
        }
    }
    // The eye-aligned face's box is a real fraction of its crop, not the unknown 0,1,0,1.
    QVERIFY(m_judged.boxes.at(4)[0] > 0.0f && m_judged.boxes.at(4)[1] < 1.0f && m_judged.boxes.at(4)[2] > 0.0f);
}

void TestProjectExporter::folderExport()
{
    const QString out = fa::test::outputDir() + QStringLiteral("/folder");
    QDir(out).removeRecursively();
    QString error;
    std::optional<fa::ProjectExportReport> report = ProjectExporter::exportFolder(*m_project, out, &error);
    QVERIFY2(report, qPrintable(error));
    QCOMPARE(report->facesListed, 5);
    QCOMPARE(report->imagesWritten, 5);
    QCOMPARE(report->referenceRows, 4);
    QCOMPARE(report->fecRows, 5);
    const QDir dir(out);
    for (const FaceRecord &face : m_project->faces().faces()) {
        const QString image = QStringLiteral("images/%1.%2").arg(face.id).arg(QFileInfo(face.cropPath).suffix());
        QCOMPARE(fa::test::readFile(dir.filePath(image)), fa::test::readFile(m_project->absolutePath(face.cropPath)));
    }
    QCOMPARE(fa::test::readFile(dir.filePath(QStringLiteral("triplets.csv"))),
             QByteArray("anchor,positive,negative,type\r\n"
                        "images/1.jpg,images/2.jpg,images/3.jpg,TWO_CLASS_TRIPLET\r\n"
                        "images/5.png,images/4.jpg,images/1.jpg,THREE_CLASS_TRIPLET\r\n"
                        "images/3.jpg,images/5.png,images/1.jpg,ONE_CLASS_TRIPLET\r\n"
                        "images/2.jpg,images/5.png,images/4.jpg,TWO_CLASS_TRIPLET\r\n"));
    const QList<QByteArray> faces = fa::test::readFile(dir.filePath(QStringLiteral("faces.csv"))).split('\n');
    QCOMPARE(faces.size(), 7); // header, 5 faces, empty after the last CRLF
    QCOMPARE(faces[0], QByteArray("face_id,image,source,frame,time_seconds,category,identity\r"));
    QCOMPARE(faces[1], "1,images/1.jpg," + m_judged.sourceA.toUtf8() + ",0,0,happy,subject01\r");
    const std::optional<std::vector<fa::FecTripletRow>> fec =
        fa::FecTripletCsv::readFile(dir.filePath(QStringLiteral("fec.csv")), &error);
    QVERIFY2(fec, qPrintable(error));
    QCOMPARE(fec->front().faces[0].url, QStringLiteral("images/1.jpg"));
    QVERIFY(QFile::exists(dir.filePath(QString::fromUtf8(ProjectExporter::kMarkerFileName))));

    // Again into the same folder: nothing rewritten, stale images of ours removed, other files kept.
    QVERIFY(fa::test::writeFile(dir.filePath(QStringLiteral("images/99.jpg")), "stale"));
    QVERIFY(fa::test::writeFile(dir.filePath(QStringLiteral("images/notes.txt")), "mine"));
    report = ProjectExporter::exportFolder(*m_project, out, &error);
    QVERIFY2(report, qPrintable(error));
    QCOMPARE(report->imagesWritten, 0);
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("images/99.jpg"))));
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("images/notes.txt"))));
}

void TestProjectExporter::folderExportRefusesForeignFolder()
{
    const QString out = fa::test::outputDir() + QStringLiteral("/foreign");
    QDir(out).removeRecursively();
    QVERIFY(QDir().mkpath(out));
    QVERIFY(fa::test::writeFile(out + QStringLiteral("/thesis.tex"), "precious"));
    QString error;
    QVERIFY(!ProjectExporter::exportFolder(*m_project, out, &error));
    QVERIFY2(error.startsWith(out + QStringLiteral(": ")), qPrintable(error));
    QCOMPARE(QDir(out).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList{QStringLiteral("thesis.tex")});

    const QString file = out + QStringLiteral("/thesis.tex");
    QVERIFY(!ProjectExporter::exportFolder(*m_project, file, &error));
    QVERIFY2(error.startsWith(file + QStringLiteral(": ")), qPrintable(error));
    QVERIFY(!ProjectExporter::exportReferenceCsv(*m_project, QStringLiteral("/nonexistent/dir/x.csv"), &error));
    QVERIFY2(error.contains(QStringLiteral("/nonexistent/dir/x.csv")), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestProjectExporter)
#include "test_project_exporter.moc"
