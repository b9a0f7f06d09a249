#pragma once

#include "jobs/job_state.h"

#include <QString>

namespace fa {

/// One row of the project's `jobs` table (schema 2, core/project/project_schema.cpp).
struct JobRecord
{
    qint64 id = 0;             ///< 0 until stored
    QString kind;              ///< "mae", "triplet" (training runs) or another job kind
    QString title;             ///< for people, e.g. "MAE tiny, 2000 steps"
    QString runDirectory;      ///< relative to the project folder: "runs/<name>"
    QString configYaml;        ///< the job's settings (a TrainingConfig as YAML for training runs)
    JobState state = JobState::Queued;
    QString error;             ///< why it failed (empty otherwise)
    qint64 createdAtMs = 0;    ///< ms since the Unix epoch, UTC
    qint64 updatedAtMs = 0;
    qint64 step = 0;           ///< last step persisted (throttled while running)
    qint64 totalSteps = 0;     ///< 0 = unknown
};

} // namespace fa
