#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

struct sqlite3_stmt;

namespace fa {

class SqliteConnection;

/// A prepared statement (RAII; finalised in the destructor). Parameters are 1-based, columns
/// 0-based, as in SQLite. step() returns Row while rows remain, Done at the end, Error on
/// failure (the connection's errorString() tells why).
class SqliteStatement
{
public:
    enum class Step { Row, Done, Error };

    SqliteStatement() = default;
    SqliteStatement(SqliteConnection *connection, sqlite3_stmt *statement);
    ~SqliteStatement();
    SqliteStatement(SqliteStatement &&other) noexcept;
    SqliteStatement &operator=(SqliteStatement &&other) noexcept;
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    bool isValid() const { return m_statement != nullptr; }

    SqliteStatement &bind(int index, qint64 value);
    SqliteStatement &bind(int index, int value) { return bind(index, qint64(value)); }
    SqliteStatement &bind(int index, double value);
    SqliteStatement &bind(int index, const QString &value);   ///< null QString binds NULL
    SqliteStatement &bindBlob(int index, const QByteArray &value); ///< null array binds NULL
    SqliteStatement &bindNull(int index);
    SqliteStatement &bind(int index, const std::optional<qint64> &value);

    Step step();
    /// Runs a statement without result rows; true on Done.
    bool run();
    /// Resets for another step() with new bindings.
    void reset();

    qint64 columnInt(int column) const;
    double columnDouble(int column) const;
    QString columnText(int column) const;
    QByteArray columnBlob(int column) const;
    bool columnIsNull(int column) const;

private:
    SqliteConnection *m_connection = nullptr;
    sqlite3_stmt *m_statement = nullptr;
};

} // namespace fa
