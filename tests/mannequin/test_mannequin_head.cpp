#include "avatar/mannequin_head.h"

#include "common/arkit.h"

#include <QHash>
#include <QtTest>

#include <cmath>
#include <map>
#include <utility>

using fa::Avatar;
using fa::AvatarMesh;
using fa::MorphTarget;

namespace {

QVector3D mirrored(const QVector3D &v)
{
    return {-v.x(), v.y(), v.z()};
}

const AvatarMesh *findMesh(const Avatar &a, const QString &name)
{
    for (const AvatarMesh &m : a.meshes)
        if (m.name == name)
            return &m;
    return nullptr;
}

const MorphTarget *findTarget(const AvatarMesh &m, const QString &name)
{
    for (const MorphTarget &t : m.morphTargets)
        if (t.name == name)
            return &t;
    return nullptr;
}

// Offset of vertex v for a target name, zero when the mesh does not carry it.
QVector3D deltaOf(const AvatarMesh &m, const QString &name, int v)
{
    const MorphTarget *t = findTarget(m, name);
    return t ? t->positionDeltas[size_t(v)] : QVector3D();
}

bool finite(const QVector3D &v)
{
    return std::isfinite(v.x()) && std::isfinite(v.y()) && std::isfinite(v.z());
}

using PositionKey = std::tuple<float, float, float>;

// For every vertex of `from`, the vertex of `to` at exactly the mirrored place (ties between
// coincident vertices, such as the two lips of the closed mouth, broken by the normal).
// Returns an empty vector when some vertex has no mirror.
std::vector<int> mirrorMap(const AvatarMesh &from, const AvatarMesh &to)
{
    std::map<PositionKey, std::vector<int>> byPosition;
    for (int v = 0; v < to.vertexCount(); ++v) {
        const QVector3D &p = to.positions[size_t(v)];
        byPosition[{p.x() + 0.0f, p.y(), p.z()}].push_back(v);
    }
    std::vector<int> map(size_t(from.vertexCount()), -1);
    for (int v = 0; v < from.vertexCount(); ++v) {
        const QVector3D p = mirrored(from.positions[size_t(v)]);
        const auto it = byPosition.find({p.x() + 0.0f, p.y(), p.z()});
        if (it == byPosition.end())
            return {};
        const QVector3D n = mirrored(from.normals[size_t(v)]);
        float best = 1e9f;
        for (int candidate : it->second) {
            const float d = (to.normals[size_t(candidate)] - n).length();
            if (d < best) {
                best = d;
                map[size_t(v)] = candidate;
            }
        }
    }
    return map;
}

} // namespace

class TestMannequinHead : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void structure();
    void rigIsTheArkitSet();
    void noNaN();
    void targetMoves_data();
    void targetMoves();
    void mirrorSymmetry_data();
    void mirrorSymmetry();
    void eyeMeshesMirror();
    void jawOpenOpensTheMouth();
    void eyeBlinkLeftLowersOnlyTheLeftLid();
    void normalsFaceOutwards();
    void headClosedExceptTheMouth();
    void deterministic();
    void resolutionOption();

private:
    std::unique_ptr<Avatar> m_avatar;
};

void TestMannequinHead::initTestCase()
{
    m_avatar = fa::createMannequinHead();
    QVERIFY(m_avatar);
}

