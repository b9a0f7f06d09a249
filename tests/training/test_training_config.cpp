// TrainingConfig: presets with the reference defaults, YAML round trip, --set, bad keys and
// values; MetricsLog lines; checkpoint folder layout (atomic commit, listing, pruning).
#include "training/checkpoint.h"
#include "training/metrics_log.h"
#include "training/memory_estimate.h"
#include "training/training_config.h"
#include "training/training_presets.h"

#include "test_files.h"

#include <QDir>
#include <QFile>
#include <QtTest>

using fa::TrainingConfig;

class TestTrainingConfig : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void presetsHaveReferenceDefaults();
    void rendererPresets();
    void rigDecoderPresets();
    void unknownPreset();
    void yamlRoundTrip_data();
    void yamlRoundTrip();
    void partialYamlTakesPresetDefaults();
    void yamlKindMustMatch();
    void badYaml_data();
    void badYaml();
    void setValues();
    void badSet_data();
    void badSet();
    void crossKeyProblems_data();
    void crossKeyProblems();
    void metricsLineRoundTrip();
    void metricsLineRejectsHugeSteps_data();
    void metricsLineRejectsHugeSteps();
    void metricsLogTruncatesOnResume();
    void checkpointFoldersAreAtomic();
    void checkpointStateRoundTrip();
    void memoryEstimate_data();
    void memoryEstimate();
};

void TestTrainingConfig::presetsHaveReferenceDefaults()
{
    QString error;
    // MAE (REFERENCE.md section 2): AdamW (0.9, 0.95), wd 0.05, blr 1.5e-4, 5 % warm-up, cosine,
    // mask 0.75, norm_pix_loss, decoder 512/8/16 for ViT-B.
    const std::optional<TrainingConfig> mae = fa::trainingPreset(QStringLiteral("mae"), QStringLiteral("vit-b"), &error);
    QVERIFY2(mae, qPrintable(error));
    QCOMPARE(mae->optimizer, QStringLiteral("adamw"));
    QCOMPARE(mae->beta1, 0.9);
    QCOMPARE(mae->beta2, 0.95);
    QCOMPARE(mae->weightDecay, 0.05);
    QCOMPARE(mae->baseLr, 1.5e-4);
    QCOMPARE(mae->learningRate(), 1.5e-4 * mae->batchSize / 256.0);
    QCOMPARE(mae->warmupFraction, 0.05);
    QCOMPARE(mae->schedule, QStringLiteral("cosine"));
    QCOMPARE(mae->maskRatio, 0.75);
    QVERIFY(mae->normPixLoss);
    QCOMPARE(mae->embedDim, 768);
    QCOMPARE(mae->depth, 12);
    QCOMPARE(mae->numHeads, 12);
    QCOMPARE(mae->decoderEmbedDim, 512);
    QCOMPARE(mae->decoderDepth, 8);
    QCOMPARE(mae->decoderNumHeads, 16);
    QCOMPARE(mae->imageSize, 224);
    QCOMPARE(mae->patchSize, 16);
    QCOMPARE(mae->cropScaleMin, 0.2);
    QVERIFY2(mae->validate(&error), qPrintable(error));

    // Triplet: SGD 0.002, momentum 0.9, wd 5e-5, batch 64, RandAugment m9, erasing 0.25.
    const std::optional<TrainingConfig> triplet = fa::trainingPreset(QStringLiteral("triplet"), QStringLiteral("vit-b"), &error);
    QVERIFY2(triplet, qPrintable(error));
    QCOMPARE(triplet->optimizer, QStringLiteral("sgd"));
    QCOMPARE(triplet->learningRate(), 0.002);
    QCOMPARE(triplet->momentum, 0.9);
    QCOMPARE(triplet->weightDecay, 5e-5);
    QCOMPARE(triplet->batchSize, 64);
    QCOMPARE(triplet->randAugmentMagnitude, 9);
    QCOMPARE(triplet->randomErasing, 0.25);
    QCOMPARE(triplet->cropScaleMin, 0.08);
    QCOMPARE(triplet->embeddingSize, 16);
    QVERIFY2(triplet->validate(&error), qPrintable(error));

    // Encoder sizes: ViT-Ti/16, ViT-S/16.
    for (const QString &kind : {QStringLiteral("mae"), QStringLiteral("triplet")}) {
        const auto tiny = fa::trainingPreset(kind, QStringLiteral("tiny"));
        const auto small = fa::trainingPreset(kind, QStringLiteral("small"));
        const auto base = fa::trainingPreset(kind, QStringLiteral("base"));
        QVERIFY(tiny && small && base);
        QCOMPARE(tiny->embedDim, 192);
        QCOMPARE(tiny->numHeads, 3);
        QCOMPARE(small->embedDim, 384);
        QCOMPARE(small->numHeads, 6);
        QCOMPARE(base->preset, QStringLiteral("vit-b"));
        QVERIFY2(tiny->validate(&error), qPrintable(error));
        QVERIFY2(small->validate(&error), qPrintable(error));
    }
}

