// OffscreenAvatarRenderer in a plain QGuiApplication (no window), under xvfb-run with Mesa:
// images are not blank, jawOpen changes the mouth region and not the forehead, errors are
// reported without a crash. Images are written to FA_TEST_OUTPUT_DIR for a look.
#include "render/offscreen_avatar_renderer.h"
#include "render_test_avatars.h"
#include "common/arkit.h"
#include "test_files.h"

#include <QtTest>

#include <cmath>

using namespace fa;

namespace {

const QSize kSize(256, 256);

/// Fraction of pixels that differ from the background by more than 8 levels in some channel.
double foregroundFraction(const QImage &image)
{
    const QColor background = AvatarRenderer::backgroundColour();
    long count = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QRgb p = image.pixel(x, y);
            if (std::abs(qRed(p) - background.red()) > 8 || std::abs(qGreen(p) - background.green()) > 8
                || std::abs(qBlue(p) - background.blue()) > 8)
                ++count;
        }
    return double(count) / double(image.width() * image.height());
}

struct Difference
{
    double mean = 0;       // mean |a - b| over channels and pixels of the rect
    double changed = 0;    // fraction of pixels with a channel differing by more than 2
};

Difference difference(const QImage &a, const QImage &b, const QRect &rect)
{
    Difference d;
    const QRect r = rect & a.rect();
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x) {
            const QRgb p = a.pixel(x, y), q = b.pixel(x, y);
            const int dr = std::abs(qRed(p) - qRed(q)), dg = std::abs(qGreen(p) - qGreen(q)),
                      db = std::abs(qBlue(p) - qBlue(q));
            d.mean += dr + dg + db;
            d.changed += std::max({dr, dg, db}) > 2 ? 1 : 0;
        }
    const double n = std::max(1, r.width() * r.height());
    d.mean /= 3 * n;
    d.changed /= n;
    return d;
}

/// Pixel position (top-left origin) of avatar-space point `p`.
QPointF project(const OrbitCamera &camera, const QSize &size, const QVector3D &p)
{
    const QVector3D ndc = (camera.projection(float(size.width()) / float(size.height())) * camera.view()).map(p);
    return QPointF((ndc.x() + 1) / 2 * size.width(), (1 - ndc.y()) / 2 * size.height());
}

} // namespace

class TestOffscreenAvatarRenderer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void errorsWithoutAvatar();
    void badSizes();
    void facecapNotBlank();
    void jawOpenChangesMouthOnly();
    void deterministic();
    void rocketboxNotBlank();
    void switchesAvatars();

private:
    QImage render(OffscreenAvatarRenderer &renderer, const std::vector<float> &values, const QString &saveAs);

    std::shared_ptr<const Avatar> m_facecap;
    std::shared_ptr<const Avatar> m_rocketbox;
    OffscreenAvatarRenderer m_renderer;
    OrbitCamera m_camera;
};

void TestOffscreenAvatarRenderer::initTestCase()
{
    QString error;
    m_facecap = test::loadAvatar(test::facecapPath(), &error);
    QVERIFY2(m_facecap, qPrintable(error));
    m_rocketbox = test::loadAvatar(test::rocketboxPath(), &error);
    QVERIFY2(m_rocketbox, qPrintable(error));
    QVERIFY2(m_renderer.initialize(&error), qPrintable(error));
    qInfo("OpenGL: %s", qPrintable(m_renderer.rendererDescription()));
    m_renderer.setAvatar(m_facecap);
    m_camera.frame(m_renderer.faceCentre(), m_renderer.faceRadius());
}

QImage TestOffscreenAvatarRenderer::render(OffscreenAvatarRenderer &renderer, const std::vector<float> &values,
                                           const QString &saveAs)
{
    const QImage image = renderer.render(values, m_camera, kSize);
    if (!image.isNull() && !saveAs.isEmpty())
        image.save(test::outputDir() + QLatin1Char('/') + saveAs);
    return image;
}

