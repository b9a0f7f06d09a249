#include "dataset/fec_triplet_csv.h"

#include "common/atomic_file.h"
#include "export/csv_table.h"

#include "common/file_kind.h"

#include <QFile>

namespace fa {

namespace {

const char *const kBoxNames[4] = {"left", "right", "top", "bottom"};

/// The shortest decimal text that reads back as the same float.
QString floatText(float value)
{
    for (int precision = 1; precision < 9; ++precision) {
        const QString text = QString::number(double(value), 'g', precision);
        if (text.toFloat() == value)
            return text;
    }
    return QString::number(double(value), 'g', 9);
}

/// What is wrong with face `index` (0-based), or an empty string.
QString faceProblem(const FecFace &face, int index)
{
    const QString which = QStringLiteral("face %1").arg(index + 1);
    if (face.url.isEmpty())
        return which + QStringLiteral(": empty image URL");
    const float box[4] = {face.left, face.right, face.top, face.bottom};
    for (int k = 0; k < 4; ++k) {
        if (!(box[k] >= 0.0f && box[k] <= 1.0f)) {
            return QStringLiteral("%1: %2 %3 is outside [0,1]")
                .arg(which, QLatin1String(kBoxNames[k]), floatText(box[k]));
        }
    }
    if (face.left >= face.right)
        return QStringLiteral("%1: left %2 >= right %3").arg(which, floatText(face.left), floatText(face.right));
    if (face.top >= face.bottom)
        return QStringLiteral("%1: top %2 >= bottom %3").arg(which, floatText(face.top), floatText(face.bottom));
    return QString();
}

QString annotationProblem(const FecAnnotation &annotation, int index)
{
    if (annotation.annotatorId.isEmpty())
        return QStringLiteral("annotation %1: empty annotator id").arg(index + 1);
    if (annotation.choice < 1 || annotation.choice > 3)
        return QStringLiteral("annotation %1: choice %2 is not 1, 2 or 3").arg(index + 1).arg(annotation.choice);
    return QString();
}

/// What is wrong with a parsed or to-be-written row, or an empty string.
QString rowProblem(const FecTripletRow &row)
{
    for (int i = 0; i < 3; ++i) {
        const QString problem = faceProblem(row.faces[i], i);
        if (!problem.isEmpty())
            return problem;
    }
    if (int(row.annotations.size()) > FecTripletCsv::kMaxAnnotations)
        return QStringLiteral("%1 annotations, at most 6").arg(row.annotations.size());
    for (std::size_t i = 0; i < row.annotations.size(); ++i) {
        const QString problem = annotationProblem(row.annotations[i], int(i));
        if (!problem.isEmpty())
            return problem;
    }
    return QString();
}

/// Parses one CSV record into `row`; returns what is wrong, or an empty string.
QString parseRecord(const QStringList &rawFields, FecTripletRow *row)
{
    QStringList fields;
    for (const QString &field : rawFields)
        fields << field.trimmed();
    const int n = int(fields.size());
    if (n > FecTripletCsv::kColumns)
        return QStringLiteral("%1 columns, more than 28").arg(n);
    if (n < FecTripletCsv::kFixedColumns || (n - FecTripletCsv::kFixedColumns) % 2 != 0)
        return QStringLiteral("%1 columns, expected 16 + 2 per annotation (16, 18, ..., 28)").arg(n);

    for (int i = 0; i < 3; ++i) {
        FecFace &face = row->faces[i];
        face.url = fields[5 * i];
        float *box[4] = {&face.left, &face.right, &face.top, &face.bottom};
        for (int k = 0; k < 4; ++k) {
            const QString &text = fields[5 * i + 1 + k];
            bool ok = false;
            *box[k] = text.toFloat(&ok);
            if (!ok) {
                return QStringLiteral("face %1: %2 \"%3\" is not a number")
                    .arg(i + 1).arg(QLatin1String(kBoxNames[k]), text);
            }
        }
    }
    const std::optional<TripletType> type = tripletTypeFromName(fields[15]);
    if (!type)
        return QStringLiteral("unknown triplet type \"%1\"").arg(fields[15]);
    row->type = *type;

    for (int column = FecTripletCsv::kFixedColumns; column + 1 < n; column += 2) {
        const QString &id = fields[column];
        const QString &choiceText = fields[column + 1];
        if (id.isEmpty() && choiceText.isEmpty())
            continue;
        const int index = (column - FecTripletCsv::kFixedColumns) / 2;
        if (id.isEmpty())
            return QStringLiteral("annotation %1: empty annotator id").arg(index + 1);
        bool ok = false;
        const int choice = choiceText.toInt(&ok);
        if (!ok || choice < 1 || choice > 3)
            return QStringLiteral("annotation %1: choice \"%2\" is not 1, 2 or 3").arg(index + 1).arg(choiceText);
        row->annotations.push_back({id, choice});
    }
    return rowProblem(*row);
}

} // namespace

QByteArray FecTripletCsv::toBytes(const std::vector<FecTripletRow> &rows)
{
    QByteArray out;
    for (const FecTripletRow &row : rows) {
        QStringList fields;
        for (const FecFace &face : row.faces) {
            fields << face.url << floatText(face.left) << floatText(face.right) << floatText(face.top)
                   << floatText(face.bottom);
        }
        fields << tripletTypeName(row.type);
        for (int i = 0; i < kMaxAnnotations; ++i) {
            if (i < int(row.annotations.size()))
                fields << row.annotations[i].annotatorId << QString::number(row.annotations[i].choice);
            else
                fields << QString() << QString();
        }
        CsvTable::appendRecord(out, fields);
    }
    return out;
}

bool FecTripletCsv::writeFile(const QString &path, const std::vector<FecTripletRow> &rows, QString *error)
{
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const QString problem = rowProblem(rows[i]);
        if (!problem.isEmpty()) {
            if (error)
                *error = QStringLiteral("%1: row %2: %3").arg(path).arg(i + 1).arg(problem);
            return false;
        }
    }
    return writeFileAtomically(path, toBytes(rows), error);
}

std::optional<std::vector<FecTripletRow>> FecTripletCsv::parse(const QByteArray &data,
                                                               const QString &pathForErrors, QString *error)
{
    QString syntaxError;
    int syntaxErrorLine = 0;
    const std::optional<CsvTable> table = CsvTable::parse(data, &syntaxError, &syntaxErrorLine);
    if (!table) {
        if (error)
            *error = CsvTable::locate(pathForErrors, syntaxErrorLine, syntaxError);
        return std::nullopt;
    }
    std::vector<FecTripletRow> rows;
    rows.reserve(table->rows().size());
    for (const CsvTable::Row &record : table->rows()) {
        FecTripletRow row;
        row.line = record.line;
        const QString problem = parseRecord(record.fields, &row);
        if (!problem.isEmpty()) {
            if (error)
                *error = CsvTable::locate(pathForErrors, record.line, problem);
            return std::nullopt;
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

std::optional<std::vector<FecTripletRow>> FecTripletCsv::readFile(const QString &path, QString *error)
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
            *error = QStringLiteral("%1: cannot read: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    const QByteArray data = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        if (error)
            *error = QStringLiteral("%1: cannot read: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    return parse(data, path, error);
}

} // namespace fa
