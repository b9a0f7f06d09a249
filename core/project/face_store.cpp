#include "project/face_store.h"

#include "common/atomic_file.h"
#include "project/project.h"
#include "project/sqlite_statement.h"
#include "project/sqlite_transaction.h"

#include <QDir>
#include <QFile>
#include <QStringList>

#include <cmath>
#include <cstring>

namespace fa {
namespace {

// Floats are stored as little-endian float32 blobs (x86 and ARM are little-endian; the
// static_assert keeps it honest).
static_assert(sizeof(float) == 4, "float32 blobs");

QByteArray floatsToBlob(const float *values, size_t count)
{
    if (count == 0)
        return QByteArray();
    return QByteArray(reinterpret_cast<const char *>(values), qsizetype(count * sizeof(float)));
}

std::vector<float> blobToFloats(const QByteArray &blob)
{
    std::vector<float> values(size_t(blob.size()) / sizeof(float));
    if (!values.empty())
        std::memcpy(values.data(), blob.constData(), values.size() * sizeof(float));
    return values;
}

QByteArray pointsToBlob(const std::vector<QPointF> &points)
{
    std::vector<float> values;
    values.reserve(points.size() * 2);
    for (const QPointF &p : points) {
        values.push_back(float(p.x()));
        values.push_back(float(p.y()));
    }
    return floatsToBlob(values.data(), values.size());
}

std::vector<QPointF> blobToPoints(const QByteArray &blob)
{
    const std::vector<float> values = blobToFloats(blob);
    std::vector<QPointF> points;
    points.reserve(values.size() / 2);
    for (size_t i = 0; i + 1 < values.size(); i += 2)
        points.emplace_back(values[i], values[i + 1]);
    return points;
}

const char *const kSourceColumns = "id, path, kind, content_hash, width, height, frame_count, fps, "
                                   "category, identity, imported_at, complete";
const char *const kFaceColumns = "id, source_id, crop_path, frame_index, time_seconds, box_x, box_y, "
                                 "box_w, box_h, landmarks, detection_score, category, identity, "
                                 "embedding, created_at";

SourceRecord readSource(const SqliteStatement &q)
{
    SourceRecord s;
    s.id = q.columnInt(0);
    s.path = q.columnText(1);
    s.kind = q.columnText(2) == QLatin1String("video") ? SourceRecord::Kind::Video : SourceRecord::Kind::Image;
    s.contentHash = q.columnText(3).toLatin1();
    s.width = int(q.columnInt(4));
    s.height = int(q.columnInt(5));
    s.frameCount = q.columnInt(6);
    s.fps = q.columnDouble(7);
    s.category = q.columnText(8);
    s.identity = q.columnText(9);
    s.importedAtMs = q.columnInt(10);
    s.complete = q.columnInt(11) != 0;
    return s;
}

FaceRecord readFace(const SqliteStatement &q)
{
    FaceRecord f;
    f.id = q.columnInt(0);
    f.sourceId = q.columnInt(1);
    f.cropPath = q.columnText(2);
    f.frameIndex = q.columnInt(3);
    f.timeSeconds = q.columnDouble(4);
    if (!q.columnIsNull(5))
        f.box = QRectF(q.columnDouble(5), q.columnDouble(6), q.columnDouble(7), q.columnDouble(8));
    f.landmarks = blobToPoints(q.columnBlob(9));
    if (!q.columnIsNull(10))
        f.detectionScore = float(q.columnDouble(10));
    f.category = q.columnText(11);
    f.identity = q.columnText(12);
    f.embedding = blobToFloats(q.columnBlob(13));
    f.createdAtMs = q.columnInt(14);
    return f;
}

QString nullIfEmpty(const QString &text)
{
    return text.isEmpty() ? QString() : text;
}

} // namespace

std::optional<SourceRecord> FaceStore::sourceByHash(const QByteArray &contentHash)
{
    SqliteStatement q = m_project.connection().prepare(
        QStringLiteral("SELECT %1 FROM sources WHERE content_hash = ?").arg(QString::fromUtf8(kSourceColumns)));
    q.bind(1, QString::fromLatin1(contentHash));
    if (q.step() == SqliteStatement::Step::Row)
        return readSource(q);
    return std::nullopt;
}

std::optional<qint64> FaceStore::addSource(const SourceRecord &source, QString *error, bool *alreadyPresent)
{
    if (alreadyPresent)
        *alreadyPresent = false;
    SqliteConnection &db = m_project.connection();
    SqliteStatement q = db.prepare(QStringLiteral(
        "INSERT INTO sources(path, kind, content_hash, width, height, frame_count, fps, category, "
        "identity, imported_at, complete) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(content_hash) DO NOTHING"));
    q.bind(1, source.path).bind(2, sourceKindName(source.kind)).bind(3, QString::fromLatin1(source.contentHash));
    q.bind(4, source.width).bind(5, source.height).bind(6, source.frameCount).bind(7, source.fps);
    q.bind(8, nullIfEmpty(source.category)).bind(9, nullIfEmpty(source.identity));
    q.bind(10, source.importedAtMs ? source.importedAtMs : m_project.nowMs()).bind(11, int(source.complete));
    if (!m_project.run(q, error))
        return std::nullopt;
    if (db.changes() == 0) {
        if (alreadyPresent)
            *alreadyPresent = true;
        if (const std::optional<SourceRecord> existing = sourceByHash(source.contentHash))
            return existing->id;
        if (error)
            *error = m_project.databaseError();
        return std::nullopt;
    }
    return db.lastInsertRowId();
}

bool FaceStore::setSourceComplete(qint64 sourceId, QString *error)
{
    SqliteStatement q = m_project.connection().prepare(QStringLiteral("UPDATE sources SET complete = 1 WHERE id = ?"));
    q.bind(1, sourceId);
    return m_project.run(q, error);
}

qint64 FaceStore::lastFaceFrame(qint64 sourceId)
{
    SqliteStatement q = m_project.connection().prepare(
        QStringLiteral("SELECT COALESCE(MAX(frame_index), -1) FROM faces WHERE source_id = ?"));
    q.bind(1, sourceId);
    return q.step() == SqliteStatement::Step::Row ? q.columnInt(0) : -1;
}

std::vector<SourceRecord> FaceStore::sources()
{
    std::vector<SourceRecord> result;
    SqliteStatement q = m_project.connection().prepare(
        QStringLiteral("SELECT %1 FROM sources ORDER BY id").arg(QString::fromUtf8(kSourceColumns)));
    while (q.step() == SqliteStatement::Step::Row)
        result.push_back(readSource(q));
    return result;
}

std::optional<SourceRecord> FaceStore::source(qint64 id)
{
    SqliteStatement q = m_project.connection().prepare(
        QStringLiteral("SELECT %1 FROM sources WHERE id = ?").arg(QString::fromUtf8(kSourceColumns)));
    q.bind(1, id);
    if (q.step() == SqliteStatement::Step::Row)
        return readSource(q);
    return std::nullopt;
}

std::optional<qint64> FaceStore::addFace(const FaceRecord &face, const QByteArray &encodedCrop,
                                         const QString &extension, QString *error)
{
    const std::optional<std::vector<qint64>> ids = addFaces({face}, {encodedCrop}, extension, error);
    if (!ids)
        return std::nullopt;
    return ids->front();
}

std::optional<std::vector<qint64>> FaceStore::addFaces(const std::vector<FaceRecord> &faces,
                                                       const std::vector<QByteArray> &encodedCrops,
                                                       const QString &extension, QString *error)
{
    if (faces.size() != encodedCrops.size()) {
        if (error)
            *error = QStringLiteral("%1: %2 faces but %3 crops").arg(m_project.directory()).arg(faces.size()).arg(encodedCrops.size());
        return std::nullopt;
    }
    SqliteConnection &db = m_project.connection();
    SqliteTransaction transaction(db);
    if (!transaction.isActive()) {
        if (error)
            *error = m_project.databaseError();
        return std::nullopt;
    }
    std::vector<qint64> ids;
    QStringList written; // crop files of this transaction, removed again if it fails
    auto fail = [&]() -> std::optional<std::vector<qint64>> {
        for (const QString &file : written)
            QFile::remove(file);
        return std::nullopt;
    };
    for (size_t i = 0; i < faces.size(); ++i) {
        const FaceRecord &face = faces[i];
        SqliteStatement q = db.prepare(QStringLiteral(
            "INSERT INTO faces(source_id, crop_path, frame_index, time_seconds, box_x, box_y, box_w, "
            "box_h, landmarks, detection_score, category, identity, embedding, created_at) "
            "VALUES(?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        q.bind(1, face.sourceId).bind(2, face.frameIndex).bind(3, face.timeSeconds);
        if (face.box.isValid())
            q.bind(4, face.box.x()).bind(5, face.box.y()).bind(6, face.box.width()).bind(7, face.box.height());
        q.bindBlob(8, pointsToBlob(face.landmarks));
        if (!std::isnan(face.detectionScore))
            q.bind(9, double(face.detectionScore));
        q.bind(10, nullIfEmpty(face.category)).bind(11, nullIfEmpty(face.identity));
        q.bindBlob(12, floatsToBlob(face.embedding.data(), face.embedding.size()));
        q.bind(13, face.createdAtMs ? face.createdAtMs : m_project.nowMs());
        if (!q.run()) {
            if (error)
                *error = m_project.databaseError();
            return fail();
        }
        const qint64 id = db.lastInsertRowId();
        const QString relative = QStringLiteral("%1/%2.%3")
                                     .arg(QString::fromUtf8(Project::kCropsFolderName))
                                     .arg(id, 7, 10, QLatin1Char('0'))
                                     .arg(extension);
        SqliteStatement update = db.prepare(QStringLiteral("UPDATE faces SET crop_path = ? WHERE id = ?"));
        update.bind(1, relative).bind(2, id);
        if (!m_project.run(update, error))
            return fail();
        // The files go first: a crash before the commit leaves orphan files, never a row
        // without its crop.
        if (!writeFileAtomically(m_project.absolutePath(relative), encodedCrops[i], error))
            return fail();
        written << m_project.absolutePath(relative);
        ids.push_back(id);
    }
    if (!transaction.commit()) {
        if (error)
            *error = m_project.databaseError();
        return fail();
    }
    return ids;
}

std::vector<FaceRecord> FaceStore::faces()
{
    std::vector<FaceRecord> result;
    SqliteStatement q = m_project.connection().prepare(
        QStringLiteral("SELECT %1 FROM faces ORDER BY id").arg(QString::fromUtf8(kFaceColumns)));
    while (q.step() == SqliteStatement::Step::Row)
        result.push_back(readFace(q));
    return result;
}

std::optional<FaceRecord> FaceStore::face(qint64 id)
{
    SqliteStatement q = m_project.connection().prepare(
        QStringLiteral("SELECT %1 FROM faces WHERE id = ?").arg(QString::fromUtf8(kFaceColumns)));
    q.bind(1, id);
    if (q.step() == SqliteStatement::Step::Row)
        return readFace(q);
    return std::nullopt;
}

qint64 FaceStore::faceCount()
{
    return m_project.connection().queryInt(QStringLiteral("SELECT COUNT(*) FROM faces"));
}

bool FaceStore::setEmbedding(qint64 faceId, const std::vector<float> &embedding, QString *error)
{
    SqliteStatement q = m_project.connection().prepare(QStringLiteral("UPDATE faces SET embedding = ? WHERE id = ?"));
    q.bindBlob(1, floatsToBlob(embedding.data(), embedding.size())).bind(2, faceId);
    if (!m_project.run(q, error))
        return false;
    if (m_project.connection().changes() == 0) {
        if (error)
            *error = QStringLiteral("%1: no face %2").arg(m_project.databasePath()).arg(faceId);
        return false;
    }
    return true;
}

} // namespace fa
