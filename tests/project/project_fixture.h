#pragma once

// Small projects for the store's tests: faces from the shared Yale images (real crops, their
// file names give category and identity), written through FaceStore::addFace like an import.

#include "project/project.h"
#include "test_files.h"

#include <QBuffer>
#include <QDir>
#include <QImage>
#include <QTest>

#include <memory>

namespace fa::test {

/// A fresh folder under the test's scratch folder.
inline QString freshDir(const QString &name)
{
    const QString dir = QDir(outputDir()).filePath(name);
    QDir(dir).removeRecursively();
    return dir;
}

/// Creates a project with the first `count` Yale faces (sorted by name), one source each,
/// category and identity from "subjectNN_category.png".
inline std::unique_ptr<Project> yaleProject(const QString &dir, int count, QString *error)
{
    std::unique_ptr<Project> project = Project::create(dir, error);
    if (!project)
        return nullptr;
    const QDir yale(dataPath(QStringLiteral("images/yale_faces")));
    const QStringList names = yale.entryList({QStringLiteral("*.png")}, QDir::Files, QDir::Name);
    for (int i = 0; i < count && i < names.size(); ++i) {
        const QImage image(yale.filePath(names[i]));
        if (image.isNull()) {
            *error = names[i] + QStringLiteral(": unreadable");
            return nullptr;
        }
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        image.scaled(224, 224, Qt::IgnoreAspectRatio, Qt::SmoothTransformation).save(&buffer, "PNG");
        const QStringList parts = names[i].chopped(4).split(QLatin1Char('_'));
        SourceRecord source;
        source.path = yale.filePath(names[i]);
        source.contentHash = QByteArray::number(i).rightJustified(64, '0');
        source.width = image.width();
        source.height = image.height();
        source.identity = parts.value(0);
        source.category = parts.value(1);
        const std::optional<qint64> sourceId = project->faces().addSource(source, error);
        if (!sourceId)
            return nullptr;
        FaceRecord face;
        face.sourceId = *sourceId;
        face.box = QRectF(0, 0, image.width(), image.height());
        face.identity = source.identity;
        face.category = source.category;
        if (!project->faces().addFace(face, png, QStringLiteral("png"), error))
            return nullptr;
    }
    return project;
}

} // namespace fa::test
