#pragma once

#include "projectio/face_finder_options.h"
#include "projectio/face_import_report.h"

#include <QByteArray>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QtGlobal>

#include <opencv2/core/mat.hpp>

#include <atomic>
#include <functional>
#include <optional>
#include <vector>

namespace fa {

/// One face image of a FaceCropDataset: either held in memory as encoded bytes (faces found by
/// fromFolder/fromVideo) or read from a file when needed (project crops, CSV images).
struct FaceCropItem
{
    QByteArray encoded;  ///< JPEG (quality 95) or PNG bytes; empty when `path` is used
    QString path;        ///< absolute image file read on demand; empty when `encoded` is used
    /// Region of the decoded image to use, as fractions of its width/height (x, y = left, top);
    /// a null rect means the whole image (FEC face boxes set it).
    QRectF box;
    QString origin;      ///< where it came from, for messages: "FILE" or "FILE frame N"
    QString category;    ///< emotion category (canonical, lower case); empty when unknown
    QString identity;    ///< person; empty when unknown
    qint64 faceId = 0;   ///< project face id; 0 when not from a project
    /// Stable identity for fingerprints: "jpeg:<SHA-256 of the bytes>", "face:<id>:<crop path>"
    /// or "file:<path>[#box]".
    QByteArray key;
};

/// Options of the face-finding loaders (fromFolder, fromVideo, fromPaths).
struct FaceCropLoadOptions
{
    int frameStep = 10;  ///< videos: frames 0, N, 2N, ... are scanned (>= 1)
    /// How faces are found (detector, minimum face size, all faces of videos, crop size), as
    /// the project importer does.
    FaceFinderOptions faces;
    /// fraction in [0, 1] over the files, status e.g. "3/89 subject01_happy.png"
    std::function<void(double fraction, const QString &status)> progress;
    const std::atomic_bool *cancel = nullptr; ///< checked between frames
};

/// What the face-finding loaders did.
struct FaceCropLoadReport
{
    int files = 0;                 ///< image and video files read
    qint64 framesScanned = 0;      ///< images + scanned video frames
    qint64 framesWithoutFace = 0;  ///< scanned images/frames in which no face was kept
    int facesTooSmall = 0;         ///< faces found below the minimum size, skipped
    QStringList problems;          ///< one "PATH: what" per unreadable file (or missing landmark model)
    std::vector<FileImportReport> fileReports; ///< one per file scanned, in order (projects not listed)
    double seconds = 0;
};

/// Face crops for training and evaluation: an ordered list of FaceCropItem, cheap to copy
/// (items share their bytes), read-only once built; image() may be called from several threads
/// at once.
///
/// Loaders:
/// - fromProject: the project's stored crops (already aligned, crops/NNNNNNN.jpg), read on
///   demand; category and identity from the face records.
/// - fromFolder / fromVideo / fromPaths: every image (and, in folders, every video; frames 0, N,
///   2N, ...) goes through fa::FaceFinder with the options' FaceFinderOptions, as the face
///   importer does: every face of an image at or above the minimum size, the largest face of a
///   scanned video frame (or every face), each with its 68 landmarks (dlib's shape predictor,
///   loaded once) and a crop aligned on the eyes (from the box when the landmarks fail), kept
///   as JPEG quality 95 in memory, as the face importer stores it. Category and identity from
///   labelsFromFileName() (Yale: subject01_happy.png -> "happy", "subject01"); a video
///   without an identity in its name gets its base name; several faces of one photo get
///   "NAME#k" (FaceIdentityNamer). A file without a face is skipped and counted; an
///   unreadable, undecodable or truncated file adds one line to the report's problems and
///   loading goes on.
/// Loaders return nullopt with "PATH: what" in `error` only when the whole request fails: a
/// missing path, a project that cannot be opened, cancellation ("cancelled").
class FaceCropDataset
{
public:
    FaceCropDataset() = default;
    explicit FaceCropDataset(std::vector<FaceCropItem> items);

    static std::optional<FaceCropDataset> fromProject(const QString &projectDir, QString *error = nullptr);
    static std::optional<FaceCropDataset> fromFolder(const QString &dir, const FaceCropLoadOptions &options = {},
                                                     FaceCropLoadReport *report = nullptr, QString *error = nullptr);
    static std::optional<FaceCropDataset> fromVideo(const QString &path, int frameStep = 10,
                                                    const FaceCropLoadOptions &options = {},
                                                    FaceCropLoadReport *report = nullptr, QString *error = nullptr);
    /// Each path: a project folder (fromProject), another folder (searched recursively for images
    /// and videos, as the face importer does), an image or a video; items in the given order.
    static std::optional<FaceCropDataset> fromPaths(const QStringList &paths, const FaceCropLoadOptions &options = {},
                                                    FaceCropLoadReport *report = nullptr, QString *error = nullptr);
    /// Image files used as they are (already face crops: e.g. the images of a triplet CSV), read
    /// on demand; labels from labelsFromFileName(). Missing files are not checked here.
    static FaceCropDataset fromImageFiles(const QStringList &paths);

    qsizetype size() const { return qsizetype(m_items.size()); }
    bool isEmpty() const { return m_items.empty(); }
    const FaceCropItem &item(qsizetype index) const { return m_items[size_t(index)]; }
    const std::vector<FaceCropItem> &items() const { return m_items; }

    /// Appends an item; returns its index.
    qsizetype append(FaceCropItem item);
    /// Appends all items of `other`.
    void append(const FaceCropDataset &other);

    /// The face image: 8-bit BGR (grey files converted), cut to the item's box when it has one.
    /// Empty with "ORIGIN: what" in `error` when the file is missing, unreadable, truncated or
    /// not an image. Thread-safe.
    cv::Mat image(qsizetype index, QString *error = nullptr) const;

    QString category(qsizetype index) const { return item(index).category; }
    QString identity(qsizetype index) const { return item(index).identity; }
    /// Distinct non-empty categories / identities, sorted.
    QStringList categories() const;
    QStringList identities() const;

    /// SHA-256 (64 hex digits) over every item's key, category and identity, in order: the same
    /// data gives the same fingerprint (checkpoints record it to notice changed data on resume).
    QByteArray fingerprint() const;

private:
    std::vector<FaceCropItem> m_items;
};

} // namespace fa
