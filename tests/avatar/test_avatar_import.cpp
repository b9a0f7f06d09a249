// Crash isolation of the avatar import (issue 16, item 2). AvatarLoader runs Assimp in the
// import program freeavatar-import; a file that makes Assimp abort or crash, and an import
// program that dies by a signal, hangs, fails or answers garbage, each become a one-line error
// naming the file, and this process carries on. The reply format (AvatarImportReply) is checked
// against truncation and corruption, and GltfFile's JSON check against deep nesting.
// Every input is generated here; none is stored.
#include "avatar/avatar_import_process.h"
#include "avatar/avatar_import_reply.h"
#include "avatar/avatar_loader.h"
#include "avatar/gltf_file.h"
#include "test_files.h"

#include <QFile>
#include <QFileInfo>
#include <QtEndian>
#include <QtTest>

#include <cstring>

using namespace fa;

using fa::test::dataPath;
using fa::test::outputDir;
using fa::test::readFile;
using fa::test::writeFile;

namespace {

// A GLB holding `json` as its only chunk, padded with `pad` to a multiple of 4 bytes.
QByteArray glb(QByteArray json, char pad = ' ')
{
    while (json.size() % 4 != 0)
        json.append(pad);
    QByteArray bytes("glTF");
    const auto u32 = [&bytes](quint32 v) {
        const quint32 le = qToLittleEndian(v);
        bytes.append(reinterpret_cast<const char *>(&le), sizeof le);
    };
    u32(2);
    u32(quint32(12 + 8 + json.size()));
    u32(quint32(json.size()));
    bytes.append("JSON");
    return bytes + json;
}

// A glTF document whose "extras" nests `depth` arrays.
QByteArray deepJson(int depth)
{
    return QByteArray(R"({"asset": {"version": "2.0"}, "extras": )") + QByteArray(depth, '[')
           + QByteArray(depth, ']') + "}";
}

// Male_Adult_03_facial.fbx with one byte changed. At offset 1590597 of the binary FBX starts the
// property "Indexes" of the first skin cluster (a Deformer of class Cluster): type 'i', 145
// elements, encoding 0 (raw little-endian int32), so the first index lies at 1590617..1590620.
// Setting its high byte (offset 1590620) from 0x00 to 0x40 makes it vertex 0x40000000, far
// outside the mesh; Assimp 5.2.5's FBXConverter::ConvertWeights then fails
// "ai_assert failure in ./code/AssetLib/FBX/FBXConverter.cpp(1523): out_idx != nullptr" and
// abort()s (Debian's build keeps ai_assert). Found by flipping bytes of the cluster index
// arrays and running the in-process loader (`freeavatar info`) until it aborted.
constexpr qsizetype kClusterIndexes = 1590597;
constexpr qsizetype kCrashOffset = 1590620;
constexpr char kCrashValue = 0x40;

// Non-empty text naming what breaks AvatarLoader's invariants in `reply`, else empty.
QString inconsistency(const AvatarImportReply &reply)
{
    if (reply.animationNames.size() != qsizetype(reply.clips.size()))
        return QStringLiteral("names");
    for (const AnimationClip &clip : reply.clips)
        if (clip.values().size() != size_t(clip.frameCount()) * size_t(clip.controlCount()))
            return QStringLiteral("clip");
    if (!reply.avatar)
        return {};
    for (const AvatarMesh &mesh : reply.avatar->meshes) {
        const size_t n = mesh.positions.size();
        if (mesh.normals.size() != n || !(mesh.uvs.empty() || mesh.uvs.size() == n) || mesh.indices.size() % 3 != 0)
            return QStringLiteral("mesh arrays");
        for (quint32 i : mesh.indices)
            if (i >= n)
                return QStringLiteral("index");
        for (const MorphTarget &t : mesh.morphTargets)
            if (t.positionDeltas.size() != n || !(t.normalDeltas.empty() || t.normalDeltas.size() == n))
                return QStringLiteral("target");
        if (mesh.textureIndex < -1 || mesh.textureIndex >= int(reply.avatar->textures.size()))
            return QStringLiteral("texture index");
    }
    for (const QImage &image : reply.avatar->textures)
        if (image.isNull())
            return QStringLiteral("texture");
    return {};
}

// A small reply with every part of the format: two meshes (one with a morph target, normals
// and uvs), an ARGB32 and an 8-bit indexed texture, two clips.
AvatarImportReply sampleReply()
{
    AvatarImportReply reply;
    reply.warnings = {QStringLiteral("f.glb: texture a.png not found; skipped"), QStringLiteral("f.glb: ünïcode")};
    reply.animationNames = {QStringLiteral("open"), QStringLiteral("blink")};
    reply.avatar = std::make_unique<Avatar>();
    reply.avatar->name = QStringLiteral("tiny");
    reply.avatar->sourcePath = QStringLiteral("/tmp/tiny.glb");
    reply.avatar->unitScaleToMeters = 0.01;
    QImage argb(3, 2, QImage::Format_ARGB32);
    argb.fill(QColor(10, 20, 30, 40));
    argb.setPixel(2, 1, qRgba(1, 2, 3, 4));
    QImage indexed(5, 3, QImage::Format_Indexed8);
    indexed.setColorTable({qRgb(255, 0, 0), qRgb(0, 255, 0)});
    indexed.fill(1);
    indexed.setPixel(0, 0, 0);
    reply.avatar->textures = {argb, indexed};

    AvatarMesh face;
    face.name = QStringLiteral("face");
    face.positions = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {1, 1, 0}};
    face.normals = {{0, 0, 1}, {0, 0, 1}, {0, 0, 1}, {0, 0, 1}};
    face.uvs = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
    face.indices = {0, 1, 2, 2, 1, 3};
    face.textureIndex = 1;
    face.transform.translate(2, 3, 4);
    face.transform.rotate(30, 0, 1, 0);
    MorphTarget jaw;
    jaw.name = QStringLiteral("jawOpen");
    jaw.positionDeltas = {{0, 0, 0}, {0.1f, 0.2f, 0.3f}, {0, 0, 0}, {0, -1, 0}};
    jaw.normalDeltas = {{0, 0, 0}, {0, 0.1f, 0}, {0, 0, 0}, {0, 0, 0}};
    face.morphTargets = {jaw};
    AvatarMesh eye;
    eye.name = QStringLiteral("eye");
    eye.positions = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}};
    eye.normals = eye.positions;
    eye.indices = {0, 1, 2};
    reply.avatar->meshes = {face, eye};

    AnimationClip open({QStringLiteral("jawOpen"), QStringLiteral("eyeBlink_L")}, 30.0);
    const float rows[3][2] = {{0, 0.5f}, {1, 0.25f}, {0.5f, 0}};
    for (int f = 0; f < 3; ++f)
        open.appendFrame(0.1 + f / 30.0, rows[f], f != 1);
    AnimationClip blink({QStringLiteral("eyeBlink_L")}, 2.0);
    reply.clips = {open, blink};
    return reply;
}

