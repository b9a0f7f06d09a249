#pragma once

#include <QString>

namespace fa {

/// The face regions a channel list groups rig controls by, in display order.
enum class RigRegion { Brows, Eyes, Mouth, Jaw, Cheeks, Head, Other };

constexpr int kRigRegionCount = 7;

/// Region of a control name. ARKit shapes in any spelling arkit::indexOf() accepts:
/// brow* -> Brows, eye* -> Eyes, mouth* and tongueOut -> Mouth, jaw* -> Jaw, cheek* and nose*
/// -> Cheeks. Head channels (headYaw/headPitch/headRoll in any case, also "HeadYaw",
/// "head_yaw") -> Head; the eye rotations (leftEyeYaw ... rightEyePitch) -> Eyes. Anything
/// else -> Other.
RigRegion rigRegion(const QString &controlName);

/// English display name: "Brows", "Eyes", "Mouth", "Jaw", "Cheeks", "Head", "Other".
QString rigRegionName(RigRegion region);

} // namespace fa
