#pragma once

// The subcommands of `freeavatar project` and what they share. Each run function takes the
// arguments with "freeavatar project NAME" as the program name (QCommandLineParser's
// convention) and returns an ExitCode.

#include <QCommandLineParser>
#include <QStringList>

#include <memory>

namespace fa {
class Project;
}

namespace fa::cli {

int runProjectCreate(const QStringList &arguments);
int runProjectImport(const QStringList &arguments);
int runProjectSample(const QStringList &arguments);
int runProjectStats(const QStringList &arguments);
int runProjectExport(const QStringList &arguments);
int runProjectImportFec(const QStringList &arguments);

/// How parsing went: Ok (go on), Help (help printed, exit 0), Error (message printed, exit 2).
enum class Parsed { Ok, Help, Error };

/// Parses `arguments` with `parser` (help option added here) and checks that there are
/// between minPositional and maxPositional (-1: any) positional arguments. Prints the help
/// text or a one-line usage error ("freeavatar project NAME: what").
Parsed parseProjectArguments(QCommandLineParser &parser, const QStringList &arguments, const QString &name,
                             int minPositional, int maxPositional);

/// Prints "freeavatar project NAME: MESSAGE" on stderr.
void printProjectError(const QString &name, const QString &message);

/// Opens the project in `directory`, or prints the error and returns null.
std::unique_ptr<Project> openProjectOrReport(const QString &directory, const QString &name);

} // namespace fa::cli