void TestMannequinHead::structure()
{
    const Avatar &a = *m_avatar;
    QCOMPARE(a.name, QStringLiteral("Mannequin"));
    QVERIFY(a.sourcePath.isEmpty());
    QVERIFY(a.textures.empty());
    QVERIFY2(a.vertexCount() >= 5000 && a.vertexCount() <= 15000, qPrintable(QString::number(a.vertexCount())));
    QVERIFY2(a.triangleCount() >= 8000 && a.triangleCount() <= 30000, qPrintable(QString::number(a.triangleCount())));
    for (const QString &name : {QStringLiteral("Head"), QStringLiteral("MouthInterior"), QStringLiteral("EyeLeft"),
                                QStringLiteral("EyeRight"), QStringLiteral("Teeth"), QStringLiteral("Tongue")})
        QVERIFY2(findMesh(a, name), qPrintable(name));
    for (const AvatarMesh &m : a.meshes) {
        QVERIFY(m.vertexCount() > 0);
        QCOMPARE(m.normals.size(), m.positions.size());
        QCOMPARE(m.uvs.size(), m.positions.size());
        QCOMPARE(m.indices.size() % 3, size_t(0));
        QCOMPARE(m.textureIndex, -1);
        QVERIFY(m.transform.isIdentity());
        for (quint32 i : m.indices)
            QVERIFY2(i < quint32(m.vertexCount()), qPrintable(m.name));
        for (size_t t = 0; t + 2 < m.indices.size(); t += 3)
            QVERIFY2(m.indices[t] != m.indices[t + 1] && m.indices[t + 1] != m.indices[t + 2]
                         && m.indices[t] != m.indices[t + 2],
                     qPrintable(m.name));
        for (const MorphTarget &t : m.morphTargets) {
            QCOMPARE(t.positionDeltas.size(), m.positions.size());
            QVERIFY(t.normalDeltas.empty() || t.normalDeltas.size() == m.positions.size());
        }
    }
    // Head about 0.2 m tall, facing +Z.
    const AvatarMesh &head = *findMesh(a, QStringLiteral("Head"));
    float minY = 1e9f, maxY = -1e9f;
    QVector3D front(0.0f, 0.0f, -1e9f);
    for (const QVector3D &p : head.positions) {
        minY = std::min(minY, p.y());
        maxY = std::max(maxY, p.y());
        if (p.z() > front.z())
            front = p;
    }
    QVERIFY2(maxY - minY > 0.18f && maxY - minY < 0.26f, qPrintable(QString::number(maxY - minY)));
    // The frontmost point is the nose tip: on the midline, between the eyes and the mouth.
    QVERIFY2(std::abs(front.x()) < 0.005f && front.y() < 0.0f && front.y() > -0.04f && front.z() > 0.09f,
             qPrintable(QStringLiteral("%1 %2 %3").arg(front.x()).arg(front.y()).arg(front.z())));
}

void TestMannequinHead::rigIsTheArkitSet()
{
    QCOMPARE(m_avatar->rig().names(), fa::arkit::canonicalNames());
    const AvatarMesh &head = *findMesh(*m_avatar, QStringLiteral("Head"));
    QCOMPARE(int(head.morphTargets.size()), fa::arkit::kShapeCount);
    for (int i = 0; i < fa::arkit::kShapeCount; ++i)
        QCOMPARE(head.morphTargets[size_t(i)].name, fa::arkit::canonicalName(i));
}

void TestMannequinHead::noNaN()
{
    for (const AvatarMesh &m : m_avatar->meshes) {
        for (size_t v = 0; v < m.positions.size(); ++v) {
            QVERIFY2(finite(m.positions[v]) && finite(m.normals[v]), qPrintable(m.name));
            QVERIFY2(std::abs(m.normals[v].length() - 1.0f) < 1e-3f, qPrintable(m.name));
            QVERIFY(std::isfinite(m.uvs[v].x()) && std::isfinite(m.uvs[v].y()));
        }
        for (const MorphTarget &t : m.morphTargets) {
            for (const QVector3D &d : t.positionDeltas)
                QVERIFY2(finite(d) && d.length() < 0.06f, qPrintable(m.name + QLatin1Char(' ') + t.name));
            for (const QVector3D &d : t.normalDeltas)
                QVERIFY2(finite(d), qPrintable(m.name + QLatin1Char(' ') + t.name));
        }
    }
}

void TestMannequinHead::targetMoves_data()
{
    QTest::addColumn<QString>("shape");
    for (const QString &name : fa::arkit::canonicalNames())
        QTest::newRow(qPrintable(name)) << name;
}

