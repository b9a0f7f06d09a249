#include "project/triplet_sampler.h"

#include "project/project.h"

#include <QHash>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <random>
#include <set>

namespace fa {
namespace {

using Key = std::array<qint64, 3>;

Key sortedKey(const std::array<qint64, 3> &ids)
{
    Key key = ids;
    std::sort(key.begin(), key.end());
    return key;
}

bool identitiesDiffer(const FaceRecord &a, const FaceRecord &b)
{
    return a.identity.isEmpty() || b.identity.isEmpty() || a.identity != b.identity;
}

/// Faces grouped by source, for source-balanced draws.
class FacePool
{
public:
    FacePool(const std::vector<FaceRecord> &faces, std::mt19937_64 &rng) : m_faces(faces), m_rng(rng)
    {
        std::map<qint64, std::vector<size_t>> bySource;
        for (size_t i = 0; i < faces.size(); ++i)
            bySource[faces[i].sourceId].push_back(i);
        for (auto &entry : bySource)
            m_bySource.push_back(std::move(entry.second));
    }

    size_t draw()
    {
        const auto &group = m_bySource[pick(m_bySource.size())];
        return group[pick(group.size())];
    }

    /// Three distinct faces, preferring distinct identities (16 tries).
    std::array<size_t, 3> drawTriplet()
    {
        std::array<size_t, 3> best{};
        for (int attempt = 0; attempt < 16; ++attempt) {
            std::array<size_t, 3> t{draw(), draw(), draw()};
            int guard = 0;
            while ((t[1] == t[0]) && guard++ < 64)
                t[1] = draw();
            while ((t[2] == t[0] || t[2] == t[1]) && guard++ < 128)
                t[2] = draw();
            if (t[0] == t[1] || t[0] == t[2] || t[1] == t[2])
                continue;
            best = t;
            if (identitiesDiffer(m_faces[t[0]], m_faces[t[1]]) && identitiesDiffer(m_faces[t[0]], m_faces[t[2]])
                && identitiesDiffer(m_faces[t[1]], m_faces[t[2]]))
                break;
        }
        return best;
    }

    size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(m_rng); }

private:
    const std::vector<FaceRecord> &m_faces;
    std::mt19937_64 &m_rng;
    std::vector<std::vector<size_t>> m_bySource;
};

double distance(const std::vector<float> &a, const std::vector<float> &b)
{
    double sum = 0;
    for (size_t i = 0; i < a.size() && i < b.size(); ++i)
        sum += double(a[i] - b[i]) * double(a[i] - b[i]);
    return std::sqrt(sum);
}

/// d2 - d1 of the sorted pairwise distances: how sure the embedding is of the odd face.
double predictionMargin(const FaceRecord &a, const FaceRecord &b, const FaceRecord &c)
{
    std::array<double, 3> d{distance(a.embedding, b.embedding), distance(a.embedding, c.embedding),
                            distance(b.embedding, c.embedding)};
    std::sort(d.begin(), d.end());
    return d[1] - d[0];
}

/// Gold triplets: two faces of one category, one of another; returns false when impossible.
bool drawGold(const std::vector<FaceRecord> &faces, std::mt19937_64 &rng, TripletRecord *triplet, int *answer)
{
    std::map<QString, std::vector<size_t>> byCategory;
    for (size_t i = 0; i < faces.size(); ++i) {
        if (!faces[i].category.isEmpty())
            byCategory[faces[i].category].push_back(i);
    }
    std::vector<const std::vector<size_t> *> pairable, all;
    for (const auto &entry : byCategory) {
        all.push_back(&entry.second);
        if (entry.second.size() >= 2)
            pairable.push_back(&entry.second);
    }
    if (pairable.empty() || all.size() < 2)
        return false;
    auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
    const std::vector<size_t> &same = *pairable[pick(pairable.size())];
    const std::vector<size_t> *other = nullptr;
    do {
        other = all[pick(all.size())];
    } while (other == &same);
    const size_t a = same[pick(same.size())];
    size_t b = a;
    for (int attempt = 0; attempt < 32 && (b == a || !identitiesDiffer(faces[a], faces[b])); ++attempt)
        b = same[pick(same.size())];
    while (b == a)
        b = same[pick(same.size())];
    const size_t odd = (*other)[pick(other->size())];
    const int position = int(pick(3));
    std::array<size_t, 3> order{};
    order[size_t(position)] = odd;
    order[size_t((position + 1) % 3)] = a;
    order[size_t((position + 2) % 3)] = b;
    triplet->faceIds = {faces[order[0]].id, faces[order[1]].id, faces[order[2]].id};
    triplet->type = TripletType::TwoClass;
    triplet->origin = TripletRecord::Origin::Gold;
    *answer = position + 1;
    return true;
}

} // namespace

