#pragma once

#include <QMetaType>
#include <QString>

#include <optional>

namespace fa {

/// The life of a job (a training run queued in a project, fa::Job).
///
///   Queued -> Running <-> Paused -> Finished | Failed | Cancelled | Interrupted
///
/// Interrupted: the job stopped without being cancelled (the studio closed or crashed while it
/// ran); it can be resumed from its last checkpoint. Failed keeps its error text. The names
/// ("queued", "running", ...) are those of the project's `jobs` table.
enum class JobState { Queued, Running, Paused, Finished, Failed, Cancelled, Interrupted };

/// "queued", "running", "paused", "finished", "failed", "cancelled", "interrupted".
QString jobStateName(JobState state);
/// The state named `name` (as jobStateName), or nullopt.
std::optional<JobState> jobStateFromName(const QString &name);
/// For people: "Queued", "Running", ... (translatable).
QString jobStateLabel(JobState state);
/// Running or Paused: a worker thread exists.
bool jobStateIsActive(JobState state);
/// Failed, Cancelled or Interrupted: the job may be queued again to continue from its last
/// checkpoint.
bool jobStateIsResumable(JobState state);

} // namespace fa

Q_DECLARE_METATYPE(fa::JobState)
