#pragma once

#include "project/sqlite_connection.h"

namespace fa {

/// RAII write transaction: BEGIN IMMEDIATE in the constructor (takes the write lock at once, so
/// that two processes never interleave a read-then-write), ROLLBACK in the destructor unless
/// commit() succeeded.
class SqliteTransaction
{
public:
    explicit SqliteTransaction(SqliteConnection &connection)
        : m_connection(connection), m_begun(connection.exec(QStringLiteral("BEGIN IMMEDIATE")))
    {
    }
    ~SqliteTransaction()
    {
        if (m_begun && !m_committed)
            m_connection.exec(QStringLiteral("ROLLBACK"));
    }
    SqliteTransaction(const SqliteTransaction &) = delete;
    SqliteTransaction &operator=(const SqliteTransaction &) = delete;

    bool isActive() const { return m_begun && !m_committed; }
    bool commit()
    {
        if (!isActive())
            return false;
        m_committed = m_connection.exec(QStringLiteral("COMMIT"));
        return m_committed;
    }

private:
    SqliteConnection &m_connection;
    bool m_begun = false;
    bool m_committed = false;
};

} // namespace fa
