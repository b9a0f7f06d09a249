#pragma once

#include "project/judgment_record.h"

#include <QString>

#include <optional>
#include <vector>

namespace fa {

class Project;

/// Annotators, judgments and the leases of the labelling queue (tables `annotators`,
/// `judgments`, `leases`). Each write is its own transaction. Errors as in FaceStore.
class JudgmentStore
{
public:
    explicit JudgmentStore(Project &project) : m_project(project) {}

    /// The annotator's id, registering the name on first use. Names are trimmed; empty names
    /// are refused.
    std::optional<qint64> annotatorId(const QString &name, QString *error);
    QStringList annotatorNames();

    /// Commits one judgment and releases the triplet's lease in one transaction. Fails when
    /// the annotator already has a standing judgment on the triplet (e.g. from another
    /// instance): `alreadyJudged` is then set.
    std::optional<qint64> record(const JudgmentRecord &judgment, QString *error,
                                 bool *alreadyJudged = nullptr);
    /// Bulk import (e.g. FEC rows): commits the judgments in transactions of 5,000 (one disk
    /// flush per chunk instead of one per judgment, and other writers wait for one chunk at
    /// most). On failure the chunks committed before stay. A judgment whose annotator already has a standing one on
    /// the triplet is left out and counted in `alreadyPresent`. Does not touch leases.
    bool recordBatch(const std::vector<JudgmentRecord> &judgments, int *added, int *alreadyPresent,
                     QString *error);
    /// Undo: marks the judgment retracted (kept in the table, no longer counted).
    bool retract(qint64 judgmentId, QString *error);
    /// Standing judgments (and retracted ones when asked), oldest first, with annotator names.
    std::vector<JudgmentRecord> all(bool includeRetracted = false);
    qint64 count(bool includeSkips = true);

    /// Leases up to `count` triplets for `holder` (a labelling session's token), for an
    /// annotator: triplets with fewer than judgmentsPerTriplet() non-skip judgments, not
    /// judged or skipped by this annotator, not leased by another holder whose lease is still
    /// running, and not in `exclude`; nearest completion first, then oldest. One transaction.
    std::vector<qint64> lease(const QString &holder, qint64 annotatorId, int count,
                              const std::vector<qint64> &exclude, QString *error);
    /// Extends (or takes again, when free or expired) the holder's lease on these triplets.
    /// Triplets another holder leased meanwhile (ours had expired) are listed in `lost`.
    bool renewLeases(const QString &holder, qint64 annotatorId, const std::vector<qint64> &tripletIds,
                     QString *error, std::vector<qint64> *lost = nullptr);
    /// Drops the holder's lease on one triplet.
    bool releaseLease(const QString &holder, qint64 tripletId, QString *error);
    /// Drops every lease of the holder.
    bool releaseLeases(const QString &holder, QString *error);

    /// Triplets this annotator can still be served (ignoring leases).
    qint64 remainingFor(qint64 annotatorId);
    /// Standing judgments (skips included) of this annotator.
    qint64 doneBy(qint64 annotatorId);
    /// Triplets with at least judgmentsPerTriplet() non-skip judgments.
    qint64 completeTriplets();

private:
    Project &m_project;
};

} // namespace fa
