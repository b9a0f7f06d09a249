// `freeavatar render-dataset` end to end under xvfb-run: a mannequin set (exit 0, the files, the
// reader opens it), real rigs from a Live Link CSV, and bad input (exit 2, one line naming the
// file), a different set in the folder (exit 2), no display (exit 1, the OpenGL line).
#include "cli_run.h"
#include "test_files.h"

#include "animation/animation_clip.h"
#include "common/arkit.h"
#include "export/live_link_csv.h"
#include "renderset/render_dataset.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QtTest>

using fa::test::freeavatar;
using fa::test::Run;

namespace {

QString freshDir(const QString &name)
{
    const QString dir = fa::test::outputDir() + QLatin1Char('/') + name;
    QDir(dir).removeRecursively();
    return dir;
}

/// The error output without Qt's own warnings (XDG_RUNTIME_DIR ...).
QStringList errorLines(const Run &run)
{
    QStringList lines;
    for (const QString &line : run.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        if (line.startsWith(QLatin1String("freeavatar")))
            lines << line;
    return lines;
}

} // namespace

class TestCliRenderDataset : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void mannequinSet();
    void realRigsFromLiveLinkCsv();
    void badInput_data();
    void badInput();
    void differentSetInTheFolder();
    void withoutDisplay();
};

void TestCliRenderDataset::mannequinSet()
{
    const QString dir = freshDir(QStringLiteral("mannequin"));
    const Run run = freeavatar({QStringLiteral("render-dataset"), QStringLiteral("--count"), QStringLiteral("12"),
                                QStringLiteral("--size"), QStringLiteral("64"), QStringLiteral("--out"), dir,
                                QStringLiteral("--seed"), QStringLiteral("3")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("images/s")), qPrintable(run.out));
    QString error;
    const std::optional<fa::RenderDataset> set = fa::RenderDataset::open(dir, &error);
    QVERIFY2(set, qPrintable(error));
    QCOMPARE(set->size(), qsizetype(12));
    QCOMPARE(set->imageSize(), 64);
    QCOMPARE(set->rig().controlCount(), 52);
    QVERIFY(!set->mouthBox().isNull());
    // The same command again: the identical request renders over itself, same bytes.
    const QByteArray csv = fa::test::readFile(dir + QStringLiteral("/rigs.csv"));
    const Run again = freeavatar({QStringLiteral("render-dataset"), QStringLiteral("--count"), QStringLiteral("12"),
                                  QStringLiteral("--size"), QStringLiteral("64"), QStringLiteral("--out"), dir,
                                  QStringLiteral("--seed"), QStringLiteral("3"), QStringLiteral("--quiet")});
    QVERIFY2(again.exitCode == 0, qPrintable(again.err));
    QCOMPARE(fa::test::readFile(dir + QStringLiteral("/rigs.csv")), csv);
    QCOMPARE(fa::RenderDataset::open(dir, &error)->fingerprint(), set->fingerprint());
}

