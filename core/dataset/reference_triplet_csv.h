#pragma once

#include "dataset/triplet_type.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace fa {

/// One row of the reference trainer's triplet CSV: three image paths relative to the image
/// folder the trainer is given (forward slashes recommended) and the triplet type. The annotator's
/// odd face is the negative; the other two are anchor and positive (REFERENCE.md section 3).
struct ReferenceTripletRow
{
    QString anchor;
    QString positive;
    QString negative;
    TripletType type = TripletType::OneClass;
    int line = 0; ///< 1-based line in the file it was read from; 0 for rows made in memory
};

/// The 4-column CSV that the FreeAvatar reference training code reads (REFERENCE.md section 3):
///
///   anchor,positive,negative,type
///   faces/a.png,faces/b.png,faces/c.png,ONE_CLASS_TRIPLET
///
/// Header line exactly `anchor,positive,negative,type`; one row per triplet; type spelled
/// ONE_CLASS_TRIPLET / TWO_CLASS_TRIPLET / THREE_CLASS_TRIPLET (tripletTypeName()). UTF-8,
/// records end in CRLF, fields are quoted RFC 4180-style only when needed (CsvTable).
class ReferenceTripletCsv
{
public:
    /// The whole file: the header, then one record per row in the given order. No validation.
    static QByteArray toBytes(const std::vector<ReferenceTripletRow> &rows);

    /// Writes toBytes(rows) to `path` atomically (writeFileAtomically). Refuses, writing
    /// nothing, a row with an empty path ("PATH: row N: empty anchor path", N 1-based), and
    /// returns false with "PATH: what" in `error` on any failure.
    static bool writeFile(const QString &path, const std::vector<ReferenceTripletRow> &rows,
                          QString *error = nullptr);

    /// Reads a file written by writeFile() or by hand. Fields are trimmed of surrounding blanks;
    /// the type also accepts the short forms of tripletTypeFromName(). A header with no rows
    /// gives an empty vector. Returns nullopt with "PATH:LINE: what" in `error` on: an unreadable
    /// or empty file, a CSV syntax error, a wrong header, a row without exactly 4 columns, an
    /// empty path, an unknown type.
    static std::optional<std::vector<ReferenceTripletRow>> readFile(const QString &path,
                                                                    QString *error = nullptr);

    /// The header fields, in order: anchor, positive, negative, type.
    static QStringList header();
};

} // namespace fa
