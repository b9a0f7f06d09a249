// TripletSampler on real Yale crops: distinct faces, no repeats, types from categories,
// balance across sources, distinct identities, gold triplets with their known answers,
// uncertainty sampling on hand-set embeddings, determinism from a seed, errors.

#include "project/project.h"
#include "project/triplet_sampler.h"
#include "project_fixture.h"

#include <QTest>

#include <cmath>
#include <map>
#include <set>

using namespace fa;

class TestTripletSampler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void randomTriplets();
    void balancedAcrossSources();
    void goldTriplets();
    void goldNeedsCategories();
    void uncertaintySampling();
    void sameSeedSameTriplets();
    void tooFewFaces();

private:
    QString m_error;
};

void TestTripletSampler::randomTriplets()
{
    std::unique_ptr<Project> project = test::yaleProject(test::freshDir(QStringLiteral("random")), 89, &m_error);
    QVERIFY2(project, qPrintable(m_error));
    std::map<qint64, FaceRecord> faces;
    for (const FaceRecord &f : project->faces().faces())
        faces[f.id] = f;
    TripletSampler::Options options;
    options.count = 200;
    options.seed = 11;
    QVERIFY2(TripletSampler::sample(*project, options, &m_error), qPrintable(m_error));
    QVERIFY2(TripletSampler::sample(*project, options, &m_error), qPrintable(m_error));
    const std::vector<TripletRecord> triplets = project->triplets().all();
    QCOMPARE(int(triplets.size()), 400);
    std::set<std::array<qint64, 3>> keys;
    int distinctIdentities = 0;
    std::map<TripletType, int> types;
    for (const TripletRecord &t : triplets) {
        std::array<qint64, 3> key = t.faceIds;
        std::sort(key.begin(), key.end());
        QVERIFY(key[0] != key[1] && key[1] != key[2]);
        QVERIFY(keys.insert(key).second); // no triplet twice, even across calls
        const FaceRecord &a = faces[t.faceIds[0]], &b = faces[t.faceIds[1]], &c = faces[t.faceIds[2]];
        QCOMPARE(t.type, tripletTypeFromCategories(a.category, b.category, c.category));
        QCOMPARE(t.origin, TripletRecord::Origin::Random);
        distinctIdentities += a.identity != b.identity && a.identity != c.identity && b.identity != c.identity;
        ++types[t.type];
    }
    // 15 people: with 16 tries nearly every triplet gets three different people.
    QVERIFY2(distinctIdentities >= 396, qPrintable(QString::number(distinctIdentities)));
    // Six categories: all three types occur (P(three differ) = 5/9 * 4/6 ~ 0.56).
    QVERIFY(types[TripletType::ThreeClass] > 150);
    QVERIFY(types[TripletType::TwoClass] > 100);
    QVERIFY(types[TripletType::OneClass] > 0);
}

void TestTripletSampler::balancedAcrossSources()
{
    // 30 single-image sources, plus 60 more faces all from the first source (as a video would
    // give): each source should get about 1/30 of the draws, not 61/90 for the first.
    std::unique_ptr<Project> project = test::yaleProject(test::freshDir(QStringLiteral("balance")), 30, &m_error);
    QVERIFY2(project, qPrintable(m_error));
    const FaceRecord first = project->faces().faces().front();
    const QByteArray crop = test::readFile(project->absolutePath(first.cropPath));
    for (int i = 0; i < 60; ++i) {
        FaceRecord extra = first;
        extra.frameIndex = i + 1;
        QVERIFY(project->faces().addFace(extra, crop, QStringLiteral("png"), &m_error));
    }
    TripletSampler::Options options;
    options.count = 300;
    options.seed = 5;
    QVERIFY2(TripletSampler::sample(*project, options, &m_error), qPrintable(m_error));
    std::map<qint64, qint64> sourceOf;
    for (const FaceRecord &f : project->faces().faces())
        sourceOf[f.id] = f.sourceId;
    int fromFirst = 0, slots = 0;
    for (const TripletRecord &t : project->triplets().all()) {
        for (qint64 id : t.faceIds) {
            fromFirst += sourceOf[id] == first.sourceId;
            ++slots;
        }
    }
    const double share = double(fromFirst) / slots;
    QVERIFY2(share > 0.015 && share < 0.07, qPrintable(QString::number(share)));
}

void TestTripletSampler::goldTriplets()
{
    std::unique_ptr<Project> project = test::yaleProject(test::freshDir(QStringLiteral("gold")), 30, &m_error);
    QVERIFY2(project, qPrintable(m_error));
    std::map<qint64, FaceRecord> faces;
    for (const FaceRecord &f : project->faces().faces())
        faces[f.id] = f;
    TripletSampler::Options options;
    options.count = 40;
    options.goldRate = 0.25;
    options.seed = 3;
    const auto added = TripletSampler::sample(*project, options, &m_error);
    QVERIFY2(added, qPrintable(m_error));
    QCOMPARE(int(added->size()), 40);
    const std::map<qint64, int> gold = project->triplets().goldAnswers();
    QCOMPARE(int(gold.size()), 10);
    int goldSeen = 0, firstGoldIndex = -1;
    for (size_t i = 0; i < added->size(); ++i) {
        const TripletRecord &t = (*added)[i];
        const auto answer = gold.find(t.id);
        QCOMPARE(answer != gold.end(), t.origin == TripletRecord::Origin::Gold);
        if (answer == gold.end())
            continue;
        if (firstGoldIndex < 0)
            firstGoldIndex = int(i);
        ++goldSeen;
        QCOMPARE(t.type, TripletType::TwoClass);
        const int odd = answer->second - 1;
        const QString oddCategory = faces[t.faceIds[size_t(odd)]].category;
        const QString a = faces[t.faceIds[size_t((odd + 1) % 3)]].category;
        const QString b = faces[t.faceIds[size_t((odd + 2) % 3)]].category;
        QCOMPARE(a, b);
        QVERIFY(oddCategory != a);
    }
    QCOMPARE(goldSeen, 10);
    QVERIFY(firstGoldIndex < 30); // mixed in, not appended at the end
}

