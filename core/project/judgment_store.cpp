#include "project/judgment_store.h"

#include "project/project.h"
#include "project/sqlite_statement.h"
#include "project/sqlite_transaction.h"

#include <QStringList>

#include <algorithm>
#include <memory>

namespace fa {
namespace {

// Triplets still open to an annotator: fewer than K non-skip standing judgments and none
// (skip included) by this annotator. ?1 = K, ?2 = annotator id.
const char *const kOpenTriplets =
    "FROM triplets t "
    "LEFT JOIN (SELECT triplet_id, COUNT(*) AS n FROM judgments "
    "           WHERE retracted_at IS NULL AND choice > 0 GROUP BY triplet_id) c "
    "       ON c.triplet_id = t.id "
    "WHERE COALESCE(c.n, 0) < ?1 "
    "  AND NOT EXISTS (SELECT 1 FROM judgments j WHERE j.triplet_id = t.id "
    "                  AND j.annotator_id = ?2 AND j.retracted_at IS NULL) ";

} // namespace

std::optional<qint64> JudgmentStore::annotatorId(const QString &name, QString *error)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty()) {
        if (error)
            *error = QStringLiteral("%1: an annotator needs a name").arg(m_project.databasePath());
        return std::nullopt;
    }
    SqliteConnection &db = m_project.connection();
    SqliteStatement insert = db.prepare(QStringLiteral(
        "INSERT INTO annotators(name, created_at) VALUES(?, ?) ON CONFLICT(name) DO NOTHING"));
    insert.bind(1, trimmed).bind(2, m_project.nowMs());
    SqliteStatement select = db.prepare(QStringLiteral("SELECT id FROM annotators WHERE name = ?"));
    select.bind(1, trimmed);
    if (!insert.run() || select.step() != SqliteStatement::Step::Row) {
        if (error)
            *error = m_project.databaseError();
        return std::nullopt;
    }
    return select.columnInt(0);
}

QStringList JudgmentStore::annotatorNames()
{
    QStringList names;
    SqliteStatement q = m_project.connection().prepare(QStringLiteral("SELECT name FROM annotators ORDER BY name"));
    while (q.step() == SqliteStatement::Step::Row)
        names << q.columnText(0);
    return names;
}

std::optional<qint64> JudgmentStore::record(const JudgmentRecord &judgment, QString *error, bool *alreadyJudged)
{
    if (alreadyJudged)
        *alreadyJudged = false;
    if (judgment.choice < 0 || judgment.choice > 3) {
        if (error)
            *error = QStringLiteral("%1: a choice is 1, 2, 3 or 0 (skip), not %2")
                         .arg(m_project.databasePath())
                         .arg(judgment.choice);
        return std::nullopt;
    }
    SqliteConnection &db = m_project.connection();
    auto fail = [&]() -> std::optional<qint64> {
        if (error)
            *error = m_project.databaseError();
        return std::nullopt;
    };
    SqliteTransaction transaction(db);
    if (!transaction.isActive())
        return fail();
    SqliteStatement insert = db.prepare(QStringLiteral(
        "INSERT INTO judgments(triplet_id, annotator_id, choice, duration_ms, created_at) "
        "VALUES(?, ?, ?, ?, ?)"));
    insert.bind(1, judgment.tripletId).bind(2, judgment.annotatorId).bind(3, judgment.choice);
    insert.bind(4, std::max<qint64>(0, judgment.durationMs));
    insert.bind(5, judgment.createdAtMs ? judgment.createdAtMs : m_project.nowMs());
    if (!insert.run()) {
        // SQLITE_CONSTRAINT_UNIQUE (2067), the standing-judgment index: judged elsewhere already.
        // Other constraint failures (foreign keys, checks) stay errors.
        if (alreadyJudged && db.extendedResultCode() == 2067)
            *alreadyJudged = true;
        return fail();
    }
    const qint64 id = db.lastInsertRowId();
    SqliteStatement release = db.prepare(
        QStringLiteral("DELETE FROM leases WHERE triplet_id = ? AND annotator_id = ?"));
    release.bind(1, judgment.tripletId).bind(2, judgment.annotatorId);
    if (!release.run() || !transaction.commit())
        return fail();
    return id;
}

