#pragma once

#include "avatar/avatar_import_reply.h"

#include <QString>

namespace fa {

/// Runs the import program (freeavatar-import, app/importer) on one file in a child process and
/// reads its AvatarImportReply, so that a file that makes Assimp abort() or crash takes only the
/// child with it. Used by AvatarLoader.
///
/// The program is looked for, in this order (programPath()):
///   1. the environment variable FA_AVATAR_IMPORTER (a path; if set, it must be executable),
///   2. beside the running program (QCoreApplication::applicationDirPath(): build/bin, or the
///      bin folder of an installation),
///   3. in the installation's libexec folder relative to that one (../libexec/freeavatar beside
///      bin, as CMAKE_INSTALL_LIBEXECDIR says at configure time),
///   4. in that libexec folder under the configured install prefix.
/// There is no in-process fallback: without the program every import fails with an error
/// naming it.
///
/// Errors (run() returns false, errorString() is one line "FILE: ..."): the program is missing
/// or cannot start; it crashed ("FILE: the importer crashed (signal N)": abort() is 6, a
/// segmentation fault 11); it ran past the timeout and was killed; it exited with a non-zero
/// status; its reply is larger than maxReplyBytes() or not a well-formed reply
/// (AvatarImportReply::decode()). A file the import itself refuses is not a failure of run():
/// the reply's error says why.
///
/// Blocks the calling thread until the child ends (any thread; it needs no event loop).
class AvatarImportProcess
{
public:
    enum class Mode { Avatar, MorphAnimations };

    /// A guard against a child that hangs, not a performance bound (Rocketbox takes ~1 s).
    static constexpr int kDefaultTimeoutMs = 120000;
    static constexpr qint64 maxReplyBytes() { return qint64(4) << 30; }

    /// Milliseconds the child may run before it is killed; <= 0 restores the default (which the
    /// environment variable FA_AVATAR_IMPORT_TIMEOUT, in seconds, overrides).
    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    int timeout() const;

    /// Imports `path` in a child; true with `reply` filled (its error may be set), or false with
    /// errorString() set and `reply` cleared.
    bool run(Mode mode, const QString &path, AvatarImportReply *reply);
    QString errorString() const { return m_error; }

    /// The import program's absolute path, or empty with `why` set (what was looked for where).
    static QString programPath(QString *why);

private:
    int m_timeoutMs = 0;
    QString m_error;
};

} // namespace fa
