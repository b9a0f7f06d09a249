#include "avatar/avatar_loader.h"
#include "test_files.h"
#include "avatar/gltf_file.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cmath>
#include <cstring>

using namespace fa;

using fa::test::outputDir;
using fa::test::readFile;
using fa::test::writeFile;

namespace {

QString avatarPath(const QString &relative)
{
    return QStringLiteral(FA_TEST_DATA_DIR "/avatars/") + relative;
}

int movingTargets(const AvatarMesh &mesh)
{
    int n = 0;
    for (int t = 0; t < int(mesh.morphTargets.size()); ++t)
        n += mesh.targetMoves(t) ? 1 : 0;
    return n;
}

const AvatarMesh *meshWithMostTargetsMoving(const Avatar &avatar)
{
    const AvatarMesh *best = nullptr;
    for (const AvatarMesh &mesh : avatar.meshes)
        if (!best || movingTargets(mesh) > movingTargets(*best))
            best = &mesh;
    return best;
}

int targetIndex(const AvatarMesh &mesh, const QString &name)
{
    for (size_t t = 0; t < mesh.morphTargets.size(); ++t)
        if (mesh.morphTargets[t].name == name)
            return int(t);
    return -1;
}

// A minimal glTF 2.0 file: one triangle mesh with one morph target "jawOpen" (deltas known
// exactly), instanced by two nodes, with a base-colour image `imageUri` and a 3-key weight
// animation (0 s: 0, 0.5 s: 1, 1 s: 0.25) on the first node.
QByteArray tinyGltf(const QString &imageUri)
{
    const float positions[9] = {0, 0, 0, 1, 0, 0, 0, 1, 0};
    const quint16 indices[4] = {0, 1, 2, 0}; // last one is padding
    const float deltas[9] = {0, 0, 0, 0.1f, 0.2f, 0.3f, 0, 0, 1};
    const float times[3] = {0, 0.5f, 1.0f};
    const float weights[3] = {0, 1, 0.25f};
    QByteArray buffer;
    buffer.append(reinterpret_cast<const char *>(positions), sizeof positions); // 0..36
    buffer.append(reinterpret_cast<const char *>(indices), sizeof indices);     // 36..44
    buffer.append(reinterpret_cast<const char *>(deltas), sizeof deltas);       // 44..80
    buffer.append(reinterpret_cast<const char *>(times), sizeof times);         // 80..92
    buffer.append(reinterpret_cast<const char *>(weights), sizeof weights);     // 92..104
    const QString json = QStringLiteral(R"({
  "asset": {"version": "2.0"},
  "scene": 0,
  "scenes": [{"nodes": [0, 1]}],
  "nodes": [{"name": "left", "mesh": 0, "translation": [2, 0, 0]},
            {"name": "right", "mesh": 0, "translation": [-2, 0, 0]}],
  "meshes": [{"name": "tri", "extras": {"targetNames": ["jawOpen"]},
              "primitives": [{"attributes": {"POSITION": 0}, "indices": 1, "material": 0,
                              "targets": [{"POSITION": 2}]}]}],
  "materials": [{"pbrMetallicRoughness": {"baseColorTexture": {"index": 0}}}],
  "textures": [{"source": 0}],
  "images": [{"uri": "%1"}],
  "animations": [{"name": "open", "channels": [{"sampler": 0, "target": {"node": 0, "path": "weights"}}],
                  "samplers": [{"input": 3, "output": 4, "interpolation": "LINEAR"}]}],
  "buffers": [{"byteLength": 104, "uri": "data:application/octet-stream;base64,%2"}],
  "bufferViews": [{"buffer": 0, "byteOffset": 0, "byteLength": 36},
                  {"buffer": 0, "byteOffset": 36, "byteLength": 6},
                  {"buffer": 0, "byteOffset": 44, "byteLength": 36},
                  {"buffer": 0, "byteOffset": 80, "byteLength": 12},
                  {"buffer": 0, "byteOffset": 92, "byteLength": 12}],
  "accessors": [{"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3", "min": [0, 0, 0], "max": [1, 1, 0]},
                {"bufferView": 1, "componentType": 5123, "count": 3, "type": "SCALAR"},
                {"bufferView": 2, "componentType": 5126, "count": 3, "type": "VEC3", "min": [0, 0, 0], "max": [0.1, 0.2, 1]},
                {"bufferView": 3, "componentType": 5126, "count": 3, "type": "SCALAR", "min": [0], "max": [1]},
                {"bufferView": 4, "componentType": 5126, "count": 3, "type": "SCALAR"}]
})")
                             .arg(imageUri, QString::fromLatin1(buffer.toBase64()));
    return json.toUtf8();
}

} // namespace

