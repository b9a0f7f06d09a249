#include "animation/animation_clip.h"
#include "avatar/avatar.h"
#include "avatar/avatar_loader.h"
#include "fbx/fbx_binary_writer.h"
#include "fbx/fbx_node.h"
#include "fbx/fbx_scene_builder.h"
#include "fbx/fbx_transform.h"
#include "fbx/fbx_writer.h"

#include "fbx_test_reader.h"

#include <QtTest>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>

#include <assimp/Importer.hpp>
#include <assimp/postprocess.h>
#include <assimp/scene.h>

#include <cmath>
#include <map>
#include <memory>

namespace {

constexpr double kTicks = 46186158000.0;
// 0.5 % of a [0,1] weight: the round-trip tolerance of the brief.
constexpr double kWeightTolerance = 0.005;

QString outputPath(const QString &name)
{
    QDir().mkpath(QStringLiteral(FA_TEST_OUTPUT_DIR));
    return QStringLiteral(FA_TEST_OUTPUT_DIR "/") + name;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A 4×4-vertex grid (18 triangles) with normals, UVs and a transform, four targets: jawOpen
// (moves the upper half), eyeBlink_L (one vertex), tongueOut (moves nothing) and cheekPuff (no
// clip control); plus a "Teeth" triangle without UVs/normals sharing the jawOpen target.
fa::Avatar gridAvatar()
{
    fa::Avatar avatar;
    avatar.name = QStringLiteral("Grid");
    fa::AvatarMesh grid;
    grid.name = QStringLiteral("Face");
    for (int y = 0; y < 4; ++y)
        for (int x = 0; x < 4; ++x) {
            grid.positions.emplace_back(float(x), float(y), 0.0f);
            grid.normals.emplace_back(0.0f, 0.0f, 1.0f);
            grid.uvs.emplace_back(x / 3.0f, y / 3.0f);
        }
    for (int y = 0; y < 3; ++y)
        for (int x = 0; x < 3; ++x) {
            const quint32 a = quint32(y * 4 + x);
            grid.indices.insert(grid.indices.end(), {a, a + 1, a + 5, a, a + 5, a + 4});
        }
    const size_t n = grid.positions.size();
    fa::MorphTarget jaw{QStringLiteral("jawOpen"), std::vector<QVector3D>(n), {}};
    for (size_t v = 8; v < n; ++v)
        jaw.positionDeltas[v] = QVector3D(0.0f, 0.5f, 0.25f);
    fa::MorphTarget blink{QStringLiteral("eyeBlink_L"), std::vector<QVector3D>(n), {}};
    blink.positionDeltas[5] = QVector3D(0.0f, -0.2f, 0.0f);
    fa::MorphTarget tongue{QStringLiteral("tongueOut"), std::vector<QVector3D>(n), {}};
    fa::MorphTarget puff{QStringLiteral("cheekPuff"), std::vector<QVector3D>(n), {}};
    puff.positionDeltas[0] = QVector3D(0.0f, 0.0f, 0.3f);
    grid.morphTargets = {jaw, blink, tongue, puff};
    grid.transform.translate(1.0f, 2.0f, 3.0f);
    grid.transform.rotate(30.0f, 0.0f, 1.0f, 0.0f);
    grid.transform.scale(2.0f);
    avatar.meshes.push_back(grid);

    fa::AvatarMesh teeth;
    teeth.name = QStringLiteral("Teeth");
    teeth.positions = {QVector3D(0, 0, 0), QVector3D(1, 0, 0), QVector3D(0, 1, 0)};
    teeth.indices = {0, 1, 2};
    teeth.morphTargets = {{QStringLiteral("jawOpen"),
                           {QVector3D(0, -0.1f, 0), QVector3D(0, -0.1f, 0), QVector3D()}, {}}};
    avatar.meshes.push_back(teeth);
    return avatar;
}

// One sine per control in [0,1], `frames` frames at `fps` starting at `start` seconds.
fa::AnimationClip sineClip(const QStringList &controls, double fps, int frames, double start)
{
    fa::AnimationClip clip(controls, fps);
    std::vector<float> row(size_t(controls.size()));
    for (int f = 0; f < frames; ++f) {
        const double t = f / fps;
        for (int c = 0; c < controls.size(); ++c)
            row[size_t(c)] = float(0.5 + 0.5 * std::sin(2.0 * M_PI * (0.7 * t + 0.37 * c)));
        clip.appendFrame(start + t, row, true);
    }
    return clip;
}

fa::AnimationClip gridClip()
{
    // headYaw is no target: ignored. cheekPuff is a target without a control: no curve.
    return sineClip({QStringLiteral("jawOpen"), QStringLiteral("eyeBlink_L"),
                     QStringLiteral("tongueOut"), QStringLiteral("headYaw")},
                    30.0, 20, 1.5);
}

struct Case
{
    fa::Avatar avatar;
    fa::AnimationClip clip;
};

// Real avatars are loaded once per test run.
std::map<QString, std::shared_ptr<Case>> &caseCache()
{
    static std::map<QString, std::shared_ptr<Case>> cache;
    return cache;
}

std::shared_ptr<Case> loadCase(const QString &name, QString *error)
{
    auto &cache = caseCache();
    if (auto it = cache.find(name); it != cache.end())
        return it->second;
    auto c = std::make_shared<Case>();
    if (name == QLatin1String("grid")) {
        c->avatar = gridAvatar();
        c->clip = gridClip();
    } else if (name == QLatin1String("grid-static")) {
        c->avatar = gridAvatar();
    } else {
        const QString facecap = QStringLiteral(FA_TEST_DATA_DIR "/avatars/facecap/facecap_decoded.glb");
        const QString rocketbox = QStringLiteral(FA_TEST_DATA_DIR "/avatars/rocketbox/Male_Adult_03_facial.fbx");
        const QString path = name.startsWith(QLatin1String("facecap")) ? facecap : rocketbox;
        if (!QFileInfo::exists(path)) {
            *error = QStringLiteral("missing test data: %1").arg(path);
            return nullptr;
        }
        fa::AvatarLoader loader;
        std::unique_ptr<fa::Avatar> avatar = loader.load(path);
        if (!avatar) {
            *error = loader.errorString();
            return nullptr;
        }
        c->avatar = *avatar;
        if (name == QLatin1String("facecap-capture")) {
            std::vector<fa::AnimationClip> clips = loader.loadMorphAnimations(path);
            if (clips.empty()) {
                *error = QStringLiteral("%1: no morph animation (%2)").arg(path, loader.errorString());
                return nullptr;
            }
            c->clip = clips.front();
        } else {
            c->clip = sineClip(c->avatar.rig().names(), 30.0, 90, 0.0);
        }
    }
    cache[name] = c;
    return c;
}

// Target names per mesh, in mesh order.
std::vector<QStringList> targetNames(const fa::Avatar &avatar)
{
    std::vector<QStringList> out;
    for (const fa::AvatarMesh &mesh : avatar.meshes) {
        QStringList names;
        for (const fa::MorphTarget &t : mesh.morphTargets)
            names << t.name;
        out.push_back(names);
    }
    return out;
}

// Whether the writer keeps any vertex of the target: offsets above 1e-6 of the mesh's
// bounding-box diagonal (Rocketbox's body meshes carry 1.5e-5 cm of float noise in every target).
bool targetMoves(const fa::AvatarMesh &mesh, const QString &name)
{
    QVector3D lo(1e30f, 1e30f, 1e30f), hi(-1e30f, -1e30f, -1e30f);
    for (const QVector3D &p : mesh.positions)
        for (int k = 0; k < 3; ++k) {
            lo[k] = std::min(lo[k], p[k]);
            hi[k] = std::max(hi[k], p[k]);
        }
    const float epsilon = 1e-6f * (hi - lo).length();
    for (const fa::MorphTarget &t : mesh.morphTargets)
        if (t.name == name)
            for (const QVector3D &d : t.positionDeltas)
                if (std::max({std::abs(d.x()), std::abs(d.y()), std::abs(d.z())}) > epsilon)
                    return true;
    return false;
}

const aiNode *findNode(const aiNode *node, const aiString &name)
{
    if (node->mName == name)
        return node;
    for (unsigned i = 0; i < node->mNumChildren; ++i)
        if (const aiNode *found = findNode(node->mChildren[i], name))
            return found;
    return nullptr;
}

} // namespace

class TestFbxWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void transformDecomposition_data();
    void transformDecomposition();
    void headerAndFooter_data();
    void headerAndFooter();
    void propertyTypes_data();
    void propertyTypes();
    void sceneStructure();
    void rejectsBadInput_data();
    void rejectsBadInput();
    void blenderRoundTrip_data();
    void blenderRoundTrip();
    void assimpRoundTrip_data();
    void assimpRoundTrip();

private:
    void addRoundTripRows();
    QString exportCase(const QString &name, int version);
};

