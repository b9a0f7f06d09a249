#include "common/file_kind.h"

#include <QFile>

#include <sys/stat.h>

namespace fa {

FileKind fileKind(const QString &path)
{
    struct stat info;
    if (path.isEmpty() || ::stat(QFile::encodeName(path).constData(), &info) != 0)
        return FileKind::Missing;
    if (S_ISREG(info.st_mode))
        return FileKind::Regular;
    if (S_ISDIR(info.st_mode))
        return FileKind::Directory;
    if (S_ISFIFO(info.st_mode))
        return FileKind::Fifo;
    if (S_ISCHR(info.st_mode))
        return FileKind::CharacterDevice;
    if (S_ISBLK(info.st_mode))
        return FileKind::BlockDevice;
    if (S_ISSOCK(info.st_mode))
        return FileKind::Socket;
    return FileKind::Other;
}

QString describeFileKind(FileKind kind)
{
    switch (kind) {
    case FileKind::Missing:
        return QStringLiteral("missing");
    case FileKind::Regular:
        return QStringLiteral("a regular file");
    case FileKind::Directory:
        return QStringLiteral("a folder");
    case FileKind::Fifo:
        return QStringLiteral("a FIFO");
    case FileKind::CharacterDevice:
        return QStringLiteral("a character device");
    case FileKind::BlockDevice:
        return QStringLiteral("a block device");
    case FileKind::Socket:
        return QStringLiteral("a socket");
    case FileKind::Other:
        break;
    }
    return QStringLiteral("a special file");
}

QString outputFileProblem(const QString &path)
{
    const FileKind kind = fileKind(path);
    if (kind == FileKind::Missing || kind == FileKind::Regular)
        return QString();
    return QStringLiteral("%1: is %2, not a regular file").arg(path, describeFileKind(kind));
}

QString specialFileProblem(const QString &path)
{
    const FileKind kind = fileKind(path);
    if (kind == FileKind::Regular || kind == FileKind::Missing)
        return QString();
    if (kind == FileKind::Directory)
        return QStringLiteral("%1: is a folder, not a file").arg(path);
    return QStringLiteral("%1: is %2, not a regular file").arg(path, describeFileKind(kind));
}

QString folderProblem(const QString &path)
{
    const FileKind kind = fileKind(path);
    if (kind == FileKind::Directory)
        return QString();
    if (kind == FileKind::Missing)
        return QStringLiteral("%1: no such folder").arg(path);
    return QStringLiteral("%1: is %2, not a folder").arg(path, describeFileKind(kind));
}

} // namespace fa