class TestAvatarLoader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void counts_data();
    void counts();
    void facecapTargets();
    void brunetteTargets();
    void rocketboxTargets_data();
    void rocketboxTargets();
    void robotTargets();
    void objWithoutMorphTargets();
    void deltasAndInstances();
    void externalTexture();
    void errors_data();
    void errors();
    void garbledBufferDoesNotCrash();
    void facecapAnimation();
    void robotAnimations();
    void tinyAnimation();
    void gltfWeightDecoding_data();
    void gltfWeightDecoding();
    void noMorphAnimation_data();
    void noMorphAnimation();
};

void TestAvatarLoader::counts_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("meshes");
    QTest::addColumn<int>("meshesWithTargets");
    QTest::addColumn<int>("targetsPerMesh");
    QTest::addColumn<int>("rigControls");
    QTest::addColumn<int>("textures");
    QTest::addColumn<double>("unitScale");
    QTest::addColumn<int>("warnings");

    // Counts from SOURCES.md section 1. Textures: base-colour textures actually used.
    QTest::newRow("facecap") << "facecap/facecap_decoded.glb" << 4 << 1 << 52 << 52 << 1 << 1.0 << 0;
    QTest::newRow("brunette") << "readyplayerme_brunette/brunette-t.glb" << 10 << 4 << 67 << 67 << 9 << 1.0 << 0;
    QTest::newRow("rocketbox male") << "rocketbox/Male_Adult_03_facial.fbx" << 3 << 3 << 175 << 175 << 0 << 0.01 << 3;
    QTest::newRow("rocketbox female") << "rocketbox/Female_Adult_02_ARKitDemo.fbx" << 3 << 3 << 175 << 175 << 0 << 0.01 << 3;
    QTest::newRow("robot") << "robot_expressive/RobotExpressive.glb" << 19 << 3 << 3 << 3 << 0 << 1.0 << 0;
}

void TestAvatarLoader::counts()
{
    QFETCH(QString, file);
    QFETCH(int, meshes);
    QFETCH(int, meshesWithTargets);
    QFETCH(int, targetsPerMesh);
    QFETCH(int, rigControls);
    QFETCH(int, textures);
    QFETCH(double, unitScale);
    QFETCH(int, warnings);

    const QString path = avatarPath(file);
    QVERIFY2(QFileInfo::exists(path), qPrintable(path));
    AvatarLoader loader;
    const std::unique_ptr<Avatar> avatar = loader.load(path);
    QVERIFY2(avatar, qPrintable(loader.errorString()));
    QVERIFY(loader.errorString().isEmpty());
    QCOMPARE(int(avatar->meshes.size()), meshes);
    int withTargets = 0;
    for (const AvatarMesh &mesh : avatar->meshes) {
        QVERIFY(mesh.triangleCount() > 0);
        QCOMPARE(int(mesh.normals.size()), mesh.vertexCount());
        for (quint32 index : mesh.indices)
            QVERIFY(index < quint32(mesh.vertexCount()));
        if (mesh.morphTargets.empty())
            continue;
        ++withTargets;
        QCOMPARE(int(mesh.morphTargets.size()), targetsPerMesh);
        for (const MorphTarget &target : mesh.morphTargets) {
            QCOMPARE(int(target.positionDeltas.size()), mesh.vertexCount());
            QVERIFY(target.normalDeltas.empty() || int(target.normalDeltas.size()) == mesh.vertexCount());
        }
    }
    QCOMPARE(withTargets, meshesWithTargets);
    QCOMPARE(avatar->rig().controlCount(), rigControls);
    QCOMPARE(int(avatar->textures.size()), textures);
    QCOMPARE(avatar->unitScaleToMeters, unitScale);
    QCOMPARE(loader.warnings().size(), warnings);
    QCOMPARE(avatar->name, QFileInfo(path).completeBaseName());
    QCOMPARE(avatar->sourcePath, QFileInfo(path).absoluteFilePath());
}

