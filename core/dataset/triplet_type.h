#pragma once

#include <QString>

#include <optional>

namespace fa {

/// The kind of an expression-comparison triplet, from the emotion categories of its three
/// faces (Google FEC, arXiv 1811.11283; REFERENCE.md section 3). The type sets the triplet
/// loss margin: 0.1 for OneClass, 0.2 for TwoClass and ThreeClass (REFERENCE.md section 2).
enum class TripletType {
    OneClass,   ///< all three faces share a category ("ONE_CLASS_TRIPLET")
    TwoClass,   ///< exactly two share one ("TWO_CLASS_TRIPLET")
    ThreeClass, ///< all three differ ("THREE_CLASS_TRIPLET")
};

/// The type used when a face's category is unknown: OneClass. Faces from one actor's video or
/// an unlabelled folder are mostly fine-grained differences within a category, and OneClass
/// has the smaller margin (0.1), the weaker claim about how far apart the faces are.
constexpr TripletType kUnknownCategoryTripletType = TripletType::OneClass;

/// "ONE_CLASS_TRIPLET", "TWO_CLASS_TRIPLET" or "THREE_CLASS_TRIPLET" (FEC's spelling).
QString tripletTypeName(TripletType type);

/// Parses FEC's spelling; also accepts the short forms "one", "two", "three" in any case.
/// nullopt for anything else.
std::optional<TripletType> tripletTypeFromName(const QString &name);

/// The type of three faces from their categories (compared case-insensitively). When any
/// category is empty (unknown), kUnknownCategoryTripletType.
TripletType tripletTypeFromCategories(const QString &a, const QString &b, const QString &c);

/// The triplet loss margin of a type (REFERENCE.md section 2): 0.1 or 0.2.
double tripletMargin(TripletType type);

} // namespace fa
