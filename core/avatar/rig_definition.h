#pragma once

#include <QString>
#include <QStringList>

#include <vector>

namespace fa {

/// The ordered controls of an avatar's rig. For a blendshape rig a control is a morph-target
/// name with range [0,1] (0 = base mesh, 1 = the full target).
class RigDefinition
{
public:
    struct Control
    {
        QString name;
        float minimum = 0.0f;
        float maximum = 1.0f;
    };

    RigDefinition() = default;
    explicit RigDefinition(const QStringList &names);

    void addControl(const Control &control) { m_controls.push_back(control); }
    int controlCount() const { return int(m_controls.size()); }
    const Control &control(int i) const { return m_controls[size_t(i)]; }
    const std::vector<Control> &controls() const { return m_controls; }
    QStringList names() const;
    /// Index of a control by exact name, or -1.
    int indexOf(const QString &name) const;

private:
    std::vector<Control> m_controls;
};

} // namespace fa
