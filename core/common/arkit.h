#pragma once

#include <QString>
#include <QStringList>

#include <array>

namespace fa {

/// The 52 ARKit blendshapes (ARFaceAnchor.BlendShapeLocation), in the column order of the
/// Live Link Face CSV (REFERENCE.md section 6). The enum value is the column index among the 52.
/// "Left" is the actor's own left, as in ARKit.
enum class ArkitShape : int {
    EyeBlinkLeft, EyeLookDownLeft, EyeLookInLeft, EyeLookOutLeft, EyeLookUpLeft, EyeSquintLeft,
    EyeWideLeft, EyeBlinkRight, EyeLookDownRight, EyeLookInRight, EyeLookOutRight, EyeLookUpRight,
    EyeSquintRight, EyeWideRight, JawForward, JawRight, JawLeft, JawOpen, MouthClose, MouthFunnel,
    MouthPucker, MouthRight, MouthLeft, MouthSmileLeft, MouthSmileRight, MouthFrownLeft,
    MouthFrownRight, MouthDimpleLeft, MouthDimpleRight, MouthStretchLeft, MouthStretchRight,
    MouthRollLower, MouthRollUpper, MouthShrugLower, MouthShrugUpper, MouthPressLeft,
    MouthPressRight, MouthLowerDownLeft, MouthLowerDownRight, MouthUpperUpLeft, MouthUpperUpRight,
    BrowDownLeft, BrowDownRight, BrowInnerUp, BrowOuterUpLeft, BrowOuterUpRight, CheekPuff,
    CheekSquintLeft, CheekSquintRight, NoseSneerLeft, NoseSneerRight, TongueOut,
};

namespace arkit {

constexpr int kShapeCount = 52;

/// Rotation channels that travel with the 52 shapes in the solver's clips, in degrees (Live Link
/// Face stores them normalised to [-1,1], see LiveLinkCsv): the head's yaw, pitch and roll,
/// then each eye's yaw and pitch. HeadPose's conventions for all: yaw > 0 turns towards the
/// actor's own left, pitch > 0 looks up.
constexpr int kHeadChannelCount = 3;
constexpr int kRotationChannelCount = 7;

/// Canonical camelCase name ("eyeBlinkLeft") of shape i in [0,52).
QString canonicalName(int i);
inline QString canonicalName(ArkitShape s) { return canonicalName(int(s)); }

/// PascalCase name ("EyeBlinkLeft"), as in the Live Link Face header.
QString pascalName(int i);

/// All 52 canonical names in enum order.
const QStringList &canonicalNames();

/// Names of the head channels in the solver's clips: headYaw, headPitch, headRoll (degrees).
const QStringList &headChannelNames();
/// The head channels, then leftEyeYaw, leftEyePitch, rightEyeYaw, rightEyePitch (degrees).
const QStringList &rotationChannelNames();

/// Index in [0,52) of a blendshape name written in any of the four spellings ARKit names
/// appear in files: camelCase (`eyeBlinkLeft`), PascalCase (`EyeBlinkLeft`), suffix form
/// (`eyeBlink_L`, `eyeBlink_R`, also `.L`/`_left`), and the prefixed form (`AK_09_EyeBlinkLeft`).
/// A namespace or deformer prefix up to the last ':' or '.' (`blendShape1.eyeBlinkLeft`) is
/// ignored. Matching is case-insensitive. Returns -1 for a name that is not an ARKit shape.
int indexOf(const QString &anySpelling);

} // namespace arkit
} // namespace fa
