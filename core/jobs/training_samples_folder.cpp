#include "jobs/training_samples_folder.h"

#include "common/atomic_file.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>
#include <limits>

namespace fa {
namespace {

QString stepFolderName(qint64 step)
{
    return QStringLiteral("step-%1").arg(step, 8, 10, QLatin1Char('0'));
}

QString located(const QString &path, const QString &what)
{
    return QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(path), what);
}

bool saveImage(const QImage &image, const QString &path, QString *error)
{
    if (image.isNull() || image.save(path, "PNG"))
        return true;
    if (error)
        *error = located(path, QStringLiteral("cannot write the image"));
    return false;
}

QImage loadImage(const QString &path)
{
    return QFileInfo::exists(path) ? QImage(path) : QImage();
}

} // namespace

QString TrainingSamplesFolder::directory(const QString &runDir)
{
    return QDir(runDir).filePath(QStringLiteral("samples"));
}

bool TrainingSamplesFolder::write(const QString &runDir, const TrainingSamples &samples, QString *error)
{
    const QDir root(directory(runDir));
    const QString finalDir = root.filePath(stepFolderName(samples.step));
    const QString tmpDir = finalDir + QStringLiteral(".tmp");
    QDir(tmpDir).removeRecursively();
    if (!QDir().mkpath(tmpDir)) {
        if (error)
            *error = located(tmpDir, QStringLiteral("cannot create the folder"));
        return false;
    }
    const QDir tmp(tmpDir);
    for (size_t i = 0; i < samples.reconstructions.size(); ++i) {
        const ReconstructionSample &r = samples.reconstructions[i];
        const QString base = QStringLiteral("reconstruction-%1-").arg(i, 2, 10, QLatin1Char('0'));
        if (!saveImage(r.masked, tmp.filePath(base + QStringLiteral("masked.png")), error)
            || !saveImage(r.prediction, tmp.filePath(base + QStringLiteral("prediction.png")), error)
            || !saveImage(r.target, tmp.filePath(base + QStringLiteral("target.png")), error))
            return false;
    }
    for (size_t i = 0; i < samples.renders.size(); ++i) {
        const RenderSample &r = samples.renders[i];
        const QString base = QStringLiteral("render-%1-").arg(i, 2, 10, QLatin1Char('0'));
        if (!saveImage(r.real, tmp.filePath(base + QStringLiteral("real.png")), error)
            || !saveImage(r.neural, tmp.filePath(base + QStringLiteral("neural.png")), error)
            || !saveImage(r.difference, tmp.filePath(base + QStringLiteral("difference.png")), error))
            return false;
    }
    QByteArray distances;
    for (size_t i = 0; i < samples.neighbours.size(); ++i) {
        const NeighbourSample &n = samples.neighbours[i];
        const QString base = QStringLiteral("neighbours-%1-").arg(i, 2, 10, QLatin1Char('0'));
        if (!saveImage(n.query, tmp.filePath(base + QStringLiteral("query.png")), error))
            return false;
        for (size_t j = 0; j < n.neighbours.size(); ++j) {
            if (!saveImage(n.neighbours[j], tmp.filePath(base + QStringLiteral("%1.png").arg(j + 1, 2, 10, QLatin1Char('0'))),
                           error))
                return false;
        }
        QStringList line;
        for (double d : n.distances)
            line.append(QString::number(d, 'g', 9));
        distances += line.join(QLatin1Char(' ')).toUtf8() + '\n';
    }
    if (!samples.neighbours.empty()
        && !writeFileAtomically(tmp.filePath(QStringLiteral("distances.txt")), distances, error))
        return false;
    QDir(finalDir).removeRecursively();
    if (!QDir().rename(tmpDir, finalDir)) {
        if (error)
            *error = located(finalDir, QStringLiteral("cannot rename the samples folder into place"));
        return false;
    }
    const std::vector<qint64> all = steps(runDir);
    for (size_t i = 0; i + kKeep < all.size(); ++i)
        QDir(root.filePath(stepFolderName(all[i]))).removeRecursively();
    return true;
}

std::vector<qint64> TrainingSamplesFolder::steps(const QString &runDir)
{
    static const QRegularExpression pattern(QStringLiteral("^step-(\\d{8,})$"));
    std::vector<qint64> result;
    const QStringList names = QDir(directory(runDir)).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &name : names) {
        const QRegularExpressionMatch match = pattern.match(name);
        if (match.hasMatch())
            result.push_back(match.captured(1).toLongLong());
    }
    std::sort(result.begin(), result.end());
    return result;
}

std::optional<TrainingSamples> TrainingSamplesFolder::read(const QString &runDir, qint64 step, QString *error)
{
    const QDir dir(QDir(directory(runDir)).filePath(stepFolderName(step)));
    if (!dir.exists()) {
        if (error)
            *error = located(dir.path(), QStringLiteral("no samples of step %1").arg(step));
        return std::nullopt;
    }
    TrainingSamples samples;
    samples.step = step;
    for (int i = 0;; ++i) {
        const QString base = dir.filePath(QStringLiteral("reconstruction-%1-").arg(i, 2, 10, QLatin1Char('0')));
        ReconstructionSample r;
        r.target = loadImage(base + QStringLiteral("target.png"));
        if (r.target.isNull())
            break;
        r.masked = loadImage(base + QStringLiteral("masked.png"));
        r.prediction = loadImage(base + QStringLiteral("prediction.png"));
        samples.reconstructions.push_back(std::move(r));
    }
    for (int i = 0;; ++i) {
        const QString base = dir.filePath(QStringLiteral("render-%1-").arg(i, 2, 10, QLatin1Char('0')));
        RenderSample r;
        r.real = loadImage(base + QStringLiteral("real.png"));
        if (r.real.isNull())
            break;
        r.neural = loadImage(base + QStringLiteral("neural.png"));
        r.difference = loadImage(base + QStringLiteral("difference.png"));
        samples.renders.push_back(std::move(r));
    }
    QFile distancesFile(dir.filePath(QStringLiteral("distances.txt")));
    QList<QByteArray> distanceLines;
    if (distancesFile.open(QIODevice::ReadOnly))
        distanceLines = distancesFile.readAll().split('\n');
    for (int i = 0;; ++i) {
        const QString base = dir.filePath(QStringLiteral("neighbours-%1-").arg(i, 2, 10, QLatin1Char('0')));
        NeighbourSample n;
        n.query = loadImage(base + QStringLiteral("query.png"));
        if (n.query.isNull())
            break;
        for (int j = 1;; ++j) {
            QImage image = loadImage(base + QStringLiteral("%1.png").arg(j, 2, 10, QLatin1Char('0')));
            if (image.isNull())
                break;
            n.neighbours.push_back(std::move(image));
        }
        const QList<QByteArray> values = distanceLines.value(i).split(' ');
        for (const QByteArray &value : values) {
            bool ok = false;
            const double d = value.toDouble(&ok);
            if (ok)
                n.distances.push_back(d);
        }
        n.distances.resize(n.neighbours.size(), std::numeric_limits<double>::quiet_NaN()); // unknown
        samples.neighbours.push_back(std::move(n));
    }
    return samples;
}

} // namespace fa