void TestAvatarLoader::facecapTargets()
{
    const QString path = avatarPath(QStringLiteral("facecap/facecap_decoded.glb"));
    QVERIFY2(QFileInfo::exists(path), qPrintable(path));
    AvatarLoader loader;
    const std::unique_ptr<Avatar> avatar = loader.load(path);
    QVERIFY2(avatar, qPrintable(loader.errorString()));

    const QStringList expected = QStringLiteral(
        "browInnerUp browDown_L browDown_R browOuterUp_L browOuterUp_R eyeLookUp_L eyeLookUp_R "
        "eyeLookDown_L eyeLookDown_R eyeLookIn_L eyeLookIn_R eyeLookOut_L eyeLookOut_R eyeBlink_L "
        "eyeBlink_R eyeSquint_L eyeSquint_R eyeWide_L eyeWide_R cheekPuff cheekSquint_L cheekSquint_R "
        "noseSneer_L noseSneer_R jawOpen jawForward jawLeft jawRight mouthFunnel mouthPucker mouthLeft "
        "mouthRight mouthRollUpper mouthRollLower mouthShrugUpper mouthShrugLower mouthClose "
        "mouthSmile_L mouthSmile_R mouthFrown_L mouthFrown_R mouthDimple_L mouthDimple_R mouthUpperUp_L "
        "mouthUpperUp_R mouthLowerDown_L mouthLowerDown_R mouthPress_L mouthPress_R mouthStretch_L "
        "mouthStretch_R tongueOut").split(QLatin1Char(' '));
    QCOMPARE(avatar->rig().names(), expected);

    // SOURCES.md: eyes 530 vertices each, teeth 614; the head 2,694 vertices, 5,032 triangles
    // (raw counts; JoinIdenticalVertices keeps them for this file).
    const AvatarMesh *head = meshWithMostTargetsMoving(*avatar);
    QCOMPARE(head->triangleCount(), 5032);
    QVERIFY2(head->vertexCount() <= 2694 && head->vertexCount() > 2000, qPrintable(QString::number(head->vertexCount())));
    QCOMPARE(movingTargets(*head), 51);
    const int tongue = targetIndex(*head, QStringLiteral("tongueOut"));
    QVERIFY(tongue >= 0);
    QCOMPARE(head->morphTargets[size_t(tongue)].maxPositionDelta(), 0.0f);
    const int jaw = targetIndex(*head, QStringLiteral("jawOpen"));
    QVERIFY(head->targetMoves(jaw));
    // Deltas, not absolute positions: most vertices of a jawOpen target do not move.
    int unmoved = 0;
    for (const QVector3D &d : head->morphTargets[size_t(jaw)].positionDeltas)
        unmoved += d.isNull() ? 1 : 0;
    QVERIFY2(unmoved > head->vertexCount() / 4, qPrintable(QString::number(unmoved)));
    QCOMPARE(int(head->morphTargets[size_t(jaw)].normalDeltas.size()), head->vertexCount());

    // The texture: 1024x1024 PNG, embedded; UVs (after KHR_texture_transform) inside [0,1].
    QCOMPARE(avatar->textures.front().size(), QSize(1024, 1024));
    QCOMPARE(head->textureIndex, 0);
    QCOMPARE(int(head->uvs.size()), head->vertexCount());
    for (const QVector2D &uv : head->uvs) {
        QVERIFY2(uv.x() >= -1e-4f && uv.x() <= 1.0001f && uv.y() >= -1e-4f && uv.y() <= 1.0001f,
                 qPrintable(QStringLiteral("%1 %2").arg(uv.x()).arg(uv.y())));
    }

    // Transform: the quantised head (POSITION accessor min/max diagonal 19,627 units) goes
    // through the node scales 0.00194938 x 0.01 x 10 to a diagonal of 3.83 file units.
    QVERIFY2(std::abs(head->boundingBoxDiagonal() - 19627.0f) < 200.0f, qPrintable(QString::number(head->boundingBoxDiagonal())));
    QVector3D lo(1e9f, 1e9f, 1e9f), hi(-1e9f, -1e9f, -1e9f);
    for (const QVector3D &p : head->positions) {
        const QVector3D w = head->transform.map(p);
        for (int i = 0; i < 3; ++i) {
            lo[i] = std::min(lo[i], w[i]);
            hi[i] = std::max(hi[i], w[i]);
        }
    }
    const float size = (hi - lo).length();
    QVERIFY2(std::abs(size - 3.826f) < 0.04f, qPrintable(QString::number(size)));
}

