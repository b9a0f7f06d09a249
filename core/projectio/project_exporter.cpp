#include "projectio/project_exporter.h"

#include "common/atomic_file.h"
#include "export/csv_table.h"
#include "project/project.h"
#include "projectio/triplet_export_rows.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <set>

namespace fa {
namespace {

QString cropPath(const FaceRecord &face)
{
    return face.cropPath;
}

// The exported image of a face, relative to the export folder.
QString exportedImage(const FaceRecord &face)
{
    const QString suffix = QFileInfo(face.cropPath).suffix().toLower();
    return QStringLiteral("images/%1.%2").arg(face.id).arg(suffix.isEmpty() ? QStringLiteral("jpg") : suffix);
}

// The stores' readers cannot report a failure; this probe can.
bool readSnapshot(Project &project, ExportSnapshot *snapshot, QString *error)
{
    if (project.connection().queryInt(QStringLiteral("SELECT COUNT(*) FROM triplets"), -1) < 0) {
        if (error)
            *error = project.databaseError();
        return false;
    }
    *snapshot = ExportSnapshot::read(project);
    return true;
}

std::optional<ProjectExportReport> fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return std::nullopt;
}

QByteArray readAll(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: cannot read: %2").arg(path, file.errorString());
        return QByteArray();
    }
    return file.readAll();
}

// Copies the crops of `faceIds` into OUT/images, skipping identical files, and removes images
// of earlier exports that are no longer used. Returns the number of files written.
std::optional<int> syncImages(Project &project, const ExportSnapshot &snapshot, const std::set<qint64> &faceIds,
                              const QDir &out, QString *error)
{
    int written = 0;
    std::set<QString> expected;
    for (qint64 id : faceIds) {
        const FaceRecord &face = snapshot.faces.at(id);
        const QString name = exportedImage(face);
        expected.insert(QFileInfo(name).fileName());
        const QByteArray bytes = readAll(project.absolutePath(face.cropPath), error);
        if (bytes.isEmpty()) {
            if (error->isEmpty())
                *error = QStringLiteral("%1: the crop is empty").arg(project.absolutePath(face.cropPath));
            return std::nullopt;
        }
        const QString target = out.filePath(name);
        QString ignored;
        if (QFileInfo(target).size() == bytes.size() && readAll(target, &ignored) == bytes)
            continue;
        if (!writeFileAtomically(target, bytes, error))
            return std::nullopt;
        ++written;
    }
    const QRegularExpression exported(QStringLiteral("^[0-9]+\\.(jpg|jpeg|png)$"));
    QDir images(out.filePath(QStringLiteral("images")));
    for (const QString &name : images.entryList(QDir::Files))
        if (exported.match(name).hasMatch() && !expected.count(name))
            images.remove(name);
    return written;
}

QByteArray facesCsv(const ExportSnapshot &snapshot, const std::set<qint64> &faceIds)
{
    QByteArray bytes;
    CsvTable::appendRecord(bytes, {QStringLiteral("face_id"), QStringLiteral("image"), QStringLiteral("source"),
                                   QStringLiteral("frame"), QStringLiteral("time_seconds"),
                                   QStringLiteral("category"), QStringLiteral("identity")});
    for (qint64 id : faceIds) {
        const FaceRecord &face = snapshot.faces.at(id);
        const auto source = snapshot.sources.find(face.sourceId);
        CsvTable::appendRecord(bytes, {QString::number(face.id), exportedImage(face),
                                       source != snapshot.sources.end() ? source->second.path : QString(),
                                       QString::number(face.frameIndex), QString::number(face.timeSeconds, 'g', 10),
                                       face.category, face.identity});
    }
    return bytes;
}

} // namespace

QString ProjectExporter::formatName(Format format)
{
    switch (format) {
    case Format::Reference: return QStringLiteral("reference");
    case Format::Fec: return QStringLiteral("fec");
    case Format::Folder: return QStringLiteral("folder");
    }
    return QString();
}

std::optional<ProjectExporter::Format> ProjectExporter::formatFromName(const QString &name)
{
    for (Format format : {Format::Reference, Format::Fec, Format::Folder})
        if (name.compare(formatName(format), Qt::CaseInsensitive) == 0)
            return format;
    return std::nullopt;
}

std::optional<ProjectExportReport> ProjectExporter::run(Project &project, Format format, const QString &outPath,
                                                        QString *error)
{
    switch (format) {
    case Format::Reference: return exportReferenceCsv(project, outPath, error);
    case Format::Fec: return exportFecCsv(project, outPath, error);
    case Format::Folder: return exportFolder(project, outPath, error);
    }
    return std::nullopt;
}

