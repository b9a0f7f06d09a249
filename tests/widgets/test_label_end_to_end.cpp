// The annotator's workspace end to end, under xvfb-run, on real input: a project made from the
// Yale faces and a shared video through FaceImporter, triplets sampled, three annotators labelling
// with key presses (skip, undo and relabel included), the project closed and reopened, both CSV
// exports compared with the rows expected from the answers given.

#include "dataset/fec_triplet_csv.h"
#include "label/labelling_view.h"
#include "project/labelling_session.h"
#include "project/project.h"
#include "project/triplet_sampler.h"
#include "projectio/face_importer.h"
#include "projectio/project_exporter.h"
#include "test_files.h"

#include <QtTest>

#include <map>

using fa::ui::LabellingView;

class TestLabelEndToEnd : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void importLabelReopenExport();

private:
    /// Labels `count` triplets in a fresh view, answering each with answer(tripletId).
    void label(fa::Project &project, const QString &annotator, int count,
               const std::function<int(qint64)> &answer, std::map<qint64, int> *given);
};

namespace {

bool waitPainted(const LabellingView &view)
{
    return QTest::qWaitFor([&] { return view.currentTripletId() > 0
                                        && view.paintedTripletId() == view.currentTripletId(); }, 10000);
}

} // namespace

void TestLabelEndToEnd::label(fa::Project &project, const QString &annotator, int count,
                              const std::function<int(qint64)> &answer, std::map<qint64, int> *given)
{
    LabellingView view;
    view.resize(1366, 768);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QString error;
    QVERIFY2(view.start(&project, annotator, &error), qPrintable(error));
    for (int i = 0; i < count; ++i) {
        QVERIFY(waitPainted(view));
        const qint64 id = view.currentTripletId();
        if (i == 3) { // answer wrongly, undo, then answer again
            QTest::keyClick(&view, Qt::Key_1 + (answer(id) % 3));
            QVERIFY(waitPainted(view));
            QVERIFY(view.currentTripletId() != id);
            QTest::keyClick(&view, Qt::Key_Backspace);
            QVERIFY(waitPainted(view));
            QCOMPARE(view.currentTripletId(), id);
        }
        if (i == 5) { // skip one: it is not counted and not served again
            QTest::keyClick(&view, Qt::Key_S);
            QVERIFY(waitPainted(view));
            QVERIFY(view.currentTripletId() != id);
            continue;
        }
        QTest::keyClick(&view, Qt::Key_0 + answer(id));
        (*given)[id] = answer(id);
    }
    view.stop();
}