void TestTrainingConfig::rendererPresets()
{
    // REFERENCE.md section 4: 256 px, ngf 128, batch 128, Adam lr 1e-5 betas (0, 0.99), no weight
    // decay, warm restarts T0 500 x2 down to 1e-6, region weight 10.
    const TrainingConfig paper = *fa::trainingPreset(QStringLiteral("renderer"), QStringLiteral("paper"));
    QCOMPARE(paper.rendererSize, 256);
    QCOMPARE(paper.rendererWidth, 128);
    QCOMPARE(paper.batchSize, 128);
    QCOMPARE(paper.learningRate(), 1e-5);
    QCOMPARE(paper.minLr, 1e-6);
    QCOMPARE(paper.beta1, 0.0);
    QCOMPARE(paper.beta2, 0.99);
    QCOMPARE(paper.weightDecay, 0.0);
    QCOMPARE(paper.schedule, QStringLiteral("restarts"));
    QCOMPARE(paper.restartPeriod, qint64(500));
    QCOMPARE(paper.restartMult, 2);
    QCOMPARE(paper.regionWeight, 10.0);
    QVERIFY2(paper.validate(nullptr), qPrintable(paper.problems()));
    const TrainingConfig tiny = *fa::trainingPreset(QStringLiteral("renderer"), QStringLiteral("tiny"));
    QCOMPARE(tiny.rendererSize, 64);
    QVERIFY(tiny.validate(nullptr));
    QCOMPARE(fa::trainingPresetNames(QStringLiteral("renderer")), (QStringList{QStringLiteral("tiny"), QStringLiteral("paper")}));
    QString error;
    QVERIFY(!fa::trainingPreset(QStringLiteral("renderer"), QStringLiteral("vit-b"), &error));
    QCOMPARE(error, QStringLiteral("unknown preset 'vit-b' (tiny or paper)"));
    QVERIFY(!fa::trainingPreset(QStringLiteral("mae"), QStringLiteral("paper"), &error));
    // Keys shown per kind.
    QVERIFY(TrainingConfig::keyApplies(QStringLiteral("renderer_size"), QStringLiteral("renderer")));
    QVERIFY(!TrainingConfig::keyApplies(QStringLiteral("renderer_size"), QStringLiteral("mae")));
    QVERIFY(!TrainingConfig::keyApplies(QStringLiteral("embed_dim"), QStringLiteral("renderer")));
    QVERIFY(TrainingConfig::keyApplies(QStringLiteral("lr"), QStringLiteral("renderer")));
    QVERIFY(TrainingConfig::keyApplies(QStringLiteral("embed_dim"), QStringLiteral("triplet")));
    // A renderer run's YAML may not name an encoder preset.
    QVERIFY(!TrainingConfig::fromYaml("kind: renderer\npreset: small\n", &error));
}

void TestTrainingConfig::rigDecoderPresets()
{
    // REFERENCE.md section 5: hidden 512, 2 residual blocks, dropout 0.1, 10 identity rows,
    // weights rig 10 / embedding 0.2 / image 1, Adam lr 1e-5 betas (0, 0.99), warm restarts,
    // batch 16.
    TrainingConfig paper = *fa::trainingPreset(QStringLiteral("rig-decoder"), QStringLiteral("paper"));
    QCOMPARE(paper.rigHidden, 512);
    QCOMPARE(paper.rigBlocks, 2);
    QCOMPARE(paper.rigDropout, 0.1);
    QCOMPARE(paper.identityRows, 10);
    QCOMPARE(paper.rigWeight, 10.0);
    QCOMPARE(paper.embeddingWeight, 0.2);
    QCOMPARE(paper.imageWeight, 1.0);
    QCOMPARE(paper.symmetryWeight, 0.0);
    QCOMPARE(paper.learningRate(), 1e-5);
    QCOMPARE(paper.beta1, 0.0);
    QCOMPARE(paper.beta2, 0.99);
    QCOMPARE(paper.schedule, QStringLiteral("restarts"));
    QCOMPARE(paper.batchSize, 16);
    QCOMPARE(paper.expressionSpace, QStringLiteral("embedding"));
    // It needs an encoder and at least one avatar; no more avatars than identity rows.
    QCOMPARE(paper.problems(), QStringLiteral("encoder: a rig decoder needs the triplet run of its encoder; avatars: a rig "
                                              "decoder needs at least one AVATAR:RENDERER_RUN"));
    paper.encoder = QStringLiteral("/runs/enc");
    paper.avatars = {QStringLiteral("mannequin:/r1"), QStringLiteral("a.glb:/r2")};
    QVERIFY2(paper.validate(nullptr), qPrintable(paper.problems()));
    QString error;
    QVERIFY(paper.set(QStringLiteral("identity_rows"), QStringLiteral("1"), &error));
    QCOMPARE(paper.problems(), QStringLiteral("avatars: 2 avatars do not fit identity_rows 1"));
    QVERIFY(!paper.set(QStringLiteral("expression_space"), QStringLiteral("cls"), &error));
    QVERIFY(!paper.set(QStringLiteral("rig_dropout"), QStringLiteral("1"), &error));
    // Keys shown per kind.
    QVERIFY(TrainingConfig::keyApplies(QStringLiteral("avatars"), QStringLiteral("rig-decoder")));
    QVERIFY(TrainingConfig::keyApplies(QStringLiteral("held_out_fraction"), QStringLiteral("rig-decoder")));
    QVERIFY(TrainingConfig::keyApplies(QStringLiteral("video_frame_step"), QStringLiteral("rig-decoder")));
    QVERIFY(!TrainingConfig::keyApplies(QStringLiteral("embed_dim"), QStringLiteral("rig-decoder")));
    QVERIFY(!TrainingConfig::keyApplies(QStringLiteral("renderer_width"), QStringLiteral("rig-decoder")));
    QVERIFY(!TrainingConfig::keyApplies(QStringLiteral("avatars"), QStringLiteral("renderer")));
    QVERIFY(!TrainingConfig::keyApplies(QStringLiteral("rig_weight"), QStringLiteral("triplet")));
    QVERIFY(!TrainingConfig::keyApplies(QStringLiteral("held_out_fraction"), QStringLiteral("mae")));
    // AVATAR:RENDERER_RUN splits at the last ':'.
    QString avatar, run;
    QVERIFY(fa::splitAvatarSpec(QStringLiteral("/a:b/c.glb:/runs/r"), &avatar, &run));
    QCOMPARE(avatar, QStringLiteral("/a:b/c.glb"));
    QCOMPARE(run, QStringLiteral("/runs/r"));
    QVERIFY(!fa::splitAvatarSpec(QStringLiteral("mannequin:"), &avatar, &run));
    QVERIFY(!fa::splitAvatarSpec(QStringLiteral("/runs/r"), &avatar, &run));
}

