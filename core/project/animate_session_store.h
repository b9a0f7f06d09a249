#pragma once

#include "project/animate_session_record.h"

#include <QString>

#include <optional>
#include <vector>

namespace fa {

class Project;
class SqliteStatement;

/// The project's Animate sessions (table `animate_sessions`, schema migration 3). Each write is
/// one statement (its own transaction). Failures set `error` to "PATH: what is wrong" (the
/// database path, Project::databaseError()). Like its project, a store belongs to one thread.
///
/// Paths: videoPath and avatarPath are stored as Project::storedPath() (relative to the project
/// folder when inside it) and always returned absolute and clean (Project::resolvedPath()).
class AnimateSessionStore
{
public:
    explicit AnimateSessionStore(Project &project) : m_project(project) {}

    /// Every session, most recently saved first (ties: newest id first). The blobs
    /// (measurements, animation, viewState) are left empty, so that listing stays cheap
    /// whatever the sessions hold: load() a session to get them. Sets `error` (and returns
    /// what was read before the failure) when the database cannot be read.
    std::vector<AnimateSessionRecord> list(QString *error = nullptr);
    /// The whole session `id`; nullopt with `error` ("PATH: no animate session ID") when there
    /// is none or the database cannot be read.
    std::optional<AnimateSessionRecord> load(qint64 id, QString *error);
    /// Inserts `record` when record.id <= 0 (createdAt = record.createdAt when set, else now),
    /// otherwise rewrites the row record.id (createdAt is kept as stored). updatedAt becomes
    /// now either way. Returns the session's id, or 0 with `error` on failure (also when the
    /// row record.id does not exist).
    qint64 save(const AnimateSessionRecord &record, QString *error);
    /// Deletes session `id`; false with `error` when there is none.
    bool remove(qint64 id, QString *error);

private:
    /// The kSummaryColumns of the current row (blobs left empty).
    AnimateSessionRecord readSummary(const SqliteStatement &q) const;

    Project &m_project;
};

} // namespace fa
