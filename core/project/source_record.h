#pragma once

#include <QByteArray>
#include <QString>

namespace fa {

/// A file faces were imported from (table `sources`).
struct SourceRecord
{
    enum class Kind { Image, Video };

    qint64 id = 0;
    QString path;            ///< absolute path at import time (the file may move later)
    Kind kind = Kind::Image;
    QByteArray contentHash;  ///< SHA-256 of the file's bytes, 64 lower-case hex digits
    int width = 0;           ///< pixels (display orientation for videos)
    int height = 0;
    qint64 frameCount = 0;   ///< 1 for images
    double fps = 0;          ///< 0 for images
    QString category;        ///< emotion category from the file/folder name, empty if unknown
    QString identity;        ///< person from the file name (or the video), empty if unknown
    qint64 importedAtMs = 0; ///< milliseconds since the Unix epoch, UTC
    /// True once every face of the file is in the project. An import that stopped early
    /// (cancelled, killed, failed) leaves it false, and the next import of the file resumes.
    bool complete = false;
};

QString sourceKindName(SourceRecord::Kind kind); ///< "image" or "video"

} // namespace fa