void TestFbxWriter::initTestCase()
{
    QDir(QStringLiteral(FA_TEST_OUTPUT_DIR)).removeRecursively();
    QDir().mkpath(QStringLiteral(FA_TEST_OUTPUT_DIR));
}

void TestFbxWriter::transformDecomposition_data()
{
    QTest::addColumn<QMatrix4x4>("matrix");
    QTest::addColumn<bool>("decomposable");
    QMatrix4x4 m;
    QTest::newRow("identity") << m << true;
    m.translate(1, -2, 3);
    m.rotate(30, 1, 0, 0);
    m.rotate(-50, 0, 1, 0);
    m.rotate(75, 0, 0, 1);
    m.scale(2, 3, 0.5f);
    QTest::newRow("TRS any order") << m << true;
    QMatrix4x4 lock;
    lock.rotate(90, 0, 1, 0);
    lock.rotate(20, 1, 0, 0);
    QTest::newRow("gimbal lock") << lock << true;
    QMatrix4x4 mirror;
    mirror.scale(-1, 1, 1);
    QTest::newRow("mirror") << mirror << true;
    QMatrix4x4 shear;
    shear.scale(1, 4, 1);
    shear.rotate(45, 0, 0, 1);
    QTest::newRow("shear") << shear << false;
}

void TestFbxWriter::transformDecomposition()
{
    QFETCH(QMatrix4x4, matrix);
    QFETCH(bool, decomposable);
    const auto t = fa::FbxTransform::fromMatrix(matrix);
    QCOMPARE(t.has_value(), decomposable);
    if (!t)
        return;
    const QMatrix4x4 back = t->toMatrix();
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c)
            QVERIFY2(std::abs(back(r, c) - matrix(r, c)) < 1e-4f, qPrintable(QStringLiteral("(%1,%2)").arg(r).arg(c)));
}