std::optional<std::vector<TripletRecord>> TripletSampler::sample(Project &project, const Options &options,
                                                                 QString *error)
{
    auto fail = [&](const QString &what) -> std::optional<std::vector<TripletRecord>> {
        if (error)
            *error = QStringLiteral("%1: %2").arg(project.directory(), what);
        return std::nullopt;
    };
    if (options.count < 1)
        return fail(QStringLiteral("the number of triplets must be at least 1"));
    if (options.goldRate < 0 || options.goldRate > 1)
        return fail(QStringLiteral("the gold rate must be between 0 and 1"));
    std::vector<FaceRecord> faces = project.faces().faces();
    if (options.strategy == Strategy::Uncertainty) {
        faces.erase(std::remove_if(faces.begin(), faces.end(), [](const FaceRecord &f) { return f.embedding.empty(); }),
                    faces.end());
        if (faces.size() < 3)
            return fail(QStringLiteral("uncertainty sampling needs expression embeddings of at least 3 faces "
                                       "(compute them with an expression encoder checkpoint first)"));
    }
    if (faces.size() < 3)
        return fail(QStringLiteral("at least 3 faces are needed, the project has %1").arg(faces.size()));

    std::mt19937_64 rng(options.seed ? options.seed : std::random_device{}());
    std::set<Key> existing;
    for (const TripletRecord &t : project.triplets().all())
        existing.insert(sortedKey(t.faceIds));

    const int goldCount = int(std::lround(options.count * options.goldRate));
    std::vector<TripletRecord> triplets;
    std::vector<int> goldChoices;
    for (int i = 0, misses = 0; i < goldCount && misses < 1000;) {
        TripletRecord t;
        int answer = 0;
        if (!drawGold(faces, rng, &t, &answer))
            return fail(QStringLiteral("gold triplets need faces with emotion categories (at least two "
                                       "categories, one with two faces); none are known here"));
        if (!existing.insert(sortedKey(t.faceIds)).second) {
            ++misses;
            continue;
        }
        triplets.push_back(t);
        goldChoices.push_back(answer);
        ++i;
    }

    FacePool pool(faces, rng);
    const int wanted = options.count - int(triplets.size());
    const int candidates = options.strategy == Strategy::Uncertainty
                               ? wanted * std::max(1, options.candidatesPerTriplet) : wanted;
    std::vector<std::pair<double, TripletRecord>> drawn;
    for (int misses = 0; int(drawn.size()) < candidates && misses < 1000 + 10 * candidates;) {
        const std::array<size_t, 3> f = pool.drawTriplet();
        if (f[0] == f[1]) { // no distinct triple found
            ++misses;
            continue;
        }
        TripletRecord t;
        t.faceIds = {faces[f[0]].id, faces[f[1]].id, faces[f[2]].id};
        if (!existing.insert(sortedKey(t.faceIds)).second) {
            ++misses;
            continue;
        }
        t.type = tripletTypeFromCategories(faces[f[0]].category, faces[f[1]].category, faces[f[2]].category);
        t.origin = options.strategy == Strategy::Uncertainty ? TripletRecord::Origin::Uncertainty
                                                             : TripletRecord::Origin::Random;
        const double margin = options.strategy == Strategy::Uncertainty
                                  ? predictionMargin(faces[f[0]], faces[f[1]], faces[f[2]]) : 0;
        drawn.emplace_back(margin, t);
    }
    std::stable_sort(drawn.begin(), drawn.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    for (int i = 0; i < wanted && i < int(drawn.size()); ++i) {
        triplets.push_back(drawn[size_t(i)].second);
        goldChoices.push_back(0);
    }
    // Gold triplets are mixed in at random positions, so annotators cannot spot them by order.
    std::vector<size_t> order(triplets.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<TripletRecord> shuffled;
    std::vector<int> shuffledGold;
    for (size_t i : order) {
        shuffled.push_back(triplets[i]);
        shuffledGold.push_back(goldChoices[i]);
    }
    if (!project.triplets().add(shuffled, error, shuffledGold))
        return std::nullopt;
    return shuffled;
}

} // namespace fa
