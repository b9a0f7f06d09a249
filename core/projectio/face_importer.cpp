#include "projectio/face_importer.h"

#include "common/error_text.h"

#include "dataset/content_hash.h"
#include "dataset/file_name_labels.h"
#include "dataset/near_duplicate_filter.h"
#include "media/video_reader.h"
#include "project/project.h"
#include "projectio/face_crop_geometry.h"
#include "projectio/face_finder.h"
#include "projectio/face_identity_namer.h"
#include "projectio/image_file.h"
#include "projectio/import_file_list.h"

#include <QElapsedTimer>
#include <QFileInfo>

#include <opencv2/imgcodecs.hpp>

#include <algorithm>

namespace fa {
namespace {

class ImportRun
{
public:
    ImportRun(Project &project, const FaceImportOptions &options, const FaceImporter::Progress &progress,
              const std::atomic_bool *cancel, FaceImportReport &report)
        : m_project(project), m_options(options), m_progress(progress), m_cancel(cancel), m_report(report)
    {
    }

    /// Applies the face finder options with the project's crop framing (and records it).
    bool prepare(QString *error)
    {
        if (!rememberProjectCropFraming(m_project, error))
            return false;
        FaceFinderOptions faces = m_options.faces;
        faces.framing = projectCropFraming(m_project);
        return m_finder.setOptions(faces, error);
    }

    bool cancelled() const { return m_cancel && m_cancel->load(); }

    // False only on a database failure (with `error`). The file's report is added to the run's.
    bool importFile(const ImportFile &file, int index, int count, QString *error)
    {
        m_fileIndex = index;
        m_fileCount = count;
        m_file = FileImportReport();
        m_file.path = file.path;
        m_file.minFaceSize = m_options.faces.minFaceSize;
        report(0.0, QStringLiteral("%1/%2 %3").arg(index + 1).arg(count).arg(QFileInfo(file.path).fileName()));
        const bool ok = importFileContent(file, error);
        m_report.add(m_file);
        return ok;
    }

    /// Reports a file that threw (OpenCV refuses images over 2^30 pixels, allocation failures).
    void addFailedFile(const QString &path, const QString &what)
    {
        m_file.path = path;
        m_file.problem = QStringLiteral("%1: %2").arg(path, what);
        m_report.add(m_file);
    }

private:
    bool importFileContent(const ImportFile &file, QString *error)
    {
        QString problem;
        const QByteArray hash = fileContentHash(file.path, &problem);
        if (hash.isEmpty()) {
            m_file.problem = problem;
            return true;
        }
        const std::optional<SourceRecord> existing = m_project.faces().sourceByHash(hash);
        if (existing && existing->complete) {
            m_file.alreadyInProject = true;
            return true;
        }
        // An earlier import of this file stopped early: go on after its last face (the faces of
        // one frame are stored together, so that frame is whole).
        m_resumeAfterFrame = existing ? m_project.faces().lastFaceFrame(existing->id) : -1;
        if (file.kind != ImportFileKind::Video) {
            cv::Mat image = readImageFile(file.path, &problem);
            if (!image.empty())
                return m_resumeAfterFrame >= 0 ? completeSource(existing->id, error)
                                               : importImage(file.path, hash, image, error);
            if (file.kind == ImportFileKind::Image) {
                m_file.problem = problem;
                return true;
            }
        }
        return importVideo(file.path, hash, file.kind == ImportFileKind::Unknown, error);
    }

    void report(double withinFile, const QString &status)
    {
        if (m_progress)
            m_progress(std::clamp((m_fileIndex + withinFile) / std::max(1, m_fileCount), 0.0, 1.0), status);
    }

