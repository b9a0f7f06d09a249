#pragma once

#include <QString>
#include <QStringList>

namespace fa::cli {

/// The commands that need LibTorch, run by the freeavatar-train executable beside freeavatar.
inline QStringList trainingCommands()
{
    return {QStringLiteral("train"), QStringLiteral("eval-triplets"), QStringLiteral("eval-retarget"),
            QStringLiteral("eval-encoder"), QStringLiteral("embed")};
}

/// Replaces this process with freeavatar-train (the executable beside this one) running
/// `command` with `arguments` (without the program and command names), so that its output,
/// exit status and Ctrl+C behave as if freeavatar ran it. Returns only on failure, with
/// ExitFailure after printing "freeavatar: cannot run PATH: why".
int runTrainingCommand(const QString &command, const QStringList &arguments);

} // namespace fa::cli
