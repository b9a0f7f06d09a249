#include "projectio/import_file_list.h"

#include "common/file_kind.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>

#include <algorithm>
#include <set>

namespace fa {

QStringList importImageSuffixes()
{
    return {QStringLiteral("png"), QStringLiteral("jpg"), QStringLiteral("jpeg"), QStringLiteral("bmp"),
            QStringLiteral("webp"), QStringLiteral("tif"), QStringLiteral("tiff")};
}

QStringList importVideoSuffixes()
{
    return {QStringLiteral("mp4"), QStringLiteral("mov"), QStringLiteral("avi"), QStringLiteral("mkv"),
            QStringLiteral("webm"), QStringLiteral("m4v")};
}

ImportFileKind importFileKindFromName(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (importImageSuffixes().contains(suffix))
        return ImportFileKind::Image;
    if (importVideoSuffixes().contains(suffix))
        return ImportFileKind::Video;
    return ImportFileKind::Unknown;
}

std::vector<ImportFile> collectImportFiles(const QStringList &paths, QStringList *problems)
{
    std::vector<ImportFile> files;
    std::set<QString> seen;
    auto add = [&](const QString &path, ImportFileKind kind) {
        if (seen.insert(path).second)
            files.push_back({path, kind});
    };
    for (const QString &given : paths) {
        const QFileInfo info(given);
        const QString path = QDir::cleanPath(info.absoluteFilePath());
        if (!info.exists()) {
            problems->append(QStringLiteral("%1: no such file or folder").arg(given));
        } else if (info.isDir()) {
            if (!info.isReadable() || !info.isExecutable()) {
                problems->append(QStringLiteral("%1: the folder cannot be read").arg(given));
                continue;
            }
            QStringList found;
            QDirIterator it(path, QDir::Files | QDir::NoDotAndDotDot,
                            QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString file = it.next();
                if (importFileKindFromName(file) != ImportFileKind::Unknown)
                    found << QDir::cleanPath(file);
            }
            std::sort(found.begin(), found.end());
            for (const QString &file : found) {
                if (const QString problem = specialFileProblem(file); !problem.isEmpty())
                    problems->append(problem + QStringLiteral(" (skipped)"));
                else
                    add(file, importFileKindFromName(file));
            }
        } else if (const QString problem = specialFileProblem(given); !problem.isEmpty()) {
            // A FIFO or a link to /dev/zero would block the decoder forever (issue 16).
            problems->append(problem);
        } else {
            add(path, importFileKindFromName(path));
        }
    }
    return files;
}

} // namespace fa
