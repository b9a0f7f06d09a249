// FaceFraming (no GL): the eye centres of real avatars from their mesh, the camera that puts
// them on FaceCropper's eye targets, and the mouth and eye boxes from the rig's regions.
#include "render/face_bounds.h"
#include "render/face_framing.h"
#include "render_test_avatars.h"

#include "avatar/mannequin_head.h"
#include "face/face_cropper.h"

#include <QtTest>

#include <cmath>
#include <map>

using namespace fa;

class TestFaceFraming : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void eyesAreLeftAndRightOfTheFace_data();
    void eyesAreLeftAndRightOfTheFace();
    void eyesLandOnFaceCropperTargets_data();
    void eyesLandOnFaceCropperTargets();
    void regionBoxes_data();
    void regionBoxes();
    void fallbacksWithoutBlinks();
    void projectUsesPixelCentres();

private:
    void addAvatarRows();
    std::map<QString, std::shared_ptr<const Avatar>> m_avatars;
};

void TestFaceFraming::initTestCase()
{
    m_avatars[QStringLiteral("mannequin")] = std::shared_ptr<const Avatar>(createMannequinHead());
    QString error;
    m_avatars[QStringLiteral("facecap")] = test::loadAvatar(test::facecapPath(), &error);
    QVERIFY2(m_avatars[QStringLiteral("facecap")], qPrintable(error));
    m_avatars[QStringLiteral("rocketbox")] = test::loadAvatar(test::rocketboxPath(), &error);
    QVERIFY2(m_avatars[QStringLiteral("rocketbox")], qPrintable(error));
}

void TestFaceFraming::addAvatarRows()
{
    QTest::addColumn<QString>("avatar");
    QTest::newRow("mannequin") << QStringLiteral("mannequin");
    QTest::newRow("facecap") << QStringLiteral("facecap");
    QTest::newRow("rocketbox") << QStringLiteral("rocketbox");
}

void TestFaceFraming::eyesAreLeftAndRightOfTheFace_data()
{
    addAvatarRows();
}

void TestFaceFraming::eyesAreLeftAndRightOfTheFace()
{
    QFETCH(QString, avatar);
    const Avatar &a = *m_avatars[avatar];
    const FaceFraming framing(a);
    QCOMPARE(framing.eyeSource(), FaceFraming::EyeSource::EyeBlink);
    const BoundingSphere face = faceBounds(a);
    const QVector3D l = framing.leftEye(), r = framing.rightEye();
    const float distance = (l - r).length();
    qInfo("%s: left eye (%.4f, %.4f, %.4f), right eye (%.4f, %.4f, %.4f), face centre (%.4f, %.4f, %.4f) r %.4f",
          qPrintable(avatar), l.x(), l.y(), l.z(), r.x(), r.y(), r.z(), face.centre.x(), face.centre.y(),
          face.centre.z(), face.radius);
    // The avatar's own left eye on +X (it faces +Z), the right on -X, mirror images of each
    // other about the face's centre line, at the same height and depth.
    QVERIFY(l.x() > face.centre.x() && r.x() < face.centre.x());
    QVERIFY2(std::abs((l.x() + r.x()) / 2 - face.centre.x()) < 0.05f * distance, "eyes off the centre line");
    // (facecap's own blinks differ a little between the sides: 3 % of the eye distance.)
    QVERIFY2(std::abs(l.y() - r.y()) < 0.05f * distance, "eyes at different heights");
    QVERIFY2(std::abs(l.z() - r.z()) < 0.05f * distance, "eyes at different depths");
    // Plausible for a face: 0.2..0.6 of the face sphere's radius apart, in its upper half.
    QVERIFY(distance > 0.05f * face.radius && distance < 1.5f * face.radius);
}

void TestFaceFraming::eyesLandOnFaceCropperTargets_data()
{
    addAvatarRows();
}

void TestFaceFraming::eyesLandOnFaceCropperTargets()
{
    QFETCH(QString, avatar);
    const FaceFraming framing(*m_avatars[avatar]);
    for (int size : {224, 256, 512}) {
        const FaceCropper cropper(FaceCropper::framingOptions(FaceCropper::Framing::WholeFace, size));
        const OrbitCamera camera = framing.camera(cropper.options().eyeDistance, cropper.options().eyeLine);
        QCOMPARE(camera.yaw(), 0.0f);
        QCOMPARE(camera.pitch(), 0.0f);
        const QPointF l = FaceFraming::project(camera, QSize(size, size), framing.leftEye());
        const QPointF r = FaceFraming::project(camera, QSize(size, size), framing.rightEye());
        const cv::Point2f lt = cropper.leftEyeTarget(), rt = cropper.rightEyeTarget();
        const double tolerance = 0.03 * size;
        qInfo("%s %d: left eye at (%.2f, %.2f), target (%.2f, %.2f); right eye at (%.2f, %.2f), target (%.2f, %.2f)",
              qPrintable(avatar), size, l.x(), l.y(), lt.x, lt.y, r.x(), r.y(), rt.x, rt.y);
        QVERIFY(std::hypot(l.x() - lt.x, l.y() - lt.y) < tolerance);
        QVERIFY(std::hypot(r.x() - rt.x, r.y() - rt.y) < tolerance);
        // The solve is exact up to float rounding for the eyes' midpoint and spacing (the
        // camera does not roll, so eyes that are not level stay so, by half their difference).
        QVERIFY(std::abs((l.x() + r.x()) / 2 - (lt.x + rt.x) / 2) < 0.01);
        QVERIFY(std::abs((l.y() + r.y()) / 2 - (lt.y + rt.y) / 2) < 0.01);
        QVERIFY(std::abs((l.x() - r.x()) - (lt.x - rt.x)) < 0.01);
    }
}

