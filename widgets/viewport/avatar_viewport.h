#pragma once

#include "render/avatar_renderer.h"
#include "render/face_framing.h"
#include "render/orbit_camera.h"

#include <QOpenGLWidget>
#include <QPoint>

#include <memory>
#include <vector>

namespace fa::ui {

/// The Animate workspace's 3-D view of the avatar making the current frame's face: an
/// fa::AvatarRenderer (core/render: CPU morph blending, lit, textured where the avatar has
/// textures) in a QOpenGLWidget. The widget requests AvatarRenderer::surfaceFormat(), the
/// format of OffscreenAvatarRenderer, so grabFramebuffer() equals the offscreen image for the
/// same avatar, rig values, camera and pixel size. Background: AvatarRenderer::backgroundColour()
/// (#3A3F47), also without an avatar.
///
/// Mouse: left-drag orbits (0.4 degrees per pixel), middle-drag or Shift+left-drag pans (the
/// point under the cursor follows it), the wheel zooms (x0.9 per notch forwards), double-click
/// frames the face. Keys: F frames the face. Every camera change emits cameraChanged().
///
/// Speed: under Mesa llvmpipe (no GPU) Qt composes the whole top-level window on every frame
/// of a QOpenGLWidget (about 12 ms for a 1280x720 window, 16 ms for 1600x1000 on the 2-core
/// build machine); the avatar itself adds about 4 ms (bench/bench_avatar_viewport.cpp).
///
/// Failure: when OpenGL cannot be used (no context, shaders that do not build) the widget
/// paints nothing useful and emits renderFailed(message) once, message "OpenGL: what is
/// wrong"; errorString() keeps it for a widget shown later. The workspace shows it.
class AvatarViewport : public QOpenGLWidget
{
    Q_OBJECT

public:
    static constexpr float kOrbitDegreesPerPixel = 0.4f;
    static constexpr float kZoomPerNotch = 0.9f;

    explicit AvatarViewport(QWidget *parent = nullptr);
    ~AvatarViewport() override;

    /// Shows `avatar` (nullptr: background only), rig values reset to 0, camera framed on the
    /// face (frameFace()).
    void setAvatar(std::shared_ptr<const Avatar> avatar);
    const std::shared_ptr<const Avatar> &avatar() const { return m_renderer.avatar(); }

    /// The rig values to show, Avatar::rig() order (missing = 0); repaints. Unchanged values
    /// cost no blending or upload.
    void setRigValues(const std::vector<float> &values);
    const std::vector<float> &rigValues() const { return m_renderer.rigValues(); }

    const OrbitCamera &camera() const { return m_camera; }
    void setCamera(const OrbitCamera &camera);

    /// Front view of the face in the face-crop geometry (FaceFraming, core/render): the
    /// avatar's eye centres where FaceCropper puts a real face's eyes (0.25 of the side apart
    /// at 0.34 of its height) in the central square of the viewport's smaller side, so the
    /// face fills the view as in a face crop (not the neck, shoulders or body). Keeps the
    /// field of view. Without an avatar: the unit sphere at the origin.
    void frameFace();

    /// The OpenGL failure reported by renderFailed(), or "".
    QString errorString() const { return m_error; }

    QSize sizeHint() const override { return QSize(640, 480); }
    QSize minimumSizeHint() const override { return QSize(160, 120); }

Q_SIGNALS:
    void cameraChanged();
    void renderFailed(const QString &error);

protected:
    void initializeGL() override;
    void paintGL() override;
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    enum class Drag { None, Orbit, Pan };

    void releaseGl();
    void scheduleContextCheck();
    void fail(const QString &error);
    void changeCamera(const OrbitCamera &camera);

    AvatarRenderer m_renderer;
    FaceFraming m_framing; // of the current avatar
    OrbitCamera m_camera;
    Drag m_drag = Drag::None;
    QPoint m_lastMouse;
    QString m_error;
};

} // namespace fa::ui
