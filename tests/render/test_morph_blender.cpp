// MorphBlender numerics on real avatars: facecap (52 ARKit targets on the head) and the
// Rocketbox male (175 controls, 173 moving on the head mesh).
#include "render/morph_blender.h"
#include "render_test_avatars.h"

#include <QtTest>

#include <cmath>

using namespace fa;

class TestMorphBlender : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void zeroWeightsGiveBase();
    void fullWeightGivesBasePlusDelta_data();
    void fullWeightGivesBasePlusDelta();
    void weightsAdd();
    void unchangedWeightsCostNothing();
    void missingAndNonFiniteValuesAreZero();
    void rocketboxBlendsAllControls();
    void noAvatar();

private:
    std::shared_ptr<const Avatar> m_facecap;
    std::shared_ptr<const Avatar> m_rocketbox;
};

void TestMorphBlender::initTestCase()
{
    QString error;
    m_facecap = test::loadAvatar(test::facecapPath(), &error);
    QVERIFY2(m_facecap, qPrintable(error));
    m_rocketbox = test::loadAvatar(test::rocketboxPath(), &error);
    QVERIFY2(m_rocketbox, qPrintable(error));
}

void TestMorphBlender::zeroWeightsGiveBase()
{
    MorphBlender blender;
    blender.setAvatar(m_facecap);
    QCOMPARE(blender.controlCount(), 52);
    QCOMPARE(blender.meshCount(), int(m_facecap->meshes.size()));
    const std::vector<int> changed = blender.blend(std::vector<float>(52, 0.0f));
    QVERIFY(!changed.empty()); // the first blend fills every deformable mesh
    for (int m = 0; m < blender.meshCount(); ++m) {
        QVERIFY(blender.positions(m) == m_facecap->meshes[size_t(m)].positions);
        QVERIFY(blender.normals(m) == m_facecap->meshes[size_t(m)].normals);
    }
}

void TestMorphBlender::fullWeightGivesBasePlusDelta_data()
{
    QTest::addColumn<QString>("control");
    QTest::addColumn<float>("weight");
    QTest::newRow("jawOpen 1") << QStringLiteral("jawOpen") << 1.0f;
    QTest::newRow("eyeBlink_L 1") << QStringLiteral("eyeBlink_L") << 1.0f;
    QTest::newRow("mouthSmile_R 1") << QStringLiteral("mouthSmile_R") << 1.0f;
    QTest::newRow("browInnerUp 0.5") << QStringLiteral("browInnerUp") << 0.5f;
    QTest::newRow("jawOpen -0.25 (extrapolates)") << QStringLiteral("jawOpen") << -0.25f;
}

void TestMorphBlender::fullWeightGivesBasePlusDelta()
{
    QFETCH(QString, control);
    QFETCH(float, weight);
    MorphBlender blender;
    blender.setAvatar(m_facecap);
    const int c = m_facecap->rig().indexOf(control);
    QVERIFY(c >= 0);
    std::vector<float> values(52, 0.0f);
    values[size_t(c)] = weight;
    blender.blend(values);
    const int m = test::meshWithTarget(*m_facecap, control);
    const AvatarMesh &mesh = m_facecap->meshes[size_t(m)];
    const MorphTarget &target = mesh.morphTargets[size_t(test::targetIndex(mesh, control))];
    QVERIFY(blender.isDeformable(m));
    int moved = 0;
    for (size_t v = 0; v < mesh.positions.size(); ++v) {
        // Same float operations as the formula: base + w * delta, exactly.
        const QVector3D expected = mesh.positions[v] + weight * target.positionDeltas[v];
        if (blender.positions(m)[v] != expected)
            QFAIL(qPrintable(QStringLiteral("vertex %1 differs").arg(v)));
        if (!target.normalDeltas.empty() && blender.normals(m)[v] != mesh.normals[v] + weight * target.normalDeltas[v])
            QFAIL(qPrintable(QStringLiteral("normal %1 differs").arg(v)));
        moved += expected != mesh.positions[v] ? 1 : 0;
    }
    QVERIFY(moved > 0);
    // Other meshes keep their base positions.
    for (int other = 0; other < blender.meshCount(); ++other)
        if (other != m)
            QVERIFY(blender.positions(other) == m_facecap->meshes[size_t(other)].positions);
}

void TestMorphBlender::weightsAdd()
{
    MorphBlender blender;
    blender.setAvatar(m_facecap);
    const RigDefinition rig = m_facecap->rig();
    const QStringList names = {QStringLiteral("jawOpen"), QStringLiteral("mouthSmile_L"), QStringLiteral("eyeBlink_R")};
    const float weights[3] = {0.6f, 0.3f, 0.9f};
    std::vector<float> values(52, 0.0f);
    for (int i = 0; i < 3; ++i)
        values[size_t(rig.indexOf(names[i]))] = weights[i];
    blender.blend(values);
    const int m = test::meshWithTarget(*m_facecap, names[0]);
    const AvatarMesh &mesh = m_facecap->meshes[size_t(m)];
    double worst = 0;
    for (size_t v = 0; v < mesh.positions.size(); ++v) {
        QVector3D expected = mesh.positions[v];
        for (int i = 0; i < 3; ++i)
            expected += weights[i] * mesh.morphTargets[size_t(test::targetIndex(mesh, names[i]))].positionDeltas[v];
        worst = std::max(worst, double((blender.positions(m)[v] - expected).length()));
    }
    // Float rounding only (the order of additions may differ): far below the mesh's size.
    QVERIFY2(worst <= 1e-6 * mesh.boundingBoxDiagonal(), qPrintable(QString::number(worst)));
}