void TestTrainingConfig::unknownPreset()
{
    QString error;
    QVERIFY(!fa::trainingPreset(QStringLiteral("mae"), QStringLiteral("huge"), &error));
    QCOMPARE(error, QStringLiteral("unknown preset 'huge' (tiny, small or vit-b)"));
    QVERIFY(!fa::trainingPreset(QStringLiteral("rig"), QStringLiteral("tiny"), &error));
    QCOMPARE(error, QStringLiteral("unknown kind 'rig' (mae, triplet, renderer or rig-decoder)"));
}

void TestTrainingConfig::yamlRoundTrip_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("preset");
    for (const char *kind : {"mae", "triplet"})
        for (const char *preset : {"tiny", "small", "vit-b"})
            QTest::addRow("%s-%s", kind, preset) << QString::fromLatin1(kind) << QString::fromLatin1(preset);
    for (const char *kind : {"renderer", "rig-decoder"})
        for (const char *preset : {"tiny", "paper"})
            QTest::addRow("%s-%s", kind, preset) << QString::fromLatin1(kind) << QString::fromLatin1(preset);
}

void TestTrainingConfig::yamlRoundTrip()
{
    QFETCH(QString, kind);
    QFETCH(QString, preset);
    TrainingConfig config = *fa::trainingPreset(kind, preset);
    // Values that stress the writer: paths with ':', '#', quotes, blanks; odd doubles; big seed.
    config.data = QStringList{QStringLiteral("/data/a b/x.mp4"), QStringLiteral("C:/odd #dir/\"q\".csv")};
    config.validation = QStringList{QStringLiteral("/v/yale")};
    config.init = QStringLiteral("runs/mae: first");
    config.lr = 0.1 + 0.2;
    config.minLr = 1e-7;
    config.seed = 18446744073709551615ull;
    config.steps = 123456789012LL;
    if (config.isRigDecoder()) {
        config.encoder = QStringLiteral("/runs/enc: #1");
        config.avatars = QStringList{QStringLiteral("mannequin:/runs/r1"), QStringLiteral("/a b/face cap.glb:/runs/r2")};
    }
    const QByteArray yaml = config.toYaml();
    QString error;
    const std::optional<TrainingConfig> back = TrainingConfig::fromYaml(yaml, &error);
    QVERIFY2(back, qPrintable(error + QLatin1Char('\n') + QString::fromUtf8(yaml)));
    QCOMPARE(back->toYaml(), yaml);
    QVERIFY(*back == config);
    QCOMPARE(back->data, config.data);
    QCOMPARE(back->init, config.init);
    QCOMPARE(back->avatars, config.avatars);
    QCOMPARE(back->encoder, config.encoder);
    QCOMPARE(back->lr, 0.1 + 0.2);
    QCOMPARE(back->seed, config.seed);

    // Through a file as well.
    const QString path = fa::test::outputDir() + QStringLiteral("/roundtrip.yaml");
    QVERIFY2(config.writeYamlFile(path, &error), qPrintable(error));
    const std::optional<TrainingConfig> fromFile = TrainingConfig::fromYamlFile(path, &error);
    QVERIFY2(fromFile, qPrintable(error));
    QVERIFY(*fromFile == config);
}

