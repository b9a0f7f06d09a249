#pragma once

#include <QStringList>

namespace fa::cli {

/// `freeavatar project SUBCOMMAND ...`: create a project, import faces, sample triplets, show
/// statistics, export and import triplets. See `freeavatar project --help`.
int runProject(const QStringList &arguments);

} // namespace fa::cli
