#pragma once

#include "render/avatar_renderer.h"

#include <QImage>
#include <QString>

#include <memory>

class QOffscreenSurface;
class QOpenGLContext;
class QOpenGLFramebufferObject;

namespace fa {

/// Renders an avatar from a rig to an image without any window: its own QOpenGLContext (in
/// AvatarRenderer::surfaceFormat(), the viewport's format), a QOffscreenSurface and an FBO
/// (RGBA8 + 24/8 depth-stencil, no multisampling, re-made when the size changes). The pixels
/// equal those of the Animate viewport (AvatarViewport::grabFramebuffer) for the same avatar,
/// rig, camera and size. Needs a QGuiApplication (no widgets); under xvfb-run or a desktop it
/// uses the platform's OpenGL (Mesa llvmpipe without a GPU).
///
/// Threads: create, initialise, use and destroy it on the GUI thread (QOffscreenSurface must be
/// created there; the context is made current on each call and done when the call returns, so
/// it does not disturb other contexts of the thread).
///
/// Errors: render() returns a null QImage and errorString() says what is wrong: the context or
/// the shaders could not be made (initialize()'s message), no avatar set, an empty size or one
/// above GL_MAX_RENDERBUFFER_SIZE, an incomplete FBO. Nothing throws.
class OffscreenAvatarRenderer
{
public:
    OffscreenAvatarRenderer();
    ~OffscreenAvatarRenderer(); // releases the GL objects in its context
    OffscreenAvatarRenderer(const OffscreenAvatarRenderer &) = delete;
    OffscreenAvatarRenderer &operator=(const OffscreenAvatarRenderer &) = delete;

    /// Creates the context, surface and renderer. False + error "OpenGL: what is wrong".
    /// render() calls it when it has not succeeded yet.
    bool initialize(QString *error = nullptr);
    bool isInitialized() const { return m_renderer.isInitialized(); }

    void setAvatar(std::shared_ptr<const Avatar> avatar);
    const std::shared_ptr<const Avatar> &avatar() const { return m_renderer.avatar(); }
    /// Frame-the-face target (AvatarRenderer::faceCentre/faceRadius); no GL needed.
    QVector3D faceCentre() const { return m_renderer.faceCentre(); }
    float faceRadius() const { return m_renderer.faceRadius(); }

    /// The avatar with `rigValues` (Avatar::rig() order, missing = 0) seen by `camera`, `size`
    /// pixels, QImage::Format_RGB32 (opaque, top row first), or a null image + errorString().
    QImage render(const std::vector<float> &rigValues, const OrbitCamera &camera, const QSize &size);

    /// The GL_RENDERER / GL_VERSION strings of the context ("" before initialize()).
    QString rendererDescription() const { return m_description; }
    /// "" after a successful call.
    QString errorString() const { return m_error; }

private:
    QImage fail(const QString &error);

    std::unique_ptr<QOpenGLContext> m_context;
    std::unique_ptr<QOffscreenSurface> m_surface;
    std::unique_ptr<QOpenGLFramebufferObject> m_fbo;
    AvatarRenderer m_renderer;
    QString m_description;
    QString m_error;
};

} // namespace fa
