#include "viewport/avatar_viewport.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QTimer>
#include <QWindow>
#include <QWheelEvent>

#include <cmath>

namespace fa::ui {

AvatarViewport::AvatarViewport(QWidget *parent)
    : QOpenGLWidget(parent)
{
    setFormat(AvatarRenderer::surfaceFormat());
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(false);
    m_camera.frame(m_renderer.faceCentre(), m_renderer.faceRadius());
}

AvatarViewport::~AvatarViewport()
{
    releaseGl();
}

void AvatarViewport::releaseGl()
{
    if (!m_renderer.isInitialized() || !context())
        return;
    makeCurrent();
    m_renderer.releaseResources();
    doneCurrent();
}

void AvatarViewport::fail(const QString &error)
{
    if (!m_error.isEmpty())
        return;
    m_error = error;
    Q_EMIT renderFailed(error);
}

void AvatarViewport::setAvatar(std::shared_ptr<const Avatar> avatar)
{
    m_framing = avatar ? FaceFraming(*avatar) : FaceFraming();
    m_renderer.setAvatar(std::move(avatar));
    m_renderer.setRigValues({});
    frameFace();
    update();
}

void AvatarViewport::setRigValues(const std::vector<float> &values)
{
    m_renderer.setRigValues(values);
    update();
}

void AvatarViewport::setCamera(const OrbitCamera &camera)
{
    changeCamera(camera);
}

void AvatarViewport::changeCamera(const OrbitCamera &camera)
{
    if (camera == m_camera)
        return;
    m_camera = camera;
    update();
    Q_EMIT cameraChanged();
}

void AvatarViewport::frameFace()
{
    OrbitCamera camera = m_camera;
    if (m_renderer.avatar())
        camera = m_framing.camera(FaceFraming::kDefaultEyeDistance, FaceFraming::kDefaultEyeLine, m_camera.fovDegrees());
    else
        camera.frame(m_renderer.faceCentre(), m_renderer.faceRadius());
    changeCamera(camera);
}

void AvatarViewport::initializeGL()
{
    // A new context (first show, or a move to another window): the old one's objects went
    // with it (releaseGl on aboutToBeDestroyed).
    connect(context(), &QOpenGLContext::aboutToBeDestroyed, this, &AvatarViewport::releaseGl,
            Qt::UniqueConnection);
    QString error;
    if (!m_renderer.initialize(&error))
        fail(error);
}

void AvatarViewport::paintGL()
{
    const qreal ratio = devicePixelRatioF();
    const QSize pixels(qRound(width() * ratio), qRound(height() * ratio));
    if (m_renderer.isInitialized()) {
        m_renderer.render(pixels, m_camera);
        return;
    }
    const QColor background = AvatarRenderer::backgroundColour();
    QOpenGLFunctions *gl = context()->functions();
    gl->glClearColor(background.redF(), background.greenF(), background.blueF(), 1.0f);
    gl->glClear(GL_COLOR_BUFFER_BIT);
}

void AvatarViewport::showEvent(QShowEvent *event)
{
    QOpenGLWidget::showEvent(event);
    scheduleContextCheck();
}

void AvatarViewport::resizeEvent(QResizeEvent *event)
{
    QOpenGLWidget::resizeEvent(event);
    if (!isValid())
        scheduleContextCheck();
}

void AvatarViewport::scheduleContextCheck()
{
    // QOpenGLWidget makes its context when it is shown or resized with a non-empty size inside
    // a native window; when that fails initializeGL() never runs. Judge once those events have
    // been processed, and only when the widget could have been initialised.
    QTimer::singleShot(0, this, [this] {
        if (isValid() || !m_error.isEmpty() || !isVisible() || size().isEmpty() || !window()->windowHandle())
            return;
        fail(QStringLiteral("OpenGL: cannot create a context for the avatar viewport"));
    });
}

void AvatarViewport::mousePressEvent(QMouseEvent *event)
{
    const bool shift = event->modifiers() & Qt::ShiftModifier;
    if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && shift))
        m_drag = Drag::Pan;
    else if (event->button() == Qt::LeftButton)
        m_drag = Drag::Orbit;
    else
        return QOpenGLWidget::mousePressEvent(event);
    m_lastMouse = event->position().toPoint();
    event->accept();
}

void AvatarViewport::mouseMoveEvent(QMouseEvent *event)
{
    if (m_drag == Drag::None)
        return QOpenGLWidget::mouseMoveEvent(event);
    const QPoint position = event->position().toPoint();
    const QPoint delta = position - m_lastMouse;
    m_lastMouse = position;
    OrbitCamera camera = m_camera;
    if (m_drag == Drag::Orbit) {
        // Dragging moves the avatar's near surface with the cursor.
        camera.orbit(-kOrbitDegreesPerPixel * float(delta.x()), kOrbitDegreesPerPixel * float(delta.y()));
    } else {
        const float units = camera.unitsPerPixel(size());
        camera.pan(-units * float(delta.x()), units * float(delta.y()));
    }
    changeCamera(camera);
    event->accept();
}

void AvatarViewport::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_drag == Drag::None)
        return QOpenGLWidget::mouseReleaseEvent(event);
    m_drag = Drag::None;
    event->accept();
}

void AvatarViewport::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QOpenGLWidget::mouseDoubleClickEvent(event);
    m_drag = Drag::None;
    frameFace();
    event->accept();
}

void AvatarViewport::wheelEvent(QWheelEvent *event)
{
    const int steps = event->angleDelta().y();
    if (steps == 0)
        return QOpenGLWidget::wheelEvent(event);
    OrbitCamera camera = m_camera;
    camera.zoom(std::pow(kZoomPerNotch, float(steps) / 120.0f));
    changeCamera(camera);
    event->accept();
}

void AvatarViewport::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_F && !(event->modifiers() & (Qt::ControlModifier | Qt::AltModifier))) {
        frameFace();
        event->accept();
        return;
    }
    QOpenGLWidget::keyPressEvent(event);
}

} // namespace fa::ui
