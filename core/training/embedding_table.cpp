#include "training/embedding_table.h"
#include "common/error_text.h"

#include "common/atomic_file.h"
#include "export/csv_table.h"
#include "media/video_reader.h"
#include "projectio/face_finder.h"
#include "projectio/image_file.h"
#include "projectio/import_file_list.h"
#include "training/embedding.h"

#include <QFileInfo>

namespace fa {

namespace {


/// Crops are embedded in batches of this many (one forward each).
constexpr std::size_t kBatch = 16;

} // namespace

std::optional<std::vector<FaceEmbeddingRow>> embedFacesInFile(ExpressionEmbedder &embedder, const QString &path,
                                                              int frameStep, const FaceFinderOptions &faces,
                                                              const std::function<void(double)> &progress,
                                                              const std::atomic_bool *cancel, QString *error,
                                                              FileImportReport *report)
{
    if (!QFileInfo(path).isFile()) {
        failWith(error, QStringLiteral("%1: no such file").arg(path));
        return std::nullopt;
    }
    FaceFinder finder;
    if (!finder.setOptions(faces, error))
        return std::nullopt;
    QString landmarkProblem;
    finder.loadLandmarks(&landmarkProblem); // without the model, faces are cropped from their boxes
    FileImportReport local;
    FileImportReport &file = report ? *report : local;
    file = FileImportReport();
    file.path = path;
    file.minFaceSize = faces.minFaceSize;

    std::vector<FaceEmbeddingRow> rows;
    std::vector<cv::Mat> pending;
    std::vector<FaceEmbeddingRow> pendingRows;
    auto flush = [&] {
        if (pending.empty())
            return;
        const std::vector<float> flat = embedder.embedCrops(pending);
        const int e = embedder.embeddingSize();
        for (std::size_t i = 0; i < pending.size(); ++i) {
            pendingRows[i].embedding.assign(flat.begin() + std::ptrdiff_t(i * e), flat.begin() + std::ptrdiff_t((i + 1) * e));
            rows.push_back(std::move(pendingRows[i]));
        }
        pending.clear();
        pendingRows.clear();
    };
    auto add = [&](const cv::Mat &frame, qint64 index, double time, bool videoFrame) {
        const FoundFaces found = finder.findCounting(frame, videoFrame, file);
        file.facesAdded += int(found.faces.size());
        for (size_t i = 0; i < found.faces.size(); ++i) {
            pending.push_back(found.faces[i].crop);
            FaceEmbeddingRow row;
            row.source = path;
            row.frame = index;
            row.timeSeconds = time;
            row.face = int(i);
            row.box = found.faces[i].box;
            pendingRows.push_back(row);
            if (pending.size() >= kBatch)
                flush();
        }
    };

    try {
        const ImportFileKind kind = importFileKindFromName(path);
        QString imageProblem;
        if (kind != ImportFileKind::Video) {
            const cv::Mat image = readImageFile(path, &imageProblem);
            if (!image.empty()) {
                add(image, 0, 0.0, false);
                flush();
                if (progress)
                    progress(1.0);
                return rows;
            }
            if (kind == ImportFileKind::Image) {
                failWith(error, imageProblem);
                return std::nullopt;
            }
        }
        file.video = true;
        VideoReader reader;
        if (!reader.open(path)) {
            failWith(error, kind == ImportFileKind::Unknown && !imageProblem.isEmpty() ? imageProblem : reader.errorString());
            return std::nullopt;
        }
        const qint64 total = std::max<qint64>(1, reader.info().frameCount);
        VideoFrame frame;
        while (reader.readFrame(&frame)) {
            if (cancel && cancel->load()) {
                failWith(error, QStringLiteral("cancelled"));
                return std::nullopt;
            }
            if (frame.index % std::max(1, frameStep) == 0)
                add(frame.image, frame.index, frame.timeSeconds, true);
            if (progress)
                progress(std::min(1.0, double(frame.index + 1) / double(total)));
        }
        if (!reader.errorString().isEmpty()) {
            failWith(error, reader.errorString());
            return std::nullopt;
        }
        flush();
    } catch (const std::exception &e) {
        failWith(error, QStringLiteral("%1: %2").arg(path, QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0)));
        return std::nullopt;
    }
    return rows;
}

bool writeEmbeddingCsv(const QString &path, const std::vector<FaceEmbeddingRow> &rows, int embeddingSize, QString *error)
{
    const int e = rows.empty() ? embeddingSize : int(rows.front().embedding.size());
    QStringList header{QStringLiteral("source"), QStringLiteral("frame"), QStringLiteral("time_s"), QStringLiteral("face"),
                       QStringLiteral("box_x"), QStringLiteral("box_y"), QStringLiteral("box_w"), QStringLiteral("box_h")};
    for (int i = 0; i < e; ++i)
        header << QStringLiteral("e%1").arg(i);
    QByteArray out;
    CsvTable::appendRecord(out, header);
    for (const FaceEmbeddingRow &row : rows) {
        if (int(row.embedding.size()) != e)
            return failWith(error, QStringLiteral("%1: rows of different embedding sizes").arg(path));
        QStringList fields{row.source, QString::number(row.frame), QString::number(row.timeSeconds, 'f', 6),
                           QString::number(row.face)};
        for (const double v : {row.box.x(), row.box.y(), row.box.width(), row.box.height()})
            fields << QString::number(v, 'f', 2);
        for (float value : row.embedding)
            fields << QString::number(double(value), 'g', 9);
        CsvTable::appendRecord(out, fields);
    }
    return writeFileAtomically(path, out, error);
}

} // namespace fa