void TestMannequinHead::targetMoves()
{
    QFETCH(QString, shape);
    int moved = 0;
    for (const AvatarMesh &m : m_avatar->meshes)
        if (const MorphTarget *t = findTarget(m, shape))
            for (const QVector3D &d : t->positionDeltas)
                moved += d.length() > 0.001f ? 1 : 0;
    QVERIFY2(moved >= 10, qPrintable(QStringLiteral("%1 vertices move more than 1 mm").arg(moved)));
}

void TestMannequinHead::mirrorSymmetry_data()
{
    QTest::addColumn<QString>("mesh");
    QTest::addColumn<QString>("shape");
    QTest::addColumn<QString>("twin");
    const QStringList meshes{QStringLiteral("Head"), QStringLiteral("MouthInterior"), QStringLiteral("Teeth"),
                             QStringLiteral("Tongue")};
    for (const QString &mesh : meshes)
        for (const QString &name : fa::arkit::canonicalNames()) {
            if (name.endsWith(QLatin1String("Right")))
                continue;
            QString twin = name;
            if (name.endsWith(QLatin1String("Left"))) {
                twin.chop(4);
                twin += QLatin1String("Right");
            }
            QTest::newRow(qPrintable(mesh + QLatin1Char(' ') + name)) << mesh << name << twin;
        }
}

// Left shape at v equals the mirrored Right shape at the mirrored vertex; an unsided shape
// is its own mirror image.
void TestMannequinHead::mirrorSymmetry()
{
    QFETCH(QString, mesh);
    QFETCH(QString, shape);
    QFETCH(QString, twin);
    const AvatarMesh *m = findMesh(*m_avatar, mesh);
    QVERIFY(m);
    const std::vector<int> mirror = mirrorMap(*m, *m);
    QVERIFY2(!mirror.empty(), "the mesh is not mirror-symmetric");
    for (int v = 0; v < m->vertexCount(); ++v) {
        const QVector3D a = deltaOf(*m, shape, v);
        const QVector3D b = mirrored(deltaOf(*m, twin, mirror[size_t(v)]));
        QVERIFY2((a - b).length() < 1e-6f,
                 qPrintable(QStringLiteral("vertex %1: %2 vs %3").arg(v).arg(a.length()).arg(b.length())));
    }
}

void TestMannequinHead::eyeMeshesMirror()
{
    for (const auto &pair : {std::make_pair(QStringLiteral("EyeLeft"), QStringLiteral("EyeRight")),
                             std::make_pair(QStringLiteral("IrisLeft"), QStringLiteral("IrisRight"))}) {
        const AvatarMesh *left = findMesh(*m_avatar, pair.first);
        const AvatarMesh *right = findMesh(*m_avatar, pair.second);
        QVERIFY(left && right);
        const std::vector<int> mirror = mirrorMap(*left, *right);
        QVERIFY(!mirror.empty());
        for (const QString &look : {QStringLiteral("eyeLookUp"), QStringLiteral("eyeLookDown"),
                                    QStringLiteral("eyeLookIn"), QStringLiteral("eyeLookOut")}) {
            const MorphTarget *l = findTarget(*left, look + QLatin1String("Left"));
            QVERIFY2(l, qPrintable(look));
            QVERIFY2(!findTarget(*left, look + QLatin1String("Right")), qPrintable(look));
            for (int v = 0; v < left->vertexCount(); ++v)
                QVERIFY((deltaOf(*left, look + QLatin1String("Left"), v)
                         - mirrored(deltaOf(*right, look + QLatin1String("Right"), mirror[size_t(v)])))
                            .length()
                        < 1e-6f);
        }
        // Looking in turns the left eye's front towards -X (towards the nose).
        const int front = 0; // the front pole
        QVERIFY(deltaOf(*left, QStringLiteral("eyeLookInLeft"), front).x() < -0.002f);
        QVERIFY(deltaOf(*left, QStringLiteral("eyeLookUpLeft"), front).y() > 0.002f);
    }
}

