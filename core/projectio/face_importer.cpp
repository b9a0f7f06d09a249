#include "projectio/face_importer.h"

#include "dataset/content_hash.h"
#include "dataset/file_name_labels.h"
#include "dataset/near_duplicate_filter.h"
#include "media/video_reader.h"
#include "project/project.h"
#include "projectio/face_extractor.h"
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
        : m_project(project), m_options(options), m_progress(progress), m_cancel(cancel),
          m_report(report), m_extractor(options.cropSize)
    {
    }

    bool prepare(QString *error) { return m_extractor.setDetectorOptions(m_options.detector, error); }

    bool cancelled() const { return m_cancel && m_cancel->load(); }

    // False only on a database failure (with `error`).
    bool importFile(const ImportFile &file, int index, int count, QString *error)
    {
        m_fileIndex = index;
        m_fileCount = count;
        report(0.0, QStringLiteral("%1/%2 %3").arg(index + 1).arg(count).arg(QFileInfo(file.path).fileName()));
        QString problem;
        const QByteArray hash = fileContentHash(file.path, &problem);
        if (hash.isEmpty()) {
            m_report.problems << problem;
            return true;
        }
        const std::optional<SourceRecord> existing = m_project.faces().sourceByHash(hash);
        if (existing && existing->complete) {
            ++m_report.filesAlreadyInProject;
            return true;
        }
        // An earlier import of this file stopped early: go on after its last face.
        m_resumeAfterFrame = existing ? m_project.faces().lastFaceFrame(existing->id) : -1;
        if (file.kind != ImportFileKind::Video) {
            cv::Mat image = readImageFile(file.path, &problem);
            if (!image.empty())
                return m_resumeAfterFrame >= 0 ? completeSource(existing->id, error)
                                               : importImage(file.path, hash, image, error);
            if (file.kind == ImportFileKind::Image) {
                m_report.problems << problem;
                return true;
            }
        }
        return importVideo(file.path, hash, file.kind == ImportFileKind::Unknown, error);
    }

private:
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
        return scanFrame(source, image, 0, 0.0, error) && completeSource(source.id, error);
    }

    bool completeSource(qint64 sourceId, QString *error)
    {
        return m_project.faces().setSourceComplete(sourceId, error);
    }

    bool importVideo(const QString &path, const QByteArray &hash, bool unknownKind, QString *error)
    {
        VideoReader reader;
        if (!reader.open(path)) {
            m_report.problems << (unknownKind ? QStringLiteral("%1: neither an image nor a video that can be decoded").arg(path)
                                              : reader.errorString());
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
            if (!scanFrame(source, frame.image, frame.index, frame.timeSeconds, error))
                return false;
        }
        if (!reader.errorString().isEmpty()) {
            m_report.problems << reader.errorString();
            return true; // damaged: not complete, though its faces so far are kept
        }
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
                ++m_report.filesAlreadyInProject;
                return true;
            }
        }
        ++m_report.filesImported;
        m_filter.clear();
        return true;
    }

    bool scanFrame(const SourceRecord &source, const cv::Mat &frame, qint64 frameIndex, double seconds,
                   QString *error)
    {
        ++m_report.framesScanned;
        if (!m_landmarksTried) {
            // Loaded on the first frame, so that a run over files already imported stays quick.
            m_landmarksTried = true;
            QString landmarkError;
            if (!m_extractor.loadLandmarks(&landmarkError))
                m_report.problems << landmarkError + QStringLiteral(" (faces are cropped from the detector box)");
        }
        const std::optional<ExtractedFace> face = m_extractor.extract(frame);
        if (!face) {
            ++m_report.framesWithoutFace;
            return true;
        }
        if (m_options.dropNearDuplicates && !m_filter.keepIfNew(face->crop)) {
            ++m_report.nearDuplicatesDropped;
            return true;
        }
        std::vector<uchar> jpeg;
        if (!cv::imencode(".jpg", face->crop, jpeg, {cv::IMWRITE_JPEG_QUALITY, 95})) {
            m_report.problems << QStringLiteral("%1: frame %2: the crop could not be encoded").arg(source.path).arg(frameIndex);
            return true;
        }
        FaceRecord record;
        record.sourceId = source.id;
        record.frameIndex = frameIndex;
        record.timeSeconds = seconds;
        record.box = face->box;
        record.landmarks = face->landmarks;
        record.detectionScore = face->score;
        record.category = source.category;
        record.identity = source.identity;
        const QByteArray bytes(reinterpret_cast<const char *>(jpeg.data()), qsizetype(jpeg.size()));
        if (!m_project.faces().addFace(record, bytes, QStringLiteral("jpg"), error))
            return false;
        ++m_report.facesAdded;
        return true;
    }

    Project &m_project;
    const FaceImportOptions &m_options;
    const FaceImporter::Progress &m_progress;
    const std::atomic_bool *m_cancel;
    FaceImportReport &m_report;
    FaceExtractor m_extractor;
    NearDuplicateFilter m_filter;
    bool m_landmarksTried = false;
    qint64 m_resumeAfterFrame = -1; ///< frames up to this one were imported before
    int m_fileIndex = 0;
    int m_fileCount = 1;
};

/// One file, with exceptions from the libraries (OpenCV refuses images over 2^30 pixels with a
/// cv::Exception, allocation failures) turned into a problem line for that file.
bool importFile(ImportRun &run, const ImportFile &file, int index, int count, FaceImportReport &report,
                QString *failure)
{
    try {
        return run.importFile(file, index, count, failure);
    } catch (const std::exception &e) {
        report.problems << QStringLiteral("%1: %2").arg(file.path, QString::fromUtf8(e.what()).simplified());
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
            ok = importFile(importRun, files[i], int(i), int(files.size()), report, &failure);
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
