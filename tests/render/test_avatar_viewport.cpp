// The Animate viewport under xvfb-run: its image equals OffscreenAvatarRenderer's for the same
// rig, camera and size; mouse and keys move the camera; no false OpenGL failure.
#include "render/face_framing.h"
#include "render/offscreen_avatar_renderer.h"
#include "render_test_avatars.h"
#include "test_files.h"
#include "viewport/avatar_viewport.h"

#include <QSignalSpy>
#include <QtTest>

#include <cmath>

using namespace fa;
using fa::ui::AvatarViewport;

namespace {

struct Comparison
{
    int maxDifference = 0; // largest per-channel difference
    long differing = 0;    // pixels with any difference
};

Comparison compare(const QImage &a, const QImage &b)
{
    Comparison c;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x) {
            const QRgb p = a.pixel(x, y), q = b.pixel(x, y);
            const int d = std::max({std::abs(qRed(p) - qRed(q)), std::abs(qGreen(p) - qGreen(q)),
                                    std::abs(qBlue(p) - qBlue(q))});
            c.maxDifference = std::max(c.maxDifference, d);
            c.differing += d > 0 ? 1 : 0;
        }
    return c;
}

void sendMouse(QWidget *widget, QEvent::Type type, const QPoint &position, Qt::MouseButton button,
               Qt::MouseButtons buttons, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    QMouseEvent event(type, QPointF(position), widget->mapToGlobal(QPointF(position)), button, buttons, modifiers);
    QApplication::sendEvent(widget, &event);
}

void drag(QWidget *widget, const QPoint &from, const QPoint &to, Qt::MouseButton button,
          Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    sendMouse(widget, QEvent::MouseButtonPress, from, button, button, modifiers);
    sendMouse(widget, QEvent::MouseMove, (from + to) / 2, Qt::NoButton, button, modifiers);
    sendMouse(widget, QEvent::MouseMove, to, Qt::NoButton, button, modifiers);
    sendMouse(widget, QEvent::MouseButtonRelease, to, button, Qt::NoButton, modifiers);
}

} // namespace

class TestAvatarViewport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void matchesOffscreen_data();
    void matchesOffscreen();
    void emptyViewportShowsBackground();
    void mouseAndKeysMoveCamera();
    void framesTheFaceLikeACrop_data();
    void framesTheFaceLikeACrop();

private:
    std::shared_ptr<const Avatar> m_facecap;
    std::shared_ptr<const Avatar> m_rocketbox;
    OffscreenAvatarRenderer m_offscreen;
};

void TestAvatarViewport::initTestCase()
{
    QString error;
    m_facecap = test::loadAvatar(test::facecapPath(), &error);
    QVERIFY2(m_facecap, qPrintable(error));
    m_rocketbox = test::loadAvatar(test::rocketboxPath(), &error);
    QVERIFY2(m_rocketbox, qPrintable(error));
    QVERIFY2(m_offscreen.initialize(&error), qPrintable(error));
}

void TestAvatarViewport::matchesOffscreen_data()
{
    QTest::addColumn<QString>("avatar");
    QTest::addColumn<QString>("control");
    QTest::addColumn<float>("yaw");
    QTest::addColumn<QSize>("size");
    QTest::newRow("facecap neutral") << QStringLiteral("facecap") << QString() << 0.0f << QSize(320, 240);
    QTest::newRow("facecap jawOpen, turned") << QStringLiteral("facecap") << QStringLiteral("jawOpen") << 35.0f
                                             << QSize(400, 300);
    QTest::newRow("rocketbox ARKit mix, tall") << QStringLiteral("rocketbox") << QStringLiteral("AK_") << -20.0f
                                           << QSize(240, 360);
}

void TestAvatarViewport::matchesOffscreen()
{
    QFETCH(QString, avatar);
    QFETCH(QString, control);
    QFETCH(float, yaw);
    QFETCH(QSize, size);
    const std::shared_ptr<const Avatar> shown = avatar == QLatin1String("facecap") ? m_facecap : m_rocketbox;
    const RigDefinition rig = shown->rig();
    std::vector<float> values(size_t(rig.controlCount()), 0.0f);
    for (int c = 0; c < rig.controlCount(); ++c)
        if (!control.isEmpty() && rig.control(c).name.startsWith(control))
            values[size_t(c)] = rig.control(c).name == control ? 1.0f : float(c % 7) / 10.0f;

    AvatarViewport viewport;
    QSignalSpy failed(&viewport, &AvatarViewport::renderFailed);
    viewport.resize(size);
    viewport.show();
    QVERIFY(QTest::qWaitForWindowExposed(&viewport));
    viewport.setAvatar(shown);
    viewport.setRigValues(values);
    OrbitCamera camera = viewport.camera();
    camera.orbit(yaw, 10.0f);
    viewport.setCamera(camera);
    const QImage widgetImage = viewport.grabFramebuffer().convertToFormat(QImage::Format_RGB32);
    QCOMPARE(widgetImage.size(), size * viewport.devicePixelRatioF());

    m_offscreen.setAvatar(shown);
    const QImage offscreenImage = m_offscreen.render(values, viewport.camera(), widgetImage.size());
    QVERIFY2(!offscreenImage.isNull(), qPrintable(m_offscreen.errorString()));
    const QString name = QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('_'))
                             .remove(QLatin1Char(','));
    widgetImage.save(test::outputDir() + QStringLiteral("/%1_widget.png").arg(name));
    offscreenImage.save(test::outputDir() + QStringLiteral("/%1_offscreen.png").arg(name));
    const Comparison c = compare(widgetImage, offscreenImage);
    qInfo("%s: widget vs offscreen: max per-channel difference %d, %ld of %d pixels differ",
          QTest::currentDataTag(), c.maxDifference, c.differing, widgetImage.width() * widgetImage.height());
    QVERIFY2(c.maxDifference <= 2, qPrintable(QString::number(c.maxDifference)));
    QCOMPARE(failed.count(), 0);
    QVERIFY(viewport.errorString().isEmpty());
}