void TestFaceFraming::regionBoxes_data()
{
    addAvatarRows();
}

void TestFaceFraming::regionBoxes()
{
    QFETCH(QString, avatar);
    const FaceFraming framing(*m_avatars[avatar]);
    const QSize size(256, 256);
    const OrbitCamera camera = framing.camera();
    const QRect mouth = framing.mouthBox(camera, size);
    const QRect eyes = framing.eyeBox(camera, size);
    qInfo("%s: mouth box x %d..%d y %d..%d; eye box x %d..%d y %d..%d", qPrintable(avatar), mouth.left(),
          mouth.right(), mouth.top(), mouth.bottom(), eyes.left(), eyes.right(), eyes.top(), eyes.bottom());
    QVERIFY(!mouth.isEmpty());
    QVERIFY(!eyes.isEmpty());
    QVERIFY(QRect(QPoint(0, 0), size).contains(mouth));
    QVERIFY(QRect(QPoint(0, 0), size).contains(eyes));
    // Mouth below the eyes; the eye box holds both eye centres; neither box is the whole image.
    QVERIFY(mouth.center().y() > eyes.center().y());
    QVERIFY(mouth.top() > FaceFraming::project(camera, size, framing.leftEye()).y());
    for (const QVector3D &eye : {framing.leftEye(), framing.rightEye()})
        QVERIFY(eyes.contains(FaceFraming::project(camera, size, eye).toPoint()));
    QVERIFY(mouth.width() * mouth.height() < size.width() * size.height() / 2);
    QVERIFY(eyes.width() * eyes.height() < size.width() * size.height() / 2);
    // Centred: the mouth box straddles the image's centre line.
    QVERIFY(mouth.left() < size.width() / 2 && mouth.right() > size.width() / 2);
}

void TestFaceFraming::fallbacksWithoutBlinks()
{
    // Without eyeBlink shapes: the other eye shapes; without ARKit names: the face box, and no
    // region boxes (rigRegion() puts every control in Other).
    std::unique_ptr<Avatar> noBlink = createMannequinHead();
    std::unique_ptr<Avatar> custom = createMannequinHead();
    for (AvatarMesh &mesh : noBlink->meshes)
        for (MorphTarget &target : mesh.morphTargets)
            if (target.name.startsWith(QLatin1String("eyeBlink")))
                target.name = QStringLiteral("custom_") + target.name;
    for (AvatarMesh &mesh : custom->meshes)
        for (MorphTarget &target : mesh.morphTargets)
            target.name = QStringLiteral("shape%1").arg(target.name.size() * 7 + int(&target - mesh.morphTargets.data()));
    const FaceFraming blink(*createMannequinHead());
    const FaceFraming shapes(*noBlink);
    QCOMPARE(shapes.eyeSource(), FaceFraming::EyeSource::EyeShapes);
    const float eyeDistance = (blink.leftEye() - blink.rightEye()).length();
    QVERIFY((shapes.leftEye() - blink.leftEye()).length() < 0.3f * eyeDistance);
    QVERIFY((shapes.rightEye() - blink.rightEye()).length() < 0.3f * eyeDistance);

    const FaceFraming bounds(*custom);
    QCOMPARE(bounds.eyeSource(), FaceFraming::EyeSource::FaceBounds);
    QVERIFY(bounds.leftEye().x() > 0 && bounds.rightEye().x() < 0);
    QVERIFY((bounds.leftEye() - blink.leftEye()).length() < 1.0f * eyeDistance);
    const OrbitCamera camera = bounds.camera();
    QVERIFY(bounds.mouthBox(camera, QSize(256, 256)).isNull());
    QVERIFY(bounds.eyeBox(camera, QSize(256, 256)).isNull());
}

void TestFaceFraming::projectUsesPixelCentres()
{
    // The camera's target projects onto the image centre, (size - 1) / 2 in pixel-centre
    // coordinates, as in FaceCropper.
    OrbitCamera camera;
    camera.frame(QVector3D(1, 2, 3), 0.5f);
    const QPointF centre = FaceFraming::project(camera, QSize(256, 256), camera.target());
    QVERIFY(std::abs(centre.x() - 127.5) < 1e-3 && std::abs(centre.y() - 127.5) < 1e-3);
    // A point above the target is higher up the image (smaller y).
    QVERIFY(FaceFraming::project(camera, QSize(256, 256), QVector3D(1, 2.1f, 3)).y() < 127.5);
}

QTEST_GUILESS_MAIN(TestFaceFraming)
#include "test_face_framing.moc"
