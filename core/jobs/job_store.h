#pragma once

#include "jobs/job_record.h"

#include <QString>

#include <optional>
#include <vector>

namespace fa {

class Project;

/// The project's training jobs (table `jobs`, schema migration 2). Each write is its own
/// transaction; functions return false/nullopt on failure and set `error` to "PATH: what is
/// wrong" (Project::databaseError()). Like the project it uses, a JobStore belongs to one thread.
class JobStore
{
public:
    explicit JobStore(Project &project) : m_project(project) {}

    /// Inserts `record` (its id is ignored; created/updated times default to now) and returns
    /// the new id.
    std::optional<qint64> add(const JobRecord &record, QString *error);
    /// Rewrites every column of the row `record.id` (updated_at = now). False when no such row.
    bool update(const JobRecord &record, QString *error);
    bool setState(qint64 id, JobState state, const QString &errorText, QString *error);
    bool setStep(qint64 id, qint64 step, qint64 totalSteps, QString *error);
    bool remove(qint64 id, QString *error);
    /// Every job, oldest first. A row with an unknown state reads as Interrupted.
    std::vector<JobRecord> all();
    std::optional<JobRecord> job(qint64 id);

private:
    Project &m_project;
};

} // namespace fa
