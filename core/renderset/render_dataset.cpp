#include "renderset/render_dataset.h"

#include "common/file_kind.h"
#include "export/csv_table.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace fa {

namespace {

QByteArray readAll(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: cannot read: %2").arg(path, file.errorString());
        return QByteArray();
    }
    return file.readAll();
}

/// [x0, y0, x1, y1] (x1, y1 exclusive) -> QRect; null QRect for null or an empty box.
bool readBox(const QJsonValue &value, int size, QRect *box)
{
    *box = QRect();
    if (value.isNull() || value.isUndefined())
        return true;
    const QJsonArray a = value.toArray();
    if (a.size() != 4)
        return false;
    int v[4];
    for (int i = 0; i < 4; ++i) {
        if (!a[i].isDouble())
            return false;
        const double d = a[i].toDouble();
        if (d != std::floor(d) || d < 0 || d > size)
            return false;
        v[i] = int(d);
    }
    if (v[2] < v[0] || v[3] < v[1])
        return false;
    if (v[2] > v[0] && v[3] > v[1])
        *box = QRect(v[0], v[1], v[2] - v[0], v[3] - v[1]);
    return true;
}

bool isSafeRelative(const QString &path)
{
    if (path.isEmpty() || QDir::isAbsolutePath(path) || path.startsWith(QLatin1Char('/'))
        || path.startsWith(QLatin1Char('\\')) || path.contains(QLatin1Char(':')))
        return false;
    const QStringList parts = QString(path).replace(QLatin1Char('\\'), QLatin1Char('/')).split(QLatin1Char('/'));
    for (const QString &part : parts)
        if (part == QLatin1String("..") || part.isEmpty())
            return false;
    return true;
}

} // namespace

