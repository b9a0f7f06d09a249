// `freeavatar train`, `eval-triplets` and `embed` end to end on real data (CPU, tiny free sizes):
// run folder contents, Python's torch.load on model.pt, Ctrl+C + --resume, JSON accuracy,
// embeddings of a video, bad input.
#include "cli_run.h"
#include "test_files.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

#include <csignal>

using fa::test::dataPath;
using fa::test::freeavatar;
using fa::test::Run;

namespace {

const QString kPython = QStringLiteral("/usr/bin/python3");

/// Sizes that train in milliseconds per step on a CPU.
QStringList tinySizes()
{
    QStringList args;
    for (const char *s : {"image_size=64", "patch_size=8", "embed_dim=64", "depth=2", "num_heads=4",
                          "decoder_embed_dim=32", "decoder_depth=1", "decoder_num_heads=4", "batch_size=8",
                          "log_every=1", "device=cpu"})
        args << QStringLiteral("--set") << QString::fromLatin1(s);
    return args;
}

QString freshDir(const QString &name)
{
    const QString dir = fa::test::outputDir() + QLatin1Char('/') + name;
    QDir(dir).removeRecursively();
    return dir;
}

int lineCount(const QString &path)
{
    return fa::test::readFile(path).trimmed().split('\n').size();
}

bool pythonHasTorch()
{
    QProcess p;
    p.start(kPython, {QStringLiteral("-c"), QStringLiteral("import torch")});
    return p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

} // namespace

class TestCliTrain : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void trainMaeWritesRunFolder();
    void interruptAndResume();
    void trainTripletEvaluateEmbed();
    void maeTrainsOnGroupPhoto();
    void badInput_data();
    void badInput();

private:
    QString m_maeRun;
    QString m_tripletRun;
};

