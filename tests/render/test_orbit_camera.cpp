// OrbitCamera: framing fits the sphere, orbit/zoom/pan move the eye as documented.
#include "render/orbit_camera.h"

#include <QtMath>
#include <QtTest>

#include <cmath>

using fa::OrbitCamera;

namespace {

bool near(const QVector3D &a, const QVector3D &b, float tolerance = 1e-4f)
{
    return (a - b).length() <= tolerance;
}

QString text(const QVector3D &v)
{
    return QStringLiteral("(%1, %2, %3)").arg(v.x()).arg(v.y()).arg(v.z());
}

/// Normalised device coordinates of `p` seen by `camera` at `aspect`.
QVector3D ndc(const OrbitCamera &camera, float aspect, const QVector3D &p)
{
    return (camera.projection(aspect) * camera.view()).map(p);
}

} // namespace

class TestOrbitCamera : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void frameFitsSphere_data();
    void frameFitsSphere();
    void orbitMovesEye();
    void zoomAndLimits();
    void panFollowsPixels();
};

void TestOrbitCamera::frameFitsSphere_data()
{
    QTest::addColumn<float>("aspect");
    QTest::newRow("square") << 1.0f;
    QTest::newRow("wide 16:9") << 16.0f / 9.0f;
    QTest::newRow("tall 1:2") << 0.5f;
}

void TestOrbitCamera::frameFitsSphere()
{
    QFETCH(float, aspect);
    const QVector3D centre(1, 2, 3);
    const float radius = 0.5f;
    OrbitCamera camera;
    camera.orbit(40, 20);
    camera.frame(centre, radius);
    QCOMPARE(camera.yaw(), 0.0f);
    QCOMPARE(camera.pitch(), 0.0f);
    const float d = radius / std::sin(qDegreesToRadians(OrbitCamera::kDefaultFovDegrees) / 2);
    QVERIFY2(near(camera.eye(), centre + QVector3D(0, 0, d)), qPrintable(text(camera.eye())));
    QVERIFY(near(ndc(camera, aspect, centre), QVector3D(0, 0, ndc(camera, aspect, centre).z())));

    // The silhouette's tangent point along the smaller side lands on the viewport edge.
    const float half = qDegreesToRadians(OrbitCamera::kDefaultFovDegrees) / 2;
    const float along = std::sqrt(d * d - radius * radius);
    const QVector3D eye = camera.eye();
    if (aspect >= 1.0f) {
        const QVector3D top = eye + along * QVector3D(0, std::sin(half), -std::cos(half));
        QVERIFY2(std::abs(ndc(camera, aspect, top).y() - 1.0f) < 1e-4f, qPrintable(text(ndc(camera, aspect, top))));
    } else {
        const QVector3D right = eye + along * QVector3D(std::sin(half), 0, -std::cos(half));
        QVERIFY2(std::abs(ndc(camera, aspect, right).x() - 1.0f) < 1e-4f, qPrintable(text(ndc(camera, aspect, right))));
    }
    // Every point of the sphere is in front of the near plane and inside the clip volume.
    for (const QVector3D &direction : {QVector3D(0, 0, 1), QVector3D(0, 0, -1), QVector3D(1, 0, 0)}) {
        const QVector3D p = ndc(camera, aspect, centre + radius * direction);
        QVERIFY(std::abs(p.z()) < 1.0f);
    }
}

void TestOrbitCamera::orbitMovesEye()
{
    OrbitCamera camera;
    camera.frame(QVector3D(), 1.0f);
    const float d = camera.distance();
    camera.orbit(90, 0);
    QVERIFY2(near(camera.eye(), QVector3D(d, 0, 0)), qPrintable(text(camera.eye())));
    camera.orbit(-90, 30);
    QVERIFY(near(camera.eye(), QVector3D(0, d * std::sin(qDegreesToRadians(30.0f)), d * std::cos(qDegreesToRadians(30.0f)))));
    camera.orbit(0, 200);
    QCOMPARE(camera.pitch(), OrbitCamera::kMaxPitchDegrees);
    camera.orbit(0, -400);
    QCOMPARE(camera.pitch(), -OrbitCamera::kMaxPitchDegrees);
    camera.setYaw(190);
    QCOMPARE(camera.yaw(), -170.0f);
    QVERIFY(camera != OrbitCamera());
}

void TestOrbitCamera::zoomAndLimits()
{
    OrbitCamera camera;
    camera.frame(QVector3D(), 2.0f);
    const float d = camera.distance();
    camera.zoom(0.5f);
    QCOMPARE(camera.distance(), d * 0.5f);
    camera.zoom(0.0f);
    camera.zoom(-1.0f);
    camera.zoom(std::nanf(""));
    QCOMPARE(camera.distance(), d * 0.5f);
    camera.frame(QVector3D(), -1.0f); // a bad radius frames a unit sphere
    QVERIFY(std::isfinite(camera.distance()) && camera.distance() > 1.0f);
}

void TestOrbitCamera::panFollowsPixels()
{
    OrbitCamera camera;
    camera.frame(QVector3D(0, 1, 0), 0.2f);
    camera.orbit(25, -10);
    const QSize pixels(640, 480);
    const float aspect = 640.0f / 480.0f;
    const QVector3D before = ndc(camera, aspect, camera.target());
    const float units = camera.unitsPerPixel(pixels);
    QVERIFY(units > 0);
    // Moving the target by -30 px right and +20 px up moves the scene 30 px right, 20 px down.
    camera.pan(-30 * units, 20 * units);
    OrbitCamera reference;
    reference.frame(QVector3D(0, 1, 0), 0.2f);
    reference.orbit(25, -10);
    const QVector3D was = ndc(reference, aspect, reference.target());
    const QVector3D now = ndc(camera, aspect, reference.target());
    QVERIFY(near(was, before));
    const float dxPixels = (now.x() - was.x()) / 2 * 640;
    const float dyPixels = (now.y() - was.y()) / 2 * 480;
    QVERIFY2(std::abs(dxPixels - 30) < 0.01f && std::abs(dyPixels + 20) < 0.01f,
             qPrintable(QStringLiteral("%1 %2").arg(dxPixels).arg(dyPixels)));
    QCOMPARE(camera.unitsPerPixel(QSize()), 0.0f);
}

QTEST_APPLESS_MAIN(TestOrbitCamera)
#include "test_orbit_camera.moc"
