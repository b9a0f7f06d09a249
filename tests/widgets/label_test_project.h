#pragma once

// A small labelling project for the Label workspace tests, built in the test itself from the
// Yale faces of the shared data folder (subjectNN_<expression>.png, grey 320x243): each image
// becomes one face, its crop the whole picture resized to 224x224 (PNG), its category the
// expression and its identity the subject. Header-only: the child program of the kill test
// uses the same helpers.

#include "project/project.h"
#include "project/sqlite_statement.h"
#include "project/triplet_sampler.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QImage>

#include <memory>

namespace fa::test {

/// The Yale images, sorted by name.
inline QStringList yaleFaceFiles(const QString &dataDir)
{
    QDir dir(dataDir + QStringLiteral("/images/yale_faces"));
    QStringList files;
    const QStringList names = dir.entryList({QStringLiteral("*.png")}, QDir::Files, QDir::Name);
    for (const QString &name : names)
        files.append(dir.absoluteFilePath(name));
    return files;
}

/// Adds one image file as a source with one face. False with `error` on failure.
inline bool addImageFace(fa::Project &project, const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = path + QStringLiteral(": cannot read");
        return false;
    }
    const QByteArray bytes = file.readAll();
    const QImage image = QImage::fromData(bytes);
    if (image.isNull()) {
        *error = path + QStringLiteral(": not an image");
        return false;
    }
    const QString base = QFileInfo(path).completeBaseName(); // subject01_happy
    const QString identity = base.section(QLatin1Char('_'), 0, 0);
    const QString category = base.section(QLatin1Char('_'), 1);

    fa::SourceRecord source;
    source.path = path;
    source.contentHash = QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
    source.width = image.width();
    source.height = image.height();
    source.frameCount = 1;
    source.category = category;
    source.identity = identity;
    const std::optional<qint64> sourceId = project.faces().addSource(source, error);
    if (!sourceId)
        return false;

    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.convertToFormat(QImage::Format_RGB32)
        .scaled(224, 224, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
        .save(&buffer, "PNG");
    fa::FaceRecord face;
    face.sourceId = *sourceId;
    face.box = QRectF(0, 0, image.width(), image.height());
    face.category = category;
    face.identity = identity;
    return project.faces().addFace(face, png, QStringLiteral("png"), error).has_value();
}

/// Creates a fresh project in `dir` (anything there is removed first) with the first
/// `faceCount` Yale faces and `tripletCount` random triplets (seeded). Null with `error`.
inline std::unique_ptr<fa::Project> makeLabelProject(const QString &dir, int faceCount, int tripletCount,
                                                     QString *error)
{
    QDir(dir).removeRecursively();
    std::unique_ptr<fa::Project> project = fa::Project::create(dir, error);
    if (!project)
        return nullptr;
    const QStringList files = yaleFaceFiles(QStringLiteral(FA_TEST_DATA_DIR)).mid(0, faceCount);
    if (files.size() < faceCount) {
        *error = QStringLiteral(FA_TEST_DATA_DIR "/images/yale_faces: too few images");
        return nullptr;
    }
    for (const QString &path : files) {
        if (!addImageFace(*project, path, error))
            return nullptr;
    }
    fa::TripletSampler::Options options;
    options.count = tripletCount;
    options.seed = 7;
    const auto triplets = fa::TripletSampler::sample(*project, options, error);
    if (!triplets)
        return nullptr;
    if (int(triplets->size()) != tripletCount) {
        *error = QStringLiteral("sampled %1 triplets, not %2").arg(triplets->size()).arg(tripletCount);
        return nullptr;
    }
    return project;
}

/// PRAGMA integrity_check of the project's database: "ok" when sound.
inline QString integrityCheck(fa::Project &project)
{
    fa::SqliteStatement q = project.connection().prepare(QStringLiteral("PRAGMA integrity_check"));
    QStringList lines;
    while (q.step() == fa::SqliteStatement::Step::Row)
        lines.append(q.columnText(0));
    return lines.join(QLatin1Char('\n'));
}

} // namespace fa::test