void TestTrainingConfig::partialYamlTakesPresetDefaults()
{
    QString error;
    const auto config = TrainingConfig::fromYaml("kind: triplet\npreset: small\nlr: 0.01\ndata:\n  - /x/project\n", &error);
    QVERIFY2(config, qPrintable(error));
    const auto small = fa::trainingPreset(QStringLiteral("triplet"), QStringLiteral("small"));
    QCOMPARE(config->embedDim, small->embedDim);
    QCOMPARE(config->optimizer, QStringLiteral("sgd"));
    QCOMPARE(config->lr, 0.01);
    QCOMPARE(config->data, QStringList{QStringLiteral("/x/project")});

    // Without kind/preset the defaults given by the caller (the command line) apply.
    TrainingConfig defaults = *fa::trainingPreset(QStringLiteral("mae"), QStringLiteral("tiny"));
    defaults.steps = 77;
    const auto partial = TrainingConfig::fromYaml("batch_size: 8\n", &error, &defaults);
    QVERIFY2(partial, qPrintable(error));
    QCOMPARE(partial->batchSize, 8);
    QCOMPARE(partial->steps, qint64(77));
    QCOMPARE(partial->kind, QStringLiteral("mae"));
    // An empty file is the defaults.
    const auto empty = TrainingConfig::fromYaml("", &error, &defaults);
    QVERIFY2(empty, qPrintable(error));
    QVERIFY(*empty == defaults);
}

void TestTrainingConfig::yamlKindMustMatch()
{
    const TrainingConfig defaults = *fa::trainingPreset(QStringLiteral("mae"), QStringLiteral("tiny"));
    QString error;
    QVERIFY(!TrainingConfig::fromYaml("kind: triplet\n", &error, &defaults));
    QCOMPARE(error, QStringLiteral("1: kind: the file is for 'triplet' runs, not 'mae'"));
}

void TestTrainingConfig::badYaml_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown key") << QByteArray("kind: mae\nlearning_rate: 0.1\n")
                                 << QStringLiteral("2: learning_rate: unknown key (see freeavatar train --help for the keys)");
    QTest::newRow("not a number") << QByteArray("kind: mae\nlr: fast\n") << QStringLiteral("2: lr: 'fast' is not a finite number");
    QTest::newRow("negative lr") << QByteArray("lr: -1\n") << QStringLiteral("1: lr: -1 must be >= 0");
    QTest::newRow("nan") << QByteArray("lr: .nan\n") << QStringLiteral("1: lr: '.nan' is not a finite number");
    QTest::newRow("zero steps") << QByteArray("steps: 0\n") << QStringLiteral("1: steps: 0 is below 1");
    QTest::newRow("fraction steps") << QByteArray("steps: 1.5\n") << QStringLiteral("1: steps: '1.5' is not an integer");
    QTest::newRow("mask 1") << QByteArray("mask_ratio: 1\n") << QStringLiteral("1: mask_ratio: 1 is outside (0, 1)");
    QTest::newRow("bad optimizer") << QByteArray("optimizer: adam\n") << QStringLiteral("1: optimizer: 'adam' is not one of adamw, sgd");
    QTest::newRow("bad bool") << QByteArray("bf16: maybe\n") << QStringLiteral("1: bf16: 'maybe' is not true or false");
    QTest::newRow("bad device") << QByteArray("device: tpu\n") << QStringLiteral("1: device: 'tpu' is not one of auto, cpu, cuda");
    QTest::newRow("list for scalar") << QByteArray("lr: [1, 2]\n") << QStringLiteral("1: lr: expected a single value");
    QTest::newRow("no value") << QByteArray("steps:\n") << QStringLiteral("1: steps: no value");
    QTest::newRow("not a mapping") << QByteArray("- a\n- b\n") << QStringLiteral("expected a mapping of keys (key: value), one per line");
    QTest::newRow("bad preset") << QByteArray("preset: huge\n") << QStringLiteral("unknown preset 'huge' (tiny, small or vit-b)");
    QTest::newRow("syntax") << QByteArray("lr: [1, 2\n") << QString(); // yaml-cpp's own message
    // Issue 16: yaml-cpp keeps both entries of a repeated key; the second is refused.
    QTest::newRow("duplicate key") << QByteArray("steps: 3\nlr: 0.1\nsteps: 5\n")
                                   << QStringLiteral("3: steps: given twice (first on line 1)");
    QTest::newRow("duplicate kind") << QByteArray("kind: mae\nkind: triplet\n")
                                    << QStringLiteral("2: kind: given twice (first on line 1)");
}

void TestTrainingConfig::badYaml()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, expected);
    QString error;
    QVERIFY(!TrainingConfig::fromYaml(yaml, &error));
    if (expected.isEmpty())
        QVERIFY2(QRegularExpression(QStringLiteral("^\\d+:\\d+: .+")).match(error).hasMatch(), qPrintable(error));
    else
        QCOMPARE(error, expected);

    // A file prefixes its path.
    const QString path = fa::test::outputDir() + QStringLiteral("/bad.yaml");
    QVERIFY(fa::test::writeFile(path, yaml));
    QVERIFY(!TrainingConfig::fromYamlFile(path, &error));
    QVERIFY2(error.startsWith(path + QLatin1Char(':')), qPrintable(error));
    QVERIFY(!TrainingConfig::fromYamlFile(path + QStringLiteral(".missing"), &error));
    QVERIFY2(error.startsWith(path + QStringLiteral(".missing: cannot read")), qPrintable(error));
}