void TestFbxWriter::headerAndFooter_data()
{
    QTest::addColumn<int>("version");
    QTest::newRow("7400") << 7400;
    QTest::newRow("7500") << 7500;
}

void TestFbxWriter::headerAndFooter()
{
    QFETCH(int, version);
    const QString path = outputPath(QStringLiteral("header-%1.fbx").arg(version));
    fa::FbxWriter writer;
    fa::FbxWriter::Options options;
    options.version = version;
    QVERIFY2(writer.write(path, gridAvatar(), gridClip(), options), qPrintable(writer.errorString()));
    const QByteArray data = readAll(path);
    QVERIFY(data.size() > 1000);

    QCOMPARE(data.left(23), QByteArray("Kaydara FBX Binary  \x00\x1a\x00", 23));
    QCOMPARE(qFromLittleEndian<quint32>(data.constData() + 23), quint32(version));

    FbxTestReader reader;
    QVERIFY2(reader.parse(data), qPrintable(reader.errorString()));
    QCOMPARE(reader.version(), version);
    QByteArrayList names;
    for (const FbxTestNode &n : reader.topLevel())
        names << n.name;
    QCOMPARE(names, QByteArrayList({"FBXHeaderExtension", "FileId", "CreationTime", "Creator",
                                    "GlobalSettings", "Documents", "References", "Definitions",
                                    "Objects", "Connections", "Takes"}));
    QCOMPARE(reader.find("FBXHeaderExtension")->child("FBXVersion")->properties[0].integer, qint64(version));
    QCOMPARE(reader.find("FileId")->properties[0].bytes, fa::FbxBinaryWriter::fileId());
    QCOMPARE(reader.find("CreationTime")->properties[0].bytes, fa::FbxBinaryWriter::creationTime());

    // Footer: id, 4 zero bytes, padding to 16, version, 120 zero bytes, magic.
    const qsizetype foot = reader.footerOffset();
    QCOMPARE(data.mid(foot, 16),
             QByteArray("\xfa\xbc\xab\x09\xd0\xc8\xd4\x66\xb1\x76\xfb\x83\x1c\xf7\x26\x7e", 16));
    QCOMPARE(data.mid(foot + 16, 4), QByteArray(4, '\0'));
    const qsizetype afterPad = data.size() - 16 - 120 - 4;
    QCOMPARE(afterPad % 16, qsizetype(0));
    const qsizetype pad = afterPad - (foot + 20);
    QVERIFY(pad >= 1 && pad <= 16);
    QCOMPARE(data.mid(foot + 20, pad), QByteArray(int(pad), '\0'));
    QCOMPARE(qFromLittleEndian<quint32>(data.constData() + afterPad), quint32(version));
    QCOMPARE(data.mid(afterPad + 4, 120), QByteArray(120, '\0'));
    QCOMPARE(data.right(16),
             QByteArray("\xf8\x5a\x8c\x6a\xde\xf5\xd9\x7e\xec\xe9\x0c\xe3\x75\x8f\x29\x0b", 16));
}

void TestFbxWriter::propertyTypes_data()
{
    headerAndFooter_data();
}

