#pragma once

#include "animation/keyframe_curve.h"

#include <QUndoCommand>

#include <map>

namespace fa {

class AnimateDocument;

/// Undo step that sets the curves of some channels (Tiled changevalue.h style). Owns detached
/// copies of the before and after curves of only the channels it changes.
///
/// id() is the merge id (-1: never merges). mergeWith() a later command with the same id keeps
/// this command's before-state, takes the later after-state, and adds the later command's
/// before-state for channels this one did not touch; a chain that ends where it started becomes
/// obsolete (QUndoStack drops it).
class ChangeCurvesCommand : public QUndoCommand
{
public:
    ChangeCurvesCommand(AnimateDocument *document, std::map<int, KeyframeCurve> before,
                        std::map<int, KeyframeCurve> after, const QString &text, int mergeId = -1,
                        QUndoCommand *parent = nullptr);

    const std::map<int, KeyframeCurve> &before() const { return m_before; }
    const std::map<int, KeyframeCurve> &after() const { return m_after; }

    void undo() override;
    void redo() override;
    int id() const override { return m_mergeId; }
    bool mergeWith(const QUndoCommand *other) override;

private:
    AnimateDocument *m_document;
    std::map<int, KeyframeCurve> m_before;
    std::map<int, KeyframeCurve> m_after;
    int m_mergeId;
};

} // namespace fa