// Sets FA_AVATAR_IMPORTER for one scope.
class ImporterOverride
{
public:
    explicit ImporterOverride(const QString &program) { qputenv("FA_AVATAR_IMPORTER", QFile::encodeName(program)); }
    ~ImporterOverride() { qunsetenv("FA_AVATAR_IMPORTER"); }
};

// An executable shell script standing in for the import program.
QString writeScript(const QString &name, const QByteArray &body)
{
    const QString path = outputDir() + QStringLiteral("/") + name + QStringLiteral(".sh");
    QFile::remove(path);
    writeFile(path, "#!/bin/sh\n" + body + "\n");
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return path;
}

} // namespace

class TestAvatarImport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void programBesideThisOne();
    void deepGlb();
    void crashingFbx();
    void failingImporter_data();
    void failingImporter();
    void missingImporter_data();
    void missingImporter();
    void replyRoundTrip();
    void truncatedReplies();
    void corruptedReplies();
    void gltfJson_data();
    void gltfJson();
};

void TestAvatarImport::initTestCase()
{
    qunsetenv("FA_AVATAR_IMPORTER");
    qunsetenv("FA_AVATAR_IMPORT_TIMEOUT");
}

// Tests and the command-line tool run from build/bin, where the import program is built.
void TestAvatarImport::programBesideThisOne()
{
    QString why;
    QCOMPARE(AvatarImportProcess::programPath(&why), QStringLiteral(FA_BIN_DIR "/freeavatar-import"));
    QVERIFY(why.isEmpty());
}

