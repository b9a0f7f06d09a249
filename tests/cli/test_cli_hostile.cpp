// Issue 16: hostile and careless input to the command-line tool. Every input is made by the
// test. Each case asserts exit 2, one line of error naming the file, no damage to the other
// files, and no hang (the time limits are guards, not speed assertions).
#include "cli_run.h"
#include "test_files.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QtTest>

#include <sys/stat.h>

using fa::test::dataPath;
using fa::test::freeavatar;
using fa::test::Run;

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3");
constexpr int kGuardMs = 120000;

QString freshDir(const QString &name)
{
    const QString dir = fa::test::outputDir() + QLatin1Char('/') + name;
    QDir(dir).removeRecursively();
    QDir().mkpath(dir);
    return dir;
}

/// The error lines of a run's stderr: progress-bar lines ("[###...] ...") left out.
QStringList errorLines(const Run &run)
{
    QStringList lines;
    for (const QString &line : run.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const QString text = line.section(QLatin1Char('\r'), -1).trimmed();
        if (!text.isEmpty() && !text.startsWith(QLatin1Char('[')))
            lines << text;
    }
    return lines;
}

/// Exit 2 with exactly one error line that names `file` and says `what`.
bool refused(const Run &run, const QString &file, const QString &what, QString *why)
{
    const QStringList lines = errorLines(run);
    if (run.exitCode != 2 || lines.size() != 1 || !lines.first().contains(file) || !lines.first().contains(what)) {
        *why = QStringLiteral("exit %1, stderr: %2").arg(run.exitCode).arg(run.err);
        return false;
    }
    return true;
}

#define QVERIFY_REFUSED(run, file, what)                                                                                   \
    do {                                                                                                                   \
        QString why_;                                                                                                      \
        QVERIFY2(refused(run, file, what, &why_), qPrintable(why_));                                                       \
    } while (false)

bool makeFifo(const QString &path)
{
    return ::mkfifo(QFile::encodeName(path).constData(), 0600) == 0;
}

bool isFifo(const QString &path)
{
    struct stat info;
    return ::lstat(QFile::encodeName(path).constData(), &info) == 0 && S_ISFIFO(info.st_mode);
}

bool pythonHasTorch()
{
    QProcess p;
    p.start(kPython, {QStringLiteral("-c"), QStringLiteral("import torch")});
    return p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

bool python(const QString &code)
{
    QProcess p;
    p.start(kPython, {QStringLiteral("-c"), code});
    return p.waitForFinished(120000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

/// Sizes that train in milliseconds per step on a CPU (as test_cli_train).
QStringList tinyMae()
{
    QStringList args{QStringLiteral("train"), QStringLiteral("mae")};
    for (const char *s : {"image_size=64", "patch_size=8", "embed_dim=64", "depth=2", "num_heads=4",
                          "decoder_embed_dim=32", "decoder_depth=1", "decoder_num_heads=4", "batch_size=8",
                          "log_every=1", "device=cpu"})
        args << QStringLiteral("--set") << QString::fromLatin1(s);
    return args;
}

} // namespace

class TestCliHostile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void outputs_data();
    void outputs();
    void outputIsFifo();
    void exportOverProjectDatabase();
    void numbers_data();
    void numbers();
    void importSpecialFiles_data();
    void importSpecialFiles();
    void emptyFecCsv();
    void emptyProjectDatabase();
    void duplicateYamlKey();
    void initRefused_data();
    void initRefused();
    void runFolderLocked();
    void oversizedConfiguration();
    void libraryChatter();
    void hostileCheckpoint_data();
    void hostileCheckpoint();

private:
    QString m_dir;
    QString m_video;
    QString m_project;
};

void TestCliHostile::initTestCase()
{
    m_dir = freshDir(QStringLiteral("hostile"));
    m_video = m_dir + QStringLiteral("/in.mp4");
    QVERIFY(QFile::copy(dataPath(QStringLiteral("videos/liveportrait_d3.mp4")), m_video));
    QFile::setPermissions(m_video, QFile::ReadOwner | QFile::WriteOwner);
    m_project = m_dir + QStringLiteral("/project");
    const Run run = freeavatar({QStringLiteral("project"), QStringLiteral("create"), m_project}, kGuardMs);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
}

void TestCliHostile::outputs_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("what");
    const QString video = QStringLiteral("@VIDEO");
    QTest::newRow("retarget --csv over its input")
        << QStringList{QStringLiteral("retarget"), video, QStringLiteral("--csv"), video} << video
        << QStringLiteral("is also an input of the command");
    QTest::newRow("embed --out over its input")
        << QStringList{QStringLiteral("embed"), video, QStringLiteral("--checkpoint"), QStringLiteral("@DIR"),
                       QStringLiteral("--out"), video}
        << video << QStringLiteral("is also an input of the command");
    QTest::newRow("--csv and --fbx one path")
        << QStringList{QStringLiteral("retarget"), video, QStringLiteral("--csv"), QStringLiteral("@DIR/o"),
                       QStringLiteral("--fbx"), QStringLiteral("@DIR/o")}
        << QStringLiteral("@DIR/o") << QStringLiteral("is also given for --csv");
    QTest::newRow("--csv /dev/null") << QStringList{QStringLiteral("retarget"), video, QStringLiteral("--csv"),
                                                    QStringLiteral("/dev/null")}
                                     << QStringLiteral("/dev/null") << QStringLiteral("is a character device");
    QTest::newRow("train --out into its data")
        << tinyMae() + QStringList{QStringLiteral("--data"), QStringLiteral("@PROJECT"), QStringLiteral("--steps"),
                                   QStringLiteral("1"), QStringLiteral("--out"), QStringLiteral("@PROJECT")}
        << QStringLiteral("@PROJECT") << QStringLiteral("is also an input of the command");
}

