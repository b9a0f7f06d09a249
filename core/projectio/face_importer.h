#pragma once

#include "projectio/face_finder_options.h"
#include "projectio/face_import_report.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <optional>

namespace fa {

class Project;

struct FaceImportOptions
{
    /// Videos: frames 0, N, 2N, ... are scanned (>= 1; 10 = 3 faces a second at 30 fps).
    int everyNthFrame = 10;
    /// Drops a face whose crop is a near duplicate of one kept before from the same source
    /// (NearDuplicateFilter's perceptual hash and default distance, on the crop's face core,
    /// FaceCropper::faceCore()): a still actor gives one face, not one per scanned frame.
    bool dropNearDuplicates = true;
    FaceFinderOptions faces; ///< detector, minimum face size, all faces of videos, crop size
};

/// Imports faces from images and videos into a project.
///
/// For each file: its SHA-256 (fileContentHash) is looked up first, and a file already in the
/// project (same content, any name) is skipped. Otherwise the file becomes a source with the
/// emotion category and identity of labelsFromFileName() (a video without an identity in its
/// name gets its base name as identity), and its faces are found by FaceFinder with
/// options().faces: every face of an image at or above the minimum size (each its own face
/// record with its own box, landmarks and eye-aligned crop; several faces of one photo get
/// the identities "NAME#k", FaceIdentityNamer), and the largest face of every Nth video frame
/// (or every face, FaceFinderOptions::allFacesInVideos). Crops that are near duplicates of an
/// earlier one of the same source are dropped (optional); the others are stored as JPEG
/// (quality 95) with FaceStore::addFaces, the faces of one frame in one transaction.
///
/// The report has one FileImportReport per file: faces found, added, skipped as too small,
/// near duplicates, or why the file gave none. A photo without a face, or an image smaller
/// than the minimum face size, is reported there and is not a problem. A file that is no
/// image or video (text named .png), unreadable, truncated (a JPEG without its end marker, a
/// video that stops early), or a path that does not exist gives one line in problems and the
/// import goes on; faces from the frames of a truncated video before the damage are kept. A
/// video whose import is cancelled keeps the faces found so far and stays a source: a later
/// import resumes after its last stored frame.
///
/// Threads: run() touches only the Project it is given, so it may run on a worker thread with
/// a Project opened there (projects belong to one thread). The landmark model is loaded once
/// per run, on the first frame to scan (about a second).
class FaceImporter
{
public:
    explicit FaceImporter(const FaceImportOptions &options = {});

    /// fraction in [0,1] of the files (a video counts as one file, advanced frame by frame);
    /// status names the file, e.g. "3/90 subject01_happy.png" or "clip.mp4 frame 120/354".
    using Progress = std::function<void(double fraction, const QString &status)>;

    /// paths: files or folders (recursive; images .png .jpg .jpeg .bmp .webp .tif .tiff,
    /// videos .mp4 .mov .avi .mkv .webm .m4v; other files in folders ignored; a named file
    /// of another suffix is tried as an image, then as a video). Progress is reported at
    /// least once per file and scanned frame; `cancel` is checked between frames and files.
    /// Returns nullopt with "PATH: what" in `error` only for a database failure or face finder
    /// options that cannot be applied (a YuNet model that is missing, a minimum face size out of
    /// range); faces added before a database failure stay.
    std::optional<FaceImportReport> run(Project &project, const QStringList &paths,
                                        const Progress &progress = {},
                                        const std::atomic_bool *cancel = nullptr,
                                        QString *error = nullptr);

    const FaceImportOptions &options() const { return m_options; }

private:
    FaceImportOptions m_options;
};

} // namespace fa
