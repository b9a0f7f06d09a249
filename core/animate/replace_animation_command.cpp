#include "animate/replace_animation_command.h"

#include "animate/animate_document.h"

namespace fa {

ReplaceAnimationCommand::ReplaceAnimationCommand(AnimateDocument *document, RigAnimation before,
                                                 RigAnimation after, const QString &text,
                                                 QUndoCommand *parent)
    : QUndoCommand(text, parent)
    , m_document(document)
    , m_before(std::move(before))
    , m_after(std::move(after))
{
}

void ReplaceAnimationCommand::undo()
{
    m_document->applyAnimation(m_before);
}

void ReplaceAnimationCommand::redo()
{
    m_document->applyAnimation(m_after);
}

} // namespace fa
