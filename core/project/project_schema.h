#pragma once

#include <QString>

namespace fa {

class SqliteConnection;

/// The project database's schema and its migrations. The version is SQLite's `user_version`
/// (0 = empty file). Migration i (1-based) turns version i-1 into version i; each runs in one
/// transaction, so a failed migration leaves the previous version intact.
///
/// Tables (version 1):
///   settings(key, value)
///   sources(id, path, kind 'image'|'video', content_hash UNIQUE, width, height, frame_count, fps,
///           category, identity, imported_at, complete 0|1: every face of the file is in)
///   faces(id, source_id -> sources, crop_path, frame_index, time_seconds, box_x, box_y, box_w,
///         box_h, landmarks BLOB (float32 x,y pairs), detection_score, category, identity,
///         embedding BLOB (float32), created_at)
///   triplets(id, face1, face2, face3 -> faces, type, origin, created_at)
///   annotators(id, name UNIQUE, created_at)
///   judgments(id, triplet_id, annotator_id, choice 0..3 (0 = skip), duration_ms, created_at,
///             retracted_at); at most one standing (not retracted) judgment per
///             (triplet, annotator)
///   gold_answers(triplet_id, choice 1..3)
///   leases(triplet_id, holder, annotator_id, expires_at)
/// Version 2 adds the training jobs (core/jobs):
///   jobs(id, kind, title, run_dir (relative to the project), config_yaml, state queued | running |
///        paused | finished | failed | cancelled | interrupted, error, created_at, updated_at, step,
///        total_steps)
/// Version 3 adds the Animate workspace's retarget sessions (AnimateSessionStore):
///   animate_sessions(id, name, video_path, avatar_path ('' = none; both relative to the project
///        folder when inside it, else absolute), solver ('landmark'), neutral_frame (video frame,
///        -1 = automatic), measurements BLOB (ClipMeasurements::serialize()), animation BLOB
///        (RigAnimation::serialize()), view_state BLOB (JSON), created_at, updated_at)
/// Times are milliseconds since the Unix epoch, UTC.
class ProjectSchema
{
public:
    /// The newest version this build reads and writes.
    static int currentVersion();
    /// The database's version (0 for a new file), or -1 when it cannot be read.
    static int version(SqliteConnection &connection);
    /// Brings the database to currentVersion(). False with `error` (no file name) when a
    /// migration fails; a newer version is the caller's to refuse before calling this.
    static bool migrate(SqliteConnection &connection, QString *error);
};

} // namespace fa