void TestFbxWriter::propertyTypes()
{
    QFETCH(int, version);
    std::vector<double> bigDoubles(100);
    std::vector<float> bigFloats(100);
    std::vector<qint64> bigLongs(100);
    std::vector<qint32> bigInts(100);
    std::vector<bool> bigBools(200);
    for (int i = 0; i < 100; ++i) {
        bigDoubles[size_t(i)] = i * 0.25 - 3.0;
        bigFloats[size_t(i)] = float(i) * -1.5f;
        bigLongs[size_t(i)] = qint64(i) * 46186158000LL;
        bigInts[size_t(i)] = ~i;
    }
    for (size_t i = 0; i < bigBools.size(); ++i)
        bigBools[i] = i % 3 == 0;

    std::vector<fa::FbxNode> top;
    fa::FbxNode &node = top.emplace_back("Everything");
    node.addInt16(-12345).addBool(true).addInt32(-7).addInt64(-(qint64(1) << 40)).addFloat(1.5f)
        .addDouble(-2.25).addString(QStringLiteral("ünïcode")).addRaw(QByteArray("\x00\x01\xff", 3))
        .addFloatArray({1.0f, -2.0f}).addDoubleArray({3.5}).addInt64Array({-1, 2})
        .addInt32Array({7, ~7}).addBoolArray({true, false, true});
    fa::FbxNode &big = node.addChild("Big");
    big.addDoubleArray(bigDoubles).addFloatArray(bigFloats).addInt64Array(bigLongs)
        .addInt32Array(bigInts).addBoolArray(bigBools);
    node.addChild("Empty");
    top.emplace_back("Last").addInt32(1);

    FbxTestReader reader;
    QVERIFY2(reader.parse(fa::FbxBinaryWriter(version).serialize(top)), qPrintable(reader.errorString()));
    QCOMPARE(int(reader.topLevel().size()), 2);
    const FbxTestNode &n = reader.topLevel()[0];
    QCOMPARE(n.name, QByteArray("Everything"));
    QCOMPARE(int(n.properties.size()), 13);
    QByteArray types;
    for (const FbxTestProperty &p : n.properties)
        types.append(p.type);
    QCOMPARE(types, QByteArray("YCILFDSRfdlib"));
    QCOMPARE(n.properties[0].integer, qint64(-12345));
    QCOMPARE(n.properties[1].integer, qint64(1));
    QCOMPARE(n.properties[2].integer, qint64(-7));
    QCOMPARE(n.properties[3].integer, -(qint64(1) << 40));
    QCOMPARE(n.properties[4].real, 1.5);
    QCOMPARE(n.properties[5].real, -2.25);
    QCOMPARE(QString::fromUtf8(n.properties[6].bytes), QStringLiteral("ünïcode"));
    QCOMPARE(n.properties[7].bytes, QByteArray("\x00\x01\xff", 3));
    QCOMPARE(n.properties[8].numbers, std::vector<double>({1.0, -2.0}));
    QCOMPARE(n.properties[9].numbers, std::vector<double>({3.5}));
    QCOMPARE(n.properties[10].numbers, std::vector<double>({-1.0, 2.0}));
    QCOMPARE(n.properties[11].numbers, std::vector<double>({7.0, -8.0}));
    QCOMPARE(n.properties[12].numbers, std::vector<double>({1.0, 0.0, 1.0}));
    for (int i = 8; i <= 12; ++i)
        QCOMPARE(n.properties[size_t(i)].encoding, quint32(0)); // small arrays stay raw

    const FbxTestNode *b = n.child("Big");
    QVERIFY(b);
    QCOMPARE(int(b->properties.size()), 5);
    for (const FbxTestProperty &p : b->properties)
        QCOMPARE(p.encoding, quint32(1)); // > 128 bytes: zlib
    for (int i = 0; i < 100; ++i) {
        QCOMPARE(b->properties[0].numbers[size_t(i)], bigDoubles[size_t(i)]);
        QCOMPARE(b->properties[1].numbers[size_t(i)], double(bigFloats[size_t(i)]));
        QCOMPARE(b->properties[2].numbers[size_t(i)], double(bigLongs[size_t(i)]));
        QCOMPARE(b->properties[3].numbers[size_t(i)], double(bigInts[size_t(i)]));
    }
    for (size_t i = 0; i < bigBools.size(); ++i)
        QCOMPARE(b->properties[4].numbers[i], bigBools[i] ? 1.0 : 0.0);
    QVERIFY(n.child("Empty"));
    QVERIFY(n.child("Empty")->properties.empty());
    QCOMPARE(reader.topLevel()[1].properties[0].integer, qint64(1));
}

void TestFbxWriter::sceneStructure()
{
    const fa::Avatar avatar = gridAvatar();
    const fa::AnimationClip clip = gridClip();
    const QString path = outputPath(QStringLiteral("structure.fbx"));
    fa::FbxWriter writer;
    QVERIFY2(writer.write(path, avatar, clip), qPrintable(writer.errorString()));
    FbxTestReader reader;
    QVERIFY2(reader.parse(readAll(path)), qPrintable(reader.errorString()));
    const FbxTestNode *objects = reader.find("Objects");
    QVERIFY(objects);

    auto classOf = [](const FbxTestNode *n) { return n->properties[2].bytes; };
    auto nameOf = [](const FbxTestNode *n) { return n->properties[1].bytes.split('\0').front(); };
    QCOMPARE(int(objects->all("Model").size()), 2);
    int meshes = 0, shapes = 0, blendShapes = 0, channels = 0;
    QByteArrayList shapeNames;
    for (const FbxTestNode *g : objects->all("Geometry")) {
        if (classOf(g) == "Mesh") {
            ++meshes;
        } else {
            QCOMPARE(classOf(g), QByteArray("Shape"));
            ++shapes;
            shapeNames << nameOf(g);
            const size_t indexes = g->child("Indexes")->properties[0].numbers.size();
            QVERIFY(indexes >= 1);
            QCOMPARE(g->child("Vertices")->properties[0].numbers.size(), indexes * 3);
            QCOMPARE(g->child("Normals")->properties[0].numbers.size(), indexes * 3);
            if (nameOf(g) == "tongueOut") // no displacement: one zero delta on vertex 0
                QCOMPARE(g->child("Indexes")->properties[0].numbers, std::vector<double>({0.0}));
            if (nameOf(g) == "eyeBlink_L")
                QCOMPARE(g->child("Indexes")->properties[0].numbers, std::vector<double>({5.0}));
        }
    }
    QCOMPARE(meshes, 2);
    QCOMPARE(shapes, 5);
    QCOMPARE(shapeNames, QByteArrayList({"jawOpen", "eyeBlink_L", "tongueOut", "cheekPuff", "jawOpen"}));
    for (const FbxTestNode *d : objects->all("Deformer")) {
        if (classOf(d) == "BlendShape") {
            ++blendShapes;
        } else {
            QCOMPARE(classOf(d), QByteArray("BlendShapeChannel"));
            ++channels;
            QCOMPARE(d->child("DeformPercent")->properties[0].real, 0.0);
        }
    }
    QCOMPARE(blendShapes, 2);
    QCOMPARE(channels, 5);

    // Grid triangles: the last corner of each triangle is negated.
    const FbxTestNode *face = objects->all("Geometry")[0];
    const std::vector<double> &pvi = face->child("PolygonVertexIndex")->properties[0].numbers;
    QCOMPARE(pvi.size(), avatar.meshes[0].indices.size());
    for (size_t i = 0; i < pvi.size(); ++i)
        QCOMPARE(pvi[i], i % 3 == 2 ? -double(avatar.meshes[0].indices[i]) - 1.0
                                    : double(avatar.meshes[0].indices[i]));

    // Curves: jawOpen ×2 meshes, eyeBlink_L, tongueOut; none for cheekPuff or headYaw.
    QCOMPARE(int(objects->all("AnimationCurveNode").size()), 4);
    const auto curves = objects->all("AnimationCurve");
    QCOMPARE(int(curves.size()), 4);
    for (const FbxTestNode *c : curves) {
        QCOMPARE(c->child("KeyVer")->properties[0].integer, qint64(4009));
        const std::vector<double> &times = c->child("KeyTime")->properties[0].numbers;
        QCOMPARE(int(times.size()), clip.frameCount());
        for (int f = 0; f < clip.frameCount(); ++f)
            QCOMPARE(times[size_t(f)], double(std::llround((clip.frameTime(f) - clip.frameTime(0)) * kTicks)));
    }
    int deformPercentLinks = 0;
    for (const FbxTestNode *c : reader.find("Connections")->all("C"))
        if (c->properties.size() == 4 && c->properties[3].bytes == "DeformPercent")
            ++deformPercentLinks;
    QCOMPARE(deformPercentLinks, 4);

    const FbxTestNode *settings = reader.find("GlobalSettings")->child("Properties70");
    bool sawTimeMode = false;
    for (const FbxTestNode *p : settings->all("P"))
        if (p->properties[0].bytes == "TimeMode") {
            QCOMPARE(p->properties[4].integer, qint64(6)); // 30 fps
            sawTimeMode = true;
        }
    QVERIFY(sawTimeMode);

    // Normals: per polygon vertex on the grid (it has them), none on the teeth or when disabled.
    QVERIFY(objects->all("Geometry")[0]->child("LayerElementNormal"));
    fa::FbxWriter::Options options;
    options.writeNormals = false;
    QVERIFY2(writer.write(path, avatar, clip, options), qPrintable(writer.errorString()));
    QVERIFY2(reader.parse(readAll(path)), qPrintable(reader.errorString()));
    for (const FbxTestNode *g : reader.find("Objects")->all("Geometry")) {
        QVERIFY(!g->child("LayerElementNormal"));
        if (g->properties[2].bytes == "Mesh")
            for (const FbxTestNode *e : g->child("Layer")->all("LayerElement"))
                QVERIFY(e->child("Type")->properties[0].bytes != "LayerElementNormal");
    }
}