    bool importImage(const QString &path, const QByteArray &hash, const cv::Mat &image, QString *error)
    {
        SourceRecord source;
        source.path = path;
        source.kind = SourceRecord::Kind::Image;
        source.contentHash = hash;
        source.width = image.cols;
        source.height = image.rows;
        source.frameCount = 1;
        const FileNameLabels labels = labelsFromFileName(path);
        source.category = labels.category;
        source.identity = labels.identity;
        if (!addSource(&source, error))
            return false;
        if (source.complete) // added by another import meanwhile
            return true;
        FaceIdentityNamer namer(labels.identity, QFileInfo(path).completeBaseName(), false);
        const FoundFaces found = findFaces(image, false);
        const QStringList identities = namer.forImage(found.boxes());
        return storeFaces(source, found, identities, 0, 0.0, error) && completeSource(source.id, error);
    }

    bool completeSource(qint64 sourceId, QString *error)
    {
        return m_project.faces().setSourceComplete(sourceId, error);
    }

    bool importVideo(const QString &path, const QByteArray &hash, bool unknownKind, QString *error)
    {
        m_file.video = true;
        VideoReader reader;
        if (!reader.open(path)) {
            m_file.problem = unknownKind ? QStringLiteral("%1: neither an image nor a video that can be decoded").arg(path)
                                         : reader.errorString();
            return true;
        }
        const VideoInfo &info = reader.info();
        SourceRecord source;
        source.path = path;
        source.kind = SourceRecord::Kind::Video;
        source.contentHash = hash;
        source.width = info.width;
        source.height = info.height;
        source.frameCount = info.frameCount;
        source.fps = info.fps;
        const FileNameLabels labels = labelsFromFileName(path);
        source.category = labels.category;
        source.identity = labels.identity.isEmpty() ? QFileInfo(path).completeBaseName() : labels.identity;
        if (!addSource(&source, error))
            return false;
        if (source.complete)
            return true;
        FaceIdentityNamer namer(labels.identity, QFileInfo(path).completeBaseName(), m_options.faces.allFacesInVideos);
        const QString name = QFileInfo(path).fileName();
        const int every = std::max(1, m_options.everyNthFrame);
        VideoFrame frame;
        while (reader.readFrame(&frame)) {
            if (cancelled()) {
                m_report.cancelled = true;
                return true;
            }
            if (frame.index % every != 0 || frame.index <= m_resumeAfterFrame)
                continue;
            report(info.frameCount > 0 ? double(frame.index) / double(info.frameCount) : 0.0,
                   QStringLiteral("%1 frame %2/%3").arg(name).arg(frame.index).arg(info.frameCount));
            const FoundFaces found = findFaces(frame.image, true);
            const QStringList identities = namer.forVideoFrame(found.boxes());
            if (!storeFaces(source, found, identities, frame.index, frame.timeSeconds, error))
                return false;
        }
        if (!reader.errorString().isEmpty()) {
            m_file.problem = reader.errorString();
            return true; // damaged: not complete, though its faces so far are kept
        }
        if (!reader.warningString().isEmpty())
            m_report.warnings << reader.warningString() + QStringLiteral(" (imported)");
        return completeSource(source.id, error);
    }

    /// Adds the source, or takes the one an earlier, unfinished import left (same content).
    /// source->complete is true on return when another import finished the file meanwhile.
    bool addSource(SourceRecord *source, QString *error)
    {
        source->importedAtMs = m_project.nowMs();
        bool present = false;
        const std::optional<qint64> id = m_project.faces().addSource(*source, error, &present);
        if (!id)
            return false;
        source->id = *id;
        if (present) {
            const std::optional<SourceRecord> stored = m_project.faces().source(*id);
            if (stored && stored->complete && m_resumeAfterFrame < 0) {
                source->complete = true;
                m_file.alreadyInProject = true;
                return true;
            }
        }
        ++m_report.filesImported;
        m_filter.clear();
        return true;
    }

    FoundFaces findFaces(const cv::Mat &frame, bool videoFrame)
    {
        if (!m_landmarksTried) {
            // Loaded on the first frame, so that a run over files already imported stays quick.
            m_landmarksTried = true;
            QString landmarkError;
            if (!m_finder.loadLandmarks(&landmarkError))
                m_report.problems << landmarkError + QStringLiteral(" (faces are cropped from the detector box)");
        }
        return m_finder.findCounting(frame, videoFrame, m_file);
    }

