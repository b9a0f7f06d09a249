#include "projectio/fec_importer.h"

#include "dataset/content_hash.h"
#include "dataset/fec_triplet_csv.h"
#include "dataset/file_name_labels.h"
#include "export/csv_table.h"
#include "face/face_cropper.h"
#include "project/project.h"
#include "projectio/face_crop_geometry.h"
#include "projectio/image_file.h"

#include <QDir>
#include <QFileInfo>
#include <QUrl>

#include <opencv2/imgcodecs.hpp>

#include <cmath>
#include <map>
#include <set>

namespace fa {
namespace {

QString faceKey(const QString &path, const FecFace &face)
{
    return QStringLiteral("%1\n%2 %3 %4 %5").arg(path).arg(double(face.left), 0, 'g', 9).arg(double(face.right), 0, 'g', 9)
        .arg(double(face.top), 0, 'g', 9).arg(double(face.bottom), 0, 'g', 9);
}

bool sameBox(const QRectF &a, const QRectF &b)
{
    return std::abs(a.x() - b.x()) < 0.5 && std::abs(a.y() - b.y()) < 0.5 && std::abs(a.width() - b.width()) < 0.5
        && std::abs(a.height() - b.height()) < 0.5;
}

class FecImportRun
{
public:
    FecImportRun(Project &project, const FecImportOptions &options, FecImportReport &report)
        : m_project(project), m_report(report)
    {
        m_cropper.setOptions(FaceCropper::framingOptions(projectCropFraming(project), options.cropSize));
        for (const FaceRecord &face : project.faces().faces())
            m_existingFaces.emplace(face.sourceId, std::make_pair(face.box, face.id));
    }

    /// Where an image is first used, so that a problem names the CSV and line (issue 16).
    void setFirstUse(const QString &csvPath, std::map<QString, int> lines)
    {
        m_csvPath = csvPath;
        m_firstLine = std::move(lines);
    }
    void markBad(const QString &path, const QString &problem)
    {
        if (!m_badImages.insert(path).second)
            return;
        ++m_report.missingImageCount;
        const auto line = m_firstLine.find(path);
        if (m_report.missingImages.size() < FecImporter::kMaxReportedImages)
            m_report.missingImages << (line == m_firstLine.end() ? problem : CsvTable::locate(m_csvPath, line->second, problem));
    }
    bool isBad(const QString &path) const { return m_badImages.count(path) > 0; }

    // Adds (or finds) the source of `path` and a face for each of `boxes`; false only on a
    // database failure. An unreadable image is marked bad.
    bool importImage(const QString &path, const std::vector<FecFace> &boxes, QString *error)
    {
        QString problem;
        const QByteArray hash = fileContentHash(path, &problem);
        if (hash.isEmpty()) {
            markBad(path, problem);
            return true;
        }
        cv::Mat image;
        SourceRecord source;
        if (const std::optional<SourceRecord> existing = m_project.faces().sourceByHash(hash)) {
            source = *existing;
        } else {
            image = readImageFile(path, &problem);
            if (image.empty()) {
                markBad(path, problem);
                return true;
            }
            const FileNameLabels labels = labelsFromFileName(path);
            source.path = path;
            source.contentHash = hash;
            source.width = image.cols;
            source.height = image.rows;
            source.category = labels.category;
            source.identity = labels.identity;
            source.complete = true; // its faces are the rows' boxes, added right below
            const std::optional<qint64> id = m_project.faces().addSource(source, error);
            if (!id)
                return false;
            source.id = *id;
            ++m_report.sourcesAdded;
        }
        for (const FecFace &face : boxes) {
            const QRectF box(face.left * source.width, face.top * source.height, (face.right - face.left) * source.width,
                             (face.bottom - face.top) * source.height);
            const std::optional<qint64> existing = existingFace(source.id, box);
            if (existing) {
                m_faceIds[faceKey(path, face)] = *existing;
                ++m_report.facesReused;
                continue;
            }
            if (image.empty())
                image = readImageFile(path, &problem);
            if (image.empty()) {
                markBad(path, problem);
                return true;
            }
            const std::optional<qint64> id = addFace(source, box, image, error);
            if (!id)
                return false;
            m_faceIds[faceKey(path, face)] = *id;
            m_existingFaces.emplace(source.id, std::make_pair(box, *id));
            ++m_report.facesAdded;
        }
        return true;
    }

