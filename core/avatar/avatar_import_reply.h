#pragma once

#include "animation/animation_clip.h"
#include "avatar/avatar.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace fa {

/// The outcome of one import as the import program (freeavatar-import) hands it to
/// AvatarLoader on its standard output: the avatar (load) or the clips and their names
/// (loadMorphAnimations), this call's warnings, and the error string of a file the import
/// refused. encode() and decode() define the wire format.
///
/// Format, version 1. Integers and floats in the byte order and layout of the machine (the two
/// programs come from one build; the header's byte-order mark checks it):
///   header   "FAIMPORT" (8 bytes), u32 version, u32 0x01020304, u64 body size
///   body     str error, strs warnings, strs animationNames,
///            u8 hasAvatar [avatar], u32 clipCount {clip}
///   avatar   str name, str sourcePath, f64 unitScaleToMeters,
///            u32 textureCount {texture}, u32 meshCount {mesh}
///   texture  i32 width, i32 height, i32 QImage::Format, i32 bytesPerLine,
///            u32 colorCount {u32 QRgb}, height * bytesPerLine bytes
///   mesh     str name, 16 f32 transform (column-major), i32 textureIndex,
///            u64 n {f32 x,y,z} positions, u64 {f32 x,y,z} normals, u64 {f32 u,v} uvs,
///            u64 {u32} indices, u32 targetCount {str name, u64 {vec3} positionDeltas,
///            u64 {vec3} normalDeltas}
///   clip     strs controlNames, f64 fps, u64 frames, frames f64 times,
///            frames * controls f32 values, frames u8 faceFound
///   str      u32 byte count, UTF-8 bytes;  strs: u32 count {str}
///
/// decode() trusts nothing: the bytes come from a process that has just parsed a possibly
/// hostile file. Every count is checked against the bytes still unread before anything is
/// allocated, and the result is checked for the invariants AvatarLoader documents (one normal
/// per vertex, uvs and morph-target deltas empty or one per vertex, whole triangles with
/// indices inside the mesh, texture indices inside Avatar::textures, image rows as QImage lays
/// them out).
struct AvatarImportReply
{
    static constexpr quint32 kVersion = 1;

    QString error;              ///< "FILE: what is wrong"; empty on success
    QStringList warnings;       ///< "FILE: ..." lines of this call
    QStringList animationNames; ///< one per clip
    std::unique_ptr<Avatar> avatar;
    std::vector<AnimationClip> clips;

    QByteArray encode() const;

    /// Replaces this reply by the one in `bytes`. False, with `why` set ("truncated",
    /// "version 2, expected 1", "mesh 3: index 70000 outside its 2694 vertices", ...) and this
    /// reply cleared, when the bytes are not exactly one well-formed reply of this version.
    bool decode(const QByteArray &bytes, QString *why);
};

} // namespace fa
