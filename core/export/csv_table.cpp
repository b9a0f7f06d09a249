#include "export/csv_table.h"

#include "common/file_kind.h"

#include <QFile>

namespace fa {

QString CsvTable::locate(const QString &path, int line, const QString &what)
{
    return line > 0 ? QStringLiteral("%1:%2: %3").arg(path).arg(line).arg(what)
                    : QStringLiteral("%1: %2").arg(path, what);
}

std::optional<CsvTable> CsvTable::readFile(const QString &path, QString *error)
{
    // A FIFO or device would block readAll() forever (issue 16).
    if (const QString problem = specialFileProblem(path); !problem.isEmpty()) {
        if (error)
            *error = problem;
        return std::nullopt;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = locate(path, 0, QStringLiteral("cannot open: %1").arg(file.errorString()));
        return std::nullopt;
    }
    QString parseError;
    int parseErrorLine = 0;
    std::optional<CsvTable> table = parse(file.readAll(), &parseError, &parseErrorLine);
    if (!table) {
        if (error)
            *error = locate(path, parseErrorLine, parseError);
        return std::nullopt;
    }
    if (table->rows().empty()) {
        if (error)
            *error = locate(path, 0, QStringLiteral("empty file, no header"));
        return std::nullopt;
    }
    return table;
}

std::optional<CsvTable> CsvTable::parse(const QByteArray &data, QString *error, int *errorLine)
{
    QString text = QString::fromUtf8(data);
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);

    CsvTable table;
    Row row;
    QString field;
    bool inQuotes = false;
    bool afterQuote = false;   // the field's closing quote has been read
    bool recordHasData = false;
    int line = 1;
    row.line = 1;

    auto endField = [&] {
        row.fields << field;
        field.clear();
        afterQuote = false;
    };
    auto endRecord = [&] {
        endField();
        // Skip blank lines (a record of one empty unquoted field).
        if (recordHasData)
            table.m_rows.push_back(row);
        row = Row();
        recordHasData = false;
    };

    const int n = int(text.size());
    for (int i = 0; i < n; ++i) {
        const QChar ch = text.at(i);
        if (inQuotes) {
            if (ch == QLatin1Char('"')) {
                if (i + 1 < n && text.at(i + 1) == QLatin1Char('"')) {
                    field += QLatin1Char('"');
                    ++i;
                } else {
                    inQuotes = false;
                    afterQuote = true;
                }
            } else {
                if (ch == QLatin1Char('\n'))
                    ++line;
                field += ch;
            }
            continue;
        }
        if (ch == QLatin1Char(',')) {
            endField();
            recordHasData = true;
        } else if (ch == QLatin1Char('\r') || ch == QLatin1Char('\n')) {
            if (ch == QLatin1Char('\r') && i + 1 < n && text.at(i + 1) == QLatin1Char('\n'))
                ++i;
            endRecord();
            ++line;
            row.line = line;
        } else if (ch == QLatin1Char('"') && field.trimmed().isEmpty() && !afterQuote) {
            field.clear(); // blanks before an opening quote are dropped
            inQuotes = true;
            recordHasData = true;
        } else if (afterQuote) {
            if (!ch.isSpace()) {
                if (error)
                    *error = QStringLiteral("text after a closing quote");
                if (errorLine)
                    *errorLine = line;
                return std::nullopt;
            }
        } else {
            field += ch;
            recordHasData = true;
        }
    }
    if (inQuotes) {
        if (error)
            *error = QStringLiteral("quoted field is never closed");
        if (errorLine)
            *errorLine = row.line;
        return std::nullopt;
    }
    if (recordHasData || !field.isEmpty())
        endRecord();
    return table;
}

QString CsvTable::quote(const QString &field)
{
    const bool needsQuotes = field.contains(QLatin1Char(',')) || field.contains(QLatin1Char('"'))
            || field.contains(QLatin1Char('\n')) || field.contains(QLatin1Char('\r'))
            || (!field.isEmpty() && (field.front().isSpace() || field.back().isSpace()));
    if (!needsQuotes)
        return field;
    QString quoted = field;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

void CsvTable::appendRecord(QByteArray &out, const QStringList &fields)
{
    for (int i = 0; i < fields.size(); ++i) {
        if (i > 0)
            out += ',';
        out += quote(fields.at(i)).toUtf8();
    }
    out += "\r\n";
}

} // namespace fa
