#include "jobs/job_store.h"

#include "project/project.h"
#include "project/sqlite_statement.h"

namespace fa {
namespace {

const QString kColumns = QStringLiteral(
    "id, kind, title, run_dir, config_yaml, state, error, created_at, updated_at, step, total_steps");

JobRecord readJob(const SqliteStatement &q)
{
    JobRecord r;
    r.id = q.columnInt(0);
    r.kind = q.columnText(1);
    r.title = q.columnText(2);
    r.runDirectory = q.columnText(3);
    r.configYaml = q.columnText(4);
    r.state = jobStateFromName(q.columnText(5)).value_or(JobState::Interrupted);
    r.error = q.columnText(6);
    r.createdAtMs = q.columnInt(7);
    r.updatedAtMs = q.columnInt(8);
    r.step = q.columnInt(9);
    r.totalSteps = q.columnInt(10);
    return r;
}

bool noSuchJob(Project &project, qint64 id, QString *error)
{
    if (error)
        *error = QStringLiteral("%1: no job %2").arg(project.databasePath()).arg(id);
    return false;
}

} // namespace

std::optional<qint64> JobStore::add(const JobRecord &record, QString *error)
{
    const qint64 now = m_project.nowMs();
    SqliteStatement insert = m_project.connection().prepare(QStringLiteral(
        "INSERT INTO jobs(kind, title, run_dir, config_yaml, state, error, created_at, updated_at, step, "
        "total_steps) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    insert.bind(1, record.kind).bind(2, record.title).bind(3, record.runDirectory);
    insert.bind(4, record.configYaml.isNull() ? QStringLiteral("") : record.configYaml);
    insert.bind(5, jobStateName(record.state));
    insert.bind(6, record.error.isNull() ? QStringLiteral("") : record.error);
    insert.bind(7, record.createdAtMs ? record.createdAtMs : now);
    insert.bind(8, record.updatedAtMs ? record.updatedAtMs : now);
    insert.bind(9, record.step).bind(10, record.totalSteps);
    if (!m_project.run(insert, error))
        return std::nullopt;
    return m_project.connection().lastInsertRowId();
}

bool JobStore::update(const JobRecord &record, QString *error)
{
    SqliteStatement statement = m_project.connection().prepare(QStringLiteral(
        "UPDATE jobs SET kind = ?, title = ?, run_dir = ?, config_yaml = ?, state = ?, error = ?, "
        "updated_at = ?, step = ?, total_steps = ? WHERE id = ?"));
    statement.bind(1, record.kind).bind(2, record.title).bind(3, record.runDirectory);
    statement.bind(4, record.configYaml.isNull() ? QStringLiteral("") : record.configYaml);
    statement.bind(5, jobStateName(record.state));
    statement.bind(6, record.error.isNull() ? QStringLiteral("") : record.error);
    statement.bind(7, m_project.nowMs()).bind(8, record.step).bind(9, record.totalSteps).bind(10, record.id);
    if (!m_project.run(statement, error))
        return false;
    return m_project.connection().changes() > 0 || noSuchJob(m_project, record.id, error);
}

bool JobStore::setState(qint64 id, JobState state, const QString &errorText, QString *error)
{
    SqliteStatement statement = m_project.connection().prepare(
        QStringLiteral("UPDATE jobs SET state = ?, error = ?, updated_at = ? WHERE id = ?"));
    statement.bind(1, jobStateName(state)).bind(2, errorText.isNull() ? QStringLiteral("") : errorText);
    statement.bind(3, m_project.nowMs()).bind(4, id);
    if (!m_project.run(statement, error))
        return false;
    return m_project.connection().changes() > 0 || noSuchJob(m_project, id, error);
}

bool JobStore::setStep(qint64 id, qint64 step, qint64 totalSteps, QString *error)
{
    SqliteStatement statement = m_project.connection().prepare(
        QStringLiteral("UPDATE jobs SET step = ?, total_steps = ?, updated_at = ? WHERE id = ?"));
    statement.bind(1, step).bind(2, totalSteps).bind(3, m_project.nowMs()).bind(4, id);
    if (!m_project.run(statement, error))
        return false;
    return m_project.connection().changes() > 0 || noSuchJob(m_project, id, error);
}

bool JobStore::remove(qint64 id, QString *error)
{
    SqliteStatement statement = m_project.connection().prepare(QStringLiteral("DELETE FROM jobs WHERE id = ?"));
    statement.bind(1, id);
    if (!m_project.run(statement, error))
        return false;
    return m_project.connection().changes() > 0 || noSuchJob(m_project, id, error);
}

std::vector<JobRecord> JobStore::all()
{
    std::vector<JobRecord> result;
    SqliteStatement q = m_project.connection().prepare(QStringLiteral("SELECT %1 FROM jobs ORDER BY id").arg(kColumns));
    while (q.step() == SqliteStatement::Step::Row)
        result.push_back(readJob(q));
    return result;
}

std::optional<JobRecord> JobStore::job(qint64 id)
{
    SqliteStatement q =
        m_project.connection().prepare(QStringLiteral("SELECT %1 FROM jobs WHERE id = ?").arg(kColumns));
    q.bind(1, id);
    if (q.step() != SqliteStatement::Step::Row)
        return std::nullopt;
    return readJob(q);
}

} // namespace fa
