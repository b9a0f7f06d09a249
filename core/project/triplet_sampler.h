#pragma once

#include "project/triplet_record.h"

#include <QString>

#include <optional>
#include <vector>

namespace fa {

class Project;

/// Draws new triplets from a project's faces and adds them to it.
///
/// Random strategy: each face is drawn by first picking a source uniformly (so a long video does
/// not crowd out single images), then a face of that source uniformly. The three faces are
/// distinct; among up to 16 draws the first whose three known identities all differ is kept
/// (identities unknown count as different), else the last draw. The type comes from the
/// faces' categories (tripletTypeFromCategories; unknown -> kUnknownCategoryTripletType).
/// A triplet already in the project (same three faces in any order) is not drawn again.
///
/// Gold triplets (goldRate > 0): round(count * goldRate) of the `count` triplets are built so
/// their answer is known from the categories: two faces of one category (different identities
/// where possible) and one face of another, in random positions; the gold answer is the
/// position of the face of the other category. They are TWO_CLASS_TRIPLETs with origin Gold.
/// Needs faces of at least two categories, two of them in one category.
///
/// Uncertainty strategy: needs face embeddings (FaceStore::setEmbedding, from an expression
/// encoder checkpoint). Draws candidatesPerTriplet random triplets per wanted triplet among
/// faces with embeddings and keeps the `count` the model is least sure of: with the three
/// pairwise Euclidean distances sorted d1 <= d2 <= d3, the model's answer is the face outside
/// the closest pair and its margin is d2 - d1; the smallest margins are kept.
class TripletSampler
{
public:
    enum class Strategy { Random, Uncertainty };

    struct Options
    {
        int count = 100;            ///< triplets to add (>= 1)
        double goldRate = 0;        ///< fraction of gold triplets, 0..1
        Strategy strategy = Strategy::Random;
        int candidatesPerTriplet = 20; ///< Uncertainty only
        quint64 seed = 0;           ///< 0 = seeded from std::random_device
    };

    /// Samples and adds the triplets (one transaction). Returns the added triplets with their
    /// ids, or nullopt with `error` ("PATH: what"): fewer than 3 faces, no categories for
    /// gold triplets, no embeddings for the uncertainty strategy, or a database error. May
    /// return fewer than `count` when the faces allow no more distinct triplets.
    static std::optional<std::vector<TripletRecord>> sample(Project &project, const Options &options,
                                                            QString *error);
};

} // namespace fa
