#include "avatar/rig_mapping.h"

#include "common/arkit.h"

#include <array>

namespace fa {

RigMapping RigMapping::fromArkit(const RigDefinition &rig)
{
    RigMapping mapping;
    for (const RigDefinition::Control &control : rig.controls()) {
        mapping.m_controlNames << control.name;
        mapping.m_arkitIndex.push_back(arkit::indexOf(control.name));
    }
    return mapping;
}

int RigMapping::arkitIndexForControl(int control) const
{
    if (control < 0 || control >= int(m_arkitIndex.size()))
        return -1;
    return m_arkitIndex[size_t(control)];
}

QStringList RigMapping::unmappedControls() const
{
    QStringList result;
    for (size_t i = 0; i < m_arkitIndex.size(); ++i)
        if (m_arkitIndex[i] < 0)
            result << m_controlNames[int(i)];
    return result;
}

QStringList RigMapping::missingArkitShapes() const
{
    std::array<bool, arkit::kShapeCount> present{};
    for (int index : m_arkitIndex)
        if (index >= 0)
            present[size_t(index)] = true;
    QStringList result;
    for (int i = 0; i < arkit::kShapeCount; ++i)
        if (!present[size_t(i)])
            result << arkit::canonicalName(i);
    return result;
}

int RigMapping::mappedCount() const
{
    int n = 0;
    for (int index : m_arkitIndex)
        n += index >= 0 ? 1 : 0;
    return n;
}

int RigMapping::mappedShapeCount() const
{
    return arkit::kShapeCount - int(missingArkitShapes().size());
}

AnimationClip RigMapping::apply(const AnimationClip &arkitClip) const
{
    // Input column of each ARKit shape, -1 when the input lacks it.
    std::array<int, arkit::kShapeCount> inputColumn;
    inputColumn.fill(-1);
    for (int c = 0; c < arkitClip.controlCount(); ++c) {
        const int shape = arkit::indexOf(arkitClip.controlNames().at(c));
        if (shape >= 0 && inputColumn[size_t(shape)] < 0)
            inputColumn[size_t(shape)] = c;
    }
    std::vector<int> source(m_arkitIndex.size(), -1); // input column per rig control
    for (size_t i = 0; i < m_arkitIndex.size(); ++i)
        if (m_arkitIndex[i] >= 0)
            source[i] = inputColumn[size_t(m_arkitIndex[i])];

    AnimationClip out(m_controlNames, arkitClip.fps());
    std::vector<float> row(source.size());
    for (int f = 0; f < arkitClip.frameCount(); ++f) {
        const float *in = arkitClip.frame(f);
        for (size_t i = 0; i < source.size(); ++i)
            row[i] = source[i] >= 0 ? in[source[i]] : 0.0f;
        out.appendFrame(arkitClip.frameTime(f), row.data(), arkitClip.faceFound(f));
    }
    return out;
}

} // namespace fa