bool JudgmentStore::recordBatch(const std::vector<JudgmentRecord> &judgments, int *added, int *alreadyPresent,
                                QString *error)
{
    SqliteConnection &db = m_project.connection();
    auto transaction = std::make_unique<SqliteTransaction>(db);
    SqliteStatement insert = db.prepare(QStringLiteral(
        "INSERT OR IGNORE INTO judgments(triplet_id, annotator_id, choice, duration_ms, created_at) "
        "VALUES(?, ?, ?, ?, ?)"));
    const qint64 now = m_project.nowMs();
    constexpr size_t kChunk = 5000;
    int inserted = 0, ignored = 0;
    bool ok = transaction->isActive();
    for (size_t i = 0; ok && i < judgments.size(); ++i) {
        if (i > 0 && i % kChunk == 0) {
            ok = transaction->commit();
            transaction = std::make_unique<SqliteTransaction>(db);
            ok = ok && transaction->isActive();
            if (!ok)
                break;
        }
        const JudgmentRecord &j = judgments[i];
        if (j.choice < 0 || j.choice > 3) {
            if (error)
                *error = QStringLiteral("%1: a choice is 1, 2, 3 or 0 (skip), not %2")
                             .arg(m_project.databasePath())
                             .arg(j.choice);
            return false;
        }
        insert.reset();
        insert.bind(1, j.tripletId).bind(2, j.annotatorId).bind(3, j.choice);
        insert.bind(4, std::max<qint64>(0, j.durationMs)).bind(5, j.createdAtMs ? j.createdAtMs : now);
        ok = insert.run();
        (db.changes() > 0 ? inserted : ignored) += 1;
    }
    if (!ok || !transaction->commit()) {
        if (error)
            *error = m_project.databaseError();
        return false;
    }
    if (added)
        *added = inserted;
    if (alreadyPresent)
        *alreadyPresent = ignored;
    return true;
}

bool JudgmentStore::retract(qint64 judgmentId, QString *error)
{
    SqliteStatement q = m_project.connection().prepare(QStringLiteral(
        "UPDATE judgments SET retracted_at = ? WHERE id = ? AND retracted_at IS NULL"));
    q.bind(1, m_project.nowMs()).bind(2, judgmentId);
    if (!m_project.run(q, error))
        return false;
    if (m_project.connection().changes() == 0) {
        if (error)
            *error = QStringLiteral("%1: judgment %2 does not stand").arg(m_project.databasePath()).arg(judgmentId);
        return false;
    }
    return true;
}

std::vector<JudgmentRecord> JudgmentStore::all(bool includeRetracted)
{
    std::vector<JudgmentRecord> result;
    SqliteStatement q = m_project.connection().prepare(QStringLiteral(
        "SELECT j.id, j.triplet_id, j.annotator_id, a.name, j.choice, j.duration_ms, j.created_at, "
        "COALESCE(j.retracted_at, 0) FROM judgments j JOIN annotators a ON a.id = j.annotator_id %1 "
        "ORDER BY j.id")
        .arg(includeRetracted ? QString() : QStringLiteral("WHERE j.retracted_at IS NULL")));
    while (q.step() == SqliteStatement::Step::Row) {
        JudgmentRecord j;
        j.id = q.columnInt(0);
        j.tripletId = q.columnInt(1);
        j.annotatorId = q.columnInt(2);
        j.annotator = q.columnText(3);
        j.choice = int(q.columnInt(4));
        j.durationMs = q.columnInt(5);
        j.createdAtMs = q.columnInt(6);
        j.retractedAtMs = q.columnInt(7);
        result.push_back(j);
    }
    return result;
}

qint64 JudgmentStore::count(bool includeSkips)
{
    return m_project.connection().queryInt(
        includeSkips ? QStringLiteral("SELECT COUNT(*) FROM judgments WHERE retracted_at IS NULL")
                     : QStringLiteral("SELECT COUNT(*) FROM judgments WHERE retracted_at IS NULL AND choice > 0"));
}