void TestCliTrain::initTestCase()
{
    QVERIFY(QFile::exists(dataPath(QStringLiteral("videos/liveportrait_d3.mp4"))));
    // A triplet run for eval-triplets / embed / bad-input cases.
    m_tripletRun = freshDir(QStringLiteral("triplet"));
    const Run run = freeavatar(QStringList{QStringLiteral("train"), QStringLiteral("triplet"), QStringLiteral("--preset"),
                                           QStringLiteral("tiny")}
                               + tinySizes()
                               + QStringList{QStringLiteral("--set"), QStringLiteral("category_triplets=24"),
                                             QStringLiteral("--set"), QStringLiteral("optimizer=adamw"),
                                             QStringLiteral("--set"), QStringLiteral("lr=0.003"),
                                             QStringLiteral("--set"), QStringLiteral("augmentation=false"),
                                             QStringLiteral("--data"), dataPath(QStringLiteral("images/yale_faces")),
                                             QStringLiteral("--steps"), QStringLiteral("10"),
                                             QStringLiteral("--out"), m_tripletRun, QStringLiteral("--quiet")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
    QVERIFY2(run.out.contains(QStringLiteral("24 triplets")), qPrintable(run.out));
}

void TestCliTrain::trainMaeWritesRunFolder()
{
    m_maeRun = freshDir(QStringLiteral("mae"));
    const Run run = freeavatar(QStringList{QStringLiteral("train"), QStringLiteral("mae"), QStringLiteral("--preset"),
                                           QStringLiteral("tiny")}
                               + tinySizes()
                               + QStringList{QStringLiteral("--set"), QStringLiteral("video_frame_step=30"),
                                             QStringLiteral("--data"), dataPath(QStringLiteral("videos/liveportrait_d3.mp4")),
                                             dataPath(QStringLiteral("videos/liveportrait_d6.mp4")),
                                             QStringLiteral("--steps"), QStringLiteral("6"), QStringLiteral("--out"), m_maeRun});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
    QVERIFY2(run.out.contains(QStringLiteral("Step:      6 of 6")), qPrintable(run.out));
    QVERIFY2(run.err.contains(QStringLiteral("step 6/6")), qPrintable(run.err)); // the progress bar
    QVERIFY(QFile::exists(m_maeRun + QStringLiteral("/config.yaml")));
    QCOMPARE(lineCount(m_maeRun + QStringLiteral("/metrics.jsonl")), 6);
    const QJsonObject first = QJsonDocument::fromJson(fa::test::readFile(m_maeRun + QStringLiteral("/metrics.jsonl")).split('\n').first()).object();
    QCOMPARE(first.value(QStringLiteral("step")).toInt(), 1);
    QVERIFY(first.value(QStringLiteral("loss")).toDouble() > 0);
    const QByteArray config = fa::test::readFile(m_maeRun + QStringLiteral("/config.yaml"));
    QVERIFY(config.contains("kind: mae"));
    QVERIFY(config.contains("embed_dim: 64"));
    QVERIFY(config.contains("liveportrait_d6.mp4")); // both --data paths
    QVERIFY(QFile::exists(m_maeRun + QStringLiteral("/model.pt")));

    // A triplet run starts from the MAE run's encoder; the expression head is new.
    const Run init = freeavatar(QStringList{QStringLiteral("train"), QStringLiteral("triplet")} + tinySizes()
                                + QStringList{QStringLiteral("--set"), QStringLiteral("category_triplets=8"),
                                              QStringLiteral("--data"), dataPath(QStringLiteral("images/yale_faces")),
                                              QStringLiteral("--init"), m_maeRun, QStringLiteral("--steps"),
                                              QStringLiteral("2"), QStringLiteral("--out"), freshDir(QStringLiteral("init")),
                                              QStringLiteral("--quiet")});
    QVERIFY2(init.exitCode == 0, qPrintable(init.err + init.out));
    QVERIFY2(init.out.contains(QStringLiteral("Init:      %1 (missing keys: head.weight, head.bias, fc_norm.weight, "
                                              "fc_norm.bias; unexpected keys: none)").arg(m_maeRun)),
             qPrintable(init.out));

    // Python's torch.load reads model.pt as a state dict with timm / MAE key names.
    if (!pythonHasTorch())
        QSKIP("/usr/bin/python3 has no torch (python3-torch)");
    QProcess python;
    python.start(kPython, {QStringLiteral("-c"), QStringLiteral(
        "import sys, torch\n"
        "d = torch.load(sys.argv[1])\n"
        "assert isinstance(d, dict), type(d)\n"
        "for k in ['cls_token', 'pos_embed', 'patch_embed.proj.weight', 'blocks.0.attn.qkv.weight', 'blocks.1.mlp.fc2.bias',\n"
        "          'norm.weight', 'mask_token', 'decoder_embed.weight', 'decoder_blocks.0.norm1.weight', 'decoder_pred.weight']:\n"
        "    assert k in d, k\n"
        "assert tuple(d['pos_embed'].shape) == (1, 65, 64), d['pos_embed'].shape\n"
        "assert tuple(d['decoder_pred.weight'].shape) == (192, 32)\n"
        "print(len(d))\n"), m_maeRun + QStringLiteral("/model.pt")});
    QVERIFY(python.waitForFinished(120000));
    QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
    QCOMPARE(python.readAllStandardOutput().trimmed(), QByteArray("50"));
}

// Ctrl+C (SIGINT) stops after the current step with a checkpoint; --resume finishes the run.
void TestCliTrain::interruptAndResume()
{
    const QString dir = freshDir(QStringLiteral("interrupted"));
    const QStringList args = QStringList{QStringLiteral("train"), QStringLiteral("mae")} + tinySizes()
                             + QStringList{QStringLiteral("--set"), QStringLiteral("video_frame_step=30"),
                                           QStringLiteral("--data"), dataPath(QStringLiteral("videos/liveportrait_d3.mp4")),
                                           QStringLiteral("--steps"), QStringLiteral("150"), QStringLiteral("--out"), dir};
    QProcess process;
    process.start(QStringLiteral(FA_BIN_DIR "/freeavatar"), args);
    QVERIFY(process.waitForStarted());
    // Wait for the first logged step, then press Ctrl+C.
    QElapsedTimer clock;
    clock.start();
    while (!fa::test::readFile(dir + QStringLiteral("/metrics.jsonl")).contains('\n') && clock.elapsed() < 60000
           && process.state() == QProcess::Running)
        QTest::qWait(10);
    QVERIFY2(process.state() == QProcess::Running, "finished before it could be interrupted");
    ::kill(pid_t(process.processId()), SIGINT);
    QVERIFY(process.waitForFinished(60000));
    const QString out = QString::fromUtf8(process.readAllStandardOutput());
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QVERIFY2(process.exitCode() == 130, qPrintable(QStringLiteral("exit %1: %2 %3").arg(process.exitCode()).arg(err, out)));
    QVERIFY2(out.contains(QStringLiteral("--resume --out")), qPrintable(out));
    const int stoppedAt = lineCount(dir + QStringLiteral("/metrics.jsonl"));
    QVERIFY2(stoppedAt < 150, qPrintable(QString::number(stoppedAt)));
    QVERIFY(QDir(dir + QStringLiteral("/checkpoints/step-%1").arg(stoppedAt, 8, 10, QLatin1Char('0'))).exists());

    // The same command line plus --resume continues; a different setting is refused.
    Run changed = freeavatar(args + QStringList{QStringLiteral("--set"), QStringLiteral("lr=0.5"), QStringLiteral("--resume")});
    QCOMPARE(changed.exitCode, 2);
    QVERIFY2(changed.err.contains(QStringLiteral("these differ: lr 0.5")), qPrintable(changed.err));
    const Run resumed = freeavatar(args + QStringList{QStringLiteral("--resume"), QStringLiteral("--quiet")});
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err + resumed.out));
    QVERIFY2(resumed.out.contains(QStringLiteral("resumed at step %1").arg(stoppedAt)), qPrintable(resumed.out));
    QCOMPARE(lineCount(dir + QStringLiteral("/metrics.jsonl")), 150);
    // Nothing left to do.
    const Run again = freeavatar({QStringLiteral("train"), QStringLiteral("mae"), QStringLiteral("--resume"),
                                  QStringLiteral("--out"), dir});
    QCOMPARE(again.exitCode, 2);
    QVERIFY2(again.err.contains(QStringLiteral("the run is complete")), qPrintable(again.err));
}