void TestFbxWriter::rejectsBadInput_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<int>("problem");
    QTest::addColumn<QString>("expected");
    QTest::newRow("missing folder") << QStringLiteral("no/such/dir/out.fbx") << 0 << QStringLiteral("cannot open");
    QTest::newRow("version") << QStringLiteral("bad-version.fbx") << 1 << QStringLiteral("version 7300");
    QTest::newRow("index") << QStringLiteral("bad-index.fbx") << 2 << QStringLiteral("out of range");
    QTest::newRow("deltas") << QStringLiteral("bad-deltas.fbx") << 3 << QStringLiteral("position deltas");
    QTest::newRow("times") << QStringLiteral("bad-times.fbx") << 4 << QStringLiteral("do not increase");
    QTest::newRow("no mesh") << QStringLiteral("no-mesh.fbx") << 5 << QStringLiteral("no mesh");
}

void TestFbxWriter::rejectsBadInput()
{
    QFETCH(QString, fileName);
    QFETCH(int, problem);
    QFETCH(QString, expected);
    fa::Avatar avatar = gridAvatar();
    fa::AnimationClip clip = gridClip();
    fa::FbxWriter::Options options;
    switch (problem) {
    case 1: options.version = 7300; break;
    case 2: avatar.meshes[0].indices[4] = 99; break;
    case 3: avatar.meshes[0].morphTargets[1].positionDeltas.pop_back(); break;
    case 4: clip.appendFrame(clip.frameTime(0), std::vector<float>(4, 0.0f), true); break;
    case 5: avatar.meshes.clear(); break;
    default: break;
    }
    const QString path = outputPath(fileName);
    fa::FbxWriter writer;
    QVERIFY(!writer.write(path, avatar, clip, options));
    QVERIFY2(writer.errorString().startsWith(path + QStringLiteral(": ")), qPrintable(writer.errorString()));
    QVERIFY2(writer.errorString().contains(expected), qPrintable(writer.errorString()));
    QVERIFY(!QFileInfo::exists(path));
    QVERIFY(!QFileInfo::exists(QFileInfo(path).absolutePath()) || QDir(QFileInfo(path).absolutePath())
                .entryList({QFileInfo(path).fileName() + QStringLiteral("*")}, QDir::Files).isEmpty());
}

void TestFbxWriter::addRoundTripRows()
{
    QTest::addColumn<QString>("caseName");
    QTest::addColumn<int>("version");
    QTest::newRow("grid 7400") << QStringLiteral("grid") << 7400;
    QTest::newRow("grid 7500") << QStringLiteral("grid") << 7500;
    QTest::newRow("grid static") << QStringLiteral("grid-static") << 7400;
    QTest::newRow("facecap sines") << QStringLiteral("facecap-sines") << 7400;
    QTest::newRow("facecap capture") << QStringLiteral("facecap-capture") << 7500;
    QTest::newRow("rocketbox sines") << QStringLiteral("rocketbox-sines") << 7400;
}

