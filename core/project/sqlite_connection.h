#pragma once

#include <QString>

#include <memory>

struct sqlite3;

namespace fa {

class SqliteStatement;

/// One SQLite connection (the C API of SQLite 3.40; Qt Sql hides the result codes we need to
/// tell a damaged file from a busy one). A connection belongs to the thread that opened it:
/// every thread that touches a project opens its own (WAL mode lets one writer and many
/// readers work at once; writers wait up to busyTimeoutMs for each other).
///
/// Errors: functions return false/empty and set errorString() to SQLite's message; the
/// caller adds the file name. resultCode() is the last primary result code (SQLITE_*).
class SqliteConnection
{
public:
    SqliteConnection();
    ~SqliteConnection();
    SqliteConnection(const SqliteConnection &) = delete;
    SqliteConnection &operator=(const SqliteConnection &) = delete;

    /// Opens (creating it when `create`) the database file read-write, with extended result
    /// codes, foreign keys on and a busy timeout.
    bool open(const QString &path, bool create, int busyTimeoutMs = 10000);
    void close();
    bool isOpen() const { return m_db != nullptr; }

    /// Runs one or more statements without results.
    bool exec(const QString &sql);
    /// Prepares one statement; an invalid statement (check isValid()) on error.
    SqliteStatement prepare(const QString &sql);

    /// First column of the first row of a query as an integer, or `fallback`.
    qint64 queryInt(const QString &sql, qint64 fallback = 0);

    qint64 lastInsertRowId() const;
    int changes() const;
    int resultCode() const { return m_resultCode; }
    /// The last extended result code (e.g. SQLITE_CONSTRAINT_UNIQUE).
    int extendedResultCode() const { return m_extendedResultCode; }
    QString errorString() const { return m_error; }

    /// True when the last failure means the file is not a usable database (SQLITE_CORRUPT,
    /// SQLITE_NOTADB): the caller reports damage rather than a transient failure.
    bool lastErrorIsDamage() const;

    sqlite3 *handle() const { return m_db; }

    /// Records an error from a statement of this connection (used by SqliteStatement).
    void setError(int resultCode);

private:
    sqlite3 *m_db = nullptr;
    int m_resultCode = 0;
    int m_extendedResultCode = 0;
    QString m_error;
};

} // namespace fa
