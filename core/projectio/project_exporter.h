#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace fa {

class Project;

struct ProjectExportReport
{
    int referenceRows = 0;            ///< rows of the reference CSV (triplets with a majority)
    int fecRows = 0;                  ///< rows of the FEC CSV (triplets with >= 1 judgment)
    int tripletsWithoutMajority = 0;  ///< judged triplets left out of the reference CSV
    int tripletsWithoutJudgments = 0; ///< triplets nobody has judged (in no export)
    int imagesWritten = 0;            ///< folder export: crops copied (unchanged ones are kept)
    int facesListed = 0;              ///< folder export: rows of faces.csv
    QStringList filesWritten;         ///< the CSV files written
};

/// Exports a project's judged triplets for training and for exchange (REFERENCE.md section 3).
/// Only standing judgments count, skips never. Every file is written atomically
/// (writeFileAtomically); errors are one line "PATH: what".
///
/// - Reference CSV (`anchor,positive,negative,type`, ReferenceTripletCsv): one row per triplet
///   whose judgments have a strict majority (>= 2 votes, more than half); the chosen face is
///   the negative, the other two in position order anchor and positive. Paths are the crop
///   paths, relative to the project folder: give the trainer the project folder as image folder.
/// - FEC CSV (28 columns, FecTripletCsv): one row per triplet with >= 1 judgment; URLs are crop
///   paths relative to the project folder, boxes are the face box within the crop (normalised,
///   clamped; 0,1,0,1 when unknown), then up to six (annotator name, choice) pairs, oldest first.
/// - Folder: OUT/images/<face id>.<jpg|png> (copies of the crops of every exported triplet),
///   OUT/triplets.csv (reference), OUT/fec.csv (FEC), OUT/faces.csv (face_id, image, source,
///   frame, time_seconds, category, identity) and OUT/freeavatar_export.json (what was
///   exported, when). Every path in the CSVs is relative to OUT ("images/12.jpg"): OUT itself
///   is the trainer's image folder, and the folder can be moved as a whole. OUT must not exist,
///   be empty, or hold a previous export (recognised by freeavatar_export.json), which is then
///   brought up to date: images no longer used are removed, unchanged ones are not rewritten.
class ProjectExporter
{
public:
    enum class Format { Reference, Fec, Folder };

    static constexpr const char *kMarkerFileName = "freeavatar_export.json";

    /// "reference", "fec", "folder".
    static QString formatName(Format format);
    static std::optional<Format> formatFromName(const QString &name);

    /// Dispatches to the functions below.
    static std::optional<ProjectExportReport> run(Project &project, Format format, const QString &outPath,
                                                  QString *error);

    static std::optional<ProjectExportReport> exportReferenceCsv(Project &project, const QString &path,
                                                                 QString *error);
    static std::optional<ProjectExportReport> exportFecCsv(Project &project, const QString &path, QString *error);
    static std::optional<ProjectExportReport> exportFolder(Project &project, const QString &directory,
                                                           QString *error);
};

} // namespace fa
