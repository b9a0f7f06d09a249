#include "project/triplet_store.h"

#include "project/project.h"
#include "project/sqlite_statement.h"
#include "project/sqlite_transaction.h"

namespace fa {
namespace {

const char *const kTripletColumns = "id, face1, face2, face3, type, origin, created_at";

TripletRecord readTriplet(const SqliteStatement &q)
{
    TripletRecord t;
    t.id = q.columnInt(0);
    t.faceIds = {q.columnInt(1), q.columnInt(2), q.columnInt(3)};
    t.type = tripletTypeFromName(q.columnText(4)).value_or(kUnknownCategoryTripletType);
    tripletOriginFromName(q.columnText(5), &t.origin);
    t.createdAtMs = q.columnInt(6);
    return t;
}

} // namespace

bool TripletStore::add(std::vector<TripletRecord> &triplets, QString *error,
                       const std::vector<int> &goldChoices)
{
    SqliteConnection &db = m_project.connection();
    auto fail = [&] {
        if (error)
            *error = m_project.databaseError();
        return false;
    };
    if (!goldChoices.empty() && goldChoices.size() != triplets.size()) {
        if (error)
            *error = QStringLiteral("%1: %2 gold answers for %3 triplets")
                         .arg(m_project.databasePath())
                         .arg(goldChoices.size())
                         .arg(triplets.size());
        return false;
    }
    SqliteTransaction transaction(db);
    if (!transaction.isActive())
        return fail();
    SqliteStatement insert = db.prepare(QStringLiteral(
        "INSERT INTO triplets(face1, face2, face3, type, origin, created_at) VALUES(?, ?, ?, ?, ?, ?)"));
    SqliteStatement gold = db.prepare(QStringLiteral("INSERT INTO gold_answers(triplet_id, choice) VALUES(?, ?)"));
    const qint64 now = m_project.nowMs();
    for (size_t i = 0; i < triplets.size(); ++i) {
        TripletRecord &t = triplets[i];
        insert.reset();
        insert.bind(1, t.faceIds[0]).bind(2, t.faceIds[1]).bind(3, t.faceIds[2]);
        insert.bind(4, tripletTypeName(t.type)).bind(5, tripletOriginName(t.origin));
        insert.bind(6, t.createdAtMs ? t.createdAtMs : now);
        if (!insert.run())
            return fail();
        t.id = db.lastInsertRowId();
        if (!goldChoices.empty() && goldChoices[i] != 0) {
            gold.reset();
            gold.bind(1, t.id).bind(2, goldChoices[i]);
            if (!gold.run())
                return fail();
        }
    }
    return transaction.commit() || fail();
}

std::vector<TripletRecord> TripletStore::all()
{
    std::vector<TripletRecord> result;
    SqliteStatement q = m_project.connection().prepare(
        QStringLiteral("SELECT %1 FROM triplets ORDER BY id").arg(QString::fromUtf8(kTripletColumns)));
    while (q.step() == SqliteStatement::Step::Row)
        result.push_back(readTriplet(q));
    return result;
}

std::optional<TripletRecord> TripletStore::triplet(qint64 id)
{
    SqliteStatement q = m_project.connection().prepare(
        QStringLiteral("SELECT %1 FROM triplets WHERE id = ?").arg(QString::fromUtf8(kTripletColumns)));
    q.bind(1, id);
    if (q.step() == SqliteStatement::Step::Row)
        return readTriplet(q);
    return std::nullopt;
}

qint64 TripletStore::count()
{
    return m_project.connection().queryInt(QStringLiteral("SELECT COUNT(*) FROM triplets"));
}

bool TripletStore::setGoldAnswer(qint64 tripletId, int choice, QString *error)
{
    if (choice < 1 || choice > 3) {
        if (error)
            *error = QStringLiteral("%1: a gold answer is 1, 2 or 3, not %2").arg(m_project.databasePath()).arg(choice);
        return false;
    }
    SqliteStatement q = m_project.connection().prepare(QStringLiteral(
        "INSERT INTO gold_answers(triplet_id, choice) VALUES(?, ?) "
        "ON CONFLICT(triplet_id) DO UPDATE SET choice = excluded.choice"));
    q.bind(1, tripletId).bind(2, choice);
    return m_project.run(q, error);
}

std::map<qint64, int> TripletStore::goldAnswers()
{
    std::map<qint64, int> result;
    SqliteStatement q = m_project.connection().prepare(QStringLiteral("SELECT triplet_id, choice FROM gold_answers"));
    while (q.step() == SqliteStatement::Step::Row)
        result[q.columnInt(0)] = int(q.columnInt(1));
    return result;
}

} // namespace fa
