#pragma once

#include "animate/rig_animation.h"

#include <QUndoCommand>

namespace fa {

class AnimateDocument;

/// Undo step that replaces the whole animation (a neutral re-solve). Owns both animations.
class ReplaceAnimationCommand : public QUndoCommand
{
public:
    ReplaceAnimationCommand(AnimateDocument *document, RigAnimation before, RigAnimation after,
                            const QString &text, QUndoCommand *parent = nullptr);

    void undo() override;
    void redo() override;

private:
    AnimateDocument *m_document;
    RigAnimation m_before;
    RigAnimation m_after;
};

} // namespace fa