void TestCliHostile::outputs()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, file);
    QFETCH(QString, what);
    const auto fill = [this](QString text) {
        return text.replace(QStringLiteral("@VIDEO"), m_video).replace(QStringLiteral("@DIR"), m_dir)
            .replace(QStringLiteral("@PROJECT"), m_project);
    };
    for (QString &argument : arguments)
        argument = fill(argument);
    const QByteArray before = fa::test::readFile(m_video);
    const Run run = freeavatar(arguments, kGuardMs);
    QVERIFY_REFUSED(run, fill(file), what);
    QCOMPARE(fa::test::readFile(m_video), before);
    QVERIFY(!QFileInfo::exists(m_dir + QStringLiteral("/o")));
    QVERIFY(QFileInfo(m_project + QStringLiteral("/project.sqlite")).size() > 0);
}

// A FIFO given as output stays a FIFO (an atomic writer would have replaced it by a file).
void TestCliHostile::outputIsFifo()
{
    const QString fifo = m_dir + QStringLiteral("/out.fifo");
    QVERIFY(makeFifo(fifo));
    const Run run = freeavatar({QStringLiteral("retarget"), m_video, QStringLiteral("--csv"), fifo}, kGuardMs);
    QVERIFY_REFUSED(run, fifo, QStringLiteral("is a FIFO, not a regular file"));
    QVERIFY(isFifo(fifo));
}

void TestCliHostile::exportOverProjectDatabase()
{
    const QString database = m_project + QStringLiteral("/project.sqlite");
    const QByteArray before = fa::test::readFile(database);
    for (const QString &format : {QStringLiteral("reference"), QStringLiteral("fec")}) {
        const Run run = freeavatar({QStringLiteral("project"), QStringLiteral("export"), m_project, QStringLiteral("--format"),
                                    format, QStringLiteral("--out"), database}, kGuardMs);
        QVERIFY_REFUSED(run, database, QStringLiteral("is a project's database"));
    }
    const Run folder = freeavatar({QStringLiteral("project"), QStringLiteral("export"), m_project, QStringLiteral("--format"),
                                   QStringLiteral("folder"), QStringLiteral("--out"), m_project}, kGuardMs);
    QVERIFY_REFUSED(folder, m_project, QStringLiteral("is the project folder itself"));
    QCOMPARE(fa::test::readFile(database), before);
    const Run stats = freeavatar({QStringLiteral("project"), QStringLiteral("stats"), m_project}, kGuardMs);
    QVERIFY2(stats.exitCode == 0, qPrintable(stats.err));
}