void TestMannequinHead::jawOpenOpensTheMouth()
{
    const AvatarMesh &head = *findMesh(*m_avatar, QStringLiteral("Head"));
    // The mouth centre: the only two coincident vertices on the face's midline.
    std::map<PositionKey, std::vector<int>> midline;
    for (int v = 0; v < head.vertexCount(); ++v) {
        const QVector3D &p = head.positions[size_t(v)];
        if (p.x() == 0.0f && p.z() > 0.05f)
            midline[{0.0f, p.y(), p.z()}].push_back(v);
    }
    std::vector<int> lips;
    for (const auto &entry : midline)
        if (entry.second.size() == 2)
            lips = entry.second;
        else
            QCOMPARE(entry.second.size(), size_t(1));
    QCOMPARE(lips.size(), size_t(2));
    auto gap = [&](const QString &shape, float weight) {
        const QVector3D a = head.positions[size_t(lips[0])] + weight * deltaOf(head, shape, lips[0]);
        const QVector3D b = head.positions[size_t(lips[1])] + weight * deltaOf(head, shape, lips[1]);
        return (a - b).length();
    };
    QCOMPARE(gap(QStringLiteral("jawOpen"), 0.0f), 0.0f);
    QVERIFY2(gap(QStringLiteral("jawOpen"), 1.0f) > 0.01f, qPrintable(QString::number(gap(QStringLiteral("jawOpen"), 1.0f))));
    // mouthClose on top of jawOpen brings the lips back together.
    QVector3D a = head.positions[size_t(lips[0])], b = head.positions[size_t(lips[1])];
    for (const QString &s : {QStringLiteral("jawOpen"), QStringLiteral("mouthClose")}) {
        a += deltaOf(head, s, lips[0]);
        b += deltaOf(head, s, lips[1]);
    }
    QVERIFY2((a - b).length() < 0.004f, qPrintable(QString::number((a - b).length())));
}

void TestMannequinHead::eyeBlinkLeftLowersOnlyTheLeftLid()
{
    const AvatarMesh &head = *findMesh(*m_avatar, QStringLiteral("Head"));
    const AvatarMesh &eye = *findMesh(*m_avatar, QStringLiteral("EyeLeft"));
    QVector3D centre;
    for (const QVector3D &p : eye.positions)
        centre += p;
    centre /= float(eye.vertexCount());
    QVERIFY(centre.x() > 0.02f);
    const float radius = (eye.positions[0] - centre).length();
    // Upper-lid skin: on the lid shell just above the eye, in front.
    auto upperLid = [&](const QVector3D &c) {
        std::vector<int> lid;
        for (int v = 0; v < head.vertexCount(); ++v) {
            const QVector3D q = head.positions[size_t(v)] - c;
            if (std::abs(q.x()) < 0.004f && q.y() > 0.005f && q.y() < 0.012f && q.z() > 0.0f
                && q.length() < radius + 0.004f)
                lid.push_back(v);
        }
        return lid;
    };
    const std::vector<int> left = upperLid(centre);
    const std::vector<int> right = upperLid(mirrored(centre));
    QVERIFY(left.size() >= 3);
    QCOMPARE(right.size(), left.size());
    float meanDrop = 0.0f;
    for (int v : left)
        meanDrop += -deltaOf(head, QStringLiteral("eyeBlinkLeft"), v).y() / float(left.size());
    QVERIFY2(meanDrop > 0.004f, qPrintable(QString::number(meanDrop)));
    for (int v : right)
        QCOMPARE(deltaOf(head, QStringLiteral("eyeBlinkLeft"), v), QVector3D());
    for (int v = 0; v < head.vertexCount(); ++v)
        if (head.positions[size_t(v)].x() < 0.0f)
            QCOMPARE(deltaOf(head, QStringLiteral("eyeBlinkLeft"), v), QVector3D());
}

void TestMannequinHead::normalsFaceOutwards()
{
    const AvatarMesh &head = *findMesh(*m_avatar, QStringLiteral("Head"));
    int outward = 0;
    for (int v = 0; v < head.vertexCount(); ++v)
        outward += QVector3D::dotProduct(head.normals[size_t(v)], head.positions[size_t(v)]) > 0.0f ? 1 : 0;
    QVERIFY2(outward > head.vertexCount() * 95 / 100, qPrintable(QString::number(outward)));
}

