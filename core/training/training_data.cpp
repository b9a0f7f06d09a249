#include "training/training_data.h"
#include "common/error_text.h"

#include "dataset/reference_triplet_csv.h"
#include "project/project.h"

#include <QFile>
#include <QFileInfo>

namespace fa {

namespace {


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
                                      std::uint64_t seed, const DataLoadProgress &progress,
                                      const std::atomic_bool *cancel, QString *error)
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
        FaceCropLoadOptions options;
        options.progress = progress;
        options.cancel = cancel;
        FaceCropLoadReport report;
        std::optional<FaceCropDataset> faces = FaceCropDataset::fromFolder(path, options, &report, error);
        if (!faces)
            return std::nullopt;
        if (faces->isEmpty()) {
            failWith(error, QStringLiteral("%1: no face found in its images").arg(path));
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

std::optional<FaceCropDataset> loadTrainingFaces(const QStringList &paths, int frameStep,
                                                 const DataLoadProgress &progress, const std::atomic_bool *cancel,
                                                 QStringList *problems, QString *error)
{
    if (paths.isEmpty()) {
        failWith(error, QStringLiteral("no data given"));
        return std::nullopt;
    }
    FaceCropLoadOptions options;
    options.frameStep = frameStep;
    options.progress = progress;
    options.cancel = cancel;
    FaceCropLoadReport report;
    std::optional<FaceCropDataset> faces = FaceCropDataset::fromPaths(paths, options, &report, error);
    if (!faces)
        return std::nullopt;
    if (problems)
        *problems = report.problems;
    if (faces->isEmpty()) {
        QString what = QStringLiteral("%1: no face found").arg(paths.join(QStringLiteral(", ")));
        if (!report.problems.isEmpty())
            what += QStringLiteral(" (%1)").arg(report.problems.first());
        failWith(error, what);
        return std::nullopt;
    }
    return faces;
}

std::optional<TripletDataset> loadTrainingTriplets(const QStringList &paths, const QString &imageDir,
                                                   qsizetype categoryTriplets, std::uint64_t seed,
                                                   const DataLoadProgress &progress, const std::atomic_bool *cancel,
                                                   QString *error)
{
    if (paths.isEmpty()) {
        failWith(error, QStringLiteral("no data given"));
        return std::nullopt;
    }
    FaceCropDataset images;
    std::vector<TripletItem> triplets;
    for (int i = 0; i < paths.size(); ++i) {
        const DataLoadProgress part = [&, i](double fraction, const QString &status) {
            if (progress)
                progress((i + fraction) / paths.size(), status);
        };
        std::optional<TripletDataset> one = loadOne(paths[i], imageDir, categoryTriplets, seed, part, cancel, error);
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