void TestTripletSampler::goldNeedsCategories()
{
    std::unique_ptr<Project> project = test::yaleProject(test::freshDir(QStringLiteral("nogold")), 6, &m_error);
    QVERIFY2(project, qPrintable(m_error));
    QVERIFY(project->connection().exec(QStringLiteral("UPDATE faces SET category = NULL")));
    TripletSampler::Options options;
    options.count = 4;
    options.goldRate = 0.5;
    QVERIFY(!TripletSampler::sample(*project, options, &m_error));
    QVERIFY2(m_error.contains(QLatin1String("emotion categories")), qPrintable(m_error));
    QCOMPARE(project->triplets().count(), 0);
    options.goldRate = 0;
    const auto added = TripletSampler::sample(*project, options, &m_error);
    QVERIFY2(added, qPrintable(m_error));
    for (const TripletRecord &t : *added)
        QCOMPARE(t.type, kUnknownCategoryTripletType);
}

void TestTripletSampler::uncertaintySampling()
{
    std::unique_ptr<Project> project = test::yaleProject(test::freshDir(QStringLiteral("uncertain")), 24, &m_error);
    QVERIFY2(project, qPrintable(m_error));
    TripletSampler::Options options;
    options.count = 10;
    options.strategy = TripletSampler::Strategy::Uncertainty;
    QVERIFY(!TripletSampler::sample(*project, options, &m_error));
    QVERIFY2(m_error.contains(QLatin1String("embeddings")), qPrintable(m_error));
    // Embeddings on a circle: the angle decides distances, so margins vary widely.
    const std::vector<FaceRecord> faces = project->faces().faces();
    std::map<qint64, std::vector<float>> embedding;
    for (size_t i = 0; i < faces.size(); ++i) {
        const double angle = 0.9 * double(i * i % 17);
        embedding[faces[i].id] = {float(std::cos(angle)), float(std::sin(angle))};
        QVERIFY(project->faces().setEmbedding(faces[i].id, embedding[faces[i].id], &m_error));
    }
    auto margin = [&](const TripletRecord &t) {
        auto d = [&](int i, int j) {
            const auto &a = embedding[t.faceIds[size_t(i)]], &b = embedding[t.faceIds[size_t(j)]];
            return std::hypot(double(a[0] - b[0]), double(a[1] - b[1]));
        };
        std::array<double, 3> s{d(0, 1), d(0, 2), d(1, 2)};
        std::sort(s.begin(), s.end());
        return s[1] - s[0];
    };
    options.seed = 9;
    const auto uncertain = TripletSampler::sample(*project, options, &m_error);
    QVERIFY2(uncertain, qPrintable(m_error));
    options.strategy = TripletSampler::Strategy::Random;
    const auto random = TripletSampler::sample(*project, options, &m_error);
    QVERIFY2(random, qPrintable(m_error));
    double meanUncertain = 0, meanRandom = 0;
    for (const TripletRecord &t : *uncertain) {
        QCOMPARE(t.origin, TripletRecord::Origin::Uncertainty);
        meanUncertain += margin(t) / 10;
    }
    for (const TripletRecord &t : *random)
        meanRandom += margin(t) / 10;
    QVERIFY2(meanUncertain < 0.25 * meanRandom,
             qPrintable(QStringLiteral("%1 vs %2").arg(meanUncertain).arg(meanRandom)));
}

void TestTripletSampler::sameSeedSameTriplets()
{
    std::vector<std::array<qint64, 3>> runs[2];
    for (int run = 0; run < 2; ++run) {
        std::unique_ptr<Project> project =
            test::yaleProject(test::freshDir(QStringLiteral("seed%1").arg(run)), 20, &m_error);
        QVERIFY2(project, qPrintable(m_error));
        TripletSampler::Options options;
        options.count = 15;
        options.goldRate = 0.2;
        options.seed = 42;
        const auto added = TripletSampler::sample(*project, options, &m_error);
        QVERIFY2(added, qPrintable(m_error));
        for (const TripletRecord &t : *added)
            runs[run].push_back(t.faceIds);
    }
    QCOMPARE(runs[0], runs[1]);
}

void TestTripletSampler::tooFewFaces()
{
    std::unique_ptr<Project> project = test::yaleProject(test::freshDir(QStringLiteral("few")), 2, &m_error);
    QVERIFY2(project, qPrintable(m_error));
    TripletSampler::Options options;
    QVERIFY(!TripletSampler::sample(*project, options, &m_error));
    QVERIFY2(m_error.contains(QLatin1String("at least 3 faces")), qPrintable(m_error));
    options.count = 0;
    QVERIFY(!TripletSampler::sample(*project, options, &m_error));
}

QTEST_GUILESS_MAIN(TestTripletSampler)
#include "test_triplet_sampler.moc"