void TestAvatarLoader::brunetteTargets()
{
    const QString path = avatarPath(QStringLiteral("readyplayerme_brunette/brunette-t.glb"));
    QVERIFY2(QFileInfo::exists(path), qPrintable(path));
    AvatarLoader loader;
    const std::unique_ptr<Avatar> avatar = loader.load(path);
    QVERIFY2(avatar, qPrintable(loader.errorString()));
    const QStringList names = avatar->rig().names();
    QCOMPARE(names.mid(0, 3), (QStringList{QStringLiteral("viseme_sil"), QStringLiteral("viseme_PP"), QStringLiteral("viseme_FF")}));
    QCOMPARE(names.at(14), QStringLiteral("viseme_U"));
    QVERIFY(names.contains(QStringLiteral("eyeBlinkLeft")));
    QVERIFY(names.contains(QStringLiteral("tongueOut")));

    const AvatarMesh *head = nullptr;
    for (const AvatarMesh &mesh : avatar->meshes)
        if (mesh.name == QLatin1String("Wolf3D_Head"))
            head = &mesh;
    QVERIFY(head);
    QVERIFY2(head->vertexCount() <= 2162 && head->vertexCount() > 1500, qPrintable(QString::number(head->vertexCount())));
    QCOMPARE(movingTargets(*head), 65);
    QVERIFY(!head->targetMoves(targetIndex(*head, QStringLiteral("viseme_sil"))));
    QVERIFY(!head->targetMoves(targetIndex(*head, QStringLiteral("tongueOut"))));
    QVERIFY(head->targetMoves(targetIndex(*head, QStringLiteral("jawOpen"))));
    QVERIFY(head->textureIndex >= 0);
    QVERIFY(!avatar->textures[size_t(head->textureIndex)].isNull());
}

void TestAvatarLoader::rocketboxTargets_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("male") << "rocketbox/Male_Adult_03_facial.fbx";
    QTest::newRow("female") << "rocketbox/Female_Adult_02_ARKitDemo.fbx";
}

void TestAvatarLoader::rocketboxTargets()
{
    QFETCH(QString, file);
    const QString path = avatarPath(file);
    QVERIFY2(QFileInfo::exists(path), qPrintable(path));
    AvatarLoader loader;
    const std::unique_ptr<Avatar> avatar = loader.load(path);
    QVERIFY2(avatar, qPrintable(loader.errorString()));

    // SOURCES.md: on the head mesh 173 of 175 move (AA_VI_00_Sil and _Neutral are empty);
    // on the other two meshes the targets are empty (up to float noise of ~2e-5 cm).
    const AvatarMesh *head = meshWithMostTargetsMoving(*avatar);
    QCOMPARE(movingTargets(*head), 173);
    QVERIFY(!head->targetMoves(targetIndex(*head, QStringLiteral("AA_VI_00_Sil"))));
    QVERIFY(!head->targetMoves(targetIndex(*head, QStringLiteral("_Neutral"))));
    QVERIFY(head->targetMoves(targetIndex(*head, QStringLiteral("AK_09_EyeBlinkLeft"))));
    QCOMPARE(int(head->morphTargets.front().normalDeltas.size()), head->vertexCount());
    for (const AvatarMesh &mesh : avatar->meshes)
        if (&mesh != head)
            QCOMPARE(movingTargets(mesh), 0);
    const QStringList names = avatar->rig().names();
    QCOMPARE(names.front(), QStringLiteral("AA_VI_00_Sil"));
    QCOMPARE(names.back(), QStringLiteral("_Neutral"));
    QVERIFY(names.contains(QStringLiteral("AK_52_TongueOut")));

    // The TGA textures are absent: one warning each, naming the file; not an error.
    QCOMPARE(loader.warnings().size(), 3);
    for (const QString &warning : loader.warnings()) {
        QVERIFY2(warning.startsWith(path + QStringLiteral(": texture ")), qPrintable(warning));
        QVERIFY2(warning.contains(QLatin1String(".tga")), qPrintable(warning));
    }
    for (const AvatarMesh &mesh : avatar->meshes)
        QCOMPARE(mesh.textureIndex, -1);
}

