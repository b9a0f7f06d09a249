// End-to-end tests of `freeavatar project ...` on the Yale faces: create, import, sample,
// judgments (recorded through the store, as the Label workspace would), stats --json, the
// three exports, import-fec, and bad input.
#include "dataset/fec_triplet_csv.h"
#include "dataset/reference_triplet_csv.h"
#include "project/project.h"
#include "cli_run.h"
#include "test_files.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using fa::test::dataPath;
using fa::test::freeavatar;
using fa::test::Run;

namespace {


QString scratch(const QString &name)
{
    return fa::test::outputDir() + QLatin1Char('/') + name;
}

// The number after `label` in the tool's summary, or -1.
int figure(const QString &text, const QString &label)
{
    const QRegularExpressionMatch m = QRegularExpression(QRegularExpression::escape(label) + QStringLiteral("\\s*(\\d+)")).match(text);
    return m.hasMatch() ? m.captured(1).toInt() : -1;
}

} // namespace

class TestCliProject : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void help();
    void endToEnd();
    void importGroupPhotos();
    void badInput_data();
    void badInput();
};

void TestCliProject::help()
{
    const Run top = freeavatar({QStringLiteral("--help")});
    QCOMPARE(top.exitCode, 0);
    QVERIFY(top.out.contains(QStringLiteral("project SUBCOMMAND")));
    const Run project = freeavatar({QStringLiteral("project"), QStringLiteral("--help")});
    QCOMPARE(project.exitCode, 0);
    for (const char *sub : {"create DIR", "import DIR", "sample DIR", "stats DIR", "export DIR", "import-fec DIR"})
        QVERIFY2(project.out.contains(QString::fromLatin1(sub)), sub);
    const Run importHelp = freeavatar({QStringLiteral("project"), QStringLiteral("import"), QStringLiteral("--help")});
    QCOMPARE(importHelp.exitCode, 0);
    QVERIFY(importHelp.out.contains(QStringLiteral("--keep-duplicates")));
}

