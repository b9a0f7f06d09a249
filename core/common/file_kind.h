#pragma once

#include <QString>

namespace fa {

/// What a path names, following symbolic links (stat(2)), for the checks of issue 16: a FIFO,
/// a device or a socket given as input makes a reader block forever (`project import` of a FIFO
/// or of a link to /dev/zero never returned), and given as output an atomic writer replaces it
/// with a plain file (as root, `--csv /dev/null` would break the system's /dev/null).
enum class FileKind { Missing, Regular, Directory, Fifo, CharacterDevice, BlockDevice, Socket, Other };

/// The kind of `path` after following links; Missing when it (or a link's target) does not exist.
FileKind fileKind(const QString &path);

/// "a FIFO", "a character device", ... for messages ("PATH: is a FIFO, not a regular file").
QString describeFileKind(FileKind kind);

/// Empty when `path` is missing or a regular file (a writer may create or replace it); else
/// "PATH: is a FIFO, not a regular file" (also for a folder).
QString outputFileProblem(const QString &path);

/// For a file about to be read: empty when `path` is a regular file (through links) or does not
/// exist (the reader's open() names that); else "PATH: is a character device, not a regular
/// file", "PATH: is a FIFO, ...", or "PATH: is a folder, not a file".
QString specialFileProblem(const QString &path);

/// For a folder about to be read: empty when `path` is a folder (through links); else
/// "PATH: no such folder" or "PATH: is a regular file, not a folder" (issue 16: a file given
/// where a folder belongs was reported as "no such folder").
QString folderProblem(const QString &path);

} // namespace fa