void TestAvatarLoader::robotTargets()
{
    const QString path = avatarPath(QStringLiteral("robot_expressive/RobotExpressive.glb"));
    QVERIFY2(QFileInfo::exists(path), qPrintable(path));
    AvatarLoader loader;
    const std::unique_ptr<Avatar> avatar = loader.load(path);
    QVERIFY2(avatar, qPrintable(loader.errorString()));
    QCOMPARE(avatar->rig().names(), (QStringList{QStringLiteral("Angry"), QStringLiteral("Surprised"), QStringLiteral("Sad")}));
    // Only the face plate is displaced.
    int displaced = 0;
    for (const AvatarMesh &mesh : avatar->meshes)
        displaced += movingTargets(mesh) > 0 ? 1 : 0;
    QCOMPARE(displaced, 1);
}

void TestAvatarLoader::objWithoutMorphTargets()
{
    const QString path = outputDir() + QStringLiteral("/cube.obj");
    const QByteArray obj = "# unit cube\n"
                           "v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nv 0 0 1\nv 1 0 1\nv 1 1 1\nv 0 1 1\n"
                           "f 1 4 3 2\nf 5 6 7 8\nf 1 2 6 5\nf 2 3 7 6\nf 3 4 8 7\nf 4 1 5 8\n";
    QVERIFY(writeFile(path, obj));
    AvatarLoader loader;
    const std::unique_ptr<Avatar> avatar = loader.load(path);
    QVERIFY2(avatar, qPrintable(loader.errorString()));
    QCOMPARE(int(avatar->meshes.size()), 1);
    QCOMPARE(avatar->triangleCount(), 12);
    QVERIFY(avatar->vertexCount() >= 8 && avatar->vertexCount() <= 24);
    // Normals were generated (the file has none).
    for (const QVector3D &n : avatar->meshes.front().normals)
        QVERIFY(std::abs(n.length() - 1.0f) < 1e-3f);
    QCOMPARE(avatar->rig().controlCount(), 0);
    QVERIFY(avatar->textures.empty());
    QCOMPARE(avatar->unitScaleToMeters, 1.0);
}

void TestAvatarLoader::deltasAndInstances()
{
    const QString path = outputDir() + QStringLiteral("/tiny_missing_texture.gltf");
    QFile::remove(outputDir() + QStringLiteral("/no_such_texture.png"));
    QVERIFY(writeFile(path, tinyGltf(QStringLiteral("no_such_texture.png"))));
    AvatarLoader loader;
    const std::unique_ptr<Avatar> avatar = loader.load(path);
    QVERIFY2(avatar, qPrintable(loader.errorString()));

    // One AvatarMesh per node instance, each with its node's transform.
    QCOMPARE(int(avatar->meshes.size()), 2);
    QCOMPARE(avatar->meshes[0].transform.map(QVector3D(0, 0, 0)), QVector3D(2, 0, 0));
    QCOMPARE(avatar->meshes[1].transform.map(QVector3D(0, 0, 0)), QVector3D(-2, 0, 0));
    QCOMPARE(avatar->rig().names(), QStringList{QStringLiteral("jawOpen")});
    for (const AvatarMesh &mesh : avatar->meshes) {
        QCOMPARE(mesh.vertexCount(), 3);
        QCOMPARE(mesh.triangleCount(), 1);
        QCOMPARE(int(mesh.morphTargets.size()), 1);
        // Deltas as written in the file (Assimp stores base + delta; the loader subtracts).
        for (int v = 0; v < 3; ++v) {
            const QVector3D expected = mesh.positions[size_t(v)] == QVector3D(1, 0, 0) ? QVector3D(0.1f, 0.2f, 0.3f)
                                       : mesh.positions[size_t(v)] == QVector3D(0, 1, 0) ? QVector3D(0, 0, 1)
                                                                                           : QVector3D(0, 0, 0);
            QVERIFY((mesh.morphTargets[0].positionDeltas[size_t(v)] - expected).length() < 1e-6f);
        }
        QCOMPARE(mesh.morphTargets[0].maxPositionDelta(), 1.0f);
        QCOMPARE(mesh.textureIndex, -1);
    }
    // The missing external texture: a warning naming it, once (textures are cached).
    QCOMPARE(loader.warnings().size(), 1);
    QVERIFY2(loader.warnings().front().contains(QLatin1String("no_such_texture.png")), qPrintable(loader.warnings().front()));
    QVERIFY(loader.warnings().front().startsWith(path + QStringLiteral(": ")));
}

