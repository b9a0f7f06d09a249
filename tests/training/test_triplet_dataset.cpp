// TripletDataset on real data: category triplets from the Yale faces, the reference CSV and FEC
// CSV written here pointing at Yale images, and a judged project.
#include "../projectio/judged_project.h"
#include "dataset/fec_triplet_csv.h"
#include "dataset/reference_triplet_csv.h"
#include "test_files.h"
#include "training/triplet_dataset.h"

#include <QtTest>

#include <set>

using fa::FaceCropDataset;
using fa::TripletDataset;
using fa::TripletLoadReport;
using fa::TripletType;
using fa::test::dataPath;
using fa::test::outputDir;

namespace {

QString yaleDir()
{
    return dataPath(QStringLiteral("images/yale_faces"));
}

/// The Yale images used as they are (labels from the file names), without face detection.
FaceCropDataset yaleImages(const QString &pattern = QStringLiteral("*.png"))
{
    const QDir dir(yaleDir());
    QStringList files;
    for (const QString &name : dir.entryList({pattern}, QDir::Files, QDir::Name))
        files << dir.absoluteFilePath(name);
    return FaceCropDataset::fromImageFiles(files);
}

QString fileName(const TripletDataset &set, qsizetype triplet, int role)
{
    return QFileInfo(set.images().item(set.triplet(triplet).faces[size_t(role)]).path).fileName();
}

} // namespace

class TestTripletDataset : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fromCategories();
    void fromCategoriesErrors_data();
    void fromCategoriesErrors();
    void fromReferenceCsv();
    void referenceCsvMissingImage();
    void fromFecCsv();
    void fecCsvMissingImage();
    void fromProject();
    void fromPathDispatches();
};

// TWO_CLASS triplets for evaluation: anchor and positive share a category across different
// people, the negative has another category.
void TestTripletDataset::fromCategories()
{
    const FaceCropDataset yale = yaleImages();
    QCOMPARE(yale.size(), 89);
    QString error;
    const std::optional<TripletDataset> set = TripletDataset::fromCategories(yale, 500, 7, &error);
    QVERIFY2(set, qPrintable(error));
    QCOMPARE(set->size(), 500);
    QCOMPARE(set->images().fingerprint(), yale.fingerprint());
    std::set<std::array<qsizetype, 3>> distinct;
    std::set<QString> anchorCategories, negativeCategories;
    for (const fa::TripletItem &t : set->triplets()) {
        QCOMPARE(t.type, TripletType::TwoClass);
        const fa::FaceCropItem &a = yale.item(t.faces[0]), &p = yale.item(t.faces[1]), &n = yale.item(t.faces[2]);
        QCOMPARE(a.category, p.category);
        QVERIFY(a.identity != p.identity);
        QVERIFY(n.category != a.category);
        QVERIFY(!a.category.isEmpty() && !n.category.isEmpty());
        distinct.insert(t.faces);
        anchorCategories.insert(a.category);
        negativeCategories.insert(n.category);
    }
    QCOMPARE(int(distinct.size()), 500); // far fewer than the possible triplets: no repeats
    QCOMPARE(int(anchorCategories.size()), 6);
    QCOMPARE(int(negativeCategories.size()), 6);
    QCOMPARE(set->countByType().at(TripletType::TwoClass), 500);
    // Deterministic from the seed; another seed gives another set.
    const std::optional<TripletDataset> again = TripletDataset::fromCategories(yale, 500, 7, &error);
    QVERIFY(again);
    QCOMPARE(again->fingerprint(), set->fingerprint());
    for (qsizetype i = 0; i < 500; ++i)
        QCOMPARE(again->triplet(i).faces, set->triplet(i).faces);
    const std::optional<TripletDataset> other = TripletDataset::fromCategories(yale, 500, 8, &error);
    QVERIFY(other);
    QVERIFY(other->fingerprint() != set->fingerprint());
    int same = 0;
    for (qsizetype i = 0; i < 500; ++i)
        same += other->triplet(i).faces == set->triplet(i).faces;
    QVERIFY(same < 5);
    // A small set: all possible triplets are drawn before repeats.
    const FaceCropDataset small = yaleImages(QStringLiteral("subject0[12]_[hs][al]*.png")); // happy, sad, sleepy x 2
    const std::optional<TripletDataset> few = TripletDataset::fromCategories(small, 40, 1, &error);
    QVERIFY2(few, qPrintable(error));
    QCOMPARE(few->size(), 40);
}

