#pragma once

#include "animation/animation_clip.h"
#include "avatar/avatar.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace fa {

/// Reads avatars (meshes, morph targets, base-colour textures) and their morph-weight
/// animations from any file Assimp 5.2.5 imports: glTF 2.0 (.gltf/.glb), FBX, OBJ, Collada...
///
/// Import: Triangulate + JoinIdenticalVertices (both keep the morph targets: the counts of
/// SOURCES.md are unchanged) + GenSmoothNormals (only where the file has no normals). Points and
/// lines are dropped. One AvatarMesh per (node, mesh) instance, its transform the product of the
/// node transforms from the root. Morph targets are converted from Assimp's absolute
/// aiAnimMesh positions/normals to deltas (target - base). Positions keep the file's units;
/// Avatar::unitScaleToMeters records them.
///
/// Textures: only the base-colour texture of each used material is loaded (Avatar::textures
/// holds each once). Embedded textures are decoded with QImage::fromData (PNG, JPEG), raw
/// embedded texels copied; external files are looked up as written, relative to the avatar
/// file, and by file name beside it. A texture that cannot be found or decoded is skipped with
/// a line in warnings() (Rocketbox FBX files reference absent TGA files: not an error).
///
/// Errors (load() returns nullptr, loadMorphAnimations() an empty list, errorString() says
/// "FILE: what is wrong"): missing or unreadable file, a file Assimp cannot parse (corrupt or
/// truncated GLB, not a 3-D scene), a scene without triangle meshes, and glTF files that require
/// an extension Assimp 5.2.5 cannot decode (EXT_meshopt_compression, KHR_draco_mesh_compression),
/// which the message names explicitly. Assimp exceptions never escape.
///
/// Not thread-safe per instance; use one loader per thread.
class AvatarLoader
{
public:
    /// The avatar in `path`, or nullptr with errorString() set. warnings() gains the non-fatal
    /// problems (missing textures, dropped non-triangle meshes).
    std::unique_ptr<Avatar> load(const QString &path);

    /// Every animation of `path` that animates morph weights, as one clip each, in file order.
    /// Controls: the distinct morph-target names of the animated meshes (avatar rig names, same
    /// spelling as Avatar::rig()), every target of an animated mesh included (targets without a
    /// key stay 0). Frames: one per distinct key time of the animation's morph channels, kept at
    /// the key times (no resampling; times in seconds as in the file, so they need not start at
    /// 0: facecap's capture has 335 frames at 0.0475 .. 11.18 s). Channels without a key at a
    /// frame are linearly interpolated. fps = (frames - 1) / (last time - first time), the mean
    /// key rate (30 for facecap), or 30 for a single frame. Values clamped to [0,1]; every
    /// frame has faceFound true. Where several channels drive a target of the same name, the
    /// first channel in the file wins. animationNames() names the clips. Integer glTF weights
    /// (KHR_mesh_quantization, facecap's UNSIGNED_BYTE capture), which Assimp 5.2.5 leaves
    /// undecoded, are dequantised (GltfFile::decodeAssimpWeight).
    /// A file without morph-weight animations gives an empty list and an empty errorString().
    std::vector<AnimationClip> loadMorphAnimations(const QString &path);

    /// Names of the clips of the last loadMorphAnimations() call, same order.
    QStringList animationNames() const { return m_animationNames; }

    /// "FILE: what is wrong" for the last failed call; empty after success.
    QString errorString() const { return m_error; }
    /// Non-fatal problems, one line each ("FILE: ..."), accumulated over every load() and
    /// loadMorphAnimations() call of this loader (so that a load() followed by
    /// loadMorphAnimations() of the same file reports both) until clearWarnings().
    QStringList warnings() const { return m_warnings; }
    void clearWarnings() { m_warnings.clear(); }

private:
    void reset();

    QString m_error;
    QStringList m_warnings;
    QStringList m_animationNames;
};

} // namespace fa