    qint64 faceId(const QString &path, const FecFace &face) const { return m_faceIds.at(faceKey(path, face)); }

private:
    std::optional<qint64> existingFace(qint64 sourceId, const QRectF &box) const
    {
        const auto range = m_existingFaces.equal_range(sourceId);
        for (auto it = range.first; it != range.second; ++it)
            if (sameBox(it->second.first, box))
                return it->second.second;
        return std::nullopt;
    }

    std::optional<qint64> addFace(const SourceRecord &source, const QRectF &box, const cv::Mat &image, QString *error)
    {
        const cv::Mat crop = m_cropper.cropBox(image, cv::Rect2f(float(box.x()), float(box.y()), float(box.width()),
                                                                 float(box.height())));
        std::vector<uchar> jpeg;
        if (crop.empty() || !cv::imencode(".jpg", crop, jpeg, {cv::IMWRITE_JPEG_QUALITY, 95})) {
            if (error)
                *error = QStringLiteral("%1: the face crop could not be made").arg(source.path);
            return std::nullopt;
        }
        FaceRecord face;
        face.sourceId = source.id;
        face.box = box;
        face.category = source.category;
        face.identity = source.identity;
        return m_project.faces().addFace(
            face, QByteArray(reinterpret_cast<const char *>(jpeg.data()), qsizetype(jpeg.size())),
            QStringLiteral("jpg"), error);
    }

