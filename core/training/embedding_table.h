#pragma once

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
    std::vector<float> embedding;
};

/// Embeddings of the faces in an image or video file (`freeavatar embed`): each image, or every
/// frameStep-th video frame, goes through the importer's face pipeline (fa::FaceExtractor: the
/// largest face, dlib HOG; 68 landmarks; crop aligned on the eyes, 224 px), then the encoder's
/// eval transform. Frames without a face give no row. The kind comes from the suffix (images
/// .png .jpg ..., videos .mp4 .mov ...; another suffix is tried as an image, then as a video).
/// Errors "PATH: what": unreadable or damaged file, "cancelled". `progress` gets the fraction
/// of the file done.
std::optional<std::vector<FaceEmbeddingRow>> embedFacesInFile(ExpressionEmbedder &embedder, const QString &path,
                                                              int frameStep,
                                                              const std::function<void(double)> &progress,
                                                              const std::atomic_bool *cancel, QString *error);

/// Writes rows as CSV, atomically: header `source,frame,time_s,e0,...,e{E-1}`, one row per face,
/// floats with 9 significant digits (float32 round trip), time in seconds with 6 decimals.
/// E is the first row's size (`embeddingSize` when there is no row). False with "PATH: what".
bool writeEmbeddingCsv(const QString &path, const std::vector<FaceEmbeddingRow> &rows, int embeddingSize,
                       QString *error);

} // namespace fa