void TestAvatarLoader::externalTexture()
{
    const QString dir = outputDir() + QStringLiteral("/external");
    QDir().mkpath(dir);
    QImage image(4, 2, QImage::Format_RGB32);
    image.fill(Qt::red);
    QVERIFY(image.save(dir + QStringLiteral("/skin.png")));
    const QString path = dir + QStringLiteral("/tiny.gltf");
    QVERIFY(writeFile(path, tinyGltf(QStringLiteral("skin.png"))));
    AvatarLoader loader;
    const std::unique_ptr<Avatar> avatar = loader.load(path);
    QVERIFY2(avatar, qPrintable(loader.errorString()));
    QVERIFY2(loader.warnings().isEmpty(), qPrintable(loader.warnings().join(QLatin1Char('\n'))));
    QCOMPARE(int(avatar->textures.size()), 1);
    QCOMPARE(avatar->textures.front().size(), QSize(4, 2));
    QCOMPARE(avatar->textures.front().pixelColor(0, 0), QColor(Qt::red));
    QCOMPARE(avatar->meshes[0].textureIndex, 0);
    QCOMPARE(avatar->meshes[1].textureIndex, 0);
}

void TestAvatarLoader::errors_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("mustContain");

    const QString out = outputDir();
    const QByteArray brunette = readFile(avatarPath(QStringLiteral("readyplayerme_brunette/brunette-t.glb")));
    QByteArray garbled = brunette;
    if (garbled.size() > 4096)
        std::memset(garbled.data() + 20, '#', 2048); // the JSON chunk
    const QString truncatedPath = out + QStringLiteral("/truncated.glb");
    const QString garbledPath = out + QStringLiteral("/garbled.glb");
    writeFile(truncatedPath, brunette.left(brunette.size() / 3));
    writeFile(garbledPath, garbled);
    const QString textPath = out + QStringLiteral("/notes.txt");
    writeFile(textPath, "These are notes, not a 3-D scene.\n");
    const QString textGlbPath = out + QStringLiteral("/notes.glb");
    writeFile(textGlbPath, "These are notes, not a 3-D scene.\n");
    const QString emptyPath = out + QStringLiteral("/empty.fbx");
    writeFile(emptyPath, QByteArray());

    QTest::newRow("missing") << out + QStringLiteral("/does_not_exist.glb") << "no such file";
    QTest::newRow("directory") << out << "not a readable file";
    QTest::newRow("truncated glb") << truncatedPath << "cannot be imported";
    // Refused before Assimp runs: the JSON chunk does not parse (GltfFile::jsonError()).
    QTest::newRow("garbled glb") << garbledPath << "invalid glTF JSON (";
    QTest::newRow("text file") << textPath << "not a 3-D scene";
    QTest::newRow("text named .glb") << textGlbPath << "";
    QTest::newRow("empty fbx") << emptyPath << "";
    QTest::newRow("image") << QStringLiteral(FA_TEST_DATA_DIR "/images/faceapi_expressions/happy.jpg") << "not a 3-D scene";
    QTest::newRow("facecap meshopt") << avatarPath(QStringLiteral("facecap/facecap.glb")) << "EXT_meshopt_compression";
}

void TestAvatarLoader::errors()
{
    QFETCH(QString, path);
    QFETCH(QString, mustContain);
    if (path.startsWith(QLatin1String(FA_TEST_DATA_DIR)))
        QVERIFY2(QFileInfo::exists(path), qPrintable(path));

    AvatarLoader loader;
    QVERIFY(!loader.load(path));
    const QString error = loader.errorString();
    QVERIFY2(error.startsWith(path + QStringLiteral(": ")), qPrintable(error));
    QVERIFY2(error.contains(mustContain), qPrintable(error));
    QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error));

    QVERIFY(loader.loadMorphAnimations(path).empty());
    QVERIFY2(loader.errorString().startsWith(path + QStringLiteral(": ")), qPrintable(loader.errorString()));
    QVERIFY(loader.errorString().contains(mustContain));
}

