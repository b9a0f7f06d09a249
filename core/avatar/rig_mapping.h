#pragma once

#include "animation/animation_clip.h"
#include "avatar/rig_definition.h"

#include <QStringList>

#include <vector>

namespace fa {

/// Which ARKit blendshape (REFERENCE.md section 6, the 52 shapes of common/arkit.h) drives
/// each control of an avatar's rig, and the routing of ARKit curves onto that rig.
///
/// A control is matched by its name through fa::arkit::indexOf, so every spelling found in
/// avatar files maps: camelCase (`eyeBlinkLeft`, Ready Player Me), PascalCase (`EyeBlinkLeft`),
/// the suffix form (`eyeBlink_L`, Face Cap) and the prefixed form (`AK_09_EyeBlinkLeft`,
/// Rocketbox/HeadBox). Several controls may map to the same shape (two spellings on different
/// meshes): all of them are driven. Controls no ARKit shape drives (visemes, FACS `AU_*`,
/// HeadBox `HB_*`, SRanipal `SR_*`, custom shapes) are reported by unmappedControls() and stay
/// at 0 in apply().
class RigMapping
{
public:
    RigMapping() = default;

    /// The mapping of every control of `rig` (by name).
    static RigMapping fromArkit(const RigDefinition &rig);

    /// Number of rig controls.
    int controlCount() const { return int(m_controlNames.size()); }
    const QStringList &controlNames() const { return m_controlNames; }

    /// ARKit shape index in [0,52) (fa::ArkitShape) driving rig control `control`, or -1
    /// (also for an out-of-range control).
    int arkitIndexForControl(int control) const;

    /// Rig controls no ARKit shape drives, in rig order.
    QStringList unmappedControls() const;
    /// Canonical camelCase names of the ARKit shapes no rig control carries, in ARKit order.
    QStringList missingArkitShapes() const;
    /// Number of rig controls driven by an ARKit shape (52 for a complete ARKit rig with
    /// one spelling per shape).
    int mappedCount() const;
    /// Number of distinct ARKit shapes the rig carries (52 - missingArkitShapes().size()).
    int mappedShapeCount() const;

    /// Routes ARKit curves onto the rig. Input controls are matched by ARKit name (canonical
    /// camelCase, or any spelling arkit::indexOf accepts; the first of duplicates wins); any
    /// subset works and other controls (headYaw, headPitch, headRoll...) are ignored. Output:
    /// one control per rig control in rig order, the input's frames, times, face-found mask
    /// and fps; values copied unchanged (weights in [0,1]); controls without an ARKit shape,
    /// or whose shape the input lacks, are 0.
    AnimationClip apply(const AnimationClip &arkitClip) const;

private:
    QStringList m_controlNames;
    std::vector<int> m_arkitIndex; // per control, -1 when unmapped
};

} // namespace fa
