#include "animate/change_curves_command.h"

#include "animate/animate_document.h"

namespace fa {

ChangeCurvesCommand::ChangeCurvesCommand(AnimateDocument *document,
                                         std::map<int, KeyframeCurve> before,
                                         std::map<int, KeyframeCurve> after, const QString &text,
                                         int mergeId, QUndoCommand *parent)
    : QUndoCommand(text, parent)
    , m_document(document)
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_mergeId(mergeId < 0 ? -1 : mergeId)
{
}

void ChangeCurvesCommand::undo()
{
    m_document->applyCurves(m_before);
}

void ChangeCurvesCommand::redo()
{
    m_document->applyCurves(m_after);
}

bool ChangeCurvesCommand::mergeWith(const QUndoCommand *other)
{
    const auto *next = dynamic_cast<const ChangeCurvesCommand *>(other);
    if (!next || m_mergeId < 0 || next->m_mergeId != m_mergeId || next->m_document != m_document)
        return false;
    for (const auto &[channel, curve] : next->m_before)
        m_before.emplace(channel, curve); // keeps ours where present
    for (const auto &[channel, curve] : next->m_after)
        m_after[channel] = curve;
    setObsolete(m_before == m_after);
    return true;
}

} // namespace fa