std::optional<RenderDataset> RenderDataset::open(const QString &dir, QString *error)
{
    QString scratch;
    QString &message = error ? *error : scratch;
    RenderDataset set;
    set.m_directory = QDir(QFileInfo(dir).absoluteFilePath()).absolutePath();
    if (!QFileInfo(set.m_directory).isDir()) {
        message = folderProblem(dir);
        return std::nullopt;
    }
    const QString jsonPath = set.m_directory + QStringLiteral("/dataset.json");
    const QString csvPath = set.m_directory + QStringLiteral("/rigs.csv");
    if (!QFileInfo(jsonPath).isFile()) {
        message = QStringLiteral("%1: missing (not a render set)").arg(jsonPath);
        return std::nullopt;
    }
    const QByteArray jsonBytes = readAll(jsonPath, &message);
    if (jsonBytes.isNull())
        return std::nullopt;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(jsonBytes, &parseError);
    if (!document.isObject()) {
        message = QStringLiteral("%1: not a JSON object (%2)").arg(jsonPath, parseError.errorString());
        return std::nullopt;
    }
    const QJsonObject root = document.object();
    auto bad = [&](const QString &what) {
        message = QStringLiteral("%1: %2").arg(jsonPath, what);
        return std::nullopt;
    };
    if (root.value(QLatin1String("format")).toString() != QLatin1String(kFormat))
        return bad(QStringLiteral("format is not \"%1\"").arg(QLatin1String(kFormat)));
    if (root.value(QLatin1String("version")).toInt(-1) != kVersion)
        return bad(QStringLiteral("version %1 is not supported (this build reads version %2)")
                       .arg(root.value(QLatin1String("version")).toVariant().toString()).arg(kVersion));
    if (!root.value(QLatin1String("complete")).toBool(false))
        return bad(QStringLiteral("the set is incomplete (its writer was interrupted; run it again)"));
    const QJsonObject render = root.value(QLatin1String("render")).toObject();
    set.m_imageSize = render.value(QLatin1String("size")).toInt(0);
    if (set.m_imageSize <= 0)
        return bad(QStringLiteral("render.size is not a positive image size"));
    const QJsonObject avatar = root.value(QLatin1String("avatar")).toObject();
    set.m_avatarName = avatar.value(QLatin1String("name")).toString();
    set.m_avatarPath = avatar.value(QLatin1String("path")).toString();
    const QJsonArray controls = root.value(QLatin1String("rig")).toObject().value(QLatin1String("controls")).toArray();
    if (controls.isEmpty())
        return bad(QStringLiteral("rig.controls is empty"));
    for (const QJsonValue &value : controls) {
        const QJsonObject c = value.toObject();
        RigDefinition::Control control;
        control.name = c.value(QLatin1String("name")).toString();
        control.minimum = float(c.value(QLatin1String("min")).toDouble(std::nan("")));
        control.maximum = float(c.value(QLatin1String("max")).toDouble(std::nan("")));
        if (control.name.isEmpty() || !std::isfinite(control.minimum) || !std::isfinite(control.maximum)
            || control.maximum < control.minimum)
            return bad(QStringLiteral("rig.controls has an entry without a name or a valid [min, max]"));
        set.m_rig.addControl(control);
    }
    if (!readBox(root.value(QLatin1String("mouth_box")), set.m_imageSize, &set.m_mouthBox))
        return bad(QStringLiteral("mouth_box is not [x0, y0, x1, y1] inside the image"));
    if (!readBox(root.value(QLatin1String("eye_box")), set.m_imageSize, &set.m_eyeBox))
        return bad(QStringLiteral("eye_box is not [x0, y0, x1, y1] inside the image"));
    const qint64 count = qint64(root.value(QLatin1String("count")).toDouble(-1));
    if (count < 0)
        return bad(QStringLiteral("count is missing"));

    const QByteArray csvBytes = readAll(csvPath, &message);
    if (csvBytes.isNull())
        return std::nullopt;
    QString csvError;
    int csvLine = 0;
    const std::optional<CsvTable> table = CsvTable::parse(csvBytes, &csvError, &csvLine);
    if (!table) {
        message = CsvTable::locate(csvPath, csvLine, csvError);
        return std::nullopt;
    }
    if (table->rows().empty()) {
        message = QStringLiteral("%1: empty (no header)").arg(csvPath);
        return std::nullopt;
    }
    const CsvTable::Row &header = table->rows().front();
    const int columns = 1 + set.m_rig.controlCount();
    QStringList expected{QStringLiteral("image")};
    expected << set.m_rig.names();
    if (header.fields != expected) {
        message = CsvTable::locate(csvPath, header.line,
                                   QStringLiteral("the header is not image followed by the %1 controls of dataset.json")
                                       .arg(set.m_rig.controlCount()));
        return std::nullopt;
    }
    const size_t rows = table->rows().size() - 1;
    set.m_rigs.reserve(rows);
    set.m_images.reserve(rows);
    for (size_t r = 1; r < table->rows().size(); ++r) {
        const CsvTable::Row &row = table->rows()[r];
        auto rowError = [&](const QString &what) {
            message = CsvTable::locate(csvPath, row.line, what);
            return std::nullopt;
        };
        if (row.fields.size() != columns)
            return rowError(QStringLiteral("%1 columns, expected %2").arg(row.fields.size()).arg(columns));
        const QString &image = row.fields.front();
        if (!isSafeRelative(image))
            return rowError(QStringLiteral("image path '%1' is not a relative path inside the set").arg(image));
        if (!QFileInfo(set.m_directory + QLatin1Char('/') + image).isFile())
            return rowError(QStringLiteral("image %1 does not exist").arg(image));
        std::vector<float> values(size_t(set.m_rig.controlCount()));
        for (int c = 0; c < set.m_rig.controlCount(); ++c) {
            bool ok = false;
            const float v = row.fields[c + 1].trimmed().toFloat(&ok);
            const RigDefinition::Control &control = set.m_rig.control(c);
            if (!ok || !std::isfinite(v))
                return rowError(QStringLiteral("%1: '%2' is not a number").arg(control.name, row.fields[c + 1]));
            if (v < control.minimum || v > control.maximum)
                return rowError(QStringLiteral("%1: %2 is outside [%3, %4]")
                                    .arg(control.name, row.fields[c + 1]).arg(control.minimum).arg(control.maximum));
            values[size_t(c)] = v;
        }
        set.m_images.push_back(image);
        set.m_rigs.push_back(std::move(values));
    }
    if (qint64(rows) != count) {
        message = QStringLiteral("%1: %2 rows, but dataset.json says %3 images").arg(csvPath).arg(rows).arg(count);
        return std::nullopt;
    }
    QCryptographicHash hash(QCryptographicHash::Sha1);
    hash.addData(jsonBytes);
    hash.addData(csvBytes);
    set.m_fingerprint = hash.result().toHex();
    return set;
}

QString RenderDataset::imagePath(qsizetype i) const
{
    return m_directory + QLatin1Char('/') + m_images[size_t(i)];
}

} // namespace fa