// (a) A GLB whose JSON nests 200,000 levels deep: the old in-process loader overflowed
// rapidjson's stack (segmentation fault); now GltfFile's check refuses it before Assimp runs.
void TestAvatarImport::deepGlb()
{
    const QString path = outputDir() + QStringLiteral("/deep.glb");
    QVERIFY(writeFile(path, glb(deepJson(200000))));
    AvatarLoader loader;
    QVERIFY(!loader.load(path));
    const QString error = loader.errorString();
    QVERIFY2(error.startsWith(path + QStringLiteral(": invalid glTF JSON (")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("too deeply nested")), qPrintable(error));
    QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error));
    QVERIFY(loader.loadMorphAnimations(path).empty());
    QCOMPARE(loader.errorString(), error);
}

// (b) The one-byte change that makes Assimp abort(): the child dies by SIGABRT, the caller gets
// one line and goes on to load the intact file with the same loader.
void TestAvatarImport::crashingFbx()
{
    const QByteArray original = readFile(dataPath(QStringLiteral("avatars/rocketbox/Male_Adult_03_facial.fbx")));
    QVERIFY2(original.size() > kCrashOffset, "Male_Adult_03_facial.fbx missing");
    QCOMPARE(original.mid(kClusterIndexes, 8), QByteArray("Indexesi"));
    QCOMPARE(qFromLittleEndian<quint32>(original.constData() + kClusterIndexes + 12), 0u); // raw, not zlib
    QCOMPARE(original.at(kCrashOffset), '\0');
    QByteArray bytes = original;
    bytes[kCrashOffset] = kCrashValue;
    const QString path = outputDir() + QStringLiteral("/crash.fbx");
    QVERIFY(writeFile(path, bytes));

    AvatarLoader loader;
    QVERIFY(!loader.load(path));
    QCOMPARE(loader.errorString(), path + QStringLiteral(": the importer crashed (signal 6)"));
    QVERIFY(loader.loadMorphAnimations(path).empty());
    QCOMPARE(loader.errorString(), path + QStringLiteral(": the importer crashed (signal 6)"));

    const QString intact = outputDir() + QStringLiteral("/intact.fbx");
    QVERIFY(writeFile(intact, original));
    const std::unique_ptr<Avatar> avatar = loader.load(intact);
    QVERIFY2(avatar, qPrintable(loader.errorString()));
    QCOMPARE(avatar->rig().controlCount(), 175);
}

// (c) Whatever becomes of the child, the caller gets one line naming the file. Shell scripts
// stand in for the import program (FA_AVATAR_IMPORTER).
void TestAvatarImport::failingImporter_data()
{
    QTest::addColumn<QByteArray>("script");
    QTest::addColumn<int>("timeoutMs");
    QTest::addColumn<QString>("expected"); // the error after "FILE: "; a trailing "*" matches any rest

    QTest::newRow("segmentation fault") << QByteArray("kill -SEGV $$") << 0 << "the importer crashed (signal 11)";
    QTest::newRow("abort") << QByteArray("kill -ABRT $$") << 0 << "the importer crashed (signal 6)";
    QTest::newRow("killed") << QByteArray("kill -KILL $$") << 0 << "the importer crashed (signal 9)";
    QTest::newRow("crash mid-reply") << QByteArray("printf FAIMPORT; kill -SEGV $$") << 0
                                     << "the importer crashed (signal 11)";
    QTest::newRow("hang") << QByteArray("exec sleep 60") << 500 << "the importer did not finish within 0.5 s; stopped";
    QTest::newRow("exit status") << QByteArray("echo 'first line' >&2; echo 'out of memory' >&2; exit 3") << 0
                                 << "the importer failed (exit code 3): out of memory";
    QTest::newRow("no reply") << QByteArray("exit 0") << 0 << "the importer's reply is invalid (truncated)";
    QTest::newRow("garbage reply") << QByteArray("printf 'this is not a reply at all'") << 0
                                   << "the importer's reply is invalid (no reply header)";
    QTest::newRow("old version") << QByteArray("printf 'FAIMPORT\\377\\0\\0\\0'") << 0
                                 << "the importer's reply is invalid (version 255, expected 1)";
}

