#pragma once

#include "project/judgment_record.h"
#include "project/triplet_record.h"

#include <QString>

#include <deque>
#include <optional>
#include <vector>

namespace fa {

class Project;

/// One annotator labelling one project: serves triplets, records judgments, skips and undoes.
///
/// The session keeps a small queue of triplets leased for it (so a view can prefetch their
/// crops): the front is current(). Another session (another annotator, or the same annotator
/// in another studio instance) is never served a triplet this session holds, until the lease
/// expires (Project::leaseSeconds(); every answer renews the session's leases).
///
/// record() and skip() commit the judgment in its own transaction before returning: once they
/// return true, the judgment survives the process being killed.
///
/// Undo retracts the session's latest standing judgment (the row is kept, marked retracted)
/// and puts its triplet back at the front of the queue, so it can be answered again. Undo
/// reaches back through every judgment made in this session, not earlier ones.
class LabellingSession
{
public:
    /// `prefetch`: how many triplets to hold leased ahead (current included), >= 1.
    LabellingSession(Project &project, const QString &annotator, int prefetch = 3);
    ~LabellingSession(); ///< releases the session's leases

    LabellingSession(const LabellingSession &) = delete;
    LabellingSession &operator=(const LabellingSession &) = delete;

    /// Registers the annotator and fills the queue. False with errorString() on failure.
    bool start();

    QString annotator() const { return m_annotator; }
    qint64 annotatorId() const { return m_annotatorId; }
    QString holder() const { return m_holder; } ///< this session's lease token

    /// The triplet to answer now, or nullopt when nothing is left for this annotator.
    std::optional<TripletRecord> current() const;
    /// The queued triplets after current(), for prefetching.
    std::vector<TripletRecord> upcoming() const;

    /// Answers current() with choice 1..3 (the odd face), taking `durationMs` since it was
    /// shown. Commits, then advances the queue. False with errorString() on failure; the
    /// triplet then stays current.
    bool record(int choice, qint64 durationMs);
    /// Skips current(): recorded as choice 0 (not counted towards completion; this annotator
    /// is not served it again).
    bool skip(qint64 durationMs);
    /// Retracts the latest judgment of this session; its triplet becomes current() again.
    /// False when there is nothing to undo (errorString() empty) or on failure.
    bool undo();
    bool canUndo() const { return !m_undoStack.empty(); }

    /// Tops the queue up again (e.g. after new triplets were sampled, or when other sessions'
    /// leases ran out). Keeps the undo history. False with errorString() on failure.
    bool refresh() { m_error.clear(); return refill(); }

    /// Extends the leases on the queued triplets (call now and then while the annotator thinks).
    /// Triplets another session took after our lease ran out leave the queue, so current() may
    /// change.
    bool renewLeases();

    /// Judgments (skips included) of this annotator in the project, and triplets left for them.
    qint64 doneCount() const;
    qint64 remainingCount() const;
    /// Answers in this session (undone ones not counted).
    int sessionCount() const { return int(m_undoStack.size()); }

    QString errorString() const { return m_error; }

private:
    bool answer(int choice, qint64 durationMs);
    bool refill();

    Project &m_project;
    QString m_annotator;
    qint64 m_annotatorId = 0;
    QString m_holder;
    int m_prefetch = 3;
    std::deque<TripletRecord> m_queue;
    struct Done { qint64 judgmentId; TripletRecord triplet; };
    std::vector<Done> m_undoStack;
    QString m_error;
};

} // namespace fa
