#include "jobs/job_state.h"

#include <QCoreApplication>

namespace fa {

QString jobStateName(JobState state)
{
    switch (state) {
    case JobState::Queued: return QStringLiteral("queued");
    case JobState::Running: return QStringLiteral("running");
    case JobState::Paused: return QStringLiteral("paused");
    case JobState::Finished: return QStringLiteral("finished");
    case JobState::Failed: return QStringLiteral("failed");
    case JobState::Cancelled: return QStringLiteral("cancelled");
    case JobState::Interrupted: return QStringLiteral("interrupted");
    }
    return QString();
}

std::optional<JobState> jobStateFromName(const QString &name)
{
    for (JobState state : {JobState::Queued, JobState::Running, JobState::Paused, JobState::Finished,
                           JobState::Failed, JobState::Cancelled, JobState::Interrupted}) {
        if (jobStateName(state) == name)
            return state;
    }
    return std::nullopt;
}

QString jobStateLabel(JobState state)
{
    switch (state) {
    case JobState::Queued: return QCoreApplication::translate("fa::JobState", "Queued");
    case JobState::Running: return QCoreApplication::translate("fa::JobState", "Running");
    case JobState::Paused: return QCoreApplication::translate("fa::JobState", "Paused");
    case JobState::Finished: return QCoreApplication::translate("fa::JobState", "Finished");
    case JobState::Failed: return QCoreApplication::translate("fa::JobState", "Failed");
    case JobState::Cancelled: return QCoreApplication::translate("fa::JobState", "Cancelled");
    case JobState::Interrupted: return QCoreApplication::translate("fa::JobState", "Interrupted");
    }
    return QString();
}

bool jobStateIsActive(JobState state)
{
    return state == JobState::Running || state == JobState::Paused;
}

bool jobStateIsResumable(JobState state)
{
    return state == JobState::Failed || state == JobState::Cancelled || state == JobState::Interrupted;
}

} // namespace fa