void TestTripletDataset::fromCategoriesErrors_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("message");
    QTest::newRow("one category") << "*_happy.png" << 10 << "at least 2 emotion categories";
    QTest::newRow("one identity") << "subject01_*.png" << 10 << "at least 2 identities";
    QTest::newRow("no category with two people") << "subject0[1]_happy.png|subject02_sad.png" << 10
                                                << "two different identities";
    QTest::newRow("count 0") << "*.png" << 0 << "at least 1";
}

void TestTripletDataset::fromCategoriesErrors()
{
    QFETCH(QString, pattern);
    QFETCH(int, count);
    QFETCH(QString, message);
    FaceCropDataset faces;
    for (const QString &part : pattern.split(QLatin1Char('|')))
        faces.append(yaleImages(part));
    QVERIFY(!faces.isEmpty());
    QString error;
    QVERIFY(!TripletDataset::fromCategories(faces, count, 1, &error));
    QVERIFY2(error.contains(message), qPrintable(error));
}

void TestTripletDataset::fromReferenceCsv()
{
    const QString csv = outputDir() + QStringLiteral("/reference.csv");
    std::vector<fa::ReferenceTripletRow> rows(3);
    rows[0] = {QStringLiteral("subject01_happy.png"), QStringLiteral("subject02_happy.png"),
               QStringLiteral("subject01_sad.png"), TripletType::TwoClass, 0};
    rows[1] = {QStringLiteral("subject03_wink.png"), QStringLiteral("subject01_happy.png"),
               QStringLiteral("subject04_sleepy.png"), TripletType::ThreeClass, 0};
    rows[2] = {QStringLiteral("subject05_sad.png"), QStringLiteral("subject06_sad.png"),
               QStringLiteral("subject07_sad.png"), TripletType::OneClass, 0};
    QString error;
    QVERIFY2(fa::ReferenceTripletCsv::writeFile(csv, rows, &error), qPrintable(error));
    TripletLoadReport report;
    const std::optional<TripletDataset> set = TripletDataset::fromReferenceCsv(csv, yaleDir(), &report, &error);
    QVERIFY2(set, qPrintable(error));
    QCOMPARE(report.rows, 3);
    QCOMPARE(set->size(), 3);
    QCOMPARE(set->images().size(), 8); // subject01_happy is used twice, stored once
    QCOMPARE(fileName(*set, 0, 0), QStringLiteral("subject01_happy.png"));
    QCOMPARE(fileName(*set, 0, 1), QStringLiteral("subject02_happy.png"));
    QCOMPARE(fileName(*set, 0, 2), QStringLiteral("subject01_sad.png"));
    QCOMPARE(set->triplet(1).faces[1], set->triplet(0).faces[0]);
    QCOMPARE(set->triplet(0).type, TripletType::TwoClass);
    QCOMPARE(set->triplet(1).type, TripletType::ThreeClass);
    QCOMPARE(set->triplet(2).type, TripletType::OneClass);
    QCOMPARE(set->triplet(2).line, 4);
    for (qsizetype i = 0; i < set->images().size(); ++i) {
        const cv::Mat image = set->images().image(i, &error);
        QVERIFY2(!image.empty(), qPrintable(error));
        QCOMPARE(image.size(), cv::Size(320, 243)); // used as they are: no face detection
    }
    QCOMPARE(set->images().item(0).category, QStringLiteral("happy"));
    // Absolute paths are used as they are.
    rows[0].anchor = yaleDir() + QStringLiteral("/subject09_wink.png");
    QVERIFY(fa::ReferenceTripletCsv::writeFile(csv, rows, &error));
    const std::optional<TripletDataset> absolute = TripletDataset::fromReferenceCsv(csv, outputDir(), nullptr, &error);
    QVERIFY(!absolute); // the relative ones are not in outputDir()
    QVERIFY2(error.contains(QStringLiteral(":2: positive image ")), qPrintable(error));
    const std::optional<TripletDataset> mixed = TripletDataset::fromReferenceCsv(csv, yaleDir(), nullptr, &error);
    QVERIFY2(mixed, qPrintable(error));
    QCOMPARE(fileName(*mixed, 0, 0), QStringLiteral("subject09_wink.png"));
}

