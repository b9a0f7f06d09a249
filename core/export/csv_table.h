#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace fa {

/// A parsed comma-separated file (RFC 4180): fields separated by ',', records by LF or CRLF
/// (a lone CR is accepted too), fields optionally enclosed in double quotes, inside which
/// commas, line breaks and doubled quotes ("") stand for themselves. Text is UTF-8; a leading
/// UTF-8 byte-order mark is skipped. Blank lines are skipped.
class CsvTable
{
public:
    struct Row
    {
        QStringList fields;
        int line = 0; ///< 1-based line number where the record starts
    };

    /// Parses `data`. Returns nullopt for a quote that is never closed or text after a closing
    /// quote, with what is wrong in `error` and its 1-based line in `errorLine` (the caller adds
    /// the file name).
    static std::optional<CsvTable> parse(const QByteArray &data, QString *error = nullptr,
                                         int *errorLine = nullptr);

    /// Reads and parses the file at `path`. Returns nullopt when the file cannot be read, does
    /// not parse, or holds no record, with "PATH[:LINE]: what is wrong" in `error`.
    static std::optional<CsvTable> readFile(const QString &path, QString *error = nullptr);

    /// The error format of the CSV readers: "PATH:LINE: what", or "PATH: what" for line 0.
    static QString locate(const QString &path, int line, const QString &what);

    const std::vector<Row> &rows() const { return m_rows; }

    /// `field` quoted RFC 4180-style when it holds a comma, a quote, a line break or
    /// leading/trailing blanks; otherwise unchanged.
    static QString quote(const QString &field);

    /// Appends `fields` quoted and comma-joined, then CRLF (RFC 4180), to `out` (UTF-8).
    static void appendRecord(QByteArray &out, const QStringList &fields);

private:
    std::vector<Row> m_rows;
};

} // namespace fa
