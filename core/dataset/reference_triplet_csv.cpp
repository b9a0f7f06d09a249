#include "dataset/reference_triplet_csv.h"

#include "common/atomic_file.h"
#include "export/csv_table.h"

namespace fa {

namespace {

/// "empty anchor path" etc. for the first empty path of `row`, or an empty string.
QString emptyPathProblem(const QString &anchor, const QString &positive, const QString &negative)
{
    if (anchor.isEmpty())
        return QStringLiteral("empty anchor path");
    if (positive.isEmpty())
        return QStringLiteral("empty positive path");
    if (negative.isEmpty())
        return QStringLiteral("empty negative path");
    return QString();
}

} // namespace

QStringList ReferenceTripletCsv::header()
{
    return {QStringLiteral("anchor"), QStringLiteral("positive"), QStringLiteral("negative"),
            QStringLiteral("type")};
}

QByteArray ReferenceTripletCsv::toBytes(const std::vector<ReferenceTripletRow> &rows)
{
    QByteArray out;
    CsvTable::appendRecord(out, header());
    for (const ReferenceTripletRow &row : rows)
        CsvTable::appendRecord(out, {row.anchor, row.positive, row.negative, tripletTypeName(row.type)});
    return out;
}

bool ReferenceTripletCsv::writeFile(const QString &path, const std::vector<ReferenceTripletRow> &rows,
                                    QString *error)
{
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const QString problem = emptyPathProblem(rows[i].anchor, rows[i].positive, rows[i].negative);
        if (!problem.isEmpty()) {
            if (error)
                *error = QStringLiteral("%1: row %2: %3").arg(path).arg(i + 1).arg(problem);
            return false;
        }
    }
    return writeFileAtomically(path, toBytes(rows), error);
}

std::optional<std::vector<ReferenceTripletRow>> ReferenceTripletCsv::readFile(const QString &path,
                                                                              QString *error)
{
    const std::optional<CsvTable> table = CsvTable::readFile(path, error);
    if (!table)
        return std::nullopt;
    auto fail = [&](int line, const QString &what) {
        if (error)
            *error = CsvTable::locate(path, line, what);
        return std::nullopt;
    };

    const std::vector<CsvTable::Row> &records = table->rows();
    QStringList head = records.front().fields;
    for (QString &field : head)
        field = field.trimmed();
    if (head != header()) {
        return fail(records.front().line,
                    QStringLiteral("expected the header \"anchor,positive,negative,type\", found \"%1\"")
                        .arg(records.front().fields.join(QLatin1Char(','))));
    }

    std::vector<ReferenceTripletRow> rows;
    rows.reserve(records.size() - 1);
    for (std::size_t i = 1; i < records.size(); ++i) {
        const CsvTable::Row &record = records[i];
        if (record.fields.size() != 4) {
            return fail(record.line, QStringLiteral("expected 4 columns (anchor,positive,negative,type), found %1")
                                         .arg(record.fields.size()));
        }
        ReferenceTripletRow row;
        row.anchor = record.fields[0].trimmed();
        row.positive = record.fields[1].trimmed();
        row.negative = record.fields[2].trimmed();
        row.line = record.line;
        const QString problem = emptyPathProblem(row.anchor, row.positive, row.negative);
        if (!problem.isEmpty())
            return fail(record.line, problem);
        const std::optional<TripletType> type = tripletTypeFromName(record.fields[3]);
        if (!type)
            return fail(record.line, QStringLiteral("unknown triplet type \"%1\"").arg(record.fields[3]));
        row.type = *type;
        rows.push_back(row);
    }
    return rows;
}

} // namespace fa