void TestCliHostile::numbers_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("what");
    for (const char *value : {"nan", "inf", "-nan"}) {
        const QString v = QString::fromLatin1(value);
        QTest::addRow("--start %s", value) << QStringList{QStringLiteral("retarget"), QStringLiteral("@VIDEO"),
                                                          QStringLiteral("--start"), v}
                                           << QStringLiteral("--start: '%1'").arg(v);
        QTest::addRow("--end %s", value) << QStringList{QStringLiteral("retarget"), QStringLiteral("@VIDEO"),
                                                        QStringLiteral("--end"), v}
                                         << QStringLiteral("--end: '%1'").arg(v);
        QTest::addRow("--gold-rate %s", value)
            << QStringList{QStringLiteral("project"), QStringLiteral("sample"), QStringLiteral("@PROJECT"),
                           QStringLiteral("--count"), QStringLiteral("3"), QStringLiteral("--gold-rate"), v}
            << QStringLiteral("--gold-rate: '%1'").arg(v);
    }
}

void TestCliHostile::numbers()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, what);
    for (QString &argument : arguments)
        argument.replace(QStringLiteral("@VIDEO"), m_video).replace(QStringLiteral("@PROJECT"), m_project);
    const Run run = freeavatar(arguments, kGuardMs);
    QVERIFY_REFUSED(run, what, QStringLiteral("is not"));
}

void TestCliHostile::importSpecialFiles_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("FIFO") << QStringLiteral("fifo");
    QTest::newRow("link to /dev/zero") << QStringLiteral("zero");
    QTest::newRow("folder holding a link to /dev/zero") << QStringLiteral("folder");
}

void TestCliHostile::importSpecialFiles()
{
    QFETCH(QString, kind);
    const QString dir = freshDir(QStringLiteral("hostile-import-") + kind);
    QString given = dir + QStringLiteral("/face.mp4");
    QString named = given;
    if (kind == QLatin1String("fifo")) {
        QVERIFY(makeFifo(given));
    } else if (kind == QLatin1String("zero")) {
        QVERIFY(QFile::link(QStringLiteral("/dev/zero"), given));
    } else {
        QVERIFY(QDir().mkpath(dir + QStringLiteral("/inner")));
        named = dir + QStringLiteral("/inner/face.jpg");
        QVERIFY(QFile::link(QStringLiteral("/dev/zero"), named));
        given = dir + QStringLiteral("/inner");
    }
    QElapsedTimer clock;
    clock.start();
    const Run run = freeavatar({QStringLiteral("project"), QStringLiteral("import"), m_project, given}, kGuardMs);
    QVERIFY2(run.exitCode != -1, "the import hung or crashed");
    QVERIFY_REFUSED(run, named, QStringLiteral("not a regular file"));
}

void TestCliHostile::emptyFecCsv()
{
    const QString csv = m_dir + QStringLiteral("/empty.csv");
    QVERIFY(fa::test::writeFile(csv, QByteArray()));
    const Run run = freeavatar({QStringLiteral("project"), QStringLiteral("import-fec"), m_project, csv,
                                QStringLiteral("--images"), m_dir}, kGuardMs);
    QVERIFY_REFUSED(run, csv, QStringLiteral("holds no triplet rows"));
}

// SQLite would open a 0-byte file as a new empty database: the project's faces in crops/
// would silently lose their labels. The file is left as it is.
void TestCliHostile::emptyProjectDatabase()
{
    const QString project = freshDir(QStringLiteral("hostile-empty-project"));
    QVERIFY(QDir().mkpath(project + QStringLiteral("/crops")));
    QVERIFY(fa::test::writeFile(project + QStringLiteral("/crops/1.jpg"), QByteArray("not really a face")));
    const QString database = project + QStringLiteral("/project.sqlite");
    QVERIFY(fa::test::writeFile(database, QByteArray()));
    for (const QString &command : {QStringLiteral("stats"), QStringLiteral("import")}) {
        QStringList arguments{QStringLiteral("project"), command, project};
        if (command == QLatin1String("import"))
            arguments << m_video;
        const Run run = freeavatar(arguments, kGuardMs);
        QVERIFY_REFUSED(run, database, QStringLiteral("is empty (0 bytes)"));
        QCOMPARE(QFileInfo(database).size(), qint64(0));
    }
}

void TestCliHostile::duplicateYamlKey()
{
    const QString config = m_dir + QStringLiteral("/twice.yaml");
    QVERIFY(fa::test::writeFile(config, "steps: 3\nlr: 0.001\nsteps: 5\n"));
    const QString out = m_dir + QStringLiteral("/run-twice");
    const Run run = freeavatar(tinyMae() + QStringList{QStringLiteral("--config"), config, QStringLiteral("--data"), m_video,
                                                       QStringLiteral("--out"), out},
                               kGuardMs);
    QVERIFY_REFUSED(run, config, QStringLiteral("3: steps: given twice (first on line 1)"));
    QVERIFY(!QFileInfo::exists(out));
}

