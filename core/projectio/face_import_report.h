#pragma once

#include <QString>
#include <QStringList>
#include <QtGlobal>

#include <vector>

namespace fa {

/// What an import (or a training-data load) did with one file.
struct FileImportReport
{
    QString path;
    bool video = false;
    bool alreadyInProject = false; ///< skipped: a file with the same content was imported before
    qint64 framesScanned = 0;      ///< 1 for an image, the scanned frames of a video
    qint64 framesWithoutFace = 0;  ///< scanned images/frames without a face at or above the minimum size
    int facesFound = 0;            ///< faces at or above the minimum size
    int facesAdded = 0;            ///< of those, stored (not dropped as near duplicates)
    int facesTooSmall = 0;         ///< faces found below the minimum size, skipped
    int nearDuplicatesDropped = 0;
    /// An image whose shorter side is below the minimum face size: not searched.
    bool imageTooSmall = false;
    int imageWidth = 0;            ///< pixels, for the imageTooSmall line
    int imageHeight = 0;
    int minFaceSize = 0;           ///< the minimum face size in force, pixels
    /// Above minFaceSize when an image was too large to scan at the scale the minimum needs
    /// (StillFaceSearch::Options::maxScanPixels): faces were searched from this size up.
    int searchedFromSize = 0;
    QString problem;               ///< "PATH: what" when the file could not be read (or stopped early)

    /// One line for logs, e.g. "PATH: 3 faces found, 3 added, 2 too small (below 40 px)",
    /// "PATH: no face found", "PATH: 32x24 image, smaller than the minimum face size (40 px):
    /// skipped", "PATH: already in the project", or the problem; "(too large to search faces
    /// below N px)" ends it when searchedFromSize says so.
    QString line() const;
};

/// What FaceImporter::run() did.
struct FaceImportReport
{
    int filesImported = 0;         ///< files that became sources of the project
    int filesAlreadyInProject = 0; ///< skipped: a file with the same content was imported before
    qint64 framesScanned = 0;      ///< images + scanned video frames
    int facesAdded = 0;
    int facesTooSmall = 0;         ///< faces found below the minimum size, skipped
    int imagesTooSmall = 0;        ///< images smaller than the minimum face size, skipped
    int nearDuplicatesDropped = 0;
    qint64 framesWithoutFace = 0;  ///< scanned images/frames in which no face was kept
    QStringList problems;          ///< one "PATH: what" per bad file (or missing landmark model)
    QStringList warnings;          ///< "PATH: what" for files imported despite minor damage
    std::vector<FileImportReport> files; ///< one per file looked at, in order
    bool cancelled = false;
    double seconds = 0;            ///< wall-clock time of run()

    /// Adds a file's counts to the totals and appends it to `files`.
    void add(const FileImportReport &file);
};

} // namespace fa
