#include "training/face_crop_dataset.h"
#include "common/error_text.h"

#include "dataset/file_name_labels.h"
#include "media/video_reader.h"
#include "project/project.h"
#include "projectio/face_extractor.h"
#include "projectio/image_file.h"
#include "projectio/import_file_list.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <set>

namespace fa {
namespace {


/// Finds, crops and encodes faces file by file, as the face importer does (without storage).
class FaceCollector
{
public:
    FaceCollector(const FaceCropLoadOptions &options, FaceCropLoadReport &report)
        : m_options(options), m_report(report), m_extractor(options.cropSize)
    {
    }

    bool cancelled() const { return m_options.cancel && m_options.cancel->load(); }

    void collect(const ImportFile &file, int index, int count, int frameStep, std::vector<FaceCropItem> &items)
    {
        m_fileIndex = index;
        m_fileCount = count;
        progress(0.0, QStringLiteral("%1/%2 %3").arg(index + 1).arg(count).arg(QFileInfo(file.path).fileName()));
        try {
            collectFile(file, frameStep, items);
        } catch (const std::exception &e) {
            // OpenCV refuses huge images with an exception; allocation failures: one problem line.
            m_report.problems << QStringLiteral("%1: %2").arg(file.path, QString::fromUtf8(e.what()).simplified());
        }
    }

private:
    void progress(double withinFile, const QString &status)
    {
        if (m_options.progress)
            m_options.progress(std::clamp((m_fileIndex + withinFile) / std::max(1, m_fileCount), 0.0, 1.0), status);
    }

    void collectFile(const ImportFile &file, int frameStep, std::vector<FaceCropItem> &items)
    {
        QString problem;
        if (file.kind != ImportFileKind::Video) {
            const cv::Mat image = readImageFile(file.path, &problem);
            if (!image.empty()) {
                ++m_report.files;
                const FileNameLabels labels = labelsFromFileName(file.path);
                scanFrame(image, file.path, labels, file.path, 0, items);
                return;
            }
            if (file.kind == ImportFileKind::Image) {
                m_report.problems << problem;
                return;
            }
        }
        VideoReader reader;
        if (!reader.open(file.path)) {
            m_report.problems << (file.kind == ImportFileKind::Unknown
                                      ? QStringLiteral("%1: neither an image nor a video that can be decoded").arg(file.path)
                                      : reader.errorString());
            return;
        }
        ++m_report.files;
        FileNameLabels labels = labelsFromFileName(file.path);
        if (labels.identity.isEmpty())
            labels.identity = QFileInfo(file.path).completeBaseName();
        const qint64 frameCount = reader.info().frameCount;
        const QString name = QFileInfo(file.path).fileName();
        const int step = std::max(1, frameStep);
        VideoFrame frame;
        while (reader.readFrame(&frame)) {
            if (cancelled())
                return;
            if (frame.index % step != 0)
                continue;
            progress(frameCount > 0 ? double(frame.index) / double(frameCount) : 0.0,
                     QStringLiteral("%1 frame %2/%3").arg(name).arg(frame.index).arg(frameCount));
            scanFrame(frame.image, file.path, labels, QStringLiteral("%1 frame %2").arg(file.path).arg(frame.index),
                      frame.index, items);
        }
        if (!reader.errorString().isEmpty())
            m_report.problems << reader.errorString(); // faces of the frames before the damage stay
    }

    void scanFrame(const cv::Mat &frame, const QString &path, const FileNameLabels &labels, const QString &origin,
                   qint64 frameIndex, std::vector<FaceCropItem> &items)
    {
        ++m_report.framesScanned;
        if (!m_landmarksTried) {
            m_landmarksTried = true;
            QString landmarkError;
            if (!m_extractor.loadLandmarks(&landmarkError))
                m_report.problems << landmarkError + QStringLiteral(" (faces are cropped from the detector box)");
        }
        const std::optional<ExtractedFace> face = m_extractor.extract(frame);
        if (!face) {
            ++m_report.framesWithoutFace;
            return;
        }
        std::vector<uchar> jpeg;
        if (!cv::imencode(".jpg", face->crop, jpeg, {cv::IMWRITE_JPEG_QUALITY, 95})) {
            m_report.problems << QStringLiteral("%1: frame %2: the crop could not be encoded").arg(path).arg(frameIndex);
            return;
        }
        FaceCropItem item;
        item.encoded = QByteArray(reinterpret_cast<const char *>(jpeg.data()), qsizetype(jpeg.size()));
        item.origin = origin;
        item.category = labels.category;
        item.identity = labels.identity;
        item.key = "jpeg:" + QCryptographicHash::hash(item.encoded, QCryptographicHash::Sha256).toHex();
        items.push_back(std::move(item));
    }

