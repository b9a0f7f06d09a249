#include "training/training_data.h"
#include "common/error_text.h"

#include "dataset/reference_triplet_csv.h"
#include "project/project.h"
#include "training/training_config.h"

#include <QFile>
#include <QFileInfo>

namespace fa {

namespace {


/// " (FILE: what; ...)" naming why the first files gave no face (too small, image too small),
/// or empty when every file simply had none.
QString whyNoFace(const FaceCropLoadReport &report)
{
    QStringList lines;
    for (const FileImportReport &file : report.fileReports)
        if (file.facesFound == 0 && (file.facesTooSmall > 0 || file.imageTooSmall) && lines.size() < 3)
            lines << file.line();
    return lines.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(lines.join(QStringLiteral("; ")));
}

bool isReferenceCsv(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return true; // the reference reader reports the problem
    QByteArray firstLine = file.readLine().trimmed();
    if (firstLine.startsWith("\xEF\xBB\xBF"))
        firstLine.remove(0, 3);
    return QString::fromUtf8(firstLine).remove(QLatin1Char(' ')) == ReferenceTripletCsv::header().join(QLatin1Char(','));
}

std::optional<TripletDataset> loadOne(const QString &path, const QString &imageDir, qsizetype categoryTriplets,
                                      std::uint64_t seed, const FaceCropLoadOptions &options, QString *error)
{
    const QFileInfo info(path);
    if (!info.exists()) {
        failWith(error, QStringLiteral("%1: no such file or folder").arg(path));
        return std::nullopt;
    }
    if (info.isDir() && Project::exists(path))
        return TripletDataset::fromProject(path, nullptr, error);
    if (info.isDir()) {
        // Faces named by emotion category and identity (Yale): category triplets.
        FaceCropLoadReport report;
        std::optional<FaceCropDataset> faces = FaceCropDataset::fromFolder(path, options, &report, error);
        if (!faces)
            return std::nullopt;
        if (faces->isEmpty()) {
            failWith(error, QStringLiteral("%1: no face found in its images%2").arg(path, whyNoFace(report)));
            return std::nullopt;
        }
        const qsizetype count = categoryTriplets > 0 ? categoryTriplets : 4 * faces->size();
        QString why;
        std::optional<TripletDataset> triplets = TripletDataset::fromCategories(*faces, count, seed, &why);
        if (!triplets)
            failWith(error, QStringLiteral("%1: %2").arg(path, why));
        return triplets;
    }
    const QString images = imageDir.isEmpty() ? info.absolutePath() : imageDir;
    if (isReferenceCsv(path))
        return TripletDataset::fromReferenceCsv(path, images, nullptr, error);
    return TripletDataset::fromFecCsv(path, images, nullptr, error);
}

} // namespace

FaceCropLoadOptions faceLoadOptions(const TrainingConfig &config, const std::atomic_bool *cancel,
                                    const DataLoadProgress &progress)
{
    FaceCropLoadOptions options;
    options.cancel = cancel;
    options.progress = progress;
    options.frameStep = config.videoFrameStep;
    options.faces.backend = FaceFinderOptions::backendFromName(config.detector).value_or(FaceDetector::Backend::DlibHog);
    options.faces.yunetModelPath = config.yunetModel;
    options.faces.minFaceSize = config.minFace;
    options.faces.allFacesInVideos = config.allFaces;
    options.faces.tiltSearch = config.tiltSearch;
    return options;
}

std::optional<FaceCropDataset> loadTrainingFaces(const QStringList &paths, const FaceCropLoadOptions &options,
                                                 QStringList *problems, QString *error)
{
    if (paths.isEmpty()) {
        failWith(error, QStringLiteral("no data given"));
        return std::nullopt;
    }
    FaceCropLoadReport report;
    std::optional<FaceCropDataset> faces = FaceCropDataset::fromPaths(paths, options, &report, error);
    if (!faces)
        return std::nullopt;
    if (problems)
        *problems = report.problems;
    // A truncated or corrupt file is refused, as retarget refuses it (issue 16: train --data
    // took the frames before the damage and went on).
    for (const auto &file : report.fileReports) {
        if (!file.problem.isEmpty() && file.video) {
            failWith(error, file.problem + QStringLiteral(" (repair the file or leave it out of the data)"));
            return std::nullopt;
        }
    }
    if (faces->isEmpty()) {
        QString what = QStringLiteral("%1: no face found").arg(paths.join(QStringLiteral(", ")));
        if (!report.problems.isEmpty())
            what += QStringLiteral(" (%1)").arg(report.problems.first());
        else
            what += whyNoFace(report);
        failWith(error, what);
        return std::nullopt;
    }
    return faces;
}

std::optional<TripletDataset> loadTrainingTriplets(const QStringList &paths, const QString &imageDir,
                                                   qsizetype categoryTriplets, std::uint64_t seed,
                                                   const FaceCropLoadOptions &options, QString *error)
{
    if (paths.isEmpty()) {
        failWith(error, QStringLiteral("no data given"));
        return std::nullopt;
    }
    FaceCropDataset images;
    std::vector<TripletItem> triplets;
    for (int i = 0; i < paths.size(); ++i) {
        FaceCropLoadOptions part = options;
        part.progress = [&, i](double fraction, const QString &status) {
            if (options.progress)
                options.progress((i + fraction) / paths.size(), status);
        };
        std::optional<TripletDataset> one = loadOne(paths[i], imageDir, categoryTriplets, seed, part, error);
        if (!one)
            return std::nullopt;
        if (one->isEmpty()) {
            failWith(error, QStringLiteral("%1: no triplet (a project needs judged triplets with a majority)").arg(paths[i]));
            return std::nullopt;
        }
        if (paths.size() == 1)
            return one;
        const qsizetype offset = images.size();
        images.append(one->images());
        for (TripletItem item : one->triplets()) {
            for (qsizetype &face : item.faces)
                face += offset;
            triplets.push_back(item);
        }
    }
    return TripletDataset(std::move(images), std::move(triplets));
}

} // namespace fa
