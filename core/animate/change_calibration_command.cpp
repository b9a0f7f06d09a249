#include "animate/change_calibration_command.h"

#include "animate/animate_document.h"

#include <QCoreApplication>

namespace fa {

ChangeCalibrationCommand::ChangeCalibrationCommand(AnimateDocument *document, int channel,
                                                   ChannelCalibration before,
                                                   ChannelCalibration after, int mergeId,
                                                   QUndoCommand *parent)
    : QUndoCommand(parent)
    , m_document(document)
    , m_channel(channel)
    , m_before(before)
    , m_after(after)
    , m_mergeId(mergeId < 0 ? -1 : mergeId)
{
    setText(QCoreApplication::translate("fa::AnimateDocument", "Change Calibration of %1")
                .arg(document->animation().controlNames().value(channel)));
}

void ChangeCalibrationCommand::undo()
{
    m_document->applyCalibration(m_channel, m_before);
}

void ChangeCalibrationCommand::redo()
{
    m_document->applyCalibration(m_channel, m_after);
}

bool ChangeCalibrationCommand::mergeWith(const QUndoCommand *other)
{
    const auto *next = dynamic_cast<const ChangeCalibrationCommand *>(other);
    if (!next || m_mergeId < 0 || next->m_mergeId != m_mergeId || next->m_channel != m_channel
        || next->m_document != m_document)
        return false;
    m_after = next->m_after;
    setObsolete(m_before == m_after);
    return true;
}

} // namespace fa