void TestCliRenderDataset::realRigsFromLiveLinkCsv()
{
    // A Live Link Face take with the jaw open half the time.
    fa::AnimationClip clip(fa::arkit::canonicalNames(), 60.0);
    for (int f = 0; f < 40; ++f) {
        std::vector<float> values(size_t(fa::arkit::kShapeCount), 0.0f);
        values[size_t(fa::ArkitShape::JawOpen)] = f % 2 ? 0.7f : 0.1f;
        clip.appendFrame(f / 60.0, values, true);
    }
    const QString csv = fa::test::outputDir() + QStringLiteral("/take.csv");
    QString error;
    QVERIFY2(fa::LiveLinkCsv::write(csv, clip, &error), qPrintable(error));
    const QString dir = freshDir(QStringLiteral("real"));
    const Run run = freeavatar({QStringLiteral("render-dataset"), QStringLiteral("--count"), QStringLiteral("10"),
                                QStringLiteral("--size"), QStringLiteral("48"), QStringLiteral("--out"), dir,
                                QStringLiteral("--rigs-from"), csv, QStringLiteral("--quiet")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject mixture = QJsonDocument::fromJson(fa::test::readFile(dir + QStringLiteral("/dataset.json")))
                                    .object().value(QStringLiteral("mixture")).toObject();
    QCOMPARE(mixture.value(QStringLiteral("real_frames")).toInt(), 40);
    QCOMPARE(mixture.value(QStringLiteral("counts")).toObject().value(QStringLiteral("real")).toInt(), 3);
}

void TestCliRenderDataset::badInput_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("expected"); // in the one error line
    const QString out = fa::test::outputDir() + QStringLiteral("/bad_out");
    const QString missing = fa::test::outputDir() + QStringLiteral("/missing.glb");
    const QString notAvatar = fa::test::outputDir() + QStringLiteral("/not_an_avatar.glb");
    fa::test::writeFile(notAvatar, "not a glTF file");
    const QString badCsv = fa::test::outputDir() + QStringLiteral("/bad.csv");
    fa::test::writeFile(badCsv, "Timecode,JawOpen\r\n00:00:00:01.000,0.5\r\nnot a timecode,0.2\r\n");
    QTest::newRow("no count") << QStringList{QStringLiteral("--out"), out} << QStringLiteral("--count");
    QTest::newRow("zero count") << QStringList{QStringLiteral("--count"), QStringLiteral("0"), QStringLiteral("--out"), out}
                                << QStringLiteral("--count");
    QTest::newRow("no out") << QStringList{QStringLiteral("--count"), QStringLiteral("3")} << QStringLiteral("--out");
    QTest::newRow("bad size") << QStringList{QStringLiteral("--count"), QStringLiteral("3"), QStringLiteral("--out"), out,
                                             QStringLiteral("--size"), QStringLiteral("8")} << QStringLiteral("--size");
    QTest::newRow("missing avatar") << QStringList{QStringLiteral("--count"), QStringLiteral("3"), QStringLiteral("--out"), out,
                                                   QStringLiteral("--avatar"), missing} << missing;
    QTest::newRow("not an avatar") << QStringList{QStringLiteral("--count"), QStringLiteral("3"), QStringLiteral("--out"), out,
                                                  QStringLiteral("--avatar"), notAvatar} << notAvatar;
    QTest::newRow("missing rigs") << QStringList{QStringLiteral("--count"), QStringLiteral("3"), QStringLiteral("--out"), out,
                                                 QStringLiteral("--rigs-from"), missing} << missing;
    QTest::newRow("bad csv") << QStringList{QStringLiteral("--count"), QStringLiteral("3"), QStringLiteral("--out"), out,
                                            QStringLiteral("--rigs-from"), badCsv} << badCsv + QStringLiteral(":3");
    QTest::newRow("stray argument") << QStringList{QStringLiteral("--count"), QStringLiteral("3"), QStringLiteral("--out"), out,
                                                   QStringLiteral("extra")} << QStringLiteral("extra");
}

void TestCliRenderDataset::badInput()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, expected);
    const Run run = freeavatar(QStringList{QStringLiteral("render-dataset")} + arguments);
    QCOMPARE(run.exitCode, 2);
    const QStringList lines = errorLines(run);
    QCOMPARE(lines.size(), 1);
    qInfo("%s", qPrintable(lines.first()));
    QVERIFY2(lines.first().contains(expected), qPrintable(lines.first()));
    QVERIFY(!QFileInfo::exists(fa::test::outputDir() + QStringLiteral("/bad_out/dataset.json")));
}

void TestCliRenderDataset::differentSetInTheFolder()
{
    const QString dir = freshDir(QStringLiteral("two_sets"));
    QCOMPARE(freeavatar({QStringLiteral("render-dataset"), QStringLiteral("--count"), QStringLiteral("4"), QStringLiteral("--size"),
                         QStringLiteral("32"), QStringLiteral("--out"), dir, QStringLiteral("--quiet")}).exitCode, 0);
    const QByteArray json = fa::test::readFile(dir + QStringLiteral("/dataset.json"));
    const Run run = freeavatar({QStringLiteral("render-dataset"), QStringLiteral("--count"), QStringLiteral("5"), QStringLiteral("--size"),
                                QStringLiteral("32"), QStringLiteral("--out"), dir, QStringLiteral("--quiet")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QStringLiteral("different render set")), qPrintable(run.err));
    QCOMPARE(fa::test::readFile(dir + QStringLiteral("/dataset.json")), json);
}

void TestCliRenderDataset::withoutDisplay()
{
    // No DISPLAY, no platform: the arguments are still checked (exit 2 for bad ones), then one
    // line says OpenGL is needed (exit 1) and nothing is written.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("DISPLAY"));
    environment.remove(QStringLiteral("WAYLAND_DISPLAY"));
    environment.remove(QStringLiteral("QT_QPA_PLATFORM"));
    const QString dir = freshDir(QStringLiteral("no_display"));
    for (const QString &count : {QStringLiteral("3"), QStringLiteral("-1")}) {
        QProcess process;
        process.setProcessEnvironment(environment);
        process.start(QStringLiteral(FA_BIN_DIR "/freeavatar"),
                      {QStringLiteral("render-dataset"), QStringLiteral("--count"), count, QStringLiteral("--out"), dir});
        QVERIFY(process.waitForFinished(60000));
        const QString err = QString::fromUtf8(process.readAllStandardError());
        if (count == QLatin1String("-1")) {
            QCOMPARE(process.exitCode(), 2);
            continue;
        }
        QCOMPARE(process.exitCode(), 1);
        QVERIFY2(err.contains(QStringLiteral("render-dataset needs OpenGL: run it under xvfb-run or on a desktop")), qPrintable(err));
        QVERIFY(!QFileInfo::exists(dir));
    }
}

QTEST_GUILESS_MAIN(TestCliRenderDataset)
#include "test_cli_render_dataset.moc"
