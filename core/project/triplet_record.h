#pragma once

#include "dataset/triplet_type.h"

#include <QString>

#include <array>

namespace fa {

/// Three faces shown together (table `triplets`). Positions 1, 2, 3 are the left, middle and
/// right crops on screen and the choices of judgments.
struct TripletRecord
{
    enum class Origin { Random, Gold, Uncertainty, Imported };

    qint64 id = 0;
    std::array<qint64, 3> faceIds{};
    TripletType type = kUnknownCategoryTripletType;
    Origin origin = Origin::Random;
    qint64 createdAtMs = 0;
};

QString tripletOriginName(TripletRecord::Origin origin); ///< "random", "gold", "uncertainty", "imported"
bool tripletOriginFromName(const QString &name, TripletRecord::Origin *origin);

} // namespace fa