void TestTrainingConfig::setValues()
{
    TrainingConfig config = *fa::trainingPreset(QStringLiteral("triplet"), QStringLiteral("tiny"));
    QString error;
    QVERIFY2(config.set(QStringLiteral("image_size"), QStringLiteral("64"), &error), qPrintable(error));
    QVERIFY2(config.set(QStringLiteral("patch_size"), QStringLiteral("8"), &error), qPrintable(error));
    QVERIFY2(config.set(QStringLiteral("lr"), QStringLiteral("1e30"), &error), qPrintable(error));
    QVERIFY2(config.set(QStringLiteral("bf16"), QStringLiteral("yes"), &error), qPrintable(error));
    QVERIFY2(config.set(QStringLiteral("optimizer"), QStringLiteral("AdamW"), &error), qPrintable(error));
    QVERIFY2(config.set(QStringLiteral("data"), QStringLiteral("/a,/b"), &error), qPrintable(error));
    QVERIFY2(config.set(QStringLiteral("seed"), QStringLiteral("42"), &error), qPrintable(error));
    QCOMPARE(config.imageSize, 64);
    QCOMPARE(config.patchSize, 8);
    QCOMPARE(config.lr, 1e30);
    QVERIFY(config.bf16);
    QCOMPARE(config.optimizer, QStringLiteral("adamw"));
    QCOMPARE(config.data, (QStringList{QStringLiteral("/a"), QStringLiteral("/b")}));
    QCOMPARE(config.seed, quint64(42));
    QCOMPARE(config.value(QStringLiteral("lr")), QStringLiteral("1e+30"));
    QCOMPARE(config.value(QStringLiteral("image_size")), QStringLiteral("64"));
    QVERIFY2(config.validate(&error), qPrintable(error));
    // Every key has a value and round-trips through set().
    for (const QString &key : TrainingConfig::keys()) {
        if (key == QLatin1String("kind") || key == QLatin1String("preset"))
            continue;
        TrainingConfig copy = config;
        QVERIFY2(copy.set(key, config.value(key), &error), qPrintable(key + QStringLiteral(": ") + error));
        QVERIFY2(copy == config, qPrintable(key));
    }
}

void TestTrainingConfig::badSet_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown") << "lerning_rate" << "1" << "lerning_rate: unknown key (see freeavatar train --help for the keys)";
    QTest::newRow("kind") << "kind" << "triplet" << "kind: chosen by the command and --preset, not by --set";
    QTest::newRow("int") << "batch_size" << "many" << "batch_size: 'many' is not an integer";
    QTest::newRow("int range") << "batch_size" << "0" << "batch_size: 0 is outside 1..1000000";
    QTest::newRow("overflow") << "image_size" << "99999999999" << "image_size: 99999999999 is out of range";
    QTest::newRow("momentum") << "momentum" << "1" << "momentum: 1 is outside [0, 1)";
    QTest::newRow("seed") << "seed" << "-3" << "seed: '-3' is not a non-negative integer";
    QTest::newRow("schedule") << "schedule" << "step" << "schedule: 'step' is not one of cosine, constant, restarts";
    QTest::newRow("inf") << "lr" << "inf" << "lr: 'inf' is not a finite number";
}

void TestTrainingConfig::badSet()
{
    QFETCH(QString, key);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    TrainingConfig config = *fa::trainingPreset(QStringLiteral("mae"), QStringLiteral("tiny"));
    const TrainingConfig before = config;
    QString error;
    QVERIFY(!config.set(key, value, &error));
    QCOMPARE(error, expected);
    QVERIFY(config == before); // unchanged
}

void TestTrainingConfig::crossKeyProblems_data()
{
    QTest::addColumn<QStringList>("settings");
    QTest::addColumn<QString>("expected");
    QTest::newRow("patch") << QStringList{QStringLiteral("image_size=60"), QStringLiteral("patch_size=16")}
                           << "image_size: 60 is not a multiple of patch_size 16";
    QTest::newRow("heads") << QStringList{QStringLiteral("embed_dim=64"), QStringLiteral("num_heads=3")}
                           << "embed_dim: 64 is not a multiple of num_heads 3";
    QTest::newRow("sincos") << QStringList{QStringLiteral("embed_dim=66"), QStringLiteral("num_heads=1")}
                            << "embed_dim: 66 is not a multiple of 4 (2-D sin-cos position embedding)";
    QTest::newRow("decoder heads") << QStringList{QStringLiteral("decoder_embed_dim=64"), QStringLiteral("decoder_num_heads=5")}
                                   << "decoder_embed_dim: 64 is not a multiple of decoder_num_heads 5";
    QTest::newRow("mask") << QStringList{QStringLiteral("image_size=32"), QStringLiteral("patch_size=16"), QStringLiteral("mask_ratio=0.8")}
                          << "mask_ratio: 0.8 leaves no visible patch of 4";
    QTest::newRow("zero lr") << QStringList{QStringLiteral("lr=0"), QStringLiteral("base_lr=0")}
                             << "lr: the learning rate is 0 (set lr, or base_lr for lr = base_lr * batch_size / 256)";
    QTest::newRow("min lr") << QStringList{QStringLiteral("lr=0.001"), QStringLiteral("min_lr=0.01")}
                            << "min_lr: 0.01 is above the learning rate 0.001";
    QTest::newRow("renderer size") << QStringList{QStringLiteral("renderer_size=100")}
                                   << "renderer_size: 100 is not 64, 128 or 256";
}