std::vector<qint64> JudgmentStore::lease(const QString &holder, qint64 annotatorId, int count,
                                         const std::vector<qint64> &exclude, QString *error)
{
    std::vector<qint64> leased;
    if (count <= 0)
        return leased;
    SqliteConnection &db = m_project.connection();
    auto fail = [&] {
        if (error)
            *error = m_project.databaseError();
        return std::vector<qint64>();
    };
    SqliteTransaction transaction(db);
    if (!transaction.isActive())
        return fail();
    const qint64 now = m_project.nowMs();
    SqliteStatement select = db.prepare(
        QStringLiteral("SELECT t.id %1"
                       "  AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.triplet_id = t.id "
                       "                  AND l.holder <> ?3 AND l.expires_at > ?4) "
                       "ORDER BY COALESCE(c.n, 0) DESC, t.id LIMIT ?5")
            .arg(QString::fromUtf8(kOpenTriplets)));
    select.bind(1, m_project.judgmentsPerTriplet()).bind(2, annotatorId).bind(3, holder).bind(4, now);
    select.bind(5, qint64(count + exclude.size()));
    while (int(leased.size()) < count) {
        const SqliteStatement::Step step = select.step();
        if (step == SqliteStatement::Step::Error)
            return fail();
        if (step == SqliteStatement::Step::Done)
            break;
        const qint64 id = select.columnInt(0);
        if (std::find(exclude.begin(), exclude.end(), id) == exclude.end())
            leased.push_back(id);
    }
    select.reset();
    const qint64 expires = now + qint64(m_project.leaseSeconds()) * 1000;
    SqliteStatement upsert = db.prepare(QStringLiteral(
        "INSERT INTO leases(triplet_id, holder, annotator_id, expires_at) VALUES(?, ?, ?, ?) "
        "ON CONFLICT(triplet_id) DO UPDATE SET holder = excluded.holder, "
        "annotator_id = excluded.annotator_id, expires_at = excluded.expires_at"));
    for (qint64 id : leased) {
        upsert.reset();
        upsert.bind(1, id).bind(2, holder).bind(3, annotatorId).bind(4, expires);
        if (!upsert.run())
            return fail();
    }
    if (!transaction.commit())
        return fail();
    return leased;
}

bool JudgmentStore::renewLeases(const QString &holder, qint64 annotatorId, const std::vector<qint64> &tripletIds,
                                QString *error, std::vector<qint64> *lost)
{
    SqliteConnection &db = m_project.connection();
    SqliteTransaction transaction(db);
    const qint64 now = m_project.nowMs();
    const qint64 expires = now + qint64(m_project.leaseSeconds()) * 1000;
    // Takes the lease again only when nobody else holds a running one.
    SqliteStatement upsert = db.prepare(QStringLiteral(
        "INSERT INTO leases(triplet_id, holder, annotator_id, expires_at) VALUES(?1, ?2, ?3, ?4) "
        "ON CONFLICT(triplet_id) DO UPDATE SET holder = excluded.holder, "
        "annotator_id = excluded.annotator_id, expires_at = excluded.expires_at "
        "WHERE leases.holder = excluded.holder OR leases.expires_at <= ?5"));
    bool ok = transaction.isActive();
    for (size_t i = 0; ok && i < tripletIds.size(); ++i) {
        upsert.reset();
        upsert.bind(1, tripletIds[i]).bind(2, holder).bind(3, annotatorId).bind(4, expires).bind(5, now);
        ok = upsert.run();
        if (ok && lost && db.changes() == 0)
            lost->push_back(tripletIds[i]);
    }
    ok = ok && transaction.commit();
    if (!ok && error)
        *error = m_project.databaseError();
    return ok;
}

bool JudgmentStore::releaseLease(const QString &holder, qint64 tripletId, QString *error)
{
    SqliteStatement q = m_project.connection().prepare(
        QStringLiteral("DELETE FROM leases WHERE holder = ? AND triplet_id = ?"));
    q.bind(1, holder).bind(2, tripletId);
    return m_project.run(q, error);
}

bool JudgmentStore::releaseLeases(const QString &holder, QString *error)
{
    SqliteStatement q = m_project.connection().prepare(QStringLiteral("DELETE FROM leases WHERE holder = ?"));
    q.bind(1, holder);
    return m_project.run(q, error);
}

qint64 JudgmentStore::remainingFor(qint64 annotatorId)
{
    SqliteStatement q = m_project.connection().prepare(
        QStringLiteral("SELECT COUNT(*) %1").arg(QString::fromUtf8(kOpenTriplets)));
    q.bind(1, m_project.judgmentsPerTriplet()).bind(2, annotatorId);
    return q.step() == SqliteStatement::Step::Row ? q.columnInt(0) : 0;
}

qint64 JudgmentStore::doneBy(qint64 annotatorId)
{
    SqliteStatement q = m_project.connection().prepare(QStringLiteral(
        "SELECT COUNT(*) FROM judgments WHERE annotator_id = ? AND retracted_at IS NULL"));
    q.bind(1, annotatorId);
    return q.step() == SqliteStatement::Step::Row ? q.columnInt(0) : 0;
}

qint64 JudgmentStore::completeTriplets()
{
    SqliteStatement q = m_project.connection().prepare(QStringLiteral(
        "SELECT COUNT(*) FROM (SELECT triplet_id FROM judgments WHERE retracted_at IS NULL AND "
        "choice > 0 GROUP BY triplet_id HAVING COUNT(*) >= ?)"));
    q.bind(1, m_project.judgmentsPerTriplet());
    return q.step() == SqliteStatement::Step::Row ? q.columnInt(0) : 0;
}

} // namespace fa
