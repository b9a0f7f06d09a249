#pragma once

namespace fa::cli {

/// Exit codes of the freeavatar tool.
enum ExitCode : int {
    ExitSuccess = 0,
    ExitFailure = 1,  ///< Unexpected failure (a bug or the system), not the user's input.
    ExitBadInput = 2, ///< Bad arguments or input files; the message names the file and problem.
    ExitInterrupted = 130, ///< Stopped by Ctrl+C (SIGINT) after saving what resumes the work.
};

} // namespace fa::cli
