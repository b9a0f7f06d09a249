#pragma once

#include <QString>

#include <optional>

namespace fa {

/// Whether a path names an avatar (by extension: glb, gltf, fbx, obj, dae, ...) rather than a
/// video. Extensions are matched case-insensitively against what Assimp imports.
bool looksLikeAvatarFile(const QString &path);

/// A human-readable, multi-line description of what the studio sees in a video (container,
/// codec, size, fps, frame count, duration, rotation, audio) or an avatar (meshes with vertex,
/// triangle and morph-target counts, textures, rig controls, ARKit coverage with the unmapped
/// controls, morph animations). Returns nullopt and sets `error` ("FILE: what is wrong") when
/// the file cannot be read.
std::optional<QString> describeFile(const QString &path, QString *error);

} // namespace fa
