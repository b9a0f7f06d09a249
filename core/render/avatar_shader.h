#pragma once

#include <QByteArray>

namespace fa {

/// GLSL sources of the avatar material, written in the subset shared by desktop GLSL 1.20 and
/// GLSL ES 1.00 (attribute/varying, texture2D, gl_FragColor) so the same program compiles on
/// any context AvatarRenderer::surfaceFormat() can give: Mesa llvmpipe's 4.5 compatibility
/// context under xvfb-run, desktop drivers, and GLES 2/3 (the ES header adds precision).
///
/// Attributes: aPosition (vec3, mesh space), aNormal (vec3), aUv (vec2, Assimp's v-up UVs).
/// Uniforms: uModelView, uProjection (mat4), uNormalMatrix (mat3), uKeyDir, uFillDir (vec3,
/// eye space, unit, pointing at the light); textured: uTexture (sampler2D, the base colour);
/// untextured: uBaseColour (vec3).
///
/// Lighting per VERTEX (Gouraud shading of the Blinn-Phong model, Blinn 1977), in eye space:
///   light = 0.25 ambient + 0.75 key * max(n.l_key, 0) + 0.30 fill * max(n.l_fill, 0)
///   colour = albedo * light + 0.12 * max(n.h_key, 0)^32
/// Per vertex because llvmpipe (no GPU) pays per fragment: at 1280x720 the per-fragment version
/// cost about 40 % more CPU per frame for no visible gain at the avatars' densities. The normal
/// is flipped towards the viewer (two-sided lighting: back-face culling is off because files
/// differ in winding, so the side seen is always lit as the front).
QByteArray avatarVertexShader(bool openGLES);
QByteArray avatarFragmentShader(bool openGLES, bool textured);

} // namespace fa
