#pragma once

#include "dataset/triplet_type.h"

#include <QByteArray>
#include <QString>

#include <array>
#include <optional>
#include <vector>

namespace fa {

/// One face of a FEC triplet: the image and the face box in it, normalised to [0,1] by the
/// image width (left, right) and height (top, bottom); left < right, top < bottom.
struct FecFace
{
    QString url;
    float left = 0;
    float right = 1;
    float top = 0;
    float bottom = 1;
};

/// One annotator's answer: the odd face, 1..3 (the order of FecTripletRow::faces).
struct FecAnnotation
{
    QString annotatorId;
    int choice = 0;
};

struct FecTripletRow
{
    std::array<FecFace, 3> faces;
    TripletType type = TripletType::OneClass;
    std::vector<FecAnnotation> annotations; ///< 0..6, in file order
    int line = 0; ///< 1-based line in the data it was parsed from; 0 for rows made in memory
};

/// Google's Facial Expression Comparison dataset CSV (Vemulapalli & Agarwala, "A Compact
/// Embedding for Facial Expression Similarity", CVPR 2019, arXiv 1811.11283; REFERENCE.md
/// section 3). No header; 28 columns per row:
///
///   columns  0-4   face 1: image URL, left column, right column, top row, bottom row
///   columns  5-9   face 2: the same
///   columns 10-14  face 3: the same
///   column  15     ONE_CLASS_TRIPLET / TWO_CLASS_TRIPLET / THREE_CLASS_TRIPLET
///   columns 16-27  six pairs: annotator id, choice (1..3, the face least like the other two)
///
/// Box numbers are fractions of the image width/height in [0,1]. Text is UTF-8 with RFC 4180
/// quoting (FEC quotes its URLs); records end in CRLF when written.
class FecTripletCsv
{
public:
    /// Always 28 columns per row; missing annotation pairs are written as empty fields, pairs
    /// beyond the sixth are dropped. Box numbers use the shortest text that reads back as the
    /// same float. No validation.
    static QByteArray toBytes(const std::vector<FecTripletRow> &rows);

    /// Writes toBytes(rows) to `path` atomically (writeFileAtomically). Refuses, writing
    /// nothing, a row the reader would reject ("PATH: row N: what", N 1-based): an empty URL,
    /// a box outside [0,1] or with left >= right / top >= bottom, more than 6 annotations, an
    /// empty annotator id, a choice outside 1..3.
    static bool writeFile(const QString &path, const std::vector<FecTripletRow> &rows,
                          QString *error = nullptr);

    /// Parses FEC rows. Accepts 16 + 2m columns (m = 0..6 annotation pairs); a pair whose two
    /// fields are both empty (e.g. trailing empty pairs) is skipped. Fields are trimmed. Empty
    /// data gives an empty vector. Returns nullopt with "PATH:LINE: what" in `error` (PATH is
    /// `pathForErrors`) on: a CSV syntax error, a column count other than 16 + 2m (including
    /// more than 28), an empty URL, a box number that is not a number, outside [0,1] or with
    /// left >= right / top >= bottom, an unknown type, an annotation with an empty annotator
    /// id or a choice outside 1..3.
    static std::optional<std::vector<FecTripletRow>> parse(const QByteArray &data,
                                                           const QString &pathForErrors,
                                                           QString *error = nullptr);

    /// parse() of the file's bytes; also fails with "PATH: cannot read: reason".
    static std::optional<std::vector<FecTripletRow>> readFile(const QString &path,
                                                              QString *error = nullptr);

    static constexpr int kColumns = 28;
    static constexpr int kFixedColumns = 16;
    static constexpr int kMaxAnnotations = 6;
};

} // namespace fa