void TestAvatarImport::failingImporter()
{
    QFETCH(QByteArray, script);
    QFETCH(int, timeoutMs);
    QFETCH(QString, expected);
    const ImporterOverride importer(writeScript(QStringLiteral("importer_%1").arg(QString::fromLatin1(QTest::currentDataTag())).replace(QLatin1Char(' '), QLatin1Char('_')), script));
    const QString path = dataPath(QStringLiteral("avatars/facecap/facecap_decoded.glb"));
    AvatarLoader loader;
    loader.setImportTimeout(timeoutMs);
    QVERIFY(!loader.load(path));
    QCOMPARE(loader.errorString(), path + QStringLiteral(": ") + expected);
    QVERIFY(loader.loadMorphAnimations(path).empty());
    QCOMPARE(loader.errorString(), path + QStringLiteral(": ") + expected);
}

void TestAvatarImport::missingImporter_data()
{
    QTest::addColumn<QString>("program");
    const QString notExecutable = outputDir() + QStringLiteral("/not_executable");
    writeFile(notExecutable, "#!/bin/sh\n");
    QFile::setPermissions(notExecutable, QFile::ReadOwner | QFile::WriteOwner);
    QTest::newRow("no such file") << outputDir() + QStringLiteral("/no_such_importer");
    QTest::newRow("not executable") << notExecutable;
    QTest::newRow("a folder") << outputDir();
}

// A wrong override is an error naming it, not a silent search elsewhere (nor an in-process import).
void TestAvatarImport::missingImporter()
{
    QFETCH(QString, program);
    const ImporterOverride importer(program);
    const QString path = dataPath(QStringLiteral("avatars/facecap/facecap_decoded.glb"));
    AvatarLoader loader;
    QVERIFY(!loader.load(path));
    QCOMPARE(loader.errorString(),
             path + QStringLiteral(": cannot import: FA_AVATAR_IMPORTER=%1 is not an executable file").arg(program));
}

void TestAvatarImport::replyRoundTrip()
{
    const AvatarImportReply sent = sampleReply();
    AvatarImportReply got;
    QString why;
    QVERIFY2(got.decode(sent.encode(), &why), qPrintable(why));
    QCOMPARE(got.error, sent.error);
    QCOMPARE(got.warnings, sent.warnings);
    QCOMPARE(got.animationNames, sent.animationNames);
    QVERIFY(got.avatar);
    QCOMPARE(got.avatar->name, sent.avatar->name);
    QCOMPARE(got.avatar->sourcePath, sent.avatar->sourcePath);
    QCOMPARE(got.avatar->unitScaleToMeters, 0.01);
    QCOMPARE(got.avatar->textures.size(), sent.avatar->textures.size());
    for (size_t t = 0; t < sent.avatar->textures.size(); ++t) {
        QCOMPARE(got.avatar->textures[t].format(), sent.avatar->textures[t].format());
        QCOMPARE(got.avatar->textures[t], sent.avatar->textures[t]);
    }
    QCOMPARE(got.avatar->meshes.size(), sent.avatar->meshes.size());
    for (size_t m = 0; m < sent.avatar->meshes.size(); ++m) {
        const AvatarMesh &a = sent.avatar->meshes[m];
        const AvatarMesh &b = got.avatar->meshes[m];
        QCOMPARE(b.name, a.name);
        QCOMPARE(b.positions, a.positions);
        QCOMPARE(b.normals, a.normals);
        QCOMPARE(b.uvs, a.uvs);
        QCOMPARE(b.indices, a.indices);
        QCOMPARE(b.textureIndex, a.textureIndex);
        QCOMPARE(b.transform, a.transform);
        QCOMPARE(b.morphTargets.size(), a.morphTargets.size());
        for (size_t t = 0; t < a.morphTargets.size(); ++t) {
            QCOMPARE(b.morphTargets[t].name, a.morphTargets[t].name);
            QCOMPARE(b.morphTargets[t].positionDeltas, a.morphTargets[t].positionDeltas);
            QCOMPARE(b.morphTargets[t].normalDeltas, a.morphTargets[t].normalDeltas);
        }
    }
    QCOMPARE(got.clips.size(), sent.clips.size());
    for (size_t c = 0; c < sent.clips.size(); ++c) {
        QCOMPARE(got.clips[c].controlNames(), sent.clips[c].controlNames());
        QCOMPARE(got.clips[c].fps(), sent.clips[c].fps());
        QCOMPARE(got.clips[c].frameTimes(), sent.clips[c].frameTimes());
        QCOMPARE(got.clips[c].values(), sent.clips[c].values());
        QCOMPARE(got.clips[c].faceFoundCount(), sent.clips[c].faceFoundCount());
    }

    // An error reply: no avatar, no clips.
    AvatarImportReply refused;
    refused.error = QStringLiteral("f.glb: no such file");
    QVERIFY2(got.decode(refused.encode(), &why), qPrintable(why));
    QCOMPARE(got.error, refused.error);
    QVERIFY(!got.avatar);
    QVERIFY(got.clips.empty());
}