void TestOffscreenAvatarRenderer::errorsWithoutAvatar()
{
    OffscreenAvatarRenderer renderer;
    const QImage image = renderer.render({}, m_camera, kSize);
    QVERIFY(image.isNull());
    QVERIFY2(renderer.errorString().contains(QLatin1String("no avatar")), qPrintable(renderer.errorString()));
    // Setting an avatar later works in the same object.
    renderer.setAvatar(m_facecap);
    QVERIFY2(!renderer.render({}, m_camera, kSize).isNull(), qPrintable(renderer.errorString()));
    QVERIFY(renderer.errorString().isEmpty());
    renderer.setAvatar(nullptr);
    QVERIFY(renderer.render({}, m_camera, kSize).isNull());
    QVERIFY(renderer.errorString().contains(QLatin1String("no avatar")));
}

void TestOffscreenAvatarRenderer::badSizes()
{
    QVERIFY(m_renderer.render({}, m_camera, QSize(0, 10)).isNull());
    QVERIFY2(m_renderer.errorString().contains(QLatin1String("empty image size")), qPrintable(m_renderer.errorString()));
    QVERIFY(m_renderer.render({}, m_camera, QSize(1000000, 16)).isNull());
    QVERIFY2(m_renderer.errorString().contains(QLatin1String("above the GL limit")), qPrintable(m_renderer.errorString()));
    // And it still renders afterwards.
    QVERIFY(!m_renderer.render({}, m_camera, kSize).isNull());
}

void TestOffscreenAvatarRenderer::facecapNotBlank()
{
    const QImage image = render(m_renderer, {}, QStringLiteral("facecap_neutral.png"));
    QVERIFY2(!image.isNull(), qPrintable(m_renderer.errorString()));
    QCOMPARE(image.size(), kSize);
    QCOMPARE(image.format(), QImage::Format_RGB32);
    const double foreground = foregroundFraction(image);
    qInfo("facecap: %.1f %% of the pixels show the avatar", 100 * foreground);
    QVERIFY2(foreground > 0.2, qPrintable(QString::number(foreground)));
    // The corners stay background (the face is framed inside the image).
    QCOMPARE(image.pixel(0, 0), AvatarRenderer::backgroundColour().rgb());
}

void TestOffscreenAvatarRenderer::jawOpenChangesMouthOnly()
{
    const RigDefinition rig = m_facecap->rig();
    const int jaw = rig.indexOf(QStringLiteral("jawOpen"));
    std::vector<float> open(size_t(rig.controlCount()), 0.0f);
    open[size_t(jaw)] = 1.0f;
    const QImage closedImage = render(m_renderer, {}, QStringLiteral("facecap_jaw_closed.png"));
    const QImage openImage = render(m_renderer, open, QStringLiteral("facecap_jaw_open.png"));
    QVERIFY(!closedImage.isNull() && !openImage.isNull());

    // Mouth region: where the vertices jawOpen moves (more than a fifth of its largest move)
    // project, before and after. Forehead region: head vertices in the top fifth of the head
    // that jawOpen does not move.
    const int m = test::meshWithTarget(*m_facecap, QStringLiteral("jawOpen"));
    const AvatarMesh &mesh = m_facecap->meshes[size_t(m)];
    const MorphTarget &target = mesh.morphTargets[size_t(test::targetIndex(mesh, QStringLiteral("jawOpen")))];
    const float largest = target.maxPositionDelta();
    float top = -1e30f, bottom = 1e30f;
    for (const QVector3D &p : mesh.positions) {
        top = std::max(top, mesh.transform.map(p).y());
        bottom = std::min(bottom, mesh.transform.map(p).y());
    }
    QRectF mouth, forehead;
    auto extend = [](QRectF *rect, const QPointF &p) {
        *rect = rect->isNull() ? QRectF(p, QSizeF(1, 1)) : rect->united(QRectF(p, QSizeF(1, 1)));
    };
    for (size_t v = 0; v < mesh.positions.size(); ++v) {
        const QVector3D p = mesh.transform.map(mesh.positions[v]);
        const float moved = target.positionDeltas[v].length();
        if (moved > largest / 5) {
            extend(&mouth, project(m_camera, kSize, p));
            extend(&mouth, project(m_camera, kSize, mesh.transform.map(mesh.positions[v] + target.positionDeltas[v])));
        } else if (moved == 0 && p.y() > top - (top - bottom) / 5
                   && mesh.transform.mapVector(mesh.normals[v]).normalized().z() > 0.7f) {
            extend(&forehead, project(m_camera, kSize, p));
        }
    }
    const QRect mouthRect = mouth.toAlignedRect() & closedImage.rect();
    const QRect foreheadRect = forehead.toAlignedRect() & closedImage.rect();
    QVERIFY(mouthRect.width() > 10 && mouthRect.height() > 10);
    QVERIFY(foreheadRect.width() > 10 && foreheadRect.height() > 5);
    QVERIFY(!mouthRect.intersects(foreheadRect));
    const Difference atMouth = difference(closedImage, openImage, mouthRect);
    const Difference atForehead = difference(closedImage, openImage, foreheadRect);
    qInfo("mouth rect %dx%d at (%d,%d): mean |diff| %.2f levels, %.1f %% changed; forehead rect %dx%d at (%d,%d): "
          "mean %.3f, %.2f %% changed",
          mouthRect.width(), mouthRect.height(), mouthRect.x(), mouthRect.y(), atMouth.mean, 100 * atMouth.changed,
          foreheadRect.width(), foreheadRect.height(), foreheadRect.x(), foreheadRect.y(), atForehead.mean,
          100 * atForehead.changed);
    QVERIFY(atMouth.mean > 5.0);
    QVERIFY(atMouth.changed > 0.2);
    QVERIFY(atForehead.mean < 0.5);
    QVERIFY(atForehead.changed < 0.01);
}

