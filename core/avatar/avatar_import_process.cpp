#include "avatar/avatar_import_process.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>

#include <algorithm>
#include <climits>

namespace fa {
namespace {

// The folder of the running program: Qt's answer, or /proc/self/exe where no
// QCoreApplication exists (a library caller without one).
QString runningProgramDir()
{
    if (QCoreApplication::instance())
        return QCoreApplication::applicationDirPath();
    return QFileInfo(QStringLiteral("/proc/self/exe")).canonicalPath();
}

bool isExecutableFile(const QString &path)
{
    const QFileInfo info(path);
    return info.isFile() && info.isExecutable();
}

// The last non-empty line of what the child wrote to stderr, shortened for a one-line message.
QString lastLine(const QByteArray &err)
{
    const QList<QByteArray> lines = err.trimmed().split('\n');
    QString line = QString::fromUtf8(lines.isEmpty() ? QByteArray() : lines.last().trimmed());
    if (line.size() > 200)
        line = line.left(200) + QStringLiteral("...");
    return line;
}

} // namespace

QString AvatarImportProcess::programPath(QString *why)
{
    const QString name = QStringLiteral(FA_IMPORTER_NAME);
    const QString override = qEnvironmentVariable("FA_AVATAR_IMPORTER");
    if (!override.isEmpty()) {
        if (isExecutableFile(override))
            return QFileInfo(override).absoluteFilePath();
        *why = QStringLiteral("FA_AVATAR_IMPORTER=%1 is not an executable file").arg(override);
        return {};
    }
    QStringList dirs;
    const QString programDir = runningProgramDir();
    if (!programDir.isEmpty())
        dirs << programDir << QDir::cleanPath(programDir + QStringLiteral("/" FA_IMPORTER_RELATIVE_DIR));
    dirs << QStringLiteral(FA_IMPORTER_INSTALL_DIR);
    dirs.removeDuplicates();
    for (const QString &dir : dirs) {
        const QString candidate = dir + QLatin1Char('/') + name;
        if (isExecutableFile(candidate))
            return candidate;
    }
    *why = QStringLiteral("the avatar import program %1 was not found in %2 (FA_AVATAR_IMPORTER may name it)")
               .arg(name, dirs.join(QStringLiteral(", ")));
    return {};
}

int AvatarImportProcess::timeout() const
{
    if (m_timeoutMs > 0)
        return m_timeoutMs;
    bool ok = false;
    const qint64 seconds = qEnvironmentVariable("FA_AVATAR_IMPORT_TIMEOUT").toLongLong(&ok);
    if (ok && seconds > 0)
        return int(std::min<qint64>(seconds * 1000, INT_MAX));
    return kDefaultTimeoutMs;
}

bool AvatarImportProcess::run(Mode mode, const QString &path, AvatarImportReply *reply)
{
    m_error.clear();
    *reply = AvatarImportReply();
    QString why;
    const QString program = programPath(&why);
    if (program.isEmpty()) {
        m_error = QStringLiteral("%1: cannot import: %2").arg(path, why);
        return false;
    }
    const int limitMs = timeout();
    QElapsedTimer clock;
    clock.start();
    QProcess process;
    process.setStandardInputFile(QProcess::nullDevice());
    process.start(program, {mode == Mode::Avatar ? QStringLiteral("avatar") : QStringLiteral("animations"), path},
                  QIODevice::ReadOnly);
    if (!process.waitForStarted(limitMs)) {
        m_error = QStringLiteral("%1: cannot start the avatar import program %2: %3").arg(path, program, process.errorString());
        process.kill();
        process.waitForFinished(-1);
        return false;
    }

    // Read the reply as it comes (a full pipe would stall the child), stderr's tail for a
    // failure message, until the child ends, the reply grows too large or time is up.
    QByteArray out;
    QByteArray err;
    bool timedOut = false;
    bool tooLarge = false;
    while (process.state() != QProcess::NotRunning) {
        const qint64 leftMs = limitMs - clock.elapsed();
        if (leftMs <= 0) {
            timedOut = true;
            break;
        }
        process.waitForReadyRead(int(std::min<qint64>(leftMs, 1000)));
        out += process.readAllStandardOutput();
        err = (err + process.readAllStandardError()).right(4096);
        if (out.size() > maxReplyBytes()) {
            tooLarge = true;
            break;
        }
    }
    if (timedOut || tooLarge) {
        process.kill();
        process.waitForFinished(-1);
        m_error = timedOut ? QStringLiteral("%1: the importer did not finish within %2 s; stopped").arg(path).arg(limitMs / 1000.0)
                           : QStringLiteral("%1: the importer's reply is larger than %2 MiB; stopped")
                                 .arg(path).arg(maxReplyBytes() >> 20);
        return false;
    }
    out += process.readAllStandardOutput();
    err = (err + process.readAllStandardError()).right(4096);

    if (process.exitStatus() == QProcess::CrashExit) {
        // Qt 6 on Unix reports the terminating signal as the exit code of a crashed child.
        m_error = QStringLiteral("%1: the importer crashed (signal %2)").arg(path).arg(process.exitCode());
        return false;
    }
    if (process.exitCode() != 0) {
        const QString detail = lastLine(err);
        m_error = QStringLiteral("%1: the importer failed (exit code %2)%3")
                      .arg(path).arg(process.exitCode())
                      .arg(detail.isEmpty() ? QString() : QStringLiteral(": ") + detail);
        return false;
    }
    if (!reply->decode(out, &why)) {
        m_error = QStringLiteral("%1: the importer's reply is invalid (%2)").arg(path, why);
        return false;
    }
    return true;
}

} // namespace fa