void TestLabelEndToEnd::importLabelReopenExport()
{
    const QString dir = fa::test::outputDir() + QStringLiteral("/e2e");
    QDir(dir).removeRecursively();
    QString error;
    std::map<QString, std::map<qint64, int>> answers; // annotator -> triplet -> choice
    {
        std::unique_ptr<fa::Project> project = fa::Project::create(dir, &error);
        QVERIFY2(project, qPrintable(error));
        const auto report = fa::FaceImporter().run(
            *project, {fa::test::dataPath(QStringLiteral("images/yale_faces")),
                       fa::test::dataPath(QStringLiteral("videos/liveportrait_d3.mp4"))}, {}, nullptr, &error);
        QVERIFY2(report, qPrintable(error));
        QVERIFY2(report->problems.isEmpty(), qPrintable(report->problems.join(QLatin1Char('\n'))));
        QCOMPARE(report->filesImported, 90);
        QVERIFY(report->facesAdded >= 89 + 25); // 89 Yale faces, 32 from d3 (measured)
        fa::TripletSampler::Options sampling;
        sampling.count = 30;
        sampling.seed = 2024;
        QVERIFY2(fa::TripletSampler::sample(*project, sampling, &error), qPrintable(error));

        // ann and bob agree (odd face from the id), cy differs on every third triplet.
        auto agreed = [](qint64 id) { return int(1 + id % 3); };
        auto cy = [&](qint64 id) { return id % 3 == 0 ? int(1 + (id + 1) % 3) : agreed(id); };
        label(*project, QStringLiteral("ann"), 20, agreed, &answers[QStringLiteral("ann")]);
        label(*project, QStringLiteral("bob"), 20, agreed, &answers[QStringLiteral("bob")]);
        label(*project, QStringLiteral("cy"), 20, cy, &answers[QStringLiteral("cy")]);
    }
    // Reopen: every answer is there, the undone ones retracted, the skips recorded as 0.
    std::unique_ptr<fa::Project> project = fa::Project::open(dir, &error);
    QVERIFY2(project, qPrintable(error));
    std::map<QString, std::map<qint64, int>> stored;
    int skips = 0;
    for (const fa::JudgmentRecord &j : project->judgments().all()) {
        if (j.isSkip())
            ++skips;
        else
            stored[j.annotator][j.tripletId] = j.choice;
    }
    QCOMPARE(stored, answers);
    QCOMPARE(skips, 3);
    QCOMPARE(int(project->judgments().all(true).size()), 3 * 20 + 3); // + 3 retracted

    // Expected rows: a triplet is exported when a strict majority of its votes agree.
    std::map<qint64, fa::TripletRecord> triplets;
    for (const fa::TripletRecord &t : project->triplets().all())
        triplets[t.id] = t;
    std::map<qint64, QString> cropOf;
    for (const fa::FaceRecord &f : project->faces().faces())
        cropOf[f.id] = f.cropPath;
    std::map<qint64, std::array<int, 3>> votes;
    for (const auto &[annotator, byTriplet] : answers)
        for (const auto &[id, choice] : byTriplet)
            ++votes[id][size_t(choice - 1)];
    QByteArray expectedReference = "anchor,positive,negative,type\r\n";
    int expectedRows = 0;
    for (const auto &[id, counts] : votes) {
        const int total = counts[0] + counts[1] + counts[2];
        for (int c = 0; c < 3; ++c) {
            if (counts[size_t(c)] >= 2 && 2 * counts[size_t(c)] > total) {
                const auto &faces = triplets[id].faceIds;
                // The odd face is the negative; the other two, in screen order, anchor and positive.
                const int first = c == 0 ? 1 : 0, second = c == 2 ? 1 : 2;
                expectedReference += (cropOf[faces[size_t(first)]] + QLatin1Char(',') + cropOf[faces[size_t(second)]]
                                      + QLatin1Char(',') + cropOf[faces[size_t(c)]] + QLatin1Char(',')
                                      + fa::tripletTypeName(triplets[id].type) + QStringLiteral("\r\n")).toUtf8();
                ++expectedRows;
            }
        }
    }
    QVERIFY(expectedRows >= 10);
    const QString referencePath = dir + QStringLiteral("/reference.csv");
    QVERIFY2(fa::ProjectExporter::exportReferenceCsv(*project, referencePath, &error), qPrintable(error));
    QCOMPARE(fa::test::readFile(referencePath), expectedReference);

    const QString fecPath = dir + QStringLiteral("/fec.csv");
    QVERIFY2(fa::ProjectExporter::exportFecCsv(*project, fecPath, &error), qPrintable(error));
    const auto rows = fa::FecTripletCsv::readFile(fecPath, &error);
    QVERIFY2(rows, qPrintable(error));
    QCOMPARE(int(rows->size()), int(votes.size()));
    std::map<qint64, int> rowOfTriplet;
    for (const fa::FecTripletRow &row : *rows) {
        // Find the triplet by its three crop URLs.
        qint64 id = 0;
        for (const auto &[tid, t] : triplets)
            if (cropOf[t.faceIds[0]] == row.faces[0].url && cropOf[t.faceIds[1]] == row.faces[1].url
                && cropOf[t.faceIds[2]] == row.faces[2].url)
                id = tid;
        QVERIFY2(id > 0, qPrintable(row.faces[0].url));
        QCOMPARE(row.type, triplets[id].type);
        std::map<QString, int> pairs;
        for (const fa::FecAnnotation &a : row.annotations)
            pairs[a.annotatorId] = a.choice;
        std::map<QString, int> expected;
        for (const auto &[annotator, byTriplet] : answers)
            if (byTriplet.count(id))
                expected[annotator] = byTriplet.at(id);
        QCOMPARE(pairs, expected);
        for (const fa::FecFace &face : row.faces)
            QVERIFY(face.left >= 0 && face.left < face.right && face.right <= 1 && face.top < face.bottom);
    }
}

QTEST_MAIN(TestLabelEndToEnd)
#include "test_label_end_to_end.moc"
