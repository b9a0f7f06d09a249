#pragma once

#include "projectio/face_finder_options.h"
#include "projectio/face_import_report.h"

#include <QRectF>
#include <QString>
#include <QtGlobal>

#include <atomic>
#include <functional>
#include <optional>
#include <vector>

namespace fa {

class ExpressionEmbedder;

/// One face of an image or video and its expression embedding.
struct FaceEmbeddingRow
{
    QString source;            ///< the file
    qint64 frame = 0;          ///< 0-based video frame; 0 for an image
    double timeSeconds = 0;    ///< presentation time; 0 for an image
    int face = 0;              ///< 0-based index of the face in its frame, largest box first
    QRectF box;                ///< the face's detector box in frame pixels (x, y = top-left corner)
    std::vector<float> embedding;
};

/// Embeddings of the faces in an image or video file (`freeavatar embed`): each image, or every
/// frameStep-th video frame, goes through the importer's face finder (fa::FaceFinder with
/// `faces`: every face of an image at or above the minimum size, the largest face of a video
/// frame or every face with allFacesInVideos; 68 landmarks; crop aligned on the eyes), then
/// the encoder's eval transform. Frames without a face give no row. The kind comes from the
/// suffix (images .png .jpg ..., videos .mp4 .mov ...; another suffix is tried as an image,
/// then as a video). Errors "PATH: what": unreadable or damaged file, face finder options that
/// cannot be applied, "cancelled". `progress` gets the fraction of the file done; `report`
/// (optional) what was found.
std::optional<std::vector<FaceEmbeddingRow>> embedFacesInFile(ExpressionEmbedder &embedder, const QString &path,
                                                              int frameStep, const FaceFinderOptions &faces,
                                                              const std::function<void(double)> &progress,
                                                              const std::atomic_bool *cancel, QString *error,
                                                              FileImportReport *report = nullptr);

/// Writes rows as CSV, atomically: header `source,frame,time_s,face,box_x,box_y,box_w,box_h,
/// e0,...,e{E-1}`, one row per face, floats with 9 significant digits (float32 round trip),
/// time in seconds with 6 decimals, box in pixels with 2 decimals.
/// E is the first row's size (`embeddingSize` when there is no row). False with "PATH: what".
bool writeEmbeddingCsv(const QString &path, const std::vector<FaceEmbeddingRow> &rows, int embeddingSize,
                       QString *error);

} // namespace fa