    Project &m_project;
    FecImportReport &m_report;
    FaceCropper m_cropper;
    std::multimap<qint64, std::pair<QRectF, qint64>> m_existingFaces; ///< source id -> (box, face id)
    std::map<QString, qint64> m_faceIds;                              ///< faceKey() -> face id
    std::set<QString> m_badImages;
    QString m_csvPath;
    std::map<QString, int> m_firstLine;
};

bool addJudgments(Project &project, const std::vector<std::pair<qint64, const FecTripletRow *>> &triplets,
                  FecImportReport &report, QString *error)
{
    std::map<QString, qint64> annotators;
    std::vector<JudgmentRecord> judgments;
    for (const auto &[tripletId, row] : triplets) {
        for (const FecAnnotation &annotation : row->annotations) {
            auto annotator = annotators.find(annotation.annotatorId);
            if (annotator == annotators.end()) {
                const std::optional<qint64> id = project.judgments().annotatorId(annotation.annotatorId, error);
                if (!id)
                    return false;
                annotator = annotators.emplace(annotation.annotatorId, *id).first;
            }
            JudgmentRecord judgment;
            judgment.tripletId = tripletId;
            judgment.annotatorId = annotator->second;
            judgment.choice = annotation.choice;
            judgments.push_back(judgment);
        }
    }
    // One transaction for the whole file: FEC has millions of judgments.
    int added = 0, present = 0;
    if (!project.judgments().recordBatch(judgments, &added, &present, error))
        return false;
    report.judgmentsAdded += added;
    report.judgmentsAlreadyInProject += present;
    report.annotatorsUsed = int(annotators.size());
    return true;
}

} // namespace

QString FecImporter::localImagePath(const QString &url, const QString &imagesDirectory)
{
    const QDir images(imagesDirectory);
    if (url.startsWith(QLatin1String("http://"), Qt::CaseInsensitive)
        || url.startsWith(QLatin1String("https://"), Qt::CaseInsensitive))
        return images.filePath(QUrl(url).fileName(QUrl::FullyDecoded));
    if (url.startsWith(QLatin1String("file:"), Qt::CaseInsensitive))
        return QDir::cleanPath(QUrl(url).toLocalFile());
    if (QDir::isAbsolutePath(url))
        return QDir::cleanPath(url);
    return QDir::cleanPath(images.filePath(url));
}

std::optional<FecImportReport> FecImporter::run(Project &project, const QString &csvPath,
                                                const FecImportOptions &options, QString *error)
{
    const std::optional<std::vector<FecTripletRow>> rows = FecTripletCsv::readFile(csvPath, error);
    if (!rows)
        return std::nullopt;
    if (rows->empty()) {
        if (error)
            *error = QStringLiteral("%1: holds no triplet rows").arg(csvPath);
        return std::nullopt;
    }
    FecImportReport report;
    report.rowsRead = int(rows->size());
    std::map<QString, int> firstLine;

    // Local paths, checked for repeated faces; the boxes of each image in first-use order.
    std::vector<std::array<QString, 3>> paths(rows->size());
    std::vector<QString> imageOrder;
    std::map<QString, std::vector<FecFace>> boxes;
    std::set<QString> keys;
    for (size_t r = 0; r < rows->size(); ++r) {
        const FecTripletRow &row = (*rows)[r];
        for (size_t i = 0; i < 3; ++i) {
            paths[r][i] = localImagePath(row.faces[i].url, options.imagesDirectory);
            for (size_t j = 0; j < i; ++j)
                if (faceKey(paths[r][i], row.faces[i]) == faceKey(paths[r][j], row.faces[j])) {
                    if (error)
                        *error = CsvTable::locate(csvPath, row.line, QStringLiteral("faces %1 and %2 are the same image and box")
                                                                       .arg(j + 1).arg(i + 1));
                    return std::nullopt;
                }
            if (!boxes.count(paths[r][i])) {
                imageOrder.push_back(paths[r][i]);
                firstLine.emplace(paths[r][i], row.line);
            }
            if (keys.insert(faceKey(paths[r][i], row.faces[i])).second)
                boxes[paths[r][i]].push_back(row.faces[i]);
        }
    }

    if (!rememberProjectCropFraming(project, error))
        return std::nullopt;
    FecImportRun faces(project, options, report);
    faces.setFirstUse(csvPath, std::move(firstLine));
    for (const QString &path : imageOrder) {
        if (!QFileInfo(path).isFile())
            faces.markBad(path, QStringLiteral("%1: no such image file").arg(path));
        else if (!faces.importImage(path, boxes[path], error))
            return std::nullopt;
    }

    // Triplets already in the project, then those added by earlier rows of this file (by
    // index into `added`, negative = -(id) of an existing one).
    std::map<std::array<qint64, 3>, qint64> known;
    for (const TripletRecord &t : project.triplets().all())
        known.emplace(t.faceIds, -t.id);
    std::vector<TripletRecord> added;
    std::vector<std::pair<qint64, const FecTripletRow *>> judged; // (known value, row)
    for (size_t r = 0; r < rows->size(); ++r) {
        const FecTripletRow &row = (*rows)[r];
        if (faces.isBad(paths[r][0]) || faces.isBad(paths[r][1]) || faces.isBad(paths[r][2])) {
            ++report.rowsSkipped;
            continue;
        }
        TripletRecord triplet;
        for (size_t i = 0; i < 3; ++i)
            triplet.faceIds[i] = faces.faceId(paths[r][i], row.faces[i]);
        const auto found = known.find(triplet.faceIds);
        if (found != known.end()) {
            if (found->second < 0)
                ++report.tripletsAlreadyInProject;
            judged.emplace_back(found->second, &row);
            continue;
        }
        triplet.type = row.type;
        triplet.origin = TripletRecord::Origin::Imported;
        known.emplace(triplet.faceIds, qint64(added.size()));
        judged.emplace_back(qint64(added.size()), &row);
        added.push_back(triplet);
    }
    if (!added.empty() && !project.triplets().add(added, error))
        return std::nullopt;
    report.tripletsAdded = int(added.size());
    for (auto &entry : judged)
        entry.first = entry.first < 0 ? -entry.first : added[size_t(entry.first)].id;
    if (!addJudgments(project, judged, report, error))
        return std::nullopt;
    return report;
}

} // namespace fa
