#pragma once

#include "render/face_bounds.h"
#include "render/morph_blender.h"
#include "render/orbit_camera.h"

#include <QColor>
#include <QOpenGLFunctions>
#include <QSize>
#include <QSurfaceFormat>

#include <memory>
#include <vector>

class QOpenGLContext;
class QOpenGLShaderProgram;
class QOpenGLTexture;

namespace fa {

/// Draws an avatar with its morph targets applied into the framebuffer bound in the CURRENT
/// OpenGL context: the Animate viewport (QOpenGLWidget) and OffscreenAvatarRenderer (an FBO)
/// share it, so that for the same rig, camera and size they produce the same pixels.
///
/// What it draws: every mesh of the avatar, AvatarMesh::transform applied, morph targets blended
/// on the CPU (MorphBlender, sparse), lit by a key light (upper left of the camera), a fill light
/// (right) and ambient light, Blinn-Phong (avatar_shader.h); base colour from the mesh's texture
/// where AvatarMesh::textureIndex names a loaded one, else neutralColour(). Depth test on,
/// back-face culling off (files differ in winding), no blending, no MSAA. The background is
/// cleared to backgroundColour(), alpha 1.
///
/// GL resources: per mesh one dynamic buffer of interleaved positions + normals (6 floats per
/// vertex), rewritten with glBufferSubData only when the blended mesh changed (a mesh without
/// moving targets is uploaded once), static UV and index buffers; one texture per avatar
/// texture. They are created lazily by render() after setAvatar().
///
/// Context: initialize(), render() and releaseResources() need the same context current;
/// setAvatar(), setRigValues() and the framing queries do not touch GL. Call
/// releaseResources() with the context current before the context or this object goes away
/// (the destructor cannot, as it has no context).
class AvatarRenderer : protected QOpenGLFunctions
{
public:
    AvatarRenderer();
    ~AvatarRenderer();
    AvatarRenderer(const AvatarRenderer &) = delete;
    AvatarRenderer &operator=(const AvatarRenderer &) = delete;

    /// The format both the viewport and the offscreen renderer request, so their images match:
    /// the platform's default OpenGL (a 4.5 compatibility context on Mesa 22.3 llvmpipe),
    /// 24-bit depth, 8-bit stencil, RGBA8, no multisampling.
    static QSurfaceFormat surfaceFormat();
    /// The background, #3A3F47 (a dark neutral slate: a light face stands out, no colour cast).
    static QColor backgroundColour();
    /// Base colour of untextured meshes, #C8AFA0 (a light neutral skin tone, "clay").
    static QColor neutralColour();

    /// Compiles the program in the current context. False + error "OpenGL: what is wrong" when
    /// there is no current context or the shaders do not compile/link (the message carries the
    /// GL log). Calling it again after success does nothing.
    bool initialize(QString *error);
    bool isInitialized() const { return m_programs[0] != nullptr; }

    /// The avatar to draw (nullptr: draw only the background). Shared, never modified.
    void setAvatar(std::shared_ptr<const Avatar> avatar);
    const std::shared_ptr<const Avatar> &avatar() const { return m_blender.avatar(); }

    /// Rig values in Avatar::rig() order (MorphBlender's rules: missing = 0); applied by the
    /// next render(), which re-blends and re-uploads only the meshes whose weights changed.
    void setRigValues(const std::vector<float> &values);
    const std::vector<float> &rigValues() const { return m_rigValues; }

    /// Clears and draws into the bound framebuffer: viewport (0, 0, pixels), camera projection
    /// for pixels' aspect. Needs initialize() to have succeeded; does nothing otherwise.
    void render(const QSize &pixels, const OrbitCamera &camera);

    /// Frame-the-face target: faceBounds() of the avatar (meshes with moving morph targets,
    /// else the whole avatar), base pose. Centre (0,0,0), radius 1 without an avatar.
    QVector3D faceCentre() const { return m_face.centre; }
    float faceRadius() const { return m_face.radius; }

    /// Deletes every GL object (the context they were made in must be current). render() after
    /// this needs initialize() again.
    void releaseResources();

private:
    struct GpuMesh
    {
        GLuint vertexBuffer = 0; // interleaved position + normal, dynamic
        GLuint uvBuffer = 0;     // 0 when the mesh has no UVs
        GLuint indexBuffer = 0;
        GLsizei indexCount = 0;
        QOpenGLTexture *texture = nullptr; // not owned; nullptr: untextured (neutralColour())
    };
    enum Attribute { PositionAttribute = 0, NormalAttribute = 1, UvAttribute = 2 };

    void uploadAvatar();
    void releaseMeshes();
    void uploadVertices(int mesh, GLenum usage, bool create);
    void drawMesh(int mesh, const QMatrix4x4 &view, QOpenGLShaderProgram *program);

    std::unique_ptr<QOpenGLShaderProgram> m_programs[2]; // [0] untextured, [1] textured
    std::vector<std::unique_ptr<QOpenGLTexture>> m_textures;
    std::vector<GpuMesh> m_meshes;
    std::vector<float> m_staging; // interleaved upload buffer, reused
    MorphBlender m_blender;
    std::vector<float> m_rigValues;
    BoundingSphere m_face{QVector3D(), 1.0f};
    bool m_meshesStale = false; // setAvatar() since the last upload
    bool m_rigDirty = false;
};

} // namespace fa
