#include "training/face_crop_dataset.h"
#include "common/error_text.h"
#include "common/file_kind.h"

#include "dataset/file_name_labels.h"
#include "media/video_reader.h"
#include "project/project.h"
#include "projectio/face_finder.h"
#include "projectio/face_identity_namer.h"
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
        : m_options(options), m_report(report)
    {
    }

    /// False with "what" in `error` when the finder options cannot be applied.
    bool prepare(QString *error) { return m_finder.setOptions(m_options.faces, error); }

    bool cancelled() const { return m_options.cancel && m_options.cancel->load(); }

    void collect(const ImportFile &file, int index, int count, int frameStep, std::vector<FaceCropItem> &items)
    {
        m_fileIndex = index;
        m_fileCount = count;
        progress(0.0, QStringLiteral("%1/%2 %3").arg(index + 1).arg(count).arg(QFileInfo(file.path).fileName()));
        m_file = FileImportReport();
        m_file.path = file.path;
        m_file.minFaceSize = m_options.faces.minFaceSize;
        try {
            collectFile(file, frameStep, items);
        } catch (const std::exception &e) {
            // OpenCV refuses huge images with an exception; allocation failures: one problem line.
            m_file.problem = QStringLiteral("%1: %2").arg(file.path, exceptionText(e));
        }
        m_report.framesScanned += m_file.framesScanned;
        m_report.framesWithoutFace += m_file.framesWithoutFace;
        m_report.facesTooSmall += m_file.facesTooSmall;
        if (!m_file.problem.isEmpty())
            m_report.problems << m_file.problem;
        m_report.fileReports.push_back(m_file);
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
        const FileNameLabels labels = labelsFromFileName(file.path);
        const QString baseName = QFileInfo(file.path).completeBaseName();
        if (file.kind != ImportFileKind::Video) {
            const cv::Mat image = readImageFile(file.path, &problem);
            if (!image.empty()) {
                ++m_report.files;
                const FoundFaces found = find(image, false);
                const QStringList identities = FaceIdentityNamer(labels.identity, baseName, false).forImage(found.boxes());
                addFaces(found, identities, labels.category, file.path, 0, items);
                return;
            }
            if (file.kind == ImportFileKind::Image) {
                m_file.problem = problem;
                return;
            }
        }
        m_file.video = true;
        VideoReader reader;
        if (!reader.open(file.path)) {
            m_file.problem = file.kind == ImportFileKind::Unknown
                                 ? QStringLiteral("%1: neither an image nor a video that can be decoded").arg(file.path)
                                 : reader.errorString();
            return;
        }
        ++m_report.files;
        FaceIdentityNamer namer(labels.identity, baseName, m_options.faces.allFacesInVideos);
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
            const FoundFaces found = find(frame.image, true);
            const QStringList identities = namer.forVideoFrame(found.boxes());
            addFaces(found, identities, labels.category, QStringLiteral("%1 frame %2").arg(file.path).arg(frame.index),
                     frame.index, items);
        }
        if (!reader.errorString().isEmpty())
            m_file.problem = reader.errorString(); // faces of the frames before the damage stay
        else if (!reader.warningString().isEmpty())
            m_report.problems << reader.warningString();
    }

    FoundFaces find(const cv::Mat &frame, bool videoFrame)
    {
        if (!m_landmarksTried) {
            m_landmarksTried = true;
            QString landmarkError;
            if (!m_finder.loadLandmarks(&landmarkError))
                m_report.problems << landmarkError + QStringLiteral(" (faces are cropped from the detector box)");
        }
        return m_finder.findCounting(frame, videoFrame, m_file);
    }

    void addFaces(const FoundFaces &found, const QStringList &identities, const QString &category, const QString &origin,
                  qint64 frameIndex, std::vector<FaceCropItem> &items)
    {
        for (size_t i = 0; i < found.faces.size(); ++i) {
            std::vector<uchar> jpeg;
            if (!cv::imencode(".jpg", found.faces[i].crop, jpeg, {cv::IMWRITE_JPEG_QUALITY, 95})) {
                m_report.problems << QStringLiteral("%1: frame %2: a crop could not be encoded").arg(m_file.path).arg(frameIndex);
                continue;
            }
            FaceCropItem item;
            item.encoded = QByteArray(reinterpret_cast<const char *>(jpeg.data()), qsizetype(jpeg.size()));
            item.origin = found.faces.size() > 1 ? QStringLiteral("%1 face %2").arg(origin).arg(i + 1) : origin;
            item.category = category;
            item.identity = identities.value(qsizetype(i));
            item.key = "jpeg:" + QCryptographicHash::hash(item.encoded, QCryptographicHash::Sha256).toHex();
            items.push_back(std::move(item));
            ++m_file.facesAdded;
        }
    }

    const FaceCropLoadOptions &m_options;
    FaceCropLoadReport &m_report;
    FileImportReport m_file; ///< the file being read
    FaceFinder m_finder;
    bool m_landmarksTried = false;
    int m_fileIndex = 0;
    int m_fileCount = 1;
};

/// Runs the collector over `files`; false with "cancelled", or why the finder options cannot
/// be applied, in `error`.
bool collectFaces(const std::vector<ImportFile> &files, int frameStep, const FaceCropLoadOptions &options,
                  FaceCropLoadReport &report, std::vector<FaceCropItem> &items, QString *error)
{
    FaceCollector collector(options, report);
    if (!collector.prepare(error))
        return false;
    for (size_t i = 0; i < files.size(); ++i) {
        if (collector.cancelled())
            return failWith(error, QStringLiteral("cancelled"));
        collector.collect(files[i], int(i), int(files.size()), frameStep, items);
    }
    if (collector.cancelled())
        return failWith(error, QStringLiteral("cancelled"));
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
        failWith(error, folderProblem(dir));
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
        return collectFaces(files, options.frameStep, options, local, items, error);
    };
    for (const QString &path : paths) {
        if (!QFileInfo::exists(path)) {
            failWith(error, QStringLiteral("%1: no such file or folder").arg(path));
            return std::nullopt;
        }
        if (QFileInfo(path).isDir() && Project::exists(path)) {
            if (!flush())
                return std::nullopt;
            std::optional<FaceCropDataset> project = fromProject(path, error);
            if (!project)
                return std::nullopt;
            for (const FaceCropItem &item : project->items())
                items.push_back(item);
        } else {
            pending << path;
        }
    }
    if (!flush())
        return std::nullopt;
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
        failWith(error, QStringLiteral("%1: %2").arg(item.origin, exceptionText(e)));
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
