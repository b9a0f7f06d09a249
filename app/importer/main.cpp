// freeavatar-import MODE FILE: imports one avatar file with Assimp (AssimpAvatarImport) and
// writes the outcome to standard output as one AvatarImportReply (core/avatar).
//   MODE avatar      AvatarLoader::load()
//   MODE animations  AvatarLoader::loadMorphAnimations()
// A file the import refuses is a reply with an error and exit status 0; exit status 64 is a
// usage error, 70 a reply that could not be written. A file that makes Assimp abort() or crash
// ends this process by that signal, which AvatarLoader reports ("the importer crashed").
// Not meant to be run by hand; AvatarImportProcess (core/avatar) runs it.

#include "avatar/assimp_avatar_import.h"
#include "avatar/avatar_import_reply.h"

#include <QCoreApplication>
#include <QStringList>

#include <cerrno>
#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>

namespace {

bool writeAll(int fd, const QByteArray &bytes)
{
    const char *p = bytes.constData();
    qsizetype left = bytes.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, size_t(left));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        left -= n;
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    // A crash here is expected on hostile files: no core dump for it.
    const rlimit noCore = {0, 0};
    setrlimit(RLIMIT_CORE, &noCore);
    // The reply goes to the original stdout; anything a library prints goes to stderr.
    const int replyFd = dup(STDOUT_FILENO);
    if (replyFd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
        std::perror("freeavatar-import: stdout");
        return 70;
    }

    QCoreApplication app(argc, argv); // image plugin paths for textures
    const QStringList arguments = QCoreApplication::arguments();
    const QString mode = arguments.value(1);
    if (arguments.size() != 3 || (mode != QLatin1String("avatar") && mode != QLatin1String("animations"))) {
        std::fprintf(stderr, "usage: freeavatar-import avatar|animations FILE\n");
        return 64;
    }
    const QString path = arguments.at(2);

    fa::AssimpAvatarImport import;
    fa::AvatarImportReply reply;
    if (mode == QLatin1String("avatar")) {
        reply.avatar = import.load(path);
    } else {
        reply.clips = import.loadMorphAnimations(path);
        reply.animationNames = import.animationNames();
    }
    reply.error = import.errorString();
    reply.warnings = import.warnings();
    if (!writeAll(replyFd, reply.encode())) {
        std::perror("freeavatar-import: writing the reply");
        return 70;
    }
    return 0;
}
