#include "avatar/rig_definition.h"

namespace fa {

RigDefinition::RigDefinition(const QStringList &names)
{
    for (const QString &name : names)
        m_controls.push_back({name, 0.0f, 1.0f});
}

QStringList RigDefinition::names() const
{
    QStringList result;
    for (const Control &c : m_controls)
        result << c.name;
    return result;
}

int RigDefinition::indexOf(const QString &name) const
{
    for (size_t i = 0; i < m_controls.size(); ++i)
        if (m_controls[i].name == name)
            return int(i);
    return -1;
}

} // namespace fa