    const FaceCropLoadOptions &m_options;
    FaceCropLoadReport &m_report;
    FaceExtractor m_extractor;
    bool m_landmarksTried = false;
    int m_fileIndex = 0;
    int m_fileCount = 1;
};

/// Runs the collector over `files`; false when cancelled.
bool collectFaces(const std::vector<ImportFile> &files, int frameStep, const FaceCropLoadOptions &options,
                  FaceCropLoadReport &report, std::vector<FaceCropItem> &items)
{
    FaceCollector collector(options, report);
    for (size_t i = 0; i < files.size(); ++i) {
        if (collector.cancelled())
            return false;
        collector.collect(files[i], int(i), int(files.size()), frameStep, items);
    }
    if (collector.cancelled())
        return false;
    if (options.progress)
        options.progress(1.0, QStringLiteral("done"));
    return true;
}

} // namespace

FaceCropDataset::FaceCropDataset(std::vector<FaceCropItem> items)
    : m_items(std::move(items))
{
}

std::optional<FaceCropDataset> FaceCropDataset::fromProject(const QString &projectDir, QString *error)
{
    QString openError;
    std::unique_ptr<Project> project = Project::open(projectDir, &openError);
    if (!project) {
        failWith(error, openError);
        return std::nullopt;
    }
    std::vector<FaceCropItem> items;
    for (const FaceRecord &face : project->faces().faces()) {
        FaceCropItem item;
        item.path = project->absolutePath(face.cropPath);
        item.origin = item.path;
        item.category = face.category;
        item.identity = face.identity;
        item.faceId = face.id;
        item.key = "face:" + QByteArray::number(face.id) + ':' + face.cropPath.toUtf8();
        items.push_back(std::move(item));
    }
    return FaceCropDataset(std::move(items));
}

std::optional<FaceCropDataset> FaceCropDataset::fromFolder(const QString &dir, const FaceCropLoadOptions &options,
                                                           FaceCropLoadReport *report, QString *error)
{
    if (!QFileInfo(dir).isDir()) {
        failWith(error, QStringLiteral("%1: no such folder").arg(dir));
        return std::nullopt;
    }
    return fromPaths({dir}, options, report, error);
}

std::optional<FaceCropDataset> FaceCropDataset::fromVideo(const QString &path, int frameStep,
                                                          const FaceCropLoadOptions &options,
                                                          FaceCropLoadReport *report, QString *error)
{
    if (!QFileInfo(path).isFile()) {
        failWith(error, QStringLiteral("%1: no such file").arg(path));
        return std::nullopt;
    }
    FaceCropLoadOptions videoOptions = options;
    videoOptions.frameStep = frameStep;
    return fromPaths({path}, videoOptions, report, error);
}

std::optional<FaceCropDataset> FaceCropDataset::fromPaths(const QStringList &paths, const FaceCropLoadOptions &options,
                                                          FaceCropLoadReport *report, QString *error)
{
    QElapsedTimer timer;
    timer.start();
    FaceCropLoadReport local;
    std::vector<FaceCropItem> items;
    // Files to scan are gathered per run of consecutive non-project paths, so that the order
    // of the given paths is kept.
    QStringList pending;
    auto flush = [&]() {
        if (pending.isEmpty())
            return true;
        const std::vector<ImportFile> files = collectImportFiles(pending, &local.problems);
        pending.clear();
        return collectFaces(files, options.frameStep, options, local, items);
    };
    for (const QString &path : paths) {
        if (!QFileInfo::exists(path)) {
            failWith(error, QStringLiteral("%1: no such file or folder").arg(path));
            return std::nullopt;
        }
        if (QFileInfo(path).isDir() && Project::exists(path)) {
            if (!flush()) {
                failWith(error, QStringLiteral("cancelled"));
                return std::nullopt;
            }
            std::optional<FaceCropDataset> project = fromProject(path, error);
            if (!project)
                return std::nullopt;
            for (const FaceCropItem &item : project->items())
                items.push_back(item);
        } else {
            pending << path;
        }
    }
    if (!flush()) {
        failWith(error, QStringLiteral("cancelled"));
        return std::nullopt;
    }
    local.seconds = timer.nsecsElapsed() / 1e9;
    if (report)
        *report = local;
    return FaceCropDataset(std::move(items));
}

FaceCropDataset FaceCropDataset::fromImageFiles(const QStringList &paths)
{
    std::vector<FaceCropItem> items;
    for (const QString &path : paths) {
        FaceCropItem item;
        item.path = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
        item.origin = item.path;
        const FileNameLabels labels = labelsFromFileName(item.path);
        item.category = labels.category;
        item.identity = labels.identity;
        item.key = "file:" + item.path.toUtf8();
        items.push_back(std::move(item));
    }
    return FaceCropDataset(std::move(items));
}

qsizetype FaceCropDataset::append(FaceCropItem item)
{
    m_items.push_back(std::move(item));
    return qsizetype(m_items.size()) - 1;
}

void FaceCropDataset::append(const FaceCropDataset &other)
{
    m_items.insert(m_items.end(), other.m_items.begin(), other.m_items.end());
}

cv::Mat FaceCropDataset::image(qsizetype index, QString *error) const
{
    if (index < 0 || index >= size()) {
        failWith(error, QStringLiteral("face %1: index out of range (%2 faces)").arg(index).arg(size()));
        return {};
    }
    const FaceCropItem &item = m_items[size_t(index)];
    cv::Mat image;
    try {
        if (!item.encoded.isEmpty()) {
            const cv::Mat buffer(1, int(item.encoded.size()), CV_8U, const_cast<char *>(item.encoded.constData()));
            image = cv::imdecode(buffer, cv::IMREAD_COLOR);
            if (image.empty()) {
                failWith(error, QStringLiteral("%1: the stored crop does not decode").arg(item.origin));
                return {};
            }
        } else {
            QString problem;
            image = readImageFile(item.path, &problem);
            if (image.empty()) {
                failWith(error, problem);
                return {};
            }
        }
    } catch (const std::exception &e) {
        failWith(error, QStringLiteral("%1: %2").arg(item.origin, QString::fromUtf8(e.what()).simplified()));
        return {};
    }
    if (item.box.isNull())
        return image;
    const int left = std::clamp(int(std::lround(item.box.left() * image.cols)), 0, image.cols);
    const int right = std::clamp(int(std::lround(item.box.right() * image.cols)), 0, image.cols);
    const int top = std::clamp(int(std::lround(item.box.top() * image.rows)), 0, image.rows);
    const int bottom = std::clamp(int(std::lround(item.box.bottom() * image.rows)), 0, image.rows);
    if (right - left < 1 || bottom - top < 1) {
        failWith(error, QStringLiteral("%1: the face box is empty in a %2x%3 image").arg(item.origin).arg(image.cols).arg(image.rows));
        return {};
    }
    return image(cv::Rect(left, top, right - left, bottom - top)).clone();
}

QStringList FaceCropDataset::categories() const
{
    std::set<QString> set;
    for (const FaceCropItem &item : m_items)
        if (!item.category.isEmpty())
            set.insert(item.category);
    return QStringList(set.begin(), set.end());
}

QStringList FaceCropDataset::identities() const
{
    std::set<QString> set;
    for (const FaceCropItem &item : m_items)
        if (!item.identity.isEmpty())
            set.insert(item.identity);
    return QStringList(set.begin(), set.end());
}

QByteArray FaceCropDataset::fingerprint() const
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const FaceCropItem &item : m_items) {
        hash.addData(item.key);
        hash.addData(QByteArrayView("\t"));
        hash.addData(item.category.toUtf8());
        hash.addData(QByteArrayView("\t"));
        hash.addData(item.identity.toUtf8());
        hash.addData(QByteArrayView("\n"));
    }
    return hash.result().toHex();
}

} // namespace fa