void TestCliTrain::trainTripletEvaluateEmbed()
{
    // eval-triplets --json on category triplets of the Yale faces.
    Run run = freeavatar({QStringLiteral("eval-triplets"), QStringLiteral("--checkpoint"), m_tripletRun,
                          QStringLiteral("--triplets"), dataPath(QStringLiteral("images/yale_faces")),
                          QStringLiteral("--count"), QStringLiteral("24"), QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject report = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(report.value(QStringLiteral("total")).toInt(), 24);
    const double accuracy = report.value(QStringLiteral("accuracy")).toDouble(-1);
    QVERIFY(accuracy >= 0 && accuracy <= 1);
    QCOMPARE(report.value(QStringLiteral("by_type")).toObject().value(QStringLiteral("two_class")).toObject()
                 .value(QStringLiteral("total")).toInt(), 24);
    // Text form.
    run = freeavatar({QStringLiteral("eval-triplets"), QStringLiteral("--checkpoint"), m_tripletRun,
                      QStringLiteral("--triplets"), dataPath(QStringLiteral("images/yale_faces")),
                      QStringLiteral("--count"), QStringLiteral("24"), QStringLiteral("--quiet")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(QStringLiteral("TWO_CLASS_TRIPLET")), qPrintable(run.out));

    // A reference CSV (anchor,positive,negative,type) with images in --image-dir.
    const QString referenceCsv = fa::test::outputDir() + QStringLiteral("/reference.csv");
    QVERIFY(fa::test::writeFile(referenceCsv,
        "anchor,positive,negative,type\r\n"
        "subject01_happy.png,subject02_happy.png,subject03_sad.png,TWO_CLASS_TRIPLET\r\n"
        "subject06_sad.png,subject05_sad.png,subject06_surprised.png,TWO_CLASS_TRIPLET\r\n"
        "subject07_sleepy.png,subject08_wink.png,subject09_normal.png,THREE_CLASS_TRIPLET\r\n"));
    run = freeavatar({QStringLiteral("eval-triplets"), QStringLiteral("--checkpoint"), m_tripletRun,
                      QStringLiteral("--triplets"), referenceCsv, QStringLiteral("--image-dir"),
                      dataPath(QStringLiteral("images/yale_faces")), QStringLiteral("--json")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject csvReport = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(csvReport.value(QStringLiteral("total")).toInt(), 3);
    QCOMPARE(csvReport.value(QStringLiteral("by_type")).toObject().value(QStringLiteral("three_class")).toObject()
                 .value(QStringLiteral("total")).toInt(), 1);

    // embed: one row per frame with a face (every 15th frame of d3: 24 rows).
    const QString csv = fa::test::outputDir() + QStringLiteral("/d3-embeddings.csv");
    QFile::remove(csv);
    run = freeavatar({QStringLiteral("embed"), dataPath(QStringLiteral("videos/liveportrait_d3.mp4")),
                      QStringLiteral("--checkpoint"), m_tripletRun, QStringLiteral("--out"), csv,
                      QStringLiteral("--frame-step"), QStringLiteral("15")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QList<QByteArray> lines = fa::test::readFile(csv).trimmed().split('\n');
    QCOMPARE(lines.size(), 1 + 24);
    QVERIFY(lines[0].startsWith("source,frame,time_s,face,box_x,box_y,box_w,box_h,e0,e1,"));
    QVERIFY(lines[0].trimmed().endsWith(",e15"));
    QCOMPARE(lines[1].split(',').size(), 8 + 16);
    QCOMPARE(lines[2].split(',')[1], QByteArray("15"));
}

// A folder holding one ordinary group photo: every face of it is training data, found with the
// face finder flags (kept in config.yaml); a minimum size above every face says so.
void TestCliTrain::maeTrainsOnGroupPhoto()
{
    const QString folder = freshDir(QStringLiteral("group-photos"));
    QVERIFY(QDir().mkpath(folder));
    QVERIFY(QFile::link(dataPath(QStringLiteral("images/pexels_expressions/group.jpeg")),
                        folder + QStringLiteral("/group.jpeg")));
    const QString out = freshDir(QStringLiteral("mae-group"));
    Run run = freeavatar(QStringList{QStringLiteral("train"), QStringLiteral("mae")} + tinySizes()
                         + QStringList{QStringLiteral("--set"), QStringLiteral("batch_size=3"), QStringLiteral("--data"),
                                       folder, QStringLiteral("--min-face"), QStringLiteral("60"), QStringLiteral("--steps"),
                                       QStringLiteral("3"), QStringLiteral("--out"), out, QStringLiteral("--quiet")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
    QVERIFY2(run.out.contains(QStringLiteral("Step:      3 of 3")), qPrintable(run.out));
    const QByteArray config = fa::test::readFile(out + QStringLiteral("/config.yaml"));
    QVERIFY2(config.contains("min_face: 60") && config.contains("detector: dlib"), config.constData());
    QCOMPARE(lineCount(out + QStringLiteral("/metrics.jsonl")), 3);

    run = freeavatar(QStringList{QStringLiteral("train"), QStringLiteral("mae")} + tinySizes()
                     + QStringList{QStringLiteral("--data"), folder, QStringLiteral("--min-face"), QStringLiteral("400"),
                                   QStringLiteral("--steps"), QStringLiteral("3"), QStringLiteral("--out"),
                                   freshDir(QStringLiteral("mae-group-large")), QStringLiteral("--quiet")});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(QStringLiteral("no face found")) && run.err.contains(QStringLiteral("too small (below 400 px)")),
             qPrintable(run.err));
}

void TestCliTrain::badInput_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message"); // expected in the one-line error
    const QString video = dataPath(QStringLiteral("videos/liveportrait_d3.mp4"));
    const QString out = fa::test::outputDir() + QStringLiteral("/bad-run");
    QTest::newRow("missing data") << QStringList{QStringLiteral("train"), QStringLiteral("mae"), QStringLiteral("--data"),
                                                 QStringLiteral("/no/such.mp4"), QStringLiteral("--steps"), QStringLiteral("5"),
                                                 QStringLiteral("--out"), out}
                                  << QStringLiteral("freeavatar train: /no/such.mp4: no such file or folder");
    QTest::newRow("unknown kind") << QStringList{QStringLiteral("train"), QStringLiteral("rig"), QStringLiteral("--out"), out}
                                  << QStringLiteral("unknown kind 'rig' (mae, triplet, renderer or rig-decoder)");
    QTest::newRow("bad preset") << QStringList{QStringLiteral("train"), QStringLiteral("mae"), QStringLiteral("--preset"),
                                               QStringLiteral("huge"), QStringLiteral("--out"), out}
                                << QStringLiteral("--preset: unknown preset 'huge'");
    QTest::newRow("bad set") << QStringList{QStringLiteral("train"), QStringLiteral("mae"), QStringLiteral("--set"),
                                            QStringLiteral("lr=fast"), QStringLiteral("--data"), video,
                                            QStringLiteral("--steps"), QStringLiteral("5"), QStringLiteral("--out"), out}
                             << QStringLiteral("--set lr: 'fast' is not a finite number");
    QTest::newRow("unknown key") << QStringList{QStringLiteral("train"), QStringLiteral("mae"), QStringLiteral("--set"),
                                                QStringLiteral("learning_rate=1"), QStringLiteral("--steps"),
                                                QStringLiteral("5"), QStringLiteral("--out"), out}
                                 << QStringLiteral("learning_rate: unknown key");
    QTest::newRow("min face too small") << QStringList{QStringLiteral("train"), QStringLiteral("mae"), QStringLiteral("--data"),
                                                       video, QStringLiteral("--min-face"), QStringLiteral("2"),
                                                       QStringLiteral("--steps"), QStringLiteral("5"), QStringLiteral("--out"), out}
                                        << QStringLiteral("--min-face: '2' is not a whole number of pixels (8-4096)");
    QTest::newRow("unknown detector") << QStringList{QStringLiteral("embed"), video, QStringLiteral("--checkpoint"),
                                                     QStringLiteral("TRIPLET_RUN"), QStringLiteral("--out"),
                                                     out + QStringLiteral(".csv"), QStringLiteral("--detector"),
                                                     QStringLiteral("hog")}
                                      << QStringLiteral("--detector: unknown detector 'hog' (dlib or yunet)");
    QTest::newRow("no steps") << QStringList{QStringLiteral("train"), QStringLiteral("mae"), QStringLiteral("--data"), video,
                                             QStringLiteral("--out"), out}
                              << QStringLiteral("--steps N is required");
    QTest::newRow("bad config file") << QStringList{QStringLiteral("train"), QStringLiteral("mae"), QStringLiteral("--config"),
                                                    video, QStringLiteral("--steps"), QStringLiteral("5"),
                                                    QStringLiteral("--out"), out}
                                     << video + QLatin1Char(':');
    QTest::newRow("resume nothing") << QStringList{QStringLiteral("train"), QStringLiteral("mae"), QStringLiteral("--resume"),
                                                   QStringLiteral("--out"), out + QStringLiteral("-none")}
                                    << QStringLiteral("no training run here (config.yaml is missing)");
    QTest::newRow("no face") << QStringList{QStringLiteral("train"), QStringLiteral("mae"), QStringLiteral("--data"),
                                            QStringLiteral("EMPTY_DIR"), QStringLiteral("--quiet"),
                                            QStringLiteral("--steps"), QStringLiteral("5"), QStringLiteral("--out"),
                                            out + QStringLiteral("-noface")}
                             << QString(); // filled in badInput(): a folder without faces
    QTest::newRow("eval no checkpoint") << QStringList{QStringLiteral("eval-triplets"), QStringLiteral("--checkpoint"),
                                                       QStringLiteral("/no/run"), QStringLiteral("--triplets"),
                                                       dataPath(QStringLiteral("images/yale_faces"))}
                                        << QStringLiteral("freeavatar eval-triplets: /no/run: no such folder");
    QTest::newRow("eval missing csv") << QStringList{QStringLiteral("eval-triplets"), QStringLiteral("--checkpoint"),
                                                     QStringLiteral("TRIPLET_RUN"), QStringLiteral("--triplets"),
                                                     QStringLiteral("/no/triplets.csv")}
                                      << QStringLiteral("/no/triplets.csv: no such file or folder");
    QTest::newRow("embed missing file") << QStringList{QStringLiteral("embed"), QStringLiteral("/no/video.mp4"),
                                                       QStringLiteral("--checkpoint"), QStringLiteral("TRIPLET_RUN"),
                                                       QStringLiteral("--out"), out + QStringLiteral(".csv")}
                                        << QStringLiteral("freeavatar embed: /no/video.mp4: no such file");
    QTest::newRow("embed with mae run") << QStringList{QStringLiteral("embed"), video, QStringLiteral("--checkpoint"),
                                                       QStringLiteral("MAE_RUN"), QStringLiteral("--out"),
                                                       out + QStringLiteral(".csv")}
                                        << QStringLiteral("a mae run has no expression head");
    QTest::newRow("embed out folder") << QStringList{QStringLiteral("embed"), video, QStringLiteral("--checkpoint"),
                                                     QStringLiteral("TRIPLET_RUN"), QStringLiteral("--out"),
                                                     QStringLiteral("/no/dir/x.csv")}
                                      << QStringLiteral("/no/dir/x.csv: the folder /no/dir does not exist");
}

void TestCliTrain::badInput()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    if (arguments.contains(QStringLiteral("MAE_RUN")) && m_maeRun.isEmpty())
        QSKIP("needs the run of trainMaeWritesRunFolder");
    for (QString &a : arguments) {
        if (a == QLatin1String("TRIPLET_RUN"))
            a = m_tripletRun;
        if (a == QLatin1String("MAE_RUN"))
            a = m_maeRun;
    }
    if (arguments.contains(QStringLiteral("EMPTY_DIR"))) {
        // A folder with no image or video: no face to train on.
        const QString empty = freshDir(QStringLiteral("no-faces"));
        QVERIFY(QDir().mkpath(empty));
        QVERIFY(fa::test::writeFile(empty + QStringLiteral("/notes.txt"), "no faces here"));
        arguments[arguments.indexOf(QStringLiteral("EMPTY_DIR"))] = empty;
        message = empty + QStringLiteral(": no face found");
    }
    QDir(fa::test::outputDir() + QStringLiteral("/bad-run")).removeRecursively();
    const Run run = freeavatar(arguments);
    QVERIFY2(run.exitCode == 2, qPrintable(QStringLiteral("exit %1: %2").arg(run.exitCode).arg(run.err)));
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
    QVERIFY2(run.err.trimmed().count(QLatin1Char('\n')) == 0, qPrintable(run.err));
    QVERIFY(run.err.startsWith(QStringLiteral("freeavatar ")));
}

QTEST_GUILESS_MAIN(TestCliTrain)
#include "test_cli_train.moc"