void TestAvatarLoader::garbledBufferDoesNotCrash()
{
    // Valid JSON, garbage geometry: whatever Assimp makes of it, the loader must not crash and
    // anything it returns must be consistent.
    QByteArray bytes = readFile(avatarPath(QStringLiteral("facecap/facecap_decoded.glb")));
    QVERIFY(bytes.size() > 200000);
    for (int i = bytes.size() / 2; i < bytes.size() / 2 + 60000; ++i)
        bytes[i] = char((i * 7919) & 0xff);
    const QString path = outputDir() + QStringLiteral("/garbled_buffer.glb");
    QVERIFY(writeFile(path, bytes));
    AvatarLoader loader;
    const std::unique_ptr<Avatar> avatar = loader.load(path);
    if (!avatar) {
        QVERIFY(loader.errorString().startsWith(path + QStringLiteral(": ")));
        return;
    }
    for (const AvatarMesh &mesh : avatar->meshes) {
        for (quint32 index : mesh.indices)
            QVERIFY(index < quint32(mesh.vertexCount()));
        for (const MorphTarget &target : mesh.morphTargets)
            QCOMPARE(int(target.positionDeltas.size()), mesh.vertexCount());
    }
}

void TestAvatarLoader::facecapAnimation()
{
    const QString path = avatarPath(QStringLiteral("facecap/facecap_decoded.glb"));
    QVERIFY2(QFileInfo::exists(path), qPrintable(path));
    AvatarLoader loader;
    const std::vector<AnimationClip> clips = loader.loadMorphAnimations(path);
    QVERIFY2(loader.errorString().isEmpty(), qPrintable(loader.errorString()));
    // SOURCES.md: 4 animations, one of them morph weights with 335 keys over 11.18 s.
    QCOMPARE(int(clips.size()), 1);
    QCOMPARE(loader.animationNames(), QStringList{QStringLiteral("Key|Take 001|BaseLayer")});
    const AnimationClip &clip = clips.front();
    const std::unique_ptr<Avatar> avatar = loader.load(path);
    QVERIFY(avatar);
    QCOMPARE(clip.controlNames(), avatar->rig().names());
    QCOMPARE(clip.controlCount(), 52);
    QCOMPARE(clip.frameCount(), 335);
    QVERIFY2(std::abs(clip.frameTime(clip.frameCount() - 1) - 11.18) < 0.01, qPrintable(QString::number(clip.frameTime(334))));
    QVERIFY(clip.frameTime(0) >= 0.0 && clip.frameTime(0) < 0.1);
    QVERIFY2(std::abs(clip.fps() - 30.0) < 0.1, qPrintable(QString::number(clip.fps())));
    QVERIFY(std::abs(clip.duration() - 11.18) < 0.05);
    QCOMPARE(clip.faceFoundCount(), 335);
    for (int f = 1; f < clip.frameCount(); ++f)
        QVERIFY(clip.frameTime(f) > clip.frameTime(f - 1));
    for (float v : clip.values())
        QVERIFY(v >= 0.0f && v <= 1.0f);

    // A real capture (Assimp delivers its UNSIGNED_BYTE weights undecoded: the loader must
    // dequantise them, else every weight is ~1e-43). Measured: the actor winks with the left
    // eye around 6.5 s (eyeBlink_L 0.86 at frame 194 while eyeBlink_R stays 0.05; eyeBlink_R
    // peaks at 0.16), smiles on both sides (mouthSmile_L/_R 0.83) and opens the jaw fully.
    const auto peak = [&clip](const char *name) {
        const std::vector<float> curve = clip.channel(clip.controlIndex(QString::fromLatin1(name)));
        return *std::max_element(curve.begin(), curve.end());
    };
    QVERIFY2(peak("eyeBlink_L") > 0.5f, qPrintable(QString::number(peak("eyeBlink_L"))));
    QVERIFY2(peak("eyeBlink_R") > 0.1f, qPrintable(QString::number(peak("eyeBlink_R"))));
    QVERIFY(peak("mouthSmile_L") > 0.5f && peak("mouthSmile_R") > 0.5f);
    QVERIFY(peak("jawOpen") > 0.9f);
    QVERIFY(peak("tongueOut") < 0.1f);
    const std::vector<float> jaw = clip.channel(clip.controlIndex(QStringLiteral("jawOpen")));
    QVERIFY(*std::max_element(jaw.begin(), jaw.end()) > *std::min_element(jaw.begin(), jaw.end()) + 0.05f);
}

