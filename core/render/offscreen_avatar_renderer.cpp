#include "render/offscreen_avatar_renderer.h"

#include <QGuiApplication>
#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QOpenGLFramebufferObject>
#include <QOpenGLFunctions>
#include <QThread>

#ifndef GL_MAX_RENDERBUFFER_SIZE
#define GL_MAX_RENDERBUFFER_SIZE 0x84E8
#endif

namespace fa {

OffscreenAvatarRenderer::OffscreenAvatarRenderer() = default;

OffscreenAvatarRenderer::~OffscreenAvatarRenderer()
{
    if (m_context && m_surface && m_context->makeCurrent(m_surface.get())) {
        m_fbo.reset();
        m_renderer.releaseResources();
        m_context->doneCurrent();
    }
}

QImage OffscreenAvatarRenderer::fail(const QString &error)
{
    m_error = error;
    return QImage();
}

bool OffscreenAvatarRenderer::initialize(QString *error)
{
    if (m_renderer.isInitialized())
        return true;
    auto failed = [&](const QString &text) {
        m_error = QStringLiteral("OpenGL: ") + text;
        if (error)
            *error = m_error;
        return false;
    };
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return failed(QStringLiteral("the offscreen avatar renderer needs a QGuiApplication"));
    if (QThread::currentThread() != QCoreApplication::instance()->thread())
        return failed(QStringLiteral("the offscreen avatar renderer must be initialised on the GUI thread"));
    if (!m_context) {
        m_context = std::make_unique<QOpenGLContext>();
        m_context->setFormat(AvatarRenderer::surfaceFormat());
        if (!m_context->create()) {
            m_context.reset();
            return failed(QStringLiteral("cannot create a context (no OpenGL on this display)"));
        }
        m_surface = std::make_unique<QOffscreenSurface>();
        m_surface->setFormat(m_context->format());
        m_surface->create();
        if (!m_surface->isValid()) {
            m_surface.reset();
            m_context.reset();
            return failed(QStringLiteral("cannot create an offscreen surface"));
        }
    }
    if (!m_context->makeCurrent(m_surface.get()))
        return failed(QStringLiteral("cannot make the offscreen context current"));
    QOpenGLFunctions *gl = m_context->functions();
    m_description = QStringLiteral("%1, %2").arg(QString::fromLatin1(reinterpret_cast<const char *>(gl->glGetString(GL_RENDERER))),
                                                 QString::fromLatin1(reinterpret_cast<const char *>(gl->glGetString(GL_VERSION))));
    QString rendererError;
    const bool ok = m_renderer.initialize(&rendererError);
    m_context->doneCurrent();
    if (!ok) {
        m_error = rendererError;
        if (error)
            *error = m_error;
        return false;
    }
    m_error.clear();
    return true;
}

void OffscreenAvatarRenderer::setAvatar(std::shared_ptr<const Avatar> avatar)
{
    m_renderer.setAvatar(std::move(avatar));
}

QImage OffscreenAvatarRenderer::render(const std::vector<float> &rigValues, const OrbitCamera &camera, const QSize &size)
{
    if (!m_renderer.avatar())
        return fail(QStringLiteral("OffscreenAvatarRenderer: no avatar set; call setAvatar() with a loaded avatar first"));
    if (size.isEmpty())
        return fail(QStringLiteral("OffscreenAvatarRenderer: empty image size %1x%2").arg(size.width()).arg(size.height()));
    QString error;
    if (!initialize(&error))
        return fail(error);
    if (!m_context->makeCurrent(m_surface.get()))
        return fail(QStringLiteral("OpenGL: cannot make the offscreen context current"));
    // Everything below runs with the context current; doneCurrent() on every path.
    QImage image;
    GLint maxSize = 0;
    m_context->functions()->glGetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &maxSize);
    if (maxSize > 0 && (size.width() > maxSize || size.height() > maxSize)) {
        error = QStringLiteral("OffscreenAvatarRenderer: image size %1x%2 is above the GL limit %3")
                    .arg(size.width()).arg(size.height()).arg(maxSize);
    } else {
        if (!m_fbo || m_fbo->size() != size) {
            m_fbo.reset();
            QOpenGLFramebufferObjectFormat format;
            format.setAttachment(QOpenGLFramebufferObject::CombinedDepthStencil);
            format.setSamples(0);
            format.setInternalTextureFormat(GL_RGBA8);
            m_fbo = std::make_unique<QOpenGLFramebufferObject>(size, format);
        }
        if (!m_fbo->isValid() || !m_fbo->bind()) {
            m_fbo.reset();
            error = QStringLiteral("OpenGL: cannot make a %1x%2 framebuffer").arg(size.width()).arg(size.height());
        } else {
            m_renderer.setRigValues(rigValues);
            m_renderer.render(size, camera);
            image = m_fbo->toImage(true).convertToFormat(QImage::Format_RGB32);
            m_fbo->release();
        }
    }
    m_context->doneCurrent();
    if (image.isNull())
        return fail(error.isEmpty() ? QStringLiteral("OpenGL: reading the framebuffer back failed") : error);
    m_error.clear();
    return image;
}

} // namespace fa