void TestCliHostile::initRefused_data()
{
    QTest::addColumn<QString>("tensors");
    QTest::addColumn<QString>("what");
    QTest::newRow("no matching key") << QStringLiteral("{'other.weight': torch.zeros(3)}")
                                     << QStringLiteral("none of its 1 tensors matches a key of the network");
    QTest::newRow("NaN weights") << QStringLiteral("{'cls_token': torch.full((1, 1, 64), float('nan'))}")
                                 << QStringLiteral("tensor 'cls_token' holds NaN or infinite values");
}

void TestCliHostile::initRefused()
{
    QFETCH(QString, tensors);
    QFETCH(QString, what);
    if (!pythonHasTorch())
        QSKIP("/usr/bin/python3 has no torch (python3-torch) to write the state dict");
    const QString weights = m_dir + QStringLiteral("/init-%1.pt").arg(QString::fromLatin1(QTest::currentDataTag())).replace(QLatin1Char(' '), QLatin1Char('_'));
    QVERIFY(python(QStringLiteral("import torch; torch.save(%1, '%2')").arg(tensors, weights)));
    const Run run = freeavatar(tinyMae() + QStringList{QStringLiteral("--data"), m_video, QStringLiteral("--set"),
                                                       QStringLiteral("video_frame_step=30"), QStringLiteral("--init"),
                                                       weights, QStringLiteral("--steps"), QStringLiteral("2"),
                                                       QStringLiteral("--out"), m_dir + QStringLiteral("/run-init"),
                                                       QStringLiteral("--quiet")},
                               kGuardMs);
    QVERIFY_REFUSED(run, weights, what);
}

// Two processes training one run folder duplicated steps in metrics.jsonl: the second is
// refused while the first holds RUN_DIR/.lock.
void TestCliHostile::runFolderLocked()
{
    const QString out = m_dir + QStringLiteral("/run-locked");
    const QStringList arguments = tinyMae()
        + QStringList{QStringLiteral("--data"), m_video, QStringLiteral("--set"), QStringLiteral("video_frame_step=30"),
                      QStringLiteral("--steps"), QStringLiteral("1000000"), QStringLiteral("--out"), out,
                      QStringLiteral("--quiet")};
    QProcess first;
    first.start(QStringLiteral(FA_BIN_DIR "/freeavatar"), arguments);
    QVERIFY(first.waitForStarted());
    QElapsedTimer clock;
    clock.start();
    while (!QFileInfo::exists(out + QStringLiteral("/metrics.jsonl")) && clock.elapsed() < kGuardMs
           && first.state() == QProcess::Running)
        QTest::qWait(200);
    QVERIFY2(first.state() == QProcess::Running, first.readAllStandardError().constData());
    const Run resumed = freeavatar(arguments + QStringList{QStringLiteral("--resume")}, kGuardMs);
    const Run created = freeavatar(arguments, kGuardMs);
    first.kill();
    first.waitForFinished(kGuardMs);
    QVERIFY_REFUSED(resumed, out, QStringLiteral("is in use by another training process"));
    QVERIFY_REFUSED(created, out, QStringLiteral("is in use by another training process"));
}

// `--set image_size=4096` was accepted and killed for memory at 24 GB: refused on the CPU with
// the sizes named (the estimate is about 28 TB).
void TestCliHostile::oversizedConfiguration()
{
    const Run run = freeavatar(tinyMae() + QStringList{QStringLiteral("--set"), QStringLiteral("image_size=4096"),
                                                       QStringLiteral("--data"), m_video, QStringLiteral("--steps"),
                                                       QStringLiteral("1"), QStringLiteral("--out"),
                                                       m_dir + QStringLiteral("/run-huge"), QStringLiteral("--quiet")},
                               kGuardMs);
    QVERIFY_REFUSED(run, QStringLiteral("image_size 4096"), QStringLiteral("one training step needs about"));
}