void TestCliProject::endToEnd()
{
    const QString dir = scratch(QStringLiteral("yale_project"));
    QDir(dir).removeRecursively();
    Run run = freeavatar({QStringLiteral("project"), QStringLiteral("create"), dir});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));

    // Import: all of Yale (measured: a face in each of the 89 images).
    run = freeavatar({QStringLiteral("project"), QStringLiteral("import"), dir, dataPath(QStringLiteral("images/yale_faces")),
                      QStringLiteral("--quiet")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(figure(run.out, QStringLiteral("Files:")), 89);
    const int faces = figure(run.out, QStringLiteral("Faces:"));
    QVERIFY2(faces >= 85, qPrintable(run.out));
    QVERIFY(run.out.contains(QStringLiteral("faces/s")));

    // A bad file among good ones: exit 2, one line naming it, the good image imported.
    const QString text = scratch(QStringLiteral("notes.png"));
    QVERIFY(fa::test::writeFile(text, "not an image\n"));
    run = freeavatar({QStringLiteral("project"), QStringLiteral("import"), dir, text,
                      dataPath(QStringLiteral("images/faceapi_expressions/happy.jpg")), QStringLiteral("--quiet")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(text + QStringLiteral(": ")), qPrintable(run.err));
    QCOMPARE(run.err.trimmed().count(QLatin1Char('\n')), 0);
    QCOMPARE(figure(run.out, QStringLiteral("Files:")), 1);

    run = freeavatar({QStringLiteral("project"), QStringLiteral("sample"), dir, QStringLiteral("--count"), QStringLiteral("20"),
                      QStringLiteral("--gold-rate"), QStringLiteral("0.25"), QStringLiteral("--seed"), QStringLiteral("7")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("Added:     20 triplets (5 gold)")), qPrintable(run.out));

    // Judgments by three annotators on the first four triplets: two with a majority
    // (3,3,1 and 2,2,2), two without (1,2,3 and a single vote).
    {
        QString error;
        std::unique_ptr<fa::Project> project = fa::Project::open(dir, &error);
        QVERIFY2(project, qPrintable(error));
        const std::vector<fa::TripletRecord> triplets = project->triplets().all();
        const std::vector<std::vector<int>> choices = {{3, 3, 1}, {2, 2, 2}, {1, 2, 3}, {1}};
        const QStringList names = {QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol")};
        for (size_t t = 0; t < choices.size(); ++t)
            for (size_t a = 0; a < choices[t].size(); ++a) {
                fa::JudgmentRecord judgment;
                judgment.tripletId = triplets[t].id;
                judgment.annotatorId = *project->judgments().annotatorId(names[int(a)], &error);
                judgment.choice = choices[t][a];
                QVERIFY2(project->judgments().record(judgment, &error), qPrintable(error));
            }
    }

    run = freeavatar({QStringLiteral("project"), QStringLiteral("stats"), dir, QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QJsonParseError parseError;
    const QJsonObject stats = QJsonDocument::fromJson(run.out.toUtf8(), &parseError).object();
    QVERIFY2(parseError.error == QJsonParseError::NoError, qPrintable(parseError.errorString()));
    QCOMPARE(stats.value(QStringLiteral("faces")).toInt(), faces + 1);
    QCOMPARE(stats.value(QStringLiteral("triplets")).toInt(), 20);
    QCOMPARE(stats.value(QStringLiteral("judgments")).toInt(), 10);
    QCOMPARE(stats.value(QStringLiteral("complete_triplets")).toInt(), 3);
    QVERIFY(stats.value(QStringLiteral("fleiss_kappa")).isDouble());
    QCOMPARE(stats.value(QStringLiteral("low_agreement_triplets")).toInt(), 1);
    const QJsonArray annotators = stats.value(QStringLiteral("annotators")).toArray();
    QCOMPARE(annotators.size(), 3);
    QCOMPARE(annotators[0].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("alice"));
    QCOMPARE(annotators[0].toObject().value(QStringLiteral("judgments")).toInt(), 4);
    run = freeavatar({QStringLiteral("project"), QStringLiteral("stats"), dir});
    QVERIFY2(run.exitCode == 0 && run.out.contains(QStringLiteral("Fleiss' kappa")), qPrintable(run.err));

    const QString reference = scratch(QStringLiteral("reference.csv"));
    run = freeavatar({QStringLiteral("project"), QStringLiteral("export"), dir, QStringLiteral("--format"),
                      QStringLiteral("reference"), QStringLiteral("--out"), reference});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QString error;
    const auto referenceRows = fa::ReferenceTripletCsv::readFile(reference, &error);
    QVERIFY2(referenceRows, qPrintable(error));
    QCOMPARE(int(referenceRows->size()), 2);
    QVERIFY(QFile::exists(dir + QLatin1Char('/') + referenceRows->front().negative));

    const QString fec = scratch(QStringLiteral("fec.csv"));
    run = freeavatar({QStringLiteral("project"), QStringLiteral("export"), dir, QStringLiteral("--format"),
                      QStringLiteral("fec"), QStringLiteral("--out"), fec});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const auto fecRows = fa::FecTripletCsv::readFile(fec, &error);
    QVERIFY2(fecRows, qPrintable(error));
    QCOMPARE(int(fecRows->size()), 4);

    const QString folder = scratch(QStringLiteral("export_folder"));
    QDir(folder).removeRecursively();
    run = freeavatar({QStringLiteral("project"), QStringLiteral("export"), dir, QStringLiteral("--format"),
                      QStringLiteral("folder"), QStringLiteral("--out"), folder});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    for (const char *file : {"triplets.csv", "fec.csv", "faces.csv", "freeavatar_export.json"})
        QVERIFY2(QFile::exists(folder + QLatin1Char('/') + QString::fromLatin1(file)), file);
    QVERIFY(!QDir(folder + QStringLiteral("/images")).entryList(QDir::Files).isEmpty());

    // The FEC export, imported into a second project over the first project's folder.
    const QString second = scratch(QStringLiteral("fec_project"));
    QDir(second).removeRecursively();
    QCOMPARE(freeavatar({QStringLiteral("project"), QStringLiteral("create"), second}).exitCode, 0);
    run = freeavatar({QStringLiteral("project"), QStringLiteral("import-fec"), second, fec, QStringLiteral("--images"), dir});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QCOMPARE(figure(run.out, QStringLiteral("Triplets:")), 4);
    QCOMPARE(figure(run.out, QStringLiteral("Judgments:")), 10);
    run = freeavatar({QStringLiteral("project"), QStringLiteral("stats"), second, QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject secondStats = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(secondStats.value(QStringLiteral("judgments")).toInt(), 10);
    QCOMPARE(secondStats.value(QStringLiteral("fleiss_kappa")).toDouble(), stats.value(QStringLiteral("fleiss_kappa")).toDouble());
}

// Every bad input gives exit 2 and one line naming the file (or the option).
// A folder of ordinary photos: every face of the group photo, one line per file, and a photo
// without a face or an image below the minimum size named without failing the import.
void TestCliProject::importGroupPhotos()
{
    const QString photos = scratch(QStringLiteral("photos"));
    QDir(photos).removeRecursively();
    QVERIFY(QDir().mkpath(photos));
    const cv::Mat group = cv::imread(dataPath(QStringLiteral("images/pexels_expressions/group.jpeg")).toStdString());
    QVERIFY(!group.empty());
    QVERIFY(cv::imwrite((photos + QStringLiteral("/group.jpg")).toStdString(), group));
    QVERIFY(cv::imwrite((photos + QStringLiteral("/table.jpg")).toStdString(), group(cv::Rect(0, 600, 1280, 253))));
    cv::Mat small;
    cv::resize(group(cv::Rect(150, 230, 200, 200)), small, cv::Size(30, 30), 0, 0, cv::INTER_AREA);
    QVERIFY(cv::imwrite((photos + QStringLiteral("/tiny.png")).toStdString(), small));
    const QString dir = scratch(QStringLiteral("photo_project"));
    QDir(dir).removeRecursively();
    Run run = freeavatar({QStringLiteral("project"), QStringLiteral("create"), dir});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    run = freeavatar({QStringLiteral("project"), QStringLiteral("import"), dir, photos, QStringLiteral("--quiet")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
    QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
    const QRegularExpression groupLine(QStringLiteral("group.jpg: (\\d+) faces found, \\1 added\n"));
    const QRegularExpressionMatch match = groupLine.match(run.out);
    QVERIFY2(match.hasMatch() && match.captured(1).toInt() >= 3, qPrintable(run.out));
    QVERIFY2(run.out.contains(photos + QStringLiteral("/table.jpg: no face found\n")), qPrintable(run.out));
    QVERIFY2(run.out.contains(photos + QStringLiteral("/tiny.png: 30x30 image, smaller than the minimum face size (40 px): "
                                                      "skipped\n")),
             qPrintable(run.out));
    QVERIFY2(run.out.contains(QStringLiteral("Detector:  dlib HOG, faces from 40 px")), qPrintable(run.out));
    QCOMPARE(figure(run.out, QStringLiteral("Faces:")), match.captured(1).toInt());

    // With a smaller minimum the 30-px image is searched, upsampled 4x, and its face is found.
    const QString second = scratch(QStringLiteral("photo_project_small"));
    QDir(second).removeRecursively();
    QCOMPARE(freeavatar({QStringLiteral("project"), QStringLiteral("create"), second}).exitCode, 0);
    run = freeavatar({QStringLiteral("project"), QStringLiteral("import"), second, photos + QStringLiteral("/tiny.png"),
                      QStringLiteral("--min-face"), QStringLiteral("20"), QStringLiteral("--quiet")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("tiny.png: 1 face found, 1 added")), qPrintable(run.out));
}

void TestCliProject::badInput_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("named");
    const QString p = QStringLiteral("project");
    const QString notProject = scratch(QStringLiteral("not_a_project"));
    QDir().mkpath(notProject);
    const QString missing = scratch(QStringLiteral("no_such_dir"));
    const QString empty = scratch(QStringLiteral("empty_project"));
    QDir(empty).removeRecursively();
    QVERIFY(fa::Project::create(empty, nullptr));
    const QString foreign = scratch(QStringLiteral("foreign"));
    QDir().mkpath(foreign);
    QVERIFY(fa::test::writeFile(foreign + QStringLiteral("/keep.txt"), "mine"));
    const QString badCsv = scratch(QStringLiteral("bad_fec.csv"));
    QVERIFY(fa::test::writeFile(badCsv, "a.png,0,1,0,1,b.png,0,1,0,1,c.png,0,1,0,1,ONE_CLASS_TRIPLET\r\nx,1\r\n"));
    const QString yale = dataPath(QStringLiteral("images/yale_faces"));

    QTest::newRow("stats: not a project") << QStringList{p, QStringLiteral("stats"), notProject} << notProject;
    QTest::newRow("stats: missing folder") << QStringList{p, QStringLiteral("stats"), missing} << missing;
    QTest::newRow("import: not a project") << QStringList{p, QStringLiteral("import"), notProject, yale} << notProject;
    QTest::newRow("create: already a project") << QStringList{p, QStringLiteral("create"), empty} << empty;
    QTest::newRow("export: unknown format")
        << QStringList{p, QStringLiteral("export"), empty, QStringLiteral("--format"), QStringLiteral("xml"),
                       QStringLiteral("--out"), scratch(QStringLiteral("x.csv"))} << QStringLiteral("--format");
    QTest::newRow("export: foreign folder")
        << QStringList{p, QStringLiteral("export"), empty, QStringLiteral("--format"), QStringLiteral("folder"),
                       QStringLiteral("--out"), foreign} << foreign;
    QTest::newRow("export: missing folder of the CSV")
        << QStringList{p, QStringLiteral("export"), empty, QStringLiteral("--format"), QStringLiteral("fec"),
                       QStringLiteral("--out"), QStringLiteral("/nonexistent/dir/fec.csv")} << QStringLiteral("/nonexistent/dir/fec.csv");
    QTest::newRow("sample: too few faces") << QStringList{p, QStringLiteral("sample"), empty, QStringLiteral("--count"), QStringLiteral("5")} << empty;
    QTest::newRow("sample: no count") << QStringList{p, QStringLiteral("sample"), empty} << QStringLiteral("--count");
    QTest::newRow("import: --every 0") << QStringList{p, QStringLiteral("import"), empty, yale, QStringLiteral("--every"), QStringLiteral("0")}
                                       << QStringLiteral("--every");
    QTest::newRow("import: --min-face 3") << QStringList{p, QStringLiteral("import"), empty, yale, QStringLiteral("--min-face"),
                                                         QStringLiteral("3")}
                                          << QStringLiteral("--min-face: '3' is not a whole number of pixels (8-4096)");
    QTest::newRow("import: yunet without model") << QStringList{p, QStringLiteral("import"), empty, yale,
                                                                QStringLiteral("--detector"), QStringLiteral("yunet")}
                                                 << QStringLiteral("--detector yunet needs --yunet-model FILE");
    QTest::newRow("import: missing yunet model")
        << QStringList{p, QStringLiteral("import"), empty, yale, QStringLiteral("--detector"), QStringLiteral("yunet"),
                       QStringLiteral("--yunet-model"), missing + QStringLiteral("/yunet.onnx")}
        << missing + QStringLiteral("/yunet.onnx: YuNet model file not found");
    QTest::newRow("import-fec: bad CSV line")
        << QStringList{p, QStringLiteral("import-fec"), empty, badCsv, QStringLiteral("--images"), yale} << badCsv + QStringLiteral(":2: ");
    QTest::newRow("import-fec: missing images folder")
        << QStringList{p, QStringLiteral("import-fec"), empty, badCsv, QStringLiteral("--images"), missing} << missing;
    QTest::newRow("unknown subcommand") << QStringList{p, QStringLiteral("frobnicate"), empty} << QStringLiteral("frobnicate");
}

void TestCliProject::badInput()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, named);
    const Run run = freeavatar(arguments);
    QVERIFY2(run.exitCode == 2, qPrintable(QStringLiteral("exit %1: %2").arg(run.exitCode).arg(run.err)));
    QVERIFY2(run.err.contains(named), qPrintable(run.err));
    if (!named.startsWith(QLatin1String("frobnicate"))) // an unknown subcommand also prints the usage
        QVERIFY2(run.err.trimmed().count(QLatin1Char('\n')) == 0, qPrintable(run.err));
}

QTEST_GUILESS_MAIN(TestCliProject)
#include "test_cli_project.moc"
