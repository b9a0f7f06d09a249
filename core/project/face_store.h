#pragma once

#include "project/face_record.h"
#include "project/source_record.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

namespace fa {

class Project;

/// Sources and faces of a project (tables `sources` and `faces`) and the crop files in
/// `crops/`. Every function returns false/nullopt on failure and sets `error` to
/// "PATH: what is wrong".
class FaceStore
{
public:
    explicit FaceStore(Project &project) : m_project(project) {}

    /// The source with this content hash, if already imported.
    std::optional<SourceRecord> sourceByHash(const QByteArray &contentHash);
    /// Adds a source. When a source with the same content hash exists already (e.g. added by
    /// another process a moment ago) nothing is added: its id is returned and `alreadyPresent`
    /// set.
    std::optional<qint64> addSource(const SourceRecord &source, QString *error, bool *alreadyPresent = nullptr);
    /// Marks a source's import finished (SourceRecord::complete).
    bool setSourceComplete(qint64 sourceId, QString *error);
    /// The largest frame index of the source's faces, or -1 when it has none.
    qint64 lastFaceFrame(qint64 sourceId);
    std::vector<SourceRecord> sources();
    std::optional<SourceRecord> source(qint64 id);

    /// Adds a face and its crop (already encoded, JPEG or PNG bytes) in one transaction: the
    /// row and the file `crops/NNNNNNN.<ext>` exist together or not at all. Returns the id.
    std::optional<qint64> addFace(const FaceRecord &face, const QByteArray &encodedCrop,
                                  const QString &extension, QString *error);
    /// Adds several faces (e.g. every face of one photo) and their crops in one transaction:
    /// all of them or none, so that an import stopped in between never keeps half a frame.
    /// `encodedCrops[i]` belongs to `faces[i]`. Returns the ids in order.
    std::optional<std::vector<qint64>> addFaces(const std::vector<FaceRecord> &faces,
                                                const std::vector<QByteArray> &encodedCrops,
                                                const QString &extension, QString *error);
    std::vector<FaceRecord> faces();
    std::optional<FaceRecord> face(qint64 id);
    qint64 faceCount();

    /// Stores an expression embedding (e.g. 16-d, from an encoder checkpoint) for a face.
    bool setEmbedding(qint64 faceId, const std::vector<float> &embedding, QString *error);

private:
    Project &m_project;
};

} // namespace fa
