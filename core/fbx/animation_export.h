#pragma once

#include <QString>

namespace fa {

struct Avatar;
class AnimationClip;

/// The files an animator exports a retarget to.
enum class AnimationExportFormat {
    LiveLinkCsv, ///< Live Link Face CSV (REFERENCE.md section 6): the 52 ARKit curves + 9 rotations
    GenericCsv,  ///< frame,time,face_found + one column per avatar control (GenericCsv)
    Fbx,         ///< binary FBX 7.4: the avatar's meshes, blendshapes and DeformPercent curves
};

/// File-dialog filter and default suffix of a format ("Live Link Face CSV (*.csv)", "csv").
QString animationExportFilter(AnimationExportFormat format);
QString animationExportSuffix(AnimationExportFormat format);
/// "Live Link Face CSV", "generic CSV", "binary FBX".
QString animationExportName(AnimationExportFormat format);

/// Writes frames [firstFrame, lastFrame] (inclusive, clip frame indexes) of `arkitClip` (52 ARKit
/// weights in [0,1] + headYaw/headPitch/headRoll in degrees, AnimationClip's conventions) to `path`,
/// atomically (a failed write leaves an existing file as it was).
/// - LiveLinkCsv writes the ARKit curves as they are; `avatar` is not used (may be null).
/// - GenericCsv and Fbx route the curves onto `avatar`'s rig first (RigMapping::fromArkit: every
///   spelling of the ARKit names; controls no ARKit shape drives stay 0); they need `avatar`.
/// Frame times are kept as in the clip (seconds from the start of the video).
/// Returns false with `error` ("PATH: what is wrong") for an empty clip, a range outside it, a
/// missing avatar, an avatar with no ARKit control, or a write that fails.
bool exportAnimation(const QString &path, AnimationExportFormat format, const AnimationClip &arkitClip,
                     int firstFrame, int lastFrame, const Avatar *avatar, QString *error);

} // namespace fa