void TestTrainingConfig::crossKeyProblems()
{
    QFETCH(QStringList, settings);
    QFETCH(QString, expected);
    TrainingConfig config = *fa::trainingPreset(QStringLiteral("mae"), QStringLiteral("tiny"));
    QString error;
    for (const QString &s : settings)
        QVERIFY2(config.set(s.section(QLatin1Char('='), 0, 0), s.section(QLatin1Char('='), 1), &error), qPrintable(error));
    QVERIFY(!config.validate(&error));
    QCOMPARE(error, expected);
}

void TestTrainingConfig::metricsLineRoundTrip()
{
    fa::TrainingMetrics m;
    m.step = 40;
    m.totalSteps = 100;
    m.loss = 0.123456789012345;
    m.learningRate = 1.5e-4;
    m.imagesPerSecond = 33.5;
    m.loaderWaitFraction = 0.02;
    m.elapsedSeconds = 12.25;
    m.validationAccuracy = 0.875;
    m.validationAccuracyByType[QStringLiteral("two_class")] = 0.875;
    const QByteArray line = fa::MetricsLog::toJsonLine(m);
    QVERIFY(!line.contains('\n'));
    QVERIFY2(line.contains("\"val_accuracy_two_class\":0.875"), line.constData());
    QVERIFY2(line.contains("\"images_per_s\":33.5"), line.constData());
    const auto back = fa::MetricsLog::fromJsonLine(line);
    QVERIFY(back);
    QCOMPARE(back->step, qint64(40));
    QCOMPARE(back->loss, m.loss);
    QCOMPARE(back->learningRate, m.learningRate);
    QCOMPARE(*back->validationAccuracy, 0.875);
    QCOMPARE(back->validationAccuracyByType.at(QStringLiteral("two_class")), 0.875);
    QVERIFY(!back->validationLoss);
    QVERIFY(!back->validationPsnr && !back->trainL1);
    // The renderer's scores.
    fa::TrainingMetrics r = m;
    r.validationAccuracy.reset();
    r.validationAccuracyByType.clear();
    r.validationLoss = 0.25;
    r.validationL1 = 0.0625;
    r.validationPsnr = 27.5;
    r.validationRegionL1 = 0.125;
    r.trainL1 = 0.03125;
    r.trainPsnr = 29.25;
    r.trainRegionL1 = 0.1;
    const QByteArray rendererLine = fa::MetricsLog::toJsonLine(r);
    QVERIFY2(rendererLine.contains("\"val_psnr\":27.5") && rendererLine.contains("\"train_region_l1\":0.1"),
             rendererLine.constData());
    const auto rendererBack = fa::MetricsLog::fromJsonLine(rendererLine);
    QVERIFY(rendererBack);
    QCOMPARE(*rendererBack->validationL1, 0.0625);
    QCOMPARE(*rendererBack->validationPsnr, 27.5);
    QCOMPARE(*rendererBack->validationRegionL1, 0.125);
    QCOMPARE(*rendererBack->trainL1, 0.03125);
    QCOMPARE(*rendererBack->trainPsnr, 29.25);
    QCOMPARE(*rendererBack->trainRegionL1, 0.1);
    QVERIFY(rendererBack->avatarScores.empty());
    // The rig decoder's per-avatar scores (avatar names may hold ':' and blanks).
    fa::TrainingMetrics d = m;
    d.avatarScores[QStringLiteral("rig_mse:Mannequin")] = 0.015625;
    d.avatarScores[QStringLiteral("embedding_distance:Face: cap 2")] = 0.5;
    const QByteArray decoderLine = fa::MetricsLog::toJsonLine(d);
    QVERIFY2(decoderLine.contains("\"val_avatar_rig_mse:Mannequin\":0.015625"), decoderLine.constData());
    const auto decoderBack = fa::MetricsLog::fromJsonLine(decoderLine);
    QVERIFY(decoderBack);
    QCOMPARE(decoderBack->avatarScores, d.avatarScores);
    // A diverged mean is written as null, not as invalid JSON.
    m.loss = std::nan("");
    const QByteArray nanLine = fa::MetricsLog::toJsonLine(m);
    QVERIFY2(nanLine.contains("\"loss\":null"), nanLine.constData());
    QVERIFY(std::isnan(fa::MetricsLog::fromJsonLine(nanLine)->loss));
}

// fuzz/crashes/metrics_log: step counts that qint64 cannot hold were converted with undefined
// behaviour; such a line is skipped like any other corrupt line.
void TestTrainingConfig::metricsLineRejectsHugeSteps_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("read");
    QTest::addColumn<qint64>("totalSteps");
    QTest::newRow("huge step") << QByteArray(R"({"step":1e300,"total_steps":100})") << false << qint64(0);
    QTest::newRow("glued lines") << QByteArray(R"({"step":20008197934180498123})") << false << qint64(0);
    QTest::newRow("negative huge") << QByteArray(R"({"step":-1e19})") << false << qint64(0);
    QTest::newRow("huge total") << QByteArray(R"({"step":5,"total_steps":1e300})") << false << qint64(0);
    QTest::newRow("null total") << QByteArray(R"({"step":5,"total_steps":null})") << true << qint64(0);
    QTest::newRow("large but fine") << QByteArray(R"({"step":5,"total_steps":4e18})") << true
                                    << qint64(4000000000000000000);
}