QString TestFbxWriter::exportCase(const QString &name, int version)
{
    QString error;
    const std::shared_ptr<Case> c = loadCase(name, &error);
    if (!c) {
        QTest::qFail(qPrintable(error), __FILE__, __LINE__);
        return QString();
    }
    const QString path = outputPath(QStringLiteral("%1-%2.fbx").arg(name).arg(version));
    if (QFileInfo::exists(path))
        return path;
    fa::FbxWriter writer;
    fa::FbxWriter::Options options;
    options.version = version;
    QElapsedTimer timer;
    timer.start();
    if (!writer.write(path, c->avatar, c->clip, options)) {
        QTest::qFail(qPrintable(writer.errorString()), __FILE__, __LINE__);
        return QString();
    }
    qInfo("%s: %lld bytes, %d meshes, %d vertices, %d targets, %d frames, written in %lld ms",
          qPrintable(QFileInfo(path).fileName()), QFileInfo(path).size(), int(c->avatar.meshes.size()),
          c->avatar.vertexCount(), c->avatar.rig().controlCount(), c->clip.frameCount(),
          timer.elapsed());
    return path;
}

void TestFbxWriter::blenderRoundTrip_data()
{
    addRoundTripRows();
}

void TestFbxWriter::blenderRoundTrip()
{
    QFETCH(QString, caseName);
    QFETCH(int, version);
    const QString blender = QStandardPaths::findExecutable(QStringLiteral("blender"));
    QVERIFY2(!blender.isEmpty(), "blender is not on PATH: install it (apt-get install blender; CI installs it)");
    const QString script = QStringLiteral(FA_TEST_SOURCE_DIR "/blender_check.py");
    QVERIFY2(QFileInfo::exists(script), qPrintable(script));
    const QString fbx = exportCase(caseName, version);
    QVERIFY(!fbx.isEmpty());
    QString error;
    const std::shared_ptr<Case> c = loadCase(caseName, &error);
    QVERIFY2(c, qPrintable(error));
    const QString json = fbx + QStringLiteral(".blender.json");
    QFile::remove(json);

    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    QElapsedTimer timer;
    timer.start();
    process.start(blender, {QStringLiteral("-b"), QStringLiteral("--factory-startup"),
                            QStringLiteral("--python-exit-code"), QStringLiteral("1"),
                            QStringLiteral("--python"), script, QStringLiteral("--"), fbx, json});
    QVERIFY2(process.waitForStarted(30000), qPrintable(process.errorString()));
    const bool finished = process.waitForFinished(120000);
    const QByteArray log = process.readAll();
    if (!finished)
        process.kill();
    QVERIFY2(finished, "blender did not finish within 120 s");
    QVERIFY2(process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0, log.right(3000).constData());
    qInfo("blender import of %s: %lld ms (start-up included)", qPrintable(QFileInfo(fbx).fileName()),
          timer.elapsed());
    const QJsonObject out = QJsonDocument::fromJson(readAll(json)).object();
    QCOMPARE(out.value(QStringLiteral("fbx_version")).toInt(), version);
    const QJsonArray objects = out.value(QStringLiteral("objects")).toArray();
    QCOMPARE(objects.size(), int(c->avatar.meshes.size()));

    // Meshes match by vertex count and target names: Blender keeps the FBX control points, and
    // adds "Basis" in front of the shape keys, one per target, same names, same order.
    std::vector<bool> used(size_t(objects.size()), false);
    const int sceneFps = out.value(QStringLiteral("fps")).toInt();
    QCOMPARE(sceneFps, c->clip.frameCount() > 0 ? int(std::lround(c->clip.fps())) : sceneFps);
    for (const fa::AvatarMesh &mesh : c->avatar.meshes) {
        QStringList expected;
        if (!mesh.morphTargets.empty())
            expected << QStringLiteral("Basis");
        for (const fa::MorphTarget &t : mesh.morphTargets)
            expected << t.name;
        int match = -1;
        for (int i = 0; i < objects.size() && match < 0; ++i) {
            const QJsonObject o = objects[i].toObject();
            QStringList names;
            for (const QJsonValue &k : o.value(QStringLiteral("shape_keys")).toArray())
                names << k.toObject().value(QStringLiteral("name")).toString();
            if (!used[size_t(i)] && o.value(QStringLiteral("vertex_count")).toInt() == mesh.vertexCount()
                && names == expected)
                match = i;
        }
        QVERIFY2(match >= 0, qPrintable(QStringLiteral("no Blender object with %1 vertices and shape keys %2")
                                           .arg(mesh.vertexCount()).arg(expected.join(QLatin1Char(' ')))));
        used[size_t(match)] = true;
        const QJsonObject o = objects[match].toObject();
        QCOMPARE(o.value(QStringLiteral("polygon_count")).toInt(), mesh.triangleCount());

        for (const QJsonValue &kv : o.value(QStringLiteral("shape_keys")).toArray()) {
            const QJsonObject key = kv.toObject();
            const QString name = key.value(QStringLiteral("name")).toString();
            if (name == QLatin1String("Basis"))
                continue;
            // A target without displacement (facecap's tongueOut) is kept, and stays flat.
            const double displacement = key.value(QStringLiteral("max_displacement")).toDouble();
            QVERIFY2(targetMoves(mesh, name) ? displacement > 0.0 : displacement == 0.0, qPrintable(name));
            const QJsonArray frames = key.value(QStringLiteral("frames")).toArray();
            const QJsonArray values = key.value(QStringLiteral("values")).toArray();
            const int control = c->clip.controlIndex(name);
            if (control < 0 || c->clip.frameCount() == 0) {
                QVERIFY2(frames.isEmpty(), qPrintable(name));
                continue;
            }
            QCOMPARE(frames.size(), c->clip.frameCount());
            QCOMPARE(values.size(), c->clip.frameCount());
            for (int f = 0; f < c->clip.frameCount(); ++f) {
                // Blender puts FBX time t at frame 1 + t × (rounded scene fps).
                const double expectedFrame = 1.0 + (c->clip.frameTime(f) - c->clip.frameTime(0)) * sceneFps;
                QVERIFY2(std::abs(frames[f].toDouble() - expectedFrame) < 1e-3,
                         qPrintable(QStringLiteral("%1 frame %2: %3").arg(name).arg(f).arg(frames[f].toDouble())));
                QVERIFY2(std::abs(values[f].toDouble() - c->clip.value(f, control)) <= kWeightTolerance,
                         qPrintable(QStringLiteral("%1 frame %2: %3 vs %4").arg(name).arg(f)
                                        .arg(values[f].toDouble()).arg(c->clip.value(f, control))));
            }
        }
    }
}

