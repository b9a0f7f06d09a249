#pragma once

// Runs a Python reference (FA_NN_PYTHON_SCRIPT, set per test executable: tests/nn/python/
// mae_reference.py or renderer_reference.py) with Debian's /usr/bin/python3, which has
// python3-torch (the python3 first on PATH may not). Header-only, for the nn tests.

#include <QProcess>
#include <QString>
#include <QStringList>

namespace fa::test {

struct PythonRun
{
    bool finished = false; ///< started and ended within the time limit
    int exitCode = -1;
    QString output;        ///< stdout and stderr together
};

inline QString pythonExecutable()
{
    return QStringLiteral("/usr/bin/python3");
}

inline QString pythonReferenceScript()
{
    return QStringLiteral(FA_NN_PYTHON_SCRIPT);
}

inline PythonRun runPython(const QStringList &arguments, int timeoutMs = 120000)
{
    PythonRun run;
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(pythonExecutable(), arguments);
    if (!process.waitForStarted(10000))
        return run;
    run.finished = process.waitForFinished(timeoutMs) && process.exitStatus() == QProcess::NormalExit;
    if (!run.finished)
        process.kill();
    run.exitCode = process.exitCode();
    run.output = QString::fromUtf8(process.readAll());
    return run;
}

/// Empty when /usr/bin/python3 can import torch, else why not (for QSKIP).
inline QString pythonTorchUnavailableReason()
{
    const PythonRun run = runPython({QStringLiteral("-c"), QStringLiteral("import torch")}, 60000);
    if (run.finished && run.exitCode == 0)
        return {};
    return QStringLiteral("/usr/bin/python3 cannot import torch (install python3-torch): ") + run.output.trimmed();
}

/// Runs `FA_NN_PYTHON_SCRIPT command outDir`.
inline PythonRun runReference(const QString &command, const QString &outDir)
{
    return runPython({pythonReferenceScript(), command, outDir});
}

} // namespace fa::test