// Every proper prefix of a reply, and a reply with a byte more, is refused with a reason.
void TestAvatarImport::truncatedReplies()
{
    const QByteArray bytes = sampleReply().encode();
    for (qsizetype size = 0; size < bytes.size(); ++size) {
        AvatarImportReply got;
        QString why;
        QVERIFY2(!got.decode(bytes.left(size), &why), qPrintable(QString::number(size)));
        QVERIFY(!why.isEmpty());
        QVERIFY(!got.avatar);
    }
    AvatarImportReply got;
    QString why;
    QVERIFY(!got.decode(bytes + '\0', &why));
}

// Changing any byte (a count turned huge, an index pushed out of its mesh, a format number
// off the end of QImage's list...) gives either a refusal or a reply that keeps the invariants;
// never a crash or an allocation beyond the bytes at hand.
void TestAvatarImport::corruptedReplies()
{
    const QByteArray bytes = sampleReply().encode();
    int refused = 0;
    for (qsizetype i = 0; i < bytes.size(); ++i)
        for (const char change : {char(0xff), char(0x40), char(0x01)}) {
            QByteArray corrupt = bytes;
            corrupt[i] = char(corrupt[i] ^ change);
            AvatarImportReply got;
            QString why;
            if (!got.decode(corrupt, &why)) {
                QVERIFY(!why.isEmpty());
                ++refused;
                continue;
            }
            const QString broken = inconsistency(got);
            QVERIFY2(broken.isEmpty(), qPrintable(QStringLiteral("byte %1 ^ %2: %3").arg(i).arg(int(uchar(change))).arg(broken)));
        }
    QVERIFY(refused > 0);
}

void TestAvatarImport::gltfJson_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("error"); // what jsonError() contains; empty: no error
    QTest::addColumn<bool>("isGltf");

    const QByteArray minimal(R"({"asset": {"version": "2.0"}})");
    QTest::newRow("glb") << "a.glb" << glb(minimal) << "" << true;
    QTest::newRow("gltf") << "a.gltf" << minimal << "" << true;
    QTest::newRow("NUL padding") << "a.glb" << glb(minimal + ' ', '\0') << "" << true;
    QTest::newRow("byte-order mark") << "a.gltf" << QByteArray("\xEF\xBB\xBF") + minimal << "" << true;
    QTest::newRow("1,000 levels") << "a.gltf" << deepJson(1000) << "" << true;
    QTest::newRow("2,000 levels") << "a.gltf" << deepJson(2000) << "too deeply nested" << false;
    QTest::newRow("200,000 levels") << "a.glb" << glb(deepJson(200000)) << "too deeply nested" << false;
    QTest::newRow("unclosed") << "a.gltf" << QByteArray(R"({"asset": {"version": "2.0"})") << "at byte" << false;
    QTest::newRow("text named gltf") << "a.gltf" << QByteArray("not JSON at all") << "illegal value" << false;
    QTest::newRow("text named glb") << "a.glb" << QByteArray("not JSON at all") << "" << false;
    QTest::newRow("fbx") << "a.fbx" << QByteArray("Kaydara FBX Binary  \0\x1a\0", 23) << "" << false;
}

void TestAvatarImport::gltfJson()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, error);
    QFETCH(bool, isGltf);
    const QString path = outputDir() + QStringLiteral("/json_") + fileName;
    QVERIFY(writeFile(path, bytes));
    const GltfFile file(path);
    QCOMPARE(file.isGltf(), isGltf);
    if (error.isEmpty())
        QVERIFY2(file.jsonError().isEmpty(), qPrintable(file.jsonError()));
    else
        QVERIFY2(file.jsonError().contains(error), qPrintable(file.jsonError()));
}

QTEST_GUILESS_MAIN(TestAvatarImport)
#include "test_avatar_import.moc"