void TestAvatarLoader::robotAnimations()
{
    const QString path = avatarPath(QStringLiteral("robot_expressive/RobotExpressive.glb"));
    QVERIFY2(QFileInfo::exists(path), qPrintable(path));
    AvatarLoader loader;
    const std::vector<AnimationClip> clips = loader.loadMorphAnimations(path);
    QVERIFY2(loader.errorString().isEmpty(), qPrintable(loader.errorString()));
    // 14 animations, each with morph-weight channels (three head meshes, same three targets).
    QCOMPARE(int(clips.size()), 14);
    QCOMPARE(loader.animationNames().size(), 14);
    QVERIFY(loader.animationNames().contains(QStringLiteral("Dance")));
    for (const AnimationClip &clip : clips) {
        QCOMPARE(clip.controlNames(), (QStringList{QStringLiteral("Angry"), QStringLiteral("Surprised"), QStringLiteral("Sad")}));
        QVERIFY(clip.frameCount() >= 2);
        for (float v : clip.values())
            QVERIFY(v >= 0.0f && v <= 1.0f);
    }
    const AnimationClip &dance = clips[size_t(loader.animationNames().indexOf(QStringLiteral("Dance")))];
    QCOMPARE(dance.frameCount(), 81);
    QVERIFY(std::abs(dance.frameTime(80) - 3.3333) < 1e-3);
}

void TestAvatarLoader::tinyAnimation()
{
    const QString path = outputDir() + QStringLiteral("/tiny_animation.gltf");
    QVERIFY(writeFile(path, tinyGltf(QStringLiteral("no_such_texture.png"))));
    AvatarLoader loader;
    const std::vector<AnimationClip> clips = loader.loadMorphAnimations(path);
    QVERIFY2(!clips.empty(), qPrintable(loader.errorString()));
    QCOMPARE(int(clips.size()), 1);
    QCOMPARE(loader.animationNames(), QStringList{QStringLiteral("open")});
    const AnimationClip &clip = clips.front();
    QCOMPARE(clip.controlNames(), QStringList{QStringLiteral("jawOpen")});
    QCOMPARE(clip.frameCount(), 3);
    QCOMPARE(clip.fps(), 2.0);
    const double times[3] = {0.0, 0.5, 1.0};
    const float values[3] = {0.0f, 1.0f, 0.25f};
    for (int f = 0; f < 3; ++f) {
        QVERIFY(std::abs(clip.frameTime(f) - times[f]) < 1e-6);
        QVERIFY(std::abs(clip.value(f, 0) - values[f]) < 1e-6f);
    }
}

void TestAvatarLoader::gltfWeightDecoding_data()
{
    QTest::addColumn<quint32>("bits");
    QTest::addColumn<int>("componentType");
    QTest::addColumn<float>("expected");
    QTest::newRow("ubyte 0") << 0u << 5121 << 0.0f;
    QTest::newRow("ubyte 255") << 255u << 5121 << 1.0f;
    QTest::newRow("ubyte 51") << 51u << 5121 << 0.2f;
    QTest::newRow("ushort 65535") << 65535u << 5123 << 1.0f;
    QTest::newRow("byte -128") << 0x80u << 5120 << -1.0f;
    QTest::newRow("short 32767") << 32767u << 5122 << 1.0f;
    QTest::newRow("float 0.75") << 0x3f400000u << 5126 << 0.75f;
}

void TestAvatarLoader::gltfWeightDecoding()
{
    QFETCH(quint32, bits);
    QFETCH(int, componentType);
    QFETCH(float, expected);
    float asAssimpDeliversIt = 0.0f;
    std::memcpy(&asAssimpDeliversIt, &bits, sizeof bits);
    QVERIFY(std::abs(GltfFile::decodeAssimpWeight(asAssimpDeliversIt, componentType) - expected) < 1e-6f);
}

void TestAvatarLoader::noMorphAnimation_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("brunette") << "readyplayerme_brunette/brunette-t.glb";
    QTest::newRow("rocketbox") << "rocketbox/Male_Adult_03_facial.fbx";
}

void TestAvatarLoader::noMorphAnimation()
{
    QFETCH(QString, file);
    const QString path = avatarPath(file);
    QVERIFY2(QFileInfo::exists(path), qPrintable(path));
    AvatarLoader loader;
    QVERIFY(loader.loadMorphAnimations(path).empty());
    QVERIFY2(loader.errorString().isEmpty(), qPrintable(loader.errorString()));
    QVERIFY(loader.animationNames().isEmpty());
}

QTEST_GUILESS_MAIN(TestAvatarLoader)
#include "test_avatar_loader.moc"