std::optional<ProjectExportReport> ProjectExporter::exportReferenceCsv(Project &project, const QString &path,
                                                                       QString *error)
{
    ExportSnapshot snapshot;
    if (!readSnapshot(project, &snapshot, error))
        return std::nullopt;
    ReferenceRowCounts counts;
    const std::vector<ReferenceTripletRow> rows = referenceRows(snapshot, cropPath, &counts);
    if (!ReferenceTripletCsv::writeFile(path, rows, error))
        return std::nullopt;
    ProjectExportReport report;
    report.referenceRows = int(rows.size());
    report.tripletsWithoutMajority = counts.tripletsWithoutMajority;
    report.tripletsWithoutJudgments = counts.tripletsWithoutJudgments;
    report.filesWritten << path;
    return report;
}

std::optional<ProjectExportReport> ProjectExporter::exportFecCsv(Project &project, const QString &path, QString *error)
{
    ExportSnapshot snapshot;
    if (!readSnapshot(project, &snapshot, error))
        return std::nullopt;
    const std::vector<FecTripletRow> rows = fecRows(snapshot, cropPath);
    if (!FecTripletCsv::writeFile(path, rows, error))
        return std::nullopt;
    ProjectExportReport report;
    report.fecRows = int(rows.size());
    report.tripletsWithoutJudgments = int(snapshot.triplets.size()) - report.fecRows;
    report.filesWritten << path;
    return report;
}

std::optional<ProjectExportReport> ProjectExporter::exportFolder(Project &project, const QString &directory,
                                                                 QString *error)
{
    const QFileInfo info(directory);
    const QDir out(info.absoluteFilePath());
    if (info.exists() && !info.isDir())
        return fail(error, QStringLiteral("%1: exists and is not a folder").arg(directory));
    if (info.exists() && !out.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System)
        && !QFileInfo::exists(out.filePath(QString::fromUtf8(kMarkerFileName))))
        return fail(error, QStringLiteral("%1: the folder is not empty and holds no previous export (%2); "
                                          "choose a new or empty folder")
                               .arg(directory, QString::fromUtf8(kMarkerFileName)));
    if (!out.mkpath(QStringLiteral("images")))
        return fail(error, QStringLiteral("%1: cannot create the folder").arg(out.filePath(QStringLiteral("images"))));

    ExportSnapshot snapshot;
    if (!readSnapshot(project, &snapshot, error))
        return std::nullopt;
    ProjectExportReport report;
    ReferenceRowCounts counts;
    const std::vector<ReferenceTripletRow> reference = referenceRows(snapshot, exportedImage, &counts);
    const std::vector<FecTripletRow> fec = fecRows(snapshot, exportedImage);
    std::set<qint64> faceIds;
    for (const TripletRecord &triplet : snapshot.triplets)
        if (snapshot.votes.count(triplet.id))
            faceIds.insert(triplet.faceIds.begin(), triplet.faceIds.end());
    QString failure;
    const std::optional<int> written = syncImages(project, snapshot, faceIds, out, &failure);
    if (!written)
        return fail(error, failure);

    const QString triplets = out.filePath(QStringLiteral("triplets.csv"));
    const QString fecPath = out.filePath(QStringLiteral("fec.csv"));
    const QString faces = out.filePath(QStringLiteral("faces.csv"));
    if (!ReferenceTripletCsv::writeFile(triplets, reference, error) || !FecTripletCsv::writeFile(fecPath, fec, error)
        || !writeFileAtomically(faces, facesCsv(snapshot, faceIds), error))
        return std::nullopt;
    report.referenceRows = int(reference.size());
    report.fecRows = int(fec.size());
    report.tripletsWithoutMajority = counts.tripletsWithoutMajority;
    report.tripletsWithoutJudgments = counts.tripletsWithoutJudgments;
    report.imagesWritten = *written;
    report.facesListed = int(faceIds.size());
    report.filesWritten << triplets << fecPath << faces;

    QJsonObject marker;
    marker.insert(QStringLiteral("format"), QStringLiteral("freeavatar-project-export"));
    marker.insert(QStringLiteral("version"), 1);
    marker.insert(QStringLiteral("project"), project.directory());
    marker.insert(QStringLiteral("exported_at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    marker.insert(QStringLiteral("reference_rows"), report.referenceRows);
    marker.insert(QStringLiteral("fec_rows"), report.fecRows);
    marker.insert(QStringLiteral("faces"), report.facesListed);
    const QString markerPath = out.filePath(QString::fromUtf8(kMarkerFileName));
    if (!writeFileAtomically(markerPath, QJsonDocument(marker).toJson(), error))
        return std::nullopt;
    report.filesWritten << markerPath;
    return report;
}

} // namespace fa
