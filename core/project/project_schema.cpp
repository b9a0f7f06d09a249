#include "project/project_schema.h"

#include "project/sqlite_connection.h"
#include "project/sqlite_transaction.h"

#include <QStringList>

namespace fa {
namespace {

// Each entry migrates from version index to index + 1. Never edit a released entry: append.
const char *const kMigrations[] = {
    R"sql(
CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources(
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    kind TEXT NOT NULL CHECK(kind IN ('image', 'video')),
    content_hash TEXT NOT NULL UNIQUE,
    width INTEGER NOT NULL DEFAULT 0,
    height INTEGER NOT NULL DEFAULT 0,
    frame_count INTEGER NOT NULL DEFAULT 1,
    fps REAL NOT NULL DEFAULT 0,
    category TEXT,
    identity TEXT,
    imported_at INTEGER NOT NULL,
    complete INTEGER NOT NULL DEFAULT 0);
CREATE TABLE faces(
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    crop_path TEXT NOT NULL,
    frame_index INTEGER NOT NULL DEFAULT 0,
    time_seconds REAL NOT NULL DEFAULT 0,
    box_x REAL, box_y REAL, box_w REAL, box_h REAL,
    landmarks BLOB,
    detection_score REAL,
    category TEXT,
    identity TEXT,
    embedding BLOB,
    created_at INTEGER NOT NULL);
CREATE INDEX faces_source ON faces(source_id);
CREATE TABLE triplets(
    id INTEGER PRIMARY KEY,
    face1 INTEGER NOT NULL REFERENCES faces(id),
    face2 INTEGER NOT NULL REFERENCES faces(id),
    face3 INTEGER NOT NULL REFERENCES faces(id),
    type TEXT NOT NULL CHECK(type IN ('ONE_CLASS_TRIPLET', 'TWO_CLASS_TRIPLET', 'THREE_CLASS_TRIPLET')),
    origin TEXT NOT NULL CHECK(origin IN ('random', 'gold', 'uncertainty', 'imported')),
    created_at INTEGER NOT NULL,
    CHECK(face1 <> face2 AND face1 <> face3 AND face2 <> face3));
CREATE TABLE annotators(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL);
CREATE TABLE judgments(
    id INTEGER PRIMARY KEY,
    triplet_id INTEGER NOT NULL REFERENCES triplets(id),
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    choice INTEGER NOT NULL CHECK(choice BETWEEN 0 AND 3),
    duration_ms INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    retracted_at INTEGER);
CREATE UNIQUE INDEX judgments_standing ON judgments(triplet_id, annotator_id)
    WHERE retracted_at IS NULL;
CREATE INDEX judgments_annotator ON judgments(annotator_id);
CREATE TABLE gold_answers(
    triplet_id INTEGER PRIMARY KEY REFERENCES triplets(id),
    choice INTEGER NOT NULL CHECK(choice BETWEEN 1 AND 3));
CREATE TABLE leases(
    triplet_id INTEGER PRIMARY KEY REFERENCES triplets(id),
    holder TEXT NOT NULL,
    annotator_id INTEGER REFERENCES annotators(id),
    expires_at INTEGER NOT NULL);
)sql",
    // 2: training jobs (core/jobs, fa::JobStore). run_dir is relative to the project folder
    // (runs/<name>); config_yaml the run's TrainingConfig; step/total_steps the last progress
    // persisted. A job left 'running' or 'paused' by a studio that stopped becomes
    // 'interrupted' (resumable) when a JobManager next opens the project.
    R"sql(
CREATE TABLE jobs(
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    run_dir TEXT NOT NULL,
    config_yaml TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK(state IN ('queued', 'running', 'paused', 'finished', 'failed', 'cancelled',
                                        'interrupted')),
    error TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    step INTEGER NOT NULL DEFAULT 0,
    total_steps INTEGER NOT NULL DEFAULT 0);
CREATE INDEX jobs_state ON jobs(state);
)sql",
    // 3: Animate sessions (fa::AnimateSessionStore). Paths inside the project folder are stored
    // relative to it, others absolute; the blobs are versioned by their owners
    // (ClipMeasurements, RigAnimation, the workspace's JSON view state).
    R"sql(
CREATE TABLE animate_sessions(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    video_path TEXT NOT NULL,
    avatar_path TEXT NOT NULL DEFAULT '',
    solver TEXT NOT NULL DEFAULT 'landmark',
    neutral_frame INTEGER NOT NULL DEFAULT -1,
    measurements BLOB,
    animation BLOB,
    view_state BLOB,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL);
CREATE INDEX animate_sessions_updated ON animate_sessions(updated_at);
)sql",
};

} // namespace

int ProjectSchema::currentVersion()
{
    return int(sizeof(kMigrations) / sizeof(kMigrations[0]));
}

int ProjectSchema::version(SqliteConnection &connection)
{
    return int(connection.queryInt(QStringLiteral("PRAGMA user_version"), -1));
}

bool ProjectSchema::migrate(SqliteConnection &connection, QString *error)
{
    // Up to date (the usual case): no write lock, so opening never waits for another writer.
    if (version(connection) == currentVersion())
        return true;
    for (;;) {
        SqliteTransaction transaction(connection);
        if (!transaction.isActive()) {
            if (error)
                *error = connection.errorString();
            return false;
        }
        // Read the version inside the write lock: another process may have migrated already.
        const int from = version(connection);
        if (from < 0) {
            if (error)
                *error = connection.errorString();
            return false;
        }
        if (from >= currentVersion())
            return true;
        if (!connection.exec(QString::fromUtf8(kMigrations[from]))
            || !connection.exec(QStringLiteral("PRAGMA user_version = %1").arg(from + 1))
            || !transaction.commit()) {
            if (error)
                *error = QStringLiteral("migration to schema %1 failed: %2")
                             .arg(from + 1)
                             .arg(connection.errorString());
            return false;
        }
    }
}

} // namespace fa