void TestTripletDataset::referenceCsvMissingImage()
{
    const QString csv = outputDir() + QStringLiteral("/reference-missing.csv");
    std::vector<fa::ReferenceTripletRow> rows(2);
    rows[0] = {QStringLiteral("subject01_happy.png"), QStringLiteral("subject02_happy.png"),
               QStringLiteral("subject01_sad.png"), TripletType::TwoClass, 0};
    rows[1] = {QStringLiteral("subject01_happy.png"), QStringLiteral("subject02_happy.png"),
               QStringLiteral("subject99_angry.png"), TripletType::TwoClass, 0};
    QString error;
    QVERIFY(fa::ReferenceTripletCsv::writeFile(csv, rows, &error));
    QVERIFY(!TripletDataset::fromReferenceCsv(csv, yaleDir(), nullptr, &error));
    QCOMPARE(error, QStringLiteral("%1:3: negative image %2/subject99_angry.png does not exist").arg(csv, yaleDir()));
    // A CSV that is not one.
    QVERIFY(fa::test::writeFile(csv, "a,b\n"));
    QVERIFY(!TripletDataset::fromReferenceCsv(csv, yaleDir(), nullptr, &error));
    QVERIFY(error.startsWith(csv));
}

// FEC rows: URLs (a web address names the downloaded file by its file name), face boxes, and the
// annotators' strict majority choosing the negative.
void TestTripletDataset::fromFecCsv()
{
    auto face = [](const QString &url, float l, float r, float t, float b) { return fa::FecFace{url, l, r, t, b}; };
    auto votes = [](std::initializer_list<int> choices) {
        std::vector<fa::FecAnnotation> a;
        int id = 0;
        for (int c : choices)
            a.push_back({QStringLiteral("rater%1").arg(++id), c});
        return a;
    };
    std::vector<fa::FecTripletRow> rows(4);
    rows[0].faces = {face(QStringLiteral("https://example.org/faces/subject01_happy.png"), 0.25f, 0.75f, 0.1f, 0.9f),
                     face(QStringLiteral("subject02_happy.png"), 0, 1, 0, 1),
                     face(QStringLiteral("subject03_sad.png"), 0.2f, 0.8f, 0.2f, 0.8f)};
    rows[0].type = TripletType::TwoClass;
    rows[0].annotations = votes({3, 3, 1});                 // majority 3
    rows[1].faces = rows[0].faces;
    rows[1].type = TripletType::OneClass;
    rows[1].annotations = votes({1, 2});                    // no majority
    rows[2].faces = {face(QStringLiteral("subject04_wink.png"), 0, 1, 0, 1),
                     face(QStringLiteral("subject05_sleepy.png"), 0, 1, 0, 1),
                     face(QStringLiteral("subject02_happy.png"), 0, 1, 0, 1)};
    rows[2].type = TripletType::ThreeClass;
    rows[2].annotations = votes({2, 2, 2, 2, 1, 3});        // majority 2
    rows[3].faces = rows[2].faces;
    rows[3].type = TripletType::ThreeClass;
    rows[3].annotations = votes({1, 1, 2, 2, 3, 3});        // tie
    const QString csv = outputDir() + QStringLiteral("/fec.csv");
    QString error;
    QVERIFY2(fa::FecTripletCsv::writeFile(csv, rows, &error), qPrintable(error));
    TripletLoadReport report;
    const std::optional<TripletDataset> set = TripletDataset::fromFecCsv(csv, yaleDir(), &report, &error);
    QVERIFY2(set, qPrintable(error));
    QCOMPARE(report.rows, 4);
    QCOMPARE(report.withoutMajority, 2);
    QCOMPARE(set->size(), 2);
    // Row 1: the odd face is the third; anchor and positive the first two in order.
    QCOMPARE(fileName(*set, 0, 0), QStringLiteral("subject01_happy.png"));
    QCOMPARE(fileName(*set, 0, 1), QStringLiteral("subject02_happy.png"));
    QCOMPARE(fileName(*set, 0, 2), QStringLiteral("subject03_sad.png"));
    QCOMPARE(set->triplet(0).type, TripletType::TwoClass);
    QCOMPARE(set->triplet(0).line, 1);
    // Row 3: the odd face is the second.
    QCOMPARE(fileName(*set, 1, 0), QStringLiteral("subject04_wink.png"));
    QCOMPARE(fileName(*set, 1, 1), QStringLiteral("subject02_happy.png"));
    QCOMPARE(fileName(*set, 1, 2), QStringLiteral("subject05_sleepy.png"));
    QCOMPARE(set->triplet(1).type, TripletType::ThreeClass);
    QCOMPARE(set->triplet(1).line, 3);
    // subject02_happy whole in both rows: one image.
    QCOMPARE(set->triplet(1).faces[1], set->triplet(0).faces[1]);
    // Boxes cut the image: 320 x 243, columns 0.25-0.75 -> 80..240, rows 0.1-0.9 -> 24..219.
    const cv::Mat cut = set->images().image(set->triplet(0).faces[0], &error);
    QVERIFY2(!cut.empty(), qPrintable(error));
    QCOMPARE(cut.size(), cv::Size(160, 195));
    const cv::Mat whole = cv::imread((yaleDir() + QStringLiteral("/subject01_happy.png")).toStdString());
    QCOMPARE(cv::norm(cut, whole(cv::Rect(80, 24, 160, 195)), cv::NORM_INF), 0.0);
    QCOMPARE(set->images().image(set->triplet(0).faces[1]).size(), cv::Size(320, 243));
    // The same file with another box is another image.
    QVERIFY(set->images().size() == 5);
}

