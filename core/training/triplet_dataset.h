#pragma once

#include "dataset/triplet_type.h"
#include "training/face_crop_dataset.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace fa {

/// One expression-comparison triplet (REFERENCE.md section 3): anchor and positive are the
/// similar pair, the negative the odd one out; indices into TripletDataset::images().
struct TripletItem
{
    std::array<qsizetype, 3> faces{}; ///< anchor, positive, negative
    TripletType type = TripletType::OneClass;
    int line = 0; ///< 1-based CSV line it came from; 0 otherwise
};

/// What a triplet loader read and left out.
struct TripletLoadReport
{
    int rows = 0;                     ///< triplets / CSV rows read
    int withoutMajority = 0;          ///< skipped: no strict majority of the annotators' choices
    int withoutJudgments = 0;         ///< project triplets nobody judged (skipped)
};

/// Triplets over an owned table of face images (a FaceCropDataset; each image once, however
/// many triplets use it). Cheap to copy, read-only once built, safe to read from several
/// threads.
///
/// Loaders (nullopt with one line in `error` on failure):
/// - fromProject: the rows the reference CSV export writes (fa::referenceRows): triplets whose
///   standing judgments have a strict majority (>= 2 votes, more than half); the chosen (odd)
///   face is the negative, the other two anchor and positive in position order; the triplet's
///   type. Images: the project's stored crops.
/// - fromReferenceCsv: the reference trainer's 4-column CSV (anchor,positive,negative,type;
///   ReferenceTripletCsv), image paths relative to `imageDir` (absolute paths used as they
///   are). Every image must exist: "CSV:LINE: anchor image FILE does not exist".
/// - fromFecCsv: Google FEC's 28-column CSV (FecTripletCsv). A URL with a scheme (http://...)
///   names the file `imageDir/<file name of the URL path>`; anything else is a path relative to
///   `imageDir`. Each face is the image cut to its box columns (fractions of width/height). The
///   negative is the strict-majority choice of the annotators (count >= 2 and more than half);
///   rows without one are skipped and counted. Missing images are errors naming the line.
/// - fromCategories: TWO_CLASS triplets made from category and identity labels (the Yale eval
///   set, see below).
/// - fromPath: a project folder, or a CSV file told apart by its header (reference CSV when the
///   first line is "anchor,positive,negative,type", FEC otherwise) with images relative to the
///   CSV's folder.
class TripletDataset
{
public:
    TripletDataset() = default;
    TripletDataset(FaceCropDataset images, std::vector<TripletItem> triplets);

    static std::optional<TripletDataset> fromProject(const QString &projectDir, TripletLoadReport *report = nullptr,
                                                     QString *error = nullptr);
    static std::optional<TripletDataset> fromReferenceCsv(const QString &csvPath, const QString &imageDir,
                                                          TripletLoadReport *report = nullptr, QString *error = nullptr);
    static std::optional<TripletDataset> fromFecCsv(const QString &csvPath, const QString &imageDir,
                                                    TripletLoadReport *report = nullptr, QString *error = nullptr);
    static std::optional<TripletDataset> fromPath(const QString &path, TripletLoadReport *report = nullptr,
                                                  QString *error = nullptr);

    /// `count` TWO_CLASS triplets from the faces of `faces` that have both a category and an
    /// identity: anchor and positive share a category and come from DIFFERENT identities, the
    /// negative has another category (any identity). Each triplet: a category chosen uniformly
    /// among those with faces of at least two identities, the anchor uniformly among its faces,
    /// the positive uniformly among its faces of other identities, the negative uniformly among
    /// the faces of other categories; a triplet drawn before is redrawn (up to 100 times, then
    /// kept) so that small sets still give `count` triplets. Deterministic for `seed` (portable
    /// draws, deterministic_random.h). Errors: fewer than 2 categories, fewer than 2 identities,
    /// no category with two identities, count < 1.
    static std::optional<TripletDataset> fromCategories(const FaceCropDataset &faces, qsizetype count,
                                                        std::uint64_t seed, QString *error = nullptr);

    qsizetype size() const { return qsizetype(m_triplets.size()); }
    bool isEmpty() const { return m_triplets.empty(); }
    const TripletItem &triplet(qsizetype index) const { return m_triplets[size_t(index)]; }
    const std::vector<TripletItem> &triplets() const { return m_triplets; }
    const FaceCropDataset &images() const { return m_images; }

    /// Triplets per type.
    std::map<TripletType, qsizetype> countByType() const;

    /// SHA-256 (64 hex digits) over the image table's fingerprint and every triplet's three
    /// indices and type, in order.
    QByteArray fingerprint() const;

private:
    FaceCropDataset m_images;
    std::vector<TripletItem> m_triplets;
};

} // namespace fa