void TestFbxWriter::assimpRoundTrip_data()
{
    addRoundTripRows();
}

void TestFbxWriter::assimpRoundTrip()
{
    QFETCH(QString, caseName);
    QFETCH(int, version);
    const QString fbx = exportCase(caseName, version);
    QVERIFY(!fbx.isEmpty());
    QString error;
    const std::shared_ptr<Case> c = loadCase(caseName, &error);
    QVERIFY2(c, qPrintable(error));

    // Raw Assimp, with its structure validation: one aiAnimMesh per target, named like it.
    Assimp::Importer importer;
    const aiScene *scene = importer.ReadFile(fbx.toStdString(), aiProcess_ValidateDataStructure);
    QVERIFY2(scene, importer.GetErrorString());
    QCOMPARE(int(scene->mNumMeshes), int(c->avatar.meshes.size()));
    std::vector<QStringList> rawTargets;
    for (unsigned m = 0; m < scene->mNumMeshes; ++m) {
        QStringList names;
        for (unsigned a = 0; a < scene->mMeshes[m]->mNumAnimMeshes; ++a)
            names << QString::fromUtf8(scene->mMeshes[m]->mAnimMeshes[a]->mName.C_Str());
        rawTargets.push_back(names);
    }
    std::vector<QStringList> expectedTargets = targetNames(c->avatar);
    std::sort(rawTargets.begin(), rawTargets.end());
    std::sort(expectedTargets.begin(), expectedTargets.end());
    QCOMPARE(rawTargets, expectedTargets);

    // Raw morph animation: one aiMeshMorphAnim per animated mesh, named "<model>*0" by Assimp's
    // FBX converter, one key per frame holding (anim mesh index, weight) of every curve.
    int animated = 0;
    for (const QString &control : c->clip.controlNames())
        if (c->avatar.rig().indexOf(control) >= 0)
            ++animated;
    if (c->clip.frameCount() > 0 && animated > 0) {
        QCOMPARE(int(scene->mNumAnimations), 1);
        const aiAnimation *animation = scene->mAnimations[0];
        QVERIFY(animation->mTicksPerSecond > 0);
        int animatedMeshes = 0;
        for (const fa::AvatarMesh &mesh : c->avatar.meshes)
            for (const fa::MorphTarget &t : mesh.morphTargets)
                if (c->clip.controlIndex(t.name) >= 0) {
                    ++animatedMeshes;
                    break;
                }
        QCOMPARE(int(animation->mNumMorphMeshChannels), animatedMeshes);
        for (unsigned ch = 0; ch < animation->mNumMorphMeshChannels; ++ch) {
            const aiMeshMorphAnim *channel = animation->mMorphMeshChannels[ch];
            const QString channelName = QString::fromUtf8(channel->mName.C_Str());
            QVERIFY2(channelName.endsWith(QLatin1String("*0")), qPrintable(channelName));
            const aiNode *node = findNode(scene->mRootNode, aiString(channelName.chopped(2).toStdString()));
            QVERIFY2(node && node->mNumMeshes == 1, qPrintable(channelName));
            const aiMesh *mesh = scene->mMeshes[node->mMeshes[0]];
            QCOMPARE(int(channel->mNumKeys), c->clip.frameCount());
            int curvesOnMesh = 0;
            for (unsigned a = 0; a < mesh->mNumAnimMeshes; ++a)
                if (c->clip.controlIndex(QString::fromUtf8(mesh->mAnimMeshes[a]->mName.C_Str())) >= 0)
                    ++curvesOnMesh;
            for (unsigned k = 0; k < channel->mNumKeys; ++k) {
                const aiMeshMorphKey &key = channel->mKeys[k];
                QCOMPARE(int(key.mNumValuesAndWeights), curvesOnMesh);
                const double seconds = key.mTime / animation->mTicksPerSecond;
                QVERIFY(std::abs(seconds - (c->clip.frameTime(int(k)) - c->clip.frameTime(0))) < 1e-6);
                for (unsigned v = 0; v < key.mNumValuesAndWeights; ++v) {
                    QVERIFY(key.mValues[v] < mesh->mNumAnimMeshes);
                    const QString target = QString::fromUtf8(mesh->mAnimMeshes[key.mValues[v]]->mName.C_Str());
                    const int control = c->clip.controlIndex(target);
                    QVERIFY2(control >= 0, qPrintable(target));
                    QVERIFY2(std::abs(key.mWeights[v] - c->clip.value(int(k), control)) <= kWeightTolerance,
                             qPrintable(QStringLiteral("%1 key %2").arg(target).arg(k)));
                }
            }
        }
    } else {
        QCOMPARE(int(scene->mNumAnimations), 0);
    }

    // The studio's loader: same rig, same units, and the morph animation back.
    fa::AvatarLoader loader;
    std::unique_ptr<fa::Avatar> back = loader.load(fbx);
    QVERIFY2(back, qPrintable(loader.errorString()));
    QStringList rigBefore = c->avatar.rig().names();
    QStringList rigAfter = back->rig().names();
    std::sort(rigBefore.begin(), rigBefore.end());
    std::sort(rigAfter.begin(), rigAfter.end());
    QCOMPARE(rigAfter, rigBefore);
    std::vector<QStringList> loadedTargets = targetNames(*back);
    std::sort(loadedTargets.begin(), loadedTargets.end());
    QCOMPARE(loadedTargets, expectedTargets);
    QVERIFY(std::abs(back->unitScaleToMeters - c->avatar.unitScaleToMeters) < 1e-9);

    // Geometry and Lcl transforms: each mesh (same order) covers the same avatar-space box, and
    // keeps UVs; on the grid every vertex keeps its UV.
    QCOMPARE(back->meshes.size(), c->avatar.meshes.size());
    for (size_t m = 0; m < back->meshes.size(); ++m) {
        const fa::AvatarMesh &before = c->avatar.meshes[m];
        const fa::AvatarMesh &after = back->meshes[m];
        QCOMPARE(after.triangleCount(), before.triangleCount());
        QCOMPARE(after.uvs.empty(), before.uvs.empty());
        const auto box = [](const fa::AvatarMesh &mesh) {
            QVector3D lo(1e30f, 1e30f, 1e30f), hi(-1e30f, -1e30f, -1e30f);
            for (const QVector3D &p : mesh.positions) {
                const QVector3D q = mesh.transform.map(p);
                for (int k = 0; k < 3; ++k) {
                    lo[k] = std::min(lo[k], q[k]);
                    hi[k] = std::max(hi[k], q[k]);
                }
            }
            return std::make_pair(lo, hi);
        };
        const auto [lo0, hi0] = box(before);
        const auto [lo1, hi1] = box(after);
        const float tolerance = 1e-4f * std::max(1.0f, (hi0 - lo0).length());
        QVERIFY2((lo0 - lo1).length() < tolerance && (hi0 - hi1).length() < tolerance,
                 qPrintable(QStringLiteral("mesh %1 box moved").arg(m)));
    }
    if (caseName.startsWith(QLatin1String("grid"))) {
        const fa::AvatarMesh &before = c->avatar.meshes[0];
        const fa::AvatarMesh &after = back->meshes[0];
        for (int v = 0; v < after.vertexCount(); ++v) {
            const QVector3D p = after.transform.map(after.positions[size_t(v)]);
            int found = -1;
            for (int u = 0; u < before.vertexCount() && found < 0; ++u)
                if ((before.transform.map(before.positions[size_t(u)]) - p).length() < 1e-4f)
                    found = u;
            QVERIFY(found >= 0);
            QVERIFY((after.uvs[size_t(v)] - before.uvs[size_t(found)]).length() < 1e-6f);
        }
    }

    const std::vector<fa::AnimationClip> clips = loader.loadMorphAnimations(fbx);
    QVERIFY2(loader.errorString().isEmpty(), qPrintable(loader.errorString()));
    if (c->clip.frameCount() == 0 || animated == 0) {
        QVERIFY(clips.empty());
        return;
    }
    QCOMPARE(int(clips.size()), 1);
    const fa::AnimationClip &clip = clips.front();
    QCOMPARE(clip.frameCount(), c->clip.frameCount());
    for (int f = 0; f < clip.frameCount(); ++f)
        QVERIFY2(std::abs(clip.frameTime(f) - (c->clip.frameTime(f) - c->clip.frameTime(0))) < 1e-6,
                 qPrintable(QStringLiteral("frame %1 at %2 s").arg(f).arg(clip.frameTime(f))));
    int compared = 0;
    for (int control = 0; control < c->clip.controlCount(); ++control) {
        const QString name = c->clip.controlNames().at(control);
        if (c->avatar.rig().indexOf(name) < 0)
            continue;
        const int k = clip.controlIndex(name);
        QVERIFY2(k >= 0, qPrintable(name));
        for (int f = 0; f < clip.frameCount(); ++f)
            QVERIFY2(std::abs(clip.value(f, k) - c->clip.value(f, control)) <= kWeightTolerance,
                     qPrintable(QStringLiteral("%1 frame %2: %3 vs %4").arg(name).arg(f)
                                    .arg(clip.value(f, k)).arg(c->clip.value(f, control))));
        ++compared;
    }
    QCOMPARE(compared, animated);
}

QTEST_GUILESS_MAIN(TestFbxWriter)
#include "test_fbx_writer.moc"