    /// Stores the faces of one frame (not near duplicates) in one transaction.
    bool storeFaces(const SourceRecord &source, const FoundFaces &found, const QStringList &identities,
                    qint64 frameIndex, double seconds, QString *error)
    {
        std::vector<FaceRecord> records;
        std::vector<QByteArray> crops;
        for (size_t i = 0; i < found.faces.size(); ++i) {
            const ExtractedFace &face = found.faces[i];
            if (m_options.dropNearDuplicates && !m_filter.keepIfNew(face.crop(m_finder.cropFaceCore()))) {
                ++m_file.nearDuplicatesDropped;
                continue;
            }
            std::vector<uchar> jpeg;
            if (!cv::imencode(".jpg", face.crop, jpeg, {cv::IMWRITE_JPEG_QUALITY, 95})) {
                m_report.problems << QStringLiteral("%1: frame %2: a crop could not be encoded").arg(source.path).arg(frameIndex);
                continue;
            }
            FaceRecord record;
            record.sourceId = source.id;
            record.frameIndex = frameIndex;
            record.timeSeconds = seconds;
            record.box = face.box;
            record.landmarks = face.landmarks;
            record.detectionScore = face.score;
            record.category = source.category;
            record.identity = identities.value(qsizetype(i));
            records.push_back(std::move(record));
            crops.emplace_back(reinterpret_cast<const char *>(jpeg.data()), qsizetype(jpeg.size()));
        }
        if (records.empty())
            return true;
        if (!m_project.faces().addFaces(records, crops, QStringLiteral("jpg"), error))
            return false;
        m_file.facesAdded += int(records.size());
        return true;
    }

    Project &m_project;
    const FaceImportOptions &m_options;
    const FaceImporter::Progress &m_progress;
    const std::atomic_bool *m_cancel;
    FaceImportReport &m_report;
    FileImportReport m_file; ///< the file being imported
    FaceFinder m_finder;
    NearDuplicateFilter m_filter;
    bool m_landmarksTried = false;
    qint64 m_resumeAfterFrame = -1; ///< frames up to this one were imported before
    int m_fileIndex = 0;
    int m_fileCount = 1;
};

/// One file, with exceptions from the libraries (OpenCV refuses images over 2^30 pixels with a
/// cv::Exception, allocation failures) turned into a problem line for that file.
bool importFile(ImportRun &run, const ImportFile &file, int index, int count, QString *failure)
{
    try {
        return run.importFile(file, index, count, failure);
    } catch (const std::exception &e) {
        run.addFailedFile(file.path, exceptionText(e));
        return true;
    }
}

} // namespace

FaceImporter::FaceImporter(const FaceImportOptions &options)
    : m_options(options)
{
}

std::optional<FaceImportReport> FaceImporter::run(Project &project, const QStringList &paths,
                                                  const Progress &progress, const std::atomic_bool *cancel,
                                                  QString *error)
{
    QElapsedTimer timer;
    timer.start();
    FaceImportReport report;
    const std::vector<ImportFile> files = collectImportFiles(paths, &report.problems);
    ImportRun importRun(project, m_options, progress, cancel, report);
    QString failure;
    bool ok = importRun.prepare(&failure);
    for (size_t i = 0; ok && i < files.size() && !report.cancelled; ++i) {
        if (importRun.cancelled())
            report.cancelled = true;
        else
            ok = importFile(importRun, files[i], int(i), int(files.size()), &failure);
    }
    report.seconds = timer.nsecsElapsed() / 1e9;
    if (!ok) {
        if (error)
            *error = failure;
        return std::nullopt;
    }
    if (progress && !report.cancelled)
        progress(1.0, QStringLiteral("done"));
    return report;
}

} // namespace fa