void TestMorphBlender::unchangedWeightsCostNothing()
{
    MorphBlender blender;
    blender.setAvatar(m_facecap);
    std::vector<float> values(52, 0.0f);
    values[size_t(m_facecap->rig().indexOf(QStringLiteral("jawOpen")))] = 0.4f;
    const std::vector<int> first = blender.blend(values);
    QCOMPARE(int(first.size()), 1); // only the head carries moving targets
    QVERIFY(blender.blend(values).empty());
    // tongueOut has no displacement on facecap: changing it changes no mesh.
    values[size_t(m_facecap->rig().indexOf(QStringLiteral("tongueOut")))] = 1.0f;
    QVERIFY(blender.blend(values).empty());
    values[size_t(m_facecap->rig().indexOf(QStringLiteral("jawOpen")))] = 0.0f;
    QCOMPARE(blender.blend(values), first);
    QVERIFY(blender.positions(first[0]) == m_facecap->meshes[size_t(first[0])].positions);
}

void TestMorphBlender::missingAndNonFiniteValuesAreZero()
{
    MorphBlender blender;
    blender.setAvatar(m_facecap);
    std::vector<float> values(52, std::nanf(""));
    values[0] = std::numeric_limits<float>::infinity();
    blender.blend(values);
    for (int m = 0; m < blender.meshCount(); ++m)
        QVERIFY(blender.positions(m) == m_facecap->meshes[size_t(m)].positions);
    blender.blend({0.5f}); // one value: control 0 (browInnerUp), the rest 0
    const int m = test::meshWithTarget(*m_facecap, QStringLiteral("browInnerUp"));
    QVERIFY(blender.positions(m) != m_facecap->meshes[size_t(m)].positions);
}

void TestMorphBlender::rocketboxBlendsAllControls()
{
    MorphBlender blender;
    blender.setAvatar(m_rocketbox);
    QCOMPARE(blender.controlCount(), 175);
    int deformable = 0;
    long long dense = 0;
    for (int m = 0; m < blender.meshCount(); ++m) {
        deformable += blender.isDeformable(m) ? 1 : 0;
        dense += (long long)m_rocketbox->meshes[size_t(m)].vertexCount()
                 * (long long)m_rocketbox->meshes[size_t(m)].morphTargets.size();
    }
    QCOMPARE(deformable, 1); // the head mesh
    QVERIFY(blender.storedDeltaCount() > 0 && blender.storedDeltaCount() < dense / 4);
    qInfo("Rocketbox: %lld sparse deltas stored of %lld dense (%.1f %%)", blender.storedDeltaCount(), dense,
          100.0 * double(blender.storedDeltaCount()) / double(dense));

    // Every control at a different weight against the dense formula over all targets; targets
    // the blender drops (not moving: < 1e-4 x diagonal) bound the difference.
    std::vector<float> values(175);
    for (size_t c = 0; c < values.size(); ++c)
        values[c] = float((c * 37) % 101) / 100.0f;
    blender.blend(values);
    const RigDefinition rig = m_rocketbox->rig();
    for (int m = 0; m < blender.meshCount(); ++m) {
        const AvatarMesh &mesh = m_rocketbox->meshes[size_t(m)];
        std::vector<QVector3D> expected = mesh.positions;
        double tolerance = 1e-6 * mesh.boundingBoxDiagonal();
        for (int t = 0; t < int(mesh.morphTargets.size()); ++t) {
            const MorphTarget &target = mesh.morphTargets[size_t(t)];
            const float w = values[size_t(rig.indexOf(target.name))];
            for (size_t v = 0; v < expected.size(); ++v)
                expected[v] += w * target.positionDeltas[v];
            if (!mesh.targetMoves(t))
                tolerance += w * target.maxPositionDelta();
        }
        double worst = 0;
        for (size_t v = 0; v < expected.size(); ++v)
            worst = std::max(worst, double((blender.positions(m)[v] - expected[v]).length()));
        QVERIFY2(worst <= tolerance, qPrintable(QStringLiteral("mesh %1: %2 > %3").arg(m).arg(worst).arg(tolerance)));
        if (blender.isDeformable(m))
            QVERIFY(blender.positions(m) != mesh.positions);
    }
}

void TestMorphBlender::noAvatar()
{
    MorphBlender blender;
    QVERIFY(blender.blend({1.0f}).empty());
    blender.setAvatar(m_facecap);
    blender.setAvatar(nullptr);
    QCOMPARE(blender.meshCount(), 0);
    QCOMPARE(blender.controlCount(), 0);
    QVERIFY(blender.blend({1.0f}).empty());
}

QTEST_GUILESS_MAIN(TestMorphBlender)
#include "test_morph_blender.moc"
