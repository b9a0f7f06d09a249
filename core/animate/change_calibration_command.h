#pragma once

#include "animate/channel_calibration.h"

#include <QUndoCommand>

namespace fa {

class AnimateDocument;

/// Undo step that sets one channel's gain and offset. Commands with the same merge id (>= 0)
/// and channel merge (a spin-box drag is one step); a chain back to the start is obsolete.
class ChangeCalibrationCommand : public QUndoCommand
{
public:
    ChangeCalibrationCommand(AnimateDocument *document, int channel, ChannelCalibration before,
                             ChannelCalibration after, int mergeId = -1,
                             QUndoCommand *parent = nullptr);

    void undo() override;
    void redo() override;
    int id() const override { return m_mergeId; }
    bool mergeWith(const QUndoCommand *other) override;

private:
    AnimateDocument *m_document;
    int m_channel;
    ChannelCalibration m_before;
    ChannelCalibration m_after;
    int m_mergeId;
};

} // namespace fa
