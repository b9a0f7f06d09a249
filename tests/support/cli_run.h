#pragma once

// Runs the built command-line tool (FA_BIN_DIR/freeavatar) for end-to-end tests.

#include <QProcess>
#include <QString>
#include <QStringList>

namespace fa::test {

struct Run
{
    int exitCode = -1; ///< -1 when the program crashed or timed out
    QString out;
    QString err;
};

inline Run freeavatar(const QStringList &arguments, int timeoutMs = 300000)
{
    QProcess process;
    process.start(QStringLiteral(FA_BIN_DIR "/freeavatar"), arguments);
    Run run;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        run.err = QStringLiteral("timed out");
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

} // namespace fa::test