void TestOffscreenAvatarRenderer::deterministic()
{
    std::vector<float> values(52);
    for (size_t c = 0; c < values.size(); ++c)
        values[c] = float(c % 5) / 8.0f;
    const QImage a = render(m_renderer, values, QString());
    render(m_renderer, {}, QString()); // something else in between
    const QImage b = render(m_renderer, values, QString());
    QVERIFY(!a.isNull());
    QVERIFY(a == b);
}

void TestOffscreenAvatarRenderer::rocketboxNotBlank()
{
    OffscreenAvatarRenderer renderer;
    renderer.setAvatar(m_rocketbox);
    OrbitCamera camera;
    camera.frame(renderer.faceCentre(), renderer.faceRadius());
    const QImage neutral = renderer.render({}, camera, kSize);
    QVERIFY2(!neutral.isNull(), qPrintable(renderer.errorString()));
    neutral.save(test::outputDir() + QStringLiteral("/rocketbox_neutral.png"));
    const double foreground = foregroundFraction(neutral);
    qInfo("rocketbox: %.1f %% of the pixels show the avatar", 100 * foreground);
    QVERIFY2(foreground > 0.2, qPrintable(QString::number(foreground)));

    std::vector<float> values(175, 0.0f);
    const RigDefinition rig = m_rocketbox->rig();
    int jaw = -1;
    for (int c = 0; c < rig.controlCount() && jaw < 0; ++c)
        if (arkit::indexOf(rig.control(c).name) == arkit::indexOf(QStringLiteral("jawOpen")))
            jaw = c;
    QVERIFY(jaw >= 0);
    values[size_t(jaw)] = 1.0f;
    const QImage open = renderer.render(values, camera, kSize);
    QVERIFY(!open.isNull());
    open.save(test::outputDir() + QStringLiteral("/rocketbox_jaw_open.png"));
    const double changed = difference(neutral, open, neutral.rect()).changed;
    qInfo("rocketbox jaw open: %.2f %% of the pixels change", 100 * changed);
    QVERIFY(changed > 0.005);
}

void TestOffscreenAvatarRenderer::switchesAvatars()
{
    OffscreenAvatarRenderer renderer;
    renderer.setAvatar(m_facecap);
    const QImage first = renderer.render({}, m_camera, kSize);
    renderer.setAvatar(m_rocketbox);
    QVERIFY(!renderer.render({}, m_camera, QSize(64, 48)).isNull());
    renderer.setAvatar(m_facecap);
    QVERIFY(renderer.render({}, m_camera, kSize) == first);
}

QTEST_MAIN(TestOffscreenAvatarRenderer)
#include "test_offscreen_avatar_renderer.moc"
