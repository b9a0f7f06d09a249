#include "training_commands.h"

#include "exit_codes.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTextStream>

#include <cerrno>
#include <cstring>
#include <vector>

#include <unistd.h>

namespace fa::cli {

int runTrainingCommand(const QString &command, const QStringList &arguments)
{
    const QString helper = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("freeavatar-train"));
    const QByteArray path = QFile::encodeName(helper);
    std::vector<QByteArray> storage;
    // argv[0] stays freeavatar's own, so that usage lines read "freeavatar train ...".
    storage.push_back(QFile::encodeName(QCoreApplication::arguments().value(0, helper)));
    storage.push_back(command.toLocal8Bit());
    for (const QString &argument : arguments)
        storage.push_back(argument.toLocal8Bit());
    std::vector<char *> argv;
    for (QByteArray &bytes : storage)
        argv.push_back(bytes.data());
    argv.push_back(nullptr);
    QTextStream(stdout).flush();
    ::execv(path.constData(), argv.data());
    const int why = errno;
    QTextStream(stderr) << "freeavatar: cannot run " << helper << ": " << QString::fromLocal8Bit(std::strerror(why)) << '\n';
    return ExitFailure;
}

} // namespace fa::cli
