#include "project/labelling_session.h"

#include "project/project.h"

#include <QUuid>

#include <algorithm>

namespace fa {

LabellingSession::LabellingSession(Project &project, const QString &annotator, int prefetch)
    : m_project(project),
      m_annotator(annotator.trimmed()),
      m_holder(QUuid::createUuid().toString(QUuid::WithoutBraces)),
      m_prefetch(std::max(1, prefetch))
{
}

LabellingSession::~LabellingSession()
{
    m_project.judgments().releaseLeases(m_holder, nullptr);
}

bool LabellingSession::start()
{
    m_error.clear();
    const std::optional<qint64> id = m_project.judgments().annotatorId(m_annotator, &m_error);
    if (!id)
        return false;
    m_annotatorId = *id;
    m_queue.clear();
    return refill();
}

std::optional<TripletRecord> LabellingSession::current() const
{
    if (m_queue.empty())
        return std::nullopt;
    return m_queue.front();
}

std::vector<TripletRecord> LabellingSession::upcoming() const
{
    if (m_queue.size() < 2)
        return {};
    return std::vector<TripletRecord>(m_queue.begin() + 1, m_queue.end());
}

bool LabellingSession::record(int choice, qint64 durationMs)
{
    if (choice < 1 || choice > 3) {
        m_error = QStringLiteral("a choice is 1, 2 or 3, not %1").arg(choice);
        return false;
    }
    return answer(choice, durationMs);
}

bool LabellingSession::skip(qint64 durationMs)
{
    return answer(JudgmentRecord::kSkip, durationMs);
}

bool LabellingSession::answer(int choice, qint64 durationMs)
{
    m_error.clear();
    if (m_queue.empty()) {
        m_error = QStringLiteral("no triplet to answer");
        return false;
    }
    JudgmentRecord judgment;
    judgment.tripletId = m_queue.front().id;
    judgment.annotatorId = m_annotatorId;
    judgment.choice = choice;
    judgment.durationMs = durationMs;
    bool alreadyJudged = false;
    const std::optional<qint64> id = m_project.judgments().record(judgment, &m_error, &alreadyJudged);
    if (!id) {
        if (!alreadyJudged)
            return false;
        // This annotator answered it in another instance meanwhile: nothing to record here.
        m_error.clear();
        m_queue.pop_front();
        return refill();
    }
    m_undoStack.push_back({*id, m_queue.front()});
    m_queue.pop_front();
    // The judgment is committed; a failure to top up the queue is reported but loses nothing.
    return refill();
}

bool LabellingSession::undo()
{
    m_error.clear();
    if (m_undoStack.empty())
        return false;
    const Done last = m_undoStack.back();
    if (!m_project.judgments().retract(last.judgmentId, &m_error))
        return false;
    m_undoStack.pop_back();
    m_queue.push_front(last.triplet);
    if (m_queue.size() > size_t(m_prefetch)) {
        // Give the last queued triplet back to the others.
        const qint64 dropped = m_queue.back().id;
        m_queue.pop_back();
        m_project.judgments().releaseLease(m_holder, dropped, nullptr);
    }
    // Hold the undone triplet again. Shown again even if another session took it meanwhile:
    // this annotator's answer on it is still wanted.
    std::vector<qint64> ids;
    for (const TripletRecord &t : m_queue)
        ids.push_back(t.id);
    m_project.judgments().renewLeases(m_holder, m_annotatorId, ids, &m_error);
    return true;
}

bool LabellingSession::renewLeases()
{
    std::vector<qint64> ids, lost;
    for (const TripletRecord &t : m_queue)
        ids.push_back(t.id);
    m_error.clear();
    if (!m_project.judgments().renewLeases(m_holder, m_annotatorId, ids, &m_error, &lost))
        return false;
    if (lost.empty())
        return true;
    // Our leases ran out (e.g. the machine slept) and another session took these: let it have
    // them, so that no two sessions show the same triplet.
    m_queue.erase(std::remove_if(m_queue.begin(), m_queue.end(),
                                 [&](const TripletRecord &t) {
                                     return std::find(lost.begin(), lost.end(), t.id) != lost.end();
                                 }),
                  m_queue.end());
    return refill();
}

qint64 LabellingSession::doneCount() const
{
    return m_project.judgments().doneBy(m_annotatorId);
}

qint64 LabellingSession::remainingCount() const
{
    return m_project.judgments().remainingFor(m_annotatorId);
}

bool LabellingSession::refill()
{
    const int wanted = m_prefetch - int(m_queue.size());
    if (wanted <= 0)
        return true;
    std::vector<qint64> queued;
    for (const TripletRecord &t : m_queue)
        queued.push_back(t.id);
    QString error;
    const std::vector<qint64> ids = m_project.judgments().lease(m_holder, m_annotatorId, wanted, queued, &error);
    if (!error.isEmpty()) {
        m_error = error;
        return false;
    }
    for (qint64 id : ids) {
        if (std::optional<TripletRecord> triplet = m_project.triplets().triplet(id))
            m_queue.push_back(*triplet);
    }
    return true;
}

} // namespace fa
