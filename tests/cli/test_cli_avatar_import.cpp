// `freeavatar` on avatar files that crash Assimp (issue 16, item 2): the import runs in the
// child freeavatar-import, so the tool survives, exits 2 and prints one line naming the file.
// The inputs are made here from the shared data, never stored.
#include "cli_run.h"
#include "test_files.h"

#include <QtEndian>
#include <QtTest>

using fa::test::dataPath;
using fa::test::freeavatar;
using fa::test::outputDir;
using fa::test::readFile;
using fa::test::Run;
using fa::test::writeFile;

namespace {

// Male_Adult_03_facial.fbx with the high byte of the first skin-cluster vertex index (offset
// 1590620, in the raw "Indexes" array that starts at 1590597) set from 0x00 to 0x40: vertex
// 0x40000000, so Assimp 5.2.5 fails "ai_assert ... FBXConverter.cpp(1523): out_idx != nullptr"
// and abort()s (see tests/avatar/test_avatar_import.cpp).
QString crashingFbx()
{
    QByteArray bytes = readFile(dataPath(QStringLiteral("avatars/rocketbox/Male_Adult_03_facial.fbx")));
    if (bytes.size() <= 1590620 || bytes.mid(1590597, 8) != "Indexesi" || bytes.at(1590620) != '\0')
        return {};
    bytes[1590620] = 0x40;
    const QString path = outputDir() + QStringLiteral("/crash.fbx");
    return writeFile(path, bytes) ? path : QString();
}

// A GLB whose JSON nests 200,000 arrays deep (Assimp's rapidjson overflowed its stack on it).
QString deepGlb()
{
    const int depth = 200000;
    QByteArray json = QByteArray(R"({"asset": {"version": "2.0"}, "extras": )") + QByteArray(depth, '[')
                      + QByteArray(depth, ']') + "}";
    while (json.size() % 4 != 0)
        json.append(' ');
    QByteArray bytes("glTF");
    for (const quint32 v : {2u, quint32(20 + json.size()), quint32(json.size())}) {
        const quint32 le = qToLittleEndian(v);
        bytes.append(reinterpret_cast<const char *>(&le), sizeof le);
    }
    bytes += "JSON" + json;
    const QString path = outputDir() + QStringLiteral("/deep.glb");
    return writeFile(path, bytes) ? path : QString();
}

} // namespace

class TestCliAvatarImport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void infoOnCrashingFbx();
    void badAvatars_data();
    void badAvatars();
};

void TestCliAvatarImport::infoOnCrashingFbx()
{
    const QString fbx = crashingFbx();
    QVERIFY2(!fbx.isEmpty(), "cannot make the crashing FBX from Male_Adult_03_facial.fbx");
    const Run run = freeavatar({QStringLiteral("info"), fbx}, 120000);
    QCOMPARE(run.exitCode, 2);
    QCOMPARE(run.err, QStringLiteral("freeavatar info: %1: the importer crashed (signal 6)\n").arg(fbx));
}

// Exit 2 and one line naming the file, whichever command reads the avatar.
void TestCliAvatarImport::badAvatars_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("line"); // the whole of stderr, without the newline

    const QString fbx = crashingFbx();
    const QString glb = deepGlb();
    QVERIFY(!fbx.isEmpty() && !glb.isEmpty());
    const QString video = dataPath(QStringLiteral("videos/liveportrait_d0.mp4"));
    QTest::newRow("retarget --avatar crashing FBX")
        << QStringList{QStringLiteral("retarget"), video, QStringLiteral("--avatar"), fbx, QStringLiteral("--quiet")}
        << QStringLiteral("freeavatar retarget: %1: the importer crashed (signal 6)").arg(fbx);
    QTest::newRow("info deep GLB") << QStringList{QStringLiteral("info"), glb}
                                   << QStringLiteral("freeavatar info: %1: invalid glTF JSON (*").arg(glb);
    QTest::newRow("retarget --avatar deep GLB")
        << QStringList{QStringLiteral("retarget"), video, QStringLiteral("--avatar"), glb, QStringLiteral("--quiet")}
        << QStringLiteral("freeavatar retarget: %1: invalid glTF JSON (*").arg(glb);
}

void TestCliAvatarImport::badAvatars()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, line);
    const Run run = freeavatar(arguments, 120000);
    QVERIFY2(run.exitCode == 2, qPrintable(QStringLiteral("exit %1: %2").arg(run.exitCode).arg(run.err)));
    QVERIFY2(run.err.endsWith(QLatin1Char('\n')) && run.err.count(QLatin1Char('\n')) == 1, qPrintable(run.err));
    if (line.endsWith(QLatin1Char('*')))
        QVERIFY2(run.err.startsWith(line.chopped(1)), qPrintable(run.err));
    else
        QCOMPARE(run.err.chopped(1), line);
}

QTEST_GUILESS_MAIN(TestCliAvatarImport)
#include "test_cli_avatar_import.moc"