void TestAvatarViewport::emptyViewportShowsBackground()
{
    AvatarViewport viewport;
    QSignalSpy failed(&viewport, &AvatarViewport::renderFailed);
    viewport.resize(200, 150);
    viewport.show();
    QVERIFY(QTest::qWaitForWindowExposed(&viewport));
    QTest::qWait(50); // lets the failure check after show run
    const QImage image = viewport.grabFramebuffer().convertToFormat(QImage::Format_RGB32);
    QVERIFY(!image.isNull());
    for (const QPoint &p : {QPoint(0, 0), QPoint(100, 75), QPoint(199, 149)})
        QCOMPARE(image.pixel(p), AvatarRenderer::backgroundColour().rgb());
    QCOMPARE(failed.count(), 0);
}

void TestAvatarViewport::mouseAndKeysMoveCamera()
{
    AvatarViewport viewport;
    viewport.resize(400, 300);
    viewport.show();
    QVERIFY(QTest::qWaitForWindowExposed(&viewport));
    QSignalSpy changed(&viewport, &AvatarViewport::cameraChanged);
    viewport.setAvatar(m_facecap);
    const OrbitCamera framed = viewport.camera();
    QVERIFY(changed.count() >= 1);
    QCOMPARE(framed.yaw(), 0.0f);

    // Left-drag to the right orbits: yaw decreases by 0.4 degrees per pixel.
    drag(&viewport, QPoint(100, 150), QPoint(150, 150), Qt::LeftButton);
    QVERIFY(std::abs(viewport.camera().yaw() - (-50 * AvatarViewport::kOrbitDegreesPerPixel)) < 1e-3f);
    QCOMPARE(viewport.camera().target(), framed.target());
    QVERIFY(changed.count() >= 2);

    // Shift+left-drag and middle-drag pan: the target moves, the angles stay.
    const OrbitCamera beforePan = viewport.camera();
    drag(&viewport, QPoint(200, 150), QPoint(180, 170), Qt::LeftButton, Qt::ShiftModifier);
    QVERIFY(viewport.camera().target() != beforePan.target());
    QCOMPARE(viewport.camera().yaw(), beforePan.yaw());
    const OrbitCamera beforeMiddle = viewport.camera();
    drag(&viewport, QPoint(200, 150), QPoint(220, 150), Qt::MiddleButton);
    QVERIFY(viewport.camera().target() != beforeMiddle.target());

    // Wheel forwards zooms in.
    const float distance = viewport.camera().distance();
    QWheelEvent wheel(QPointF(200, 150), viewport.mapToGlobal(QPointF(200, 150)), QPoint(), QPoint(0, 120),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(&viewport, &wheel);
    QVERIFY(std::abs(viewport.camera().distance() - distance * AvatarViewport::kZoomPerNotch) < 1e-4f * distance);

    // F frames the face again; so does a double-click.
    QTest::keyClick(&viewport, Qt::Key_F);
    QVERIFY(viewport.camera() == framed);
    viewport.setCamera(beforePan);
    QVERIFY(viewport.camera() == beforePan);
    QTest::mouseDClick(&viewport, Qt::LeftButton, Qt::NoModifier, QPoint(200, 150));
    QVERIFY(viewport.camera() == framed);
}

void TestAvatarViewport::framesTheFaceLikeACrop_data()
{
    QTest::addColumn<QString>("avatar");
    QTest::addColumn<QSize>("size");
    QTest::newRow("facecap 400x300") << QStringLiteral("facecap") << QSize(400, 300);
    QTest::newRow("rocketbox 300x400") << QStringLiteral("rocketbox") << QSize(300, 400);
}

void TestAvatarViewport::framesTheFaceLikeACrop()
{
    // Frame-the-face puts the eyes where a face crop has them, in the central square of the
    // smaller side: the face, not the neck and shoulders or (Rocketbox) the whole body.
    QFETCH(QString, avatar);
    QFETCH(QSize, size);
    const std::shared_ptr<const Avatar> shown = avatar == QLatin1String("facecap") ? m_facecap : m_rocketbox;
    AvatarViewport viewport;
    viewport.resize(size);
    viewport.setAvatar(shown);
    const FaceFraming framing(*shown);
    QVERIFY(viewport.camera() == framing.camera(0.25f, 0.34f, viewport.camera().fovDegrees()));
    const int side = std::min(size.width(), size.height());
    const QPointF origin((size.width() - side) / 2.0, (size.height() - side) / 2.0);
    const QPointF left = FaceFraming::project(viewport.camera(), size, framing.leftEye());
    const QPointF right = FaceFraming::project(viewport.camera(), size, framing.rightEye());
    const QPointF leftTarget = origin + QPointF(side * 0.625 - 0.5, side * 0.34 - 0.5);
    const QPointF rightTarget = origin + QPointF(side * 0.375 - 0.5, side * 0.34 - 0.5);
    QVERIFY(std::hypot(left.x() - leftTarget.x(), left.y() - leftTarget.y()) < 0.03 * side);
    QVERIFY(std::hypot(right.x() - rightTarget.x(), right.y() - rightTarget.y()) < 0.03 * side);
}

QTEST_MAIN(TestAvatarViewport)
#include "test_avatar_viewport.moc"