// libjpeg and libpng print their complaints straight to stderr; only the tool's own lines reach
// the user, and the damaged JPEG (its scan data ends early: grey below) is refused.
void TestCliHostile::libraryChatter()
{
    const QString dir = freshDir(QStringLiteral("hostile-images"));
    QByteArray jpeg = fa::test::readFile(dataPath(QStringLiteral("images/pexels_expressions/angry.jpg")));
    QByteArray png = fa::test::readFile(dataPath(QStringLiteral("images/yale_faces/subject01_happy.png")));
    QVERIFY(jpeg.size() > 100000 && png.size() > 1000);
    for (int i = 0; i < 40; ++i)
        jpeg[jpeg.size() / 3 + i * 997] = char(~jpeg[jpeg.size() / 3 + i * 997]);
    png[60] = char(~png[60]);
    png[200] = char(png[200] ^ 0x55);
    const QString badJpeg = dir + QStringLiteral("/bad.jpg");
    const QString badPng = dir + QStringLiteral("/bad.png");
    QVERIFY(fa::test::writeFile(badJpeg, jpeg));
    QVERIFY(fa::test::writeFile(badPng, png));
    const Run run = freeavatar({QStringLiteral("project"), QStringLiteral("import"), m_project, badJpeg, badPng}, kGuardMs);
    QCOMPARE(run.exitCode, 2);
    const QStringList lines = errorLines(run);
    for (const QString &line : lines)
        QVERIFY2(line.startsWith(QStringLiteral("freeavatar project import: ")), qPrintable(run.err));
    QVERIFY2(run.err.contains(badJpeg + QStringLiteral(": damaged JPEG")), qPrintable(run.err));
    QVERIFY2(run.err.contains(badPng + QStringLiteral(": not an image that can be decoded")), qPrintable(run.err));
}

// Checkpoints built to hurt (made with Python's zipfile, no torch needed): a pickle nesting
// 100,000 lists (it segfaulted train --init, eval-triplets and embed), one that builds
// os.system and discards it (it was accepted), and a 2 MB file whose data.pkl inflates to
// 2 GiB (the process reached 4.4 GB before refusing it).
void TestCliHostile::hostileCheckpoint_data()
{
    QTest::addColumn<QString>("pickle");
    QTest::addColumn<QString>("what");
    QTest::newRow("nested 100000 deep") << QStringLiteral("b'\\x80\\x02' + b']' * 100000 + b'a' * 99999 + b'.'")
                                        << QStringLiteral("containers nest deeper than 64 levels");
    QTest::newRow("os.system discarded") << QStringLiteral("b'\\x80\\x02cos\\nsystem\\n0}.'")
                                         << QStringLiteral("refers to os.system");
    QTest::newRow("2 GiB data.pkl") << QStringLiteral("BOMB") << QStringLiteral("claims 2147483648 bytes");
}

void TestCliHostile::hostileCheckpoint()
{
    QFETCH(QString, pickle);
    QFETCH(QString, what);
    const QString weights = m_dir + QStringLiteral("/hostile-%1.pt").arg(QString::fromLatin1(QTest::currentDataTag())).replace(QLatin1Char(' '), QLatin1Char('_'));
    // The pickles are stored uncompressed, as torch.save stores its records (a deflated
    // data.pkl larger than the whole file is refused as a zip bomb before it is parsed).
    const QString write = pickle == QLatin1String("BOMB")
        ? QStringLiteral("with z.open('archive/data.pkl', 'w', force_zip64=True) as f:\n"
                         "    for i in range(32): f.write(bytes(1 << 26))\n")
        : QStringLiteral("z.writestr('archive/data.pkl', %1, compress_type=zipfile.ZIP_STORED)\n").arg(pickle);
    QVERIFY(python(QStringLiteral("import zipfile\nwith zipfile.ZipFile('%1', 'w', zipfile.ZIP_DEFLATED) as z:\n"
                                  "    z.writestr('archive/version', '3\\n')\n    %2")
                       .arg(weights, QString(write).replace(QStringLiteral("\n    "), QStringLiteral("\n        ")))));
    QVERIFY(QFileInfo(weights).size() < (64 << 20));
    const QString out = m_dir + QStringLiteral("/run-hostile-init");
    const Run run = freeavatar(tinyMae() + QStringList{QStringLiteral("--data"), m_video, QStringLiteral("--set"),
                                                       QStringLiteral("video_frame_step=30"), QStringLiteral("--init"),
                                                       weights, QStringLiteral("--steps"), QStringLiteral("2"),
                                                       QStringLiteral("--out"), out, QStringLiteral("--quiet")},
                               kGuardMs);
    QVERIFY_REFUSED(run, weights, what);
    QVERIFY(!QFileInfo::exists(out + QStringLiteral("/model.pt")));
}

QTEST_GUILESS_MAIN(TestCliHostile)
#include "test_cli_hostile.moc"
