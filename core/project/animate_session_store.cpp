#include "project/animate_session_store.h"

#include "common/error_text.h"
#include "project/project.h"
#include "project/sqlite_statement.h"


namespace fa {
namespace {

const QString kSummaryColumns =
    QStringLiteral("id, name, video_path, avatar_path, solver, neutral_frame, created_at, updated_at");

// A null QString binds NULL, which the NOT NULL text columns refuse.
QString text(const QString &value)
{
    return value.isNull() ? QStringLiteral("") : value;
}

bool noSuchSession(Project &project, qint64 id, QString *error)
{
    return failWith(error, QStringLiteral("%1: no animate session %2").arg(project.databasePath()).arg(id));
}

} // namespace

AnimateSessionRecord AnimateSessionStore::readSummary(const SqliteStatement &q) const
{
    AnimateSessionRecord r;
    r.id = q.columnInt(0);
    r.name = q.columnText(1);
    r.videoPath = m_project.resolvedPath(q.columnText(2));
    r.avatarPath = m_project.resolvedPath(q.columnText(3));
    r.solver = q.columnText(4);
    r.neutralFrame = q.columnInt(5);
    r.createdAt = q.columnInt(6);
    r.updatedAt = q.columnInt(7);
    return r;
}

std::vector<AnimateSessionRecord> AnimateSessionStore::list(QString *error)
{
    std::vector<AnimateSessionRecord> result;
    SqliteStatement q = m_project.connection().prepare(
        QStringLiteral("SELECT %1 FROM animate_sessions ORDER BY updated_at DESC, id DESC").arg(kSummaryColumns));
    for (;;) {
        const SqliteStatement::Step step = q.step();
        if (step == SqliteStatement::Step::Done)
            break;
        if (step == SqliteStatement::Step::Error) {
            failWith(error, m_project.databaseError());
            break;
        }
        result.push_back(readSummary(q));
    }
    return result;
}

std::optional<AnimateSessionRecord> AnimateSessionStore::load(qint64 id, QString *error)
{
    SqliteStatement q = m_project.connection().prepare(
        QStringLiteral("SELECT %1, measurements, animation, view_state FROM animate_sessions WHERE id = ?")
            .arg(kSummaryColumns));
    q.bind(1, id);
    const SqliteStatement::Step step = q.step();
    if (step == SqliteStatement::Step::Error) {
        failWith(error, m_project.databaseError());
        return std::nullopt;
    }
    if (step != SqliteStatement::Step::Row) {
        noSuchSession(m_project, id, error);
        return std::nullopt;
    }
    AnimateSessionRecord r = readSummary(q);
    r.measurements = q.columnBlob(8);
    r.animation = q.columnBlob(9);
    r.viewState = q.columnBlob(10);
    return r;
}

qint64 AnimateSessionStore::save(const AnimateSessionRecord &record, QString *error)
{
    const qint64 now = m_project.nowMs();
    SqliteStatement statement;
    if (record.id <= 0) {
        statement = m_project.connection().prepare(QStringLiteral(
            "INSERT INTO animate_sessions(name, video_path, avatar_path, solver, neutral_frame, measurements, "
            "animation, view_state, created_at, updated_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        statement.bind(9, record.createdAt > 0 ? record.createdAt : now).bind(10, now);
    } else {
        statement = m_project.connection().prepare(QStringLiteral(
            "UPDATE animate_sessions SET name = ?, video_path = ?, avatar_path = ?, solver = ?, neutral_frame = ?, "
            "measurements = ?, animation = ?, view_state = ?, updated_at = ? WHERE id = ?"));
        statement.bind(9, now).bind(10, record.id);
    }
    statement.bind(1, text(record.name)).bind(2, text(m_project.storedPath(record.videoPath)));
    statement.bind(3, text(m_project.storedPath(record.avatarPath))).bind(4, text(record.solver));
    statement.bind(5, record.neutralFrame);
    statement.bindBlob(6, record.measurements).bindBlob(7, record.animation).bindBlob(8, record.viewState);
    if (!m_project.run(statement, error))
        return 0;
    if (record.id <= 0)
        return m_project.connection().lastInsertRowId();
    if (m_project.connection().changes() == 0) {
        noSuchSession(m_project, record.id, error);
        return 0;
    }
    return record.id;
}

bool AnimateSessionStore::remove(qint64 id, QString *error)
{
    SqliteStatement statement =
        m_project.connection().prepare(QStringLiteral("DELETE FROM animate_sessions WHERE id = ?"));
    statement.bind(1, id);
    if (!m_project.run(statement, error))
        return false;
    return m_project.connection().changes() > 0 || noSuchSession(m_project, id, error);
}

} // namespace fa