void TestTrainingConfig::metricsLineRejectsHugeSteps()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, read);
    QFETCH(qint64, totalSteps);
    const std::optional<fa::TrainingMetrics> m = fa::MetricsLog::fromJsonLine(line);
    QCOMPARE(bool(m), read);
    if (m) {
        QCOMPARE(m->step, qint64(5));
        QCOMPARE(m->totalSteps, totalSteps);
    }
}

void TestTrainingConfig::metricsLogTruncatesOnResume()
{
    const QString path = fa::test::outputDir() + QStringLiteral("/metrics.jsonl");
    QFile::remove(path);
    fa::MetricsLog log;
    QString error;
    QVERIFY2(log.open(path, -1, &error), qPrintable(error));
    for (int step = 10; step <= 50; step += 10) {
        fa::TrainingMetrics m;
        m.step = step;
        m.loss = 1.0 / step;
        QVERIFY2(log.append(m, &error), qPrintable(error));
    }
    log.close();
    // A line cut by a crash.
    QFile file(path);
    QVERIFY(file.open(QIODevice::Append));
    file.write("{\"step\":60,\"lo");
    file.close();
    QCOMPARE(fa::MetricsLog::readFile(path).size(), std::size_t(5));

    // Resuming from the checkpoint at step 30 drops 40, 50 and the cut line.
    QVERIFY2(log.open(path, 30, &error), qPrintable(error));
    fa::TrainingMetrics m;
    m.step = 40;
    m.loss = 0.5;
    QVERIFY2(log.append(m, &error), qPrintable(error));
    log.close();
    const std::vector<fa::TrainingMetrics> lines = fa::MetricsLog::readFile(path);
    QCOMPARE(lines.size(), std::size_t(4));
    QCOMPARE(lines[2].step, qint64(30));
    QCOMPARE(lines[3].step, qint64(40));
    QCOMPARE(lines[3].loss, 0.5);
    QVERIFY(!fa::test::readFile(path).contains("\"lo\n"));
}

void TestTrainingConfig::checkpointFoldersAreAtomic()
{
    const QString runDir = fa::test::outputDir() + QStringLiteral("/run");
    QDir(runDir).removeRecursively();
    QVERIFY(QDir().mkpath(runDir));
    QString error;
    for (qint64 step : {100, 200, 300, 400}) {
        const QString tmp = fa::CheckpointFolder::begin(runDir, step, &error);
        QVERIFY2(!tmp.isEmpty(), qPrintable(error));
        QVERIFY(tmp.endsWith(QStringLiteral(".tmp")));
        QVERIFY2(fa::CheckpointFolder::writeFile(tmp + QStringLiteral("/model.pt"), QByteArray::number(step), &error), qPrintable(error));
        QVERIFY(fa::CheckpointFolder::writeFile(tmp + QStringLiteral("/optimizer.pt"), "o", &error));
        fa::CheckpointState state;
        state.kind = QStringLiteral("mae");
        state.step = step;
        state.lastMetrics = fa::TrainingMetrics{};
        state.lastMetrics->step = step;
        state.lastMetrics->loss = 2.0 / step;
        QVERIFY(fa::CheckpointFolder::writeFile(tmp + QStringLiteral("/state.json"), state.toJson(), &error));
        // Not listed before the commit.
        for (const fa::CheckpointInfo &info : fa::listCheckpoints(runDir))
            QVERIFY(info.step != step);
        const QString final = fa::CheckpointFolder::commit(runDir, step, tmp, 3, &error);
        QVERIFY2(!final.isEmpty(), qPrintable(error));
        QCOMPARE(final, fa::checkpointDirectory(runDir, step));
        QVERIFY(!QDir(tmp).exists());
        // RUN_DIR/model.pt is the newest checkpoint's.
        QCOMPARE(fa::test::readFile(runDir + QStringLiteral("/model.pt")), QByteArray::number(step));
    }
    // keep 3: step 100 pruned.
    const std::vector<fa::CheckpointInfo> list = fa::listCheckpoints(runDir);
    QCOMPARE(list.size(), std::size_t(3));
    QCOMPARE(list.front().step, qint64(200));
    QCOMPARE(list.back().step, qint64(400));
    QCOMPARE(QFileInfo(list.back().directory).fileName(), QStringLiteral("step-00000400"));
    QCOMPARE(*list.back().loss, 2.0 / 400);

    // A half-written folder (crash before the rename) is ignored and replaced later.
    const QString stale = fa::CheckpointFolder::begin(runDir, 500, &error);
    QVERIFY(fa::CheckpointFolder::writeFile(stale + QStringLiteral("/model.pt"), "partial", &error));
    QCOMPARE(fa::listCheckpoints(runDir).size(), std::size_t(3));
    // Rewriting an existing step (after a resume) replaces it.
    const QString again = fa::CheckpointFolder::begin(runDir, 400, &error);
    QVERIFY(fa::CheckpointFolder::writeFile(again + QStringLiteral("/model.pt"), "again", &error));
    QVERIFY(fa::CheckpointFolder::writeFile(again + QStringLiteral("/optimizer.pt"), "o", &error));
    QVERIFY(fa::CheckpointFolder::writeFile(again + QStringLiteral("/state.json"), "{\"kind\":\"mae\",\"step\":400,\"seed\":\"0\"}", &error));
    QVERIFY2(!fa::CheckpointFolder::commit(runDir, 400, again, 0, &error).isEmpty(), qPrintable(error));
    QCOMPARE(fa::test::readFile(fa::checkpointDirectory(runDir, 400) + QStringLiteral("/model.pt")), QByteArray("again"));
    QCOMPARE(fa::test::readFile(runDir + QStringLiteral("/model.pt")), QByteArray("again"));
    QCOMPARE(fa::listCheckpoints(runDir).size(), std::size_t(3));
}