void TestTripletDataset::fecCsvMissingImage()
{
    std::vector<fa::FecTripletRow> rows(1);
    rows[0].faces = {fa::FecFace{QStringLiteral("subject01_happy.png"), 0, 1, 0, 1},
                     fa::FecFace{QStringLiteral("http://example.org/gone.jpg"), 0, 1, 0, 1},
                     fa::FecFace{QStringLiteral("subject03_sad.png"), 0, 1, 0, 1}};
    rows[0].annotations = {{QStringLiteral("a"), 1}, {QStringLiteral("b"), 1}};
    const QString csv = outputDir() + QStringLiteral("/fec-missing.csv");
    QString error;
    QVERIFY(fa::FecTripletCsv::writeFile(csv, rows, &error));
    QVERIFY(!TripletDataset::fromFecCsv(csv, yaleDir(), nullptr, &error));
    QCOMPARE(error, QStringLiteral("%1:1: face 2 image %2/gone.jpg does not exist").arg(csv, yaleDir()));
}

// The judged project of tests/projectio (T1..T6): the rows of the reference export.
void TestTripletDataset::fromProject()
{
    fa::test::JudgedProject judged;
    QString error;
    QVERIFY2(fa::test::buildJudgedProject(outputDir() + QStringLiteral("/judged"), &judged, &error), qPrintable(error));
    const QString dir = judged.project->directory();
    TripletLoadReport report;
    const std::optional<TripletDataset> set = TripletDataset::fromProject(dir, &report, &error);
    QVERIFY2(set, qPrintable(error));
    // T1 (majority 3), T3 (2), T5 (1), T6 (2); T2 has no majority, T4 no judgment.
    QCOMPARE(set->size(), 4);
    QCOMPARE(report.rows, 4);
    QCOMPARE(report.withoutMajority, 1);
    QCOMPARE(report.withoutJudgments, 1);
    const std::vector<fa::TripletRecord> triplets = judged.project->triplets().all();
    auto faceId = [&](qsizetype triplet, int role) { return set->images().item(set->triplet(triplet).faces[size_t(role)]).faceId; };
    // T1 (f1, f2, f3), choice 3.
    QCOMPARE(faceId(0, 0), triplets[0].faceIds[0]);
    QCOMPARE(faceId(0, 1), triplets[0].faceIds[1]);
    QCOMPARE(faceId(0, 2), triplets[0].faceIds[2]);
    QCOMPARE(set->triplet(0).type, TripletType::TwoClass);
    // T3 (f5, f1, f4), choice 2: anchor f5, positive f4, negative f1.
    QCOMPARE(faceId(1, 0), triplets[2].faceIds[0]);
    QCOMPARE(faceId(1, 1), triplets[2].faceIds[2]);
    QCOMPARE(faceId(1, 2), triplets[2].faceIds[1]);
    QCOMPARE(set->triplet(1).type, TripletType::ThreeClass);
    // T6 (f2, f4, f5), choice 2.
    QCOMPARE(faceId(3, 2), triplets[5].faceIds[1]);
    // The five faces, each once, with their crops (JPEG and PNG) and labels.
    QCOMPARE(set->images().size(), 5);
    for (qsizetype i = 0; i < set->images().size(); ++i) {
        const cv::Mat image = set->images().image(i, &error);
        QVERIFY2(!image.empty(), qPrintable(error));
        QCOMPARE(image.size(), cv::Size(224, 224));
        const std::optional<fa::FaceRecord> record = judged.project->faces().face(set->images().item(i).faceId);
        QVERIFY(record);
        QCOMPARE(set->images().item(i).category, record->category);
    }
    QVERIFY(!TripletDataset::fromProject(outputDir() + QStringLiteral("/no-project"), nullptr, &error));
}

