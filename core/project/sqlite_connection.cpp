#include "project/sqlite_connection.h"

#include "project/sqlite_statement.h"

#include <sqlite3.h>

namespace fa {

SqliteConnection::SqliteConnection() = default;

SqliteConnection::~SqliteConnection()
{
    close();
}

bool SqliteConnection::open(const QString &path, bool create, int busyTimeoutMs)
{
    close();
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (create)
        flags |= SQLITE_OPEN_CREATE;
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        setError(rc);
        close();
        return false;
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, busyTimeoutMs);
    return exec(QStringLiteral("PRAGMA foreign_keys = ON"));
}

void SqliteConnection::close()
{
    if (m_db) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
}

bool SqliteConnection::exec(const QString &sql)
{
    if (!m_db) {
        m_error = QStringLiteral("database is not open");
        return false;
    }
    char *message = nullptr;
    const int rc = sqlite3_exec(m_db, sql.toUtf8().constData(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        m_resultCode = rc & 0xff;
        m_extendedResultCode = rc;
        m_error = message ? QString::fromUtf8(message) : QString::fromUtf8(sqlite3_errstr(rc));
        sqlite3_free(message);
        return false;
    }
    m_resultCode = m_extendedResultCode = SQLITE_OK;
    return true;
}

SqliteStatement SqliteConnection::prepare(const QString &sql)
{
    if (!m_db) {
        m_error = QStringLiteral("database is not open");
        return SqliteStatement();
    }
    sqlite3_stmt *statement = nullptr;
    const QByteArray utf8 = sql.toUtf8();
    const int rc = sqlite3_prepare_v2(m_db, utf8.constData(), int(utf8.size()), &statement, nullptr);
    if (rc != SQLITE_OK) {
        setError(rc);
        return SqliteStatement();
    }
    return SqliteStatement(this, statement);
}

qint64 SqliteConnection::queryInt(const QString &sql, qint64 fallback)
{
    SqliteStatement statement = prepare(sql);
    if (statement.isValid() && statement.step() == SqliteStatement::Step::Row)
        return statement.columnIsNull(0) ? fallback : statement.columnInt(0);
    return fallback;
}

qint64 SqliteConnection::lastInsertRowId() const
{
    return m_db ? sqlite3_last_insert_rowid(m_db) : 0;
}

int SqliteConnection::changes() const
{
    return m_db ? sqlite3_changes(m_db) : 0;
}

bool SqliteConnection::lastErrorIsDamage() const
{
    return m_resultCode == SQLITE_CORRUPT || m_resultCode == SQLITE_NOTADB;
}

void SqliteConnection::setError(int resultCode)
{
    m_resultCode = resultCode & 0xff;
    m_extendedResultCode = m_db ? sqlite3_extended_errcode(m_db) : resultCode;
    m_error = m_db ? QString::fromUtf8(sqlite3_errmsg(m_db))
                   : QString::fromUtf8(sqlite3_errstr(resultCode));
}

} // namespace fa