void TestTrainingConfig::checkpointStateRoundTrip()
{
    fa::CheckpointState state;
    state.kind = QStringLiteral("triplet");
    state.step = 1234;
    state.seed = 18446744073709551615ull;
    state.torchRngState = QByteArray("\x00\x01\xff\x7f", 4);
    state.dataFingerprint = QStringLiteral("abc123");
    state.elapsedSeconds = 1.25;
    state.lossSum = 0.1 + 0.2;
    state.lossCount = 3;
    QString error;
    const auto back = fa::CheckpointState::fromJson(state.toJson(), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->kind, state.kind);
    QCOMPARE(back->step, state.step);
    QCOMPARE(back->seed, state.seed);
    QCOMPARE(back->torchRngState, state.torchRngState);
    QCOMPARE(back->dataFingerprint, state.dataFingerprint);
    QCOMPARE(back->lossSum, state.lossSum);
    QCOMPARE(back->lossCount, state.lossCount);
    QVERIFY(!fa::CheckpointState::fromJson("{\"step\":1}", &error));
    QCOMPARE(error, QStringLiteral("missing or bad kind, step or seed"));
    QVERIFY(!fa::CheckpointState::fromJson("not json", &error));
}

// Issue 16: `--set image_size=4096` was accepted and killed for memory at 24 GB. The tiny and
// small presets fit this 24 GB development machine, vit-b an 80 GB GPU; oversized
// configurations are refused with their sizes named.
void TestTrainingConfig::memoryEstimate_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QStringList>("settings");
    QTest::addColumn<double>("gigabytes");
    QTest::addColumn<bool>("fits");
    for (const char *kind : {"mae", "triplet"}) {
        for (const char *preset : {"tiny", "small"})
            QTest::addRow("%s %s", kind, preset) << QString::fromLatin1(kind) << QString::fromLatin1(preset) << QStringList() << 24.0 << true;
        QTest::addRow("%s vit-b", kind) << QString::fromLatin1(kind) << QStringLiteral("vit-b") << QStringList() << 80.0 << true;
    }
    for (const char *preset : {"tiny", "paper"})
        QTest::addRow("renderer %s", preset) << QStringLiteral("renderer") << QString::fromLatin1(preset) << QStringList() << 24.0 << true;
    QTest::newRow("mae image_size=4096") << QStringLiteral("mae") << QStringLiteral("tiny")
                                         << QStringList{QStringLiteral("image_size=4096")} << 80.0 << false;
    QTest::newRow("triplet vit-b batch_size=4096") << QStringLiteral("triplet") << QStringLiteral("vit-b")
                                                   << QStringList{QStringLiteral("batch_size=4096")} << 80.0 << false;
}

void TestTrainingConfig::memoryEstimate()
{
    QFETCH(QString, kind);
    QFETCH(QString, preset);
    QFETCH(QStringList, settings);
    QFETCH(double, gigabytes);
    QFETCH(bool, fits);
    std::optional<TrainingConfig> config = fa::trainingPreset(kind, preset);
    QVERIFY(config);
    QString error;
    for (const QString &setting : settings)
        QVERIFY2(config->set(setting.section(QLatin1Char('='), 0, 0), setting.section(QLatin1Char('='), 1), &error),
                 qPrintable(error));
    const QString problem = fa::trainingMemoryProblem(*config, gigabytes * 1e9);
    qInfo("%s %s: about %.2f GB per step", qPrintable(kind), qPrintable(preset), fa::estimatedTrainingBytes(*config) / 1e9);
    QCOMPARE(problem.isEmpty(), fits);
    if (!fits) {
        QVERIFY2(problem.contains(QStringLiteral("more than this machine's %1 GB of memory").arg(gigabytes)), qPrintable(problem));
        QVERIFY2(problem.contains(settings.first().replace(QLatin1Char('='), QLatin1Char(' '))), qPrintable(problem));
    }
    QVERIFY(fa::trainingMemoryProblem(*config, 0).isEmpty()); // unknown memory: nothing refused
}

QTEST_GUILESS_MAIN(TestTrainingConfig)
#include "test_training_config.moc"