void TestTripletDataset::fromPathDispatches()
{
    // fromReferenceCsv() and fromFecCsv() above wrote these (run in declaration order); the
    // images are found beside the CSV: copy two Yale images there.
    const QString dir = outputDir() + QStringLiteral("/beside");
    QDir(dir).removeRecursively();
    QVERIFY(QDir().mkpath(dir));
    for (const char *name : {"subject01_happy.png", "subject02_happy.png", "subject03_sad.png"})
        QVERIFY(QFile::copy(yaleDir() + QLatin1Char('/') + QLatin1String(name), dir + QLatin1Char('/') + QLatin1String(name)));
    std::vector<fa::ReferenceTripletRow> rows = {{QStringLiteral("subject01_happy.png"), QStringLiteral("subject02_happy.png"),
                                                  QStringLiteral("subject03_sad.png"), TripletType::TwoClass, 0}};
    QString error;
    QVERIFY(fa::ReferenceTripletCsv::writeFile(dir + QStringLiteral("/ref.csv"), rows, &error));
    std::optional<TripletDataset> set = TripletDataset::fromPath(dir + QStringLiteral("/ref.csv"), nullptr, &error);
    QVERIFY2(set, qPrintable(error));
    QCOMPARE(set->size(), 1);
    std::vector<fa::FecTripletRow> fec(1);
    fec[0].faces = {fa::FecFace{QStringLiteral("subject01_happy.png"), 0, 1, 0, 1},
                    fa::FecFace{QStringLiteral("subject03_sad.png"), 0, 1, 0, 1},
                    fa::FecFace{QStringLiteral("subject02_happy.png"), 0, 1, 0, 1}};
    fec[0].annotations = {{QStringLiteral("a"), 2}, {QStringLiteral("b"), 2}};
    QVERIFY(fa::FecTripletCsv::writeFile(dir + QStringLiteral("/fec.csv"), fec, &error));
    set = TripletDataset::fromPath(dir + QStringLiteral("/fec.csv"), nullptr, &error);
    QVERIFY2(set, qPrintable(error));
    QCOMPARE(fileName(*set, 0, 2), QStringLiteral("subject03_sad.png"));
    fa::test::JudgedProject judged;
    QVERIFY(fa::test::buildJudgedProject(outputDir() + QStringLiteral("/judged2"), &judged, &error));
    set = TripletDataset::fromPath(judged.project->directory(), nullptr, &error);
    QVERIFY2(set, qPrintable(error));
    QCOMPARE(set->size(), 4);
    QVERIFY(!TripletDataset::fromPath(dir, nullptr, &error));
    QVERIFY(error.contains(QStringLiteral("not a project")));
}

QTEST_GUILESS_MAIN(TestTripletDataset)
#include "test_triplet_dataset.moc"
