#pragma once

#include "animation/animation_clip.h"
#include "avatar/avatar.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace fa {

struct AvatarImportReply;

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
/// "FILE: what is wrong", one line): missing or unreadable file, a file Assimp cannot parse
/// (corrupt or truncated GLB, not a 3-D scene), a glTF file whose JSON does not parse
/// ("FILE: invalid glTF JSON (...)", also for JSON nested more than 1,024 levels; checked before
/// Assimp runs), a scene without triangle meshes, and glTF files that require an extension
/// Assimp 5.2.5 cannot decode (EXT_meshopt_compression, KHR_draco_mesh_compression), which the
/// message names explicitly. Assimp exceptions never escape.
///
/// Crash isolation: Assimp runs in a child process, the import program freeavatar-import
/// (AvatarImportProcess says where it is looked for; FA_AVATAR_IMPORTER overrides), which hands
/// the result back over a pipe (AvatarImportReply). A file that makes Assimp abort() or crash
/// fails with "FILE: the importer crashed (signal N)" (6 for abort, 11 for a segmentation
/// fault) and the calling process carries on; so do an importer that runs past the timeout
/// (setImportTimeout(), 120 s by default: a guard against hangs), exits with an error, or hands
/// back an invalid reply. Without the import program every call fails with an error naming it;
/// there is no in-process fallback. The calling thread blocks until the child ends.
///
/// Not thread-safe per instance; use one loader per thread (each call runs its own child).
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

    /// Milliseconds the import program may run per call before it is stopped (and the call
    /// fails); <= 0 for the default, 120 s or FA_AVATAR_IMPORT_TIMEOUT seconds.
    void setImportTimeout(int milliseconds) { m_importTimeoutMs = milliseconds; }

private:
    void reset();
    // Runs the import program on `path` (an avatar, or its morph animations); false with
    // m_error set. Adds the reply's warnings either way.
    bool runImport(bool avatar, const QString &path, AvatarImportReply *reply);

    QString m_error;
    QStringList m_warnings;
    QStringList m_animationNames;
    int m_importTimeoutMs = 0;
};

} // namespace fa