// Every edge of the skin is shared by two triangles, except along the texture seam (where
// coincident vertices carry u = 0 and u = 1) and around the mouth opening, whose rim the mouth
// interior closes.
void TestMannequinHead::headClosedExceptTheMouth()
{
    const AvatarMesh &head = *findMesh(*m_avatar, QStringLiteral("Head"));
    const AvatarMesh &mouth = *findMesh(*m_avatar, QStringLiteral("MouthInterior"));
    std::map<std::pair<quint32, quint32>, int> edges;
    for (size_t t = 0; t + 2 < head.indices.size(); t += 3)
        for (int k = 0; k < 3; ++k) {
            const quint32 a = head.indices[t + size_t(k)];
            const quint32 b = head.indices[t + size_t((k + 1) % 3)];
            ++edges[{std::min(a, b), std::max(a, b)}];
        }
    std::map<PositionKey, int> mouthPositions;
    for (const QVector3D &p : mouth.positions)
        ++mouthPositions[{p.x(), p.y(), p.z()}];
    auto key = [&](quint32 v) {
        const QVector3D &p = head.positions[v];
        return PositionKey{p.x() + 0.0f, p.y(), p.z()};
    };
    std::map<std::pair<PositionKey, PositionKey>, int> openByPosition;
    for (const auto &edge : edges) {
        QVERIFY(edge.second <= 2);
        if (edge.second == 1)
            ++openByPosition[std::minmax(key(edge.first.first), key(edge.first.second))];
    }
    int mouthEdges = 0;
    for (const auto &edge : openByPosition) {
        if (mouthPositions.count(edge.first.first) && mouthPositions.count(edge.first.second))
            mouthEdges += edge.second;
        else
            QVERIFY2(edge.second == 2, "open edge away from the mouth and the seam");
    }
    QVERIFY(mouthEdges >= 8 && mouthEdges < 200);
}

void TestMannequinHead::deterministic()
{
    const auto other = fa::createMannequinHead();
    QCOMPARE(other->meshes.size(), m_avatar->meshes.size());
    for (size_t i = 0; i < other->meshes.size(); ++i) {
        const AvatarMesh &a = m_avatar->meshes[i];
        const AvatarMesh &b = other->meshes[i];
        QCOMPARE(a.name, b.name);
        QVERIFY(a.positions == b.positions);
        QVERIFY(a.normals == b.normals);
        QVERIFY(a.uvs == b.uvs);
        QVERIFY(a.indices == b.indices);
        QCOMPARE(a.morphTargets.size(), b.morphTargets.size());
        for (size_t t = 0; t < a.morphTargets.size(); ++t) {
            QCOMPARE(a.morphTargets[t].name, b.morphTargets[t].name);
            QVERIFY(a.morphTargets[t].positionDeltas == b.morphTargets[t].positionDeltas);
            QVERIFY(a.morphTargets[t].normalDeltas == b.morphTargets[t].normalDeltas);
        }
    }
}

void TestMannequinHead::resolutionOption()
{
    fa::MannequinOptions coarse;
    coarse.resolution = 16;
    const auto small = fa::createMannequinHead(coarse);
    fa::MannequinOptions fine;
    fine.resolution = 56;
    const auto large = fa::createMannequinHead(fine);
    QVERIFY(small->vertexCount() < m_avatar->vertexCount());
    QVERIFY(large->vertexCount() > m_avatar->vertexCount());
    for (const Avatar *a : {small.get(), large.get()}) {
        QCOMPARE(a->rig().names(), fa::arkit::canonicalNames());
        for (const AvatarMesh &m : a->meshes)
            for (const QVector3D &p : m.positions)
                QVERIFY(finite(p));
    }
    fa::MannequinOptions silly;
    silly.resolution = -5; // clamped, never fails
    QVERIFY(fa::createMannequinHead(silly)->vertexCount() > 1000);
}

QTEST_GUILESS_MAIN(TestMannequinHead)
#include "test_mannequin_head.moc"
