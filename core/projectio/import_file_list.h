#pragma once

#include <QString>
#include <QStringList>

#include <vector>

namespace fa {

/// What the face importer makes of a file, from its suffix (case-insensitive).
enum class ImportFileKind {
    Image,   ///< .png .jpg .jpeg .bmp .webp .tif .tiff
    Video,   ///< .mp4 .mov .avi .mkv .webm .m4v
    Unknown, ///< any other suffix: only when named explicitly; the importer tries it as an image, then as a video
};

struct ImportFile
{
    QString path; ///< absolute, cleaned
    ImportFileKind kind = ImportFileKind::Unknown;
};

/// The kind a file name suggests.
ImportFileKind importFileKindFromName(const QString &path);
/// Suffixes without the dot, lower case.
QStringList importImageSuffixes();
QStringList importVideoSuffixes();

/// The files to import for `paths` (files or folders), in the given order; each folder is
/// walked recursively (symbolic links not followed, hidden files skipped) and its images and
/// videos are listed in path order; other files in folders are ignored. A path given twice is
/// listed once. A path that does not exist, or a folder that cannot be read, adds "PATH: what"
/// to `problems`; so does anything that is not a regular file once links are followed (a FIFO,
/// a device such as a link to /dev/zero, a socket), given or found in a folder, which is never
/// listed: reading it would block forever.
std::vector<ImportFile> collectImportFiles(const QStringList &paths, QStringList *problems);

} // namespace fa
