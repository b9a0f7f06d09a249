#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace fa {

class Project;

struct FecImportOptions
{
    QString imagesDirectory; ///< where the images of the rows are (see FecImporter::localImagePath)
    int cropSize = 224;      ///< crop side in pixels
};

struct FecImportReport
{
    int rowsRead = 0;
    int rowsSkipped = 0;              ///< rows with a missing or unreadable image
    QStringList missingImages;        ///< the first kMaxReportedImages of them, "PATH: what"
    int missingImageCount = 0;        ///< distinct missing or unreadable images
    int sourcesAdded = 0;
    int facesAdded = 0;
    int facesReused = 0;              ///< (image, box) pairs already in the project
    int tripletsAdded = 0;
    int tripletsAlreadyInProject = 0; ///< same three faces in the same order, imported before
    int judgmentsAdded = 0;
    int judgmentsAlreadyInProject = 0; ///< the annotator already has a standing judgment on it
    int annotatorsUsed = 0;           ///< distinct annotator ids in the imported rows
};

/// Imports Google FEC-format triplets (FecTripletCsv, 28 columns) whose images are local files.
///
/// Each distinct (image, box) becomes a face: the image becomes a source (kind image, found by
/// content hash, so an image imported before is reused with its faces), and the face is the
/// FaceCropper::cropBox() crop (default framing, JPEG quality 95) of the box mapped to pixels
/// (left * width, top * height, ...); no detection, no landmarks, detection score unknown,
/// category and identity from labelsFromFileName(). Each row becomes a triplet (origin
/// Imported, the row's type) and each (annotator id, choice) pair a judgment by the annotator
/// of that name (duration 0), one transaction each. Importing the same file again adds nothing:
/// faces, triplets (same faces in the same order) and judgments are recognised.
///
/// Rows naming an image that is missing or cannot be decoded are skipped and counted. CSV
/// errors (FecTripletCsv::readFile), and a row naming the same image and box twice, give
/// nullopt with "PATH:LINE: what" and import nothing; a database failure gives nullopt with
/// "PATH: what" (what was committed before stays).
class FecImporter
{
public:
    static constexpr int kMaxReportedImages = 5;

    /// The local file of a row's URL: http(s) URLs -> DIR/<last path component, decoded>;
    /// file:// URLs and absolute paths -> that path; relative paths -> DIR/<path>.
    static QString localImagePath(const QString &url, const QString &imagesDirectory);

    static std::optional<FecImportReport> run(Project &project, const QString &csvPath,
                                              const FecImportOptions &options, QString *error);
};

} // namespace fa
