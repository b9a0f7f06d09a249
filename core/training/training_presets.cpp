#include "training/training_presets.h"

namespace fa {

QStringList trainingPresetNames(const QString &kind)
{
    if (kind == QLatin1String("renderer") || kind == QLatin1String("rig-decoder"))
        return {QStringLiteral("tiny"), QStringLiteral("paper")};
    return {QStringLiteral("tiny"), QStringLiteral("small"), QStringLiteral("vit-b")};
}

namespace {

/// The optimisation the reference uses for its renderer and its rig decoder (REFERENCE.md
/// sections 4 and 5): Adam (AdamW without weight decay) at `lr`, betas (0, 0.99), no warm-up;
/// "paper": cosine warm restarts T0 500 x2 down to 1e-6 stepped per iteration; otherwise one
/// cosine over the run down to 1e-5 (a restart in the middle of a short CPU run undoes its
/// progress). No augmentation: both learn exact images and rigs.
void referenceOptimizer(TrainingConfig &c, bool paper, double lr)
{
    c.optimizer = QStringLiteral("adamw");
    c.lr = lr;
    c.baseLr = 0;
    c.minLr = paper ? 1e-6 : 1e-5;
    c.weightDecay = 0;
    c.beta1 = 0;
    c.beta2 = 0.99;
    c.schedule = paper ? QStringLiteral("restarts") : QStringLiteral("cosine");
    c.warmupFraction = 0;
    c.restartPeriod = 500;
    c.restartMult = 2;
    c.augmentation = false;
    c.randAugmentOps = 0;
    c.randomErasing = 0;
}

/// The neural renderer's presets (REFERENCE.md section 4). "paper" is the reference's: 256 px,
/// ngf 128, batch 128, Adam lr 1e-5 betas (0, 0.99), no weight decay (AdamW without weight decay
/// is Adam), cosine warm restarts T0 500 x2 down to 1e-6 stepped per iteration, L1 + 10 x L1 in
/// the mouth and eye boxes. "tiny" trains on a CPU in minutes: 64 px, ngf 32, batch 32, lr 3e-3
/// and one cosine over the run down to 1e-5 (the reference's 1e-5 barely moves a small net in
/// the few thousand CPU steps it gets, and a restart in the middle of a short run undoes its
/// progress). Measured on mannequin render sets (bench/RESULTS.md, issue 14): at 400 steps lr
/// 3e-3 beat 1e-3 by 1.9 dB of held-out PSNR; width 32 beat width 16 by 3.4 dB at 1,200 steps
/// for twice the time, and reached 95.7 % of held-out pairs at 2,400 steps.
TrainingConfig rendererPreset(TrainingConfig c, const QString &preset)
{
    const bool paper = preset == QLatin1String("paper");
    c.rendererSize = paper ? 256 : 64;
    c.rendererWidth = paper ? 128 : 32;
    c.regionWeight = 10;
    c.heldOutFraction = 0.1;
    referenceOptimizer(c, paper, paper ? 1e-5 : 3e-3);
    c.batchSize = paper ? 128 : 32;
    c.steps = paper ? 100000 : 1500;
    c.logEvery = paper ? 50 : 25;
    c.evalEvery = c.logEvery;
    c.sampleEvery = paper ? 500 : 100;
    c.bf16 = paper; // CUDA only; ignored on CPU
    return c;
}

/// The rig decoder's presets (REFERENCE.md section 5). "paper" is the reference's: hidden 512,
/// 2 residual blocks, dropout 0.1, 10 identity rows, loss weights rig 10 / embedding 0.2 /
/// image 1, Adam lr 1e-5 betas (0, 0.99), cosine warm restarts T0 500 x2 down to 1e-6 stepped
/// per iteration, batch 16. "tiny" has the same network and weights but trains on a CPU in
/// minutes: batch 8, lr 1e-3 and one cosine over the run (as the renderer's tiny preset: the
/// reference's 1e-5 barely moves a network in a few hundred steps). The encoder's sizes come
/// from the encoder run, not from the preset.
TrainingConfig rigDecoderPreset(TrainingConfig c, const QString &preset)
{
    const bool paper = preset == QLatin1String("paper");
    c.rigHidden = 512;
    c.rigBlocks = 2;
    c.rigDropout = 0.1;
    c.identityRows = 10;
    c.rigWeight = 10;
    c.embeddingWeight = 0.2;
    c.imageWeight = 1;
    c.symmetryWeight = 0;
    c.expressionSpace = QStringLiteral("embedding");
    c.renderShare = 0.5;
    c.heldOutFraction = 0.1;
    c.videoFrameStep = 2;
    referenceOptimizer(c, paper, paper ? 1e-5 : 1e-3);
    c.batchSize = paper ? 16 : 8;
    c.steps = paper ? 20000 : 300;
    c.logEvery = 10;
    c.evalEvery = paper ? 500 : 50;
    c.sampleEvery = 0;
    c.bf16 = paper; // CUDA only; ignored on CPU
    return c;
}

} // namespace

std::optional<TrainingConfig> trainingPreset(const QString &kind, const QString &name, QString *error)
{
    auto fail = [&](const QString &what) {
        if (error)
            *error = what;
        return std::nullopt;
    };
    if (!isTrainingKind(kind))
        return fail(QStringLiteral("unknown kind '%1' (mae, triplet, renderer or rig-decoder)").arg(kind));
    const QString preset = name == QLatin1String("base") ? QStringLiteral("vit-b") : name;
    const QStringList names = trainingPresetNames(kind);
    if (!names.contains(preset))
        return fail(QStringLiteral("unknown preset '%1' (%2 or %3)")
                        .arg(name, names.mid(0, names.size() - 1).join(QStringLiteral(", ")), names.last()));

    TrainingConfig c;
    c.kind = kind;
    c.preset = preset;
    // Renderer and rig-decoder runs keep tiny's (unused) encoder keys.
    const QString encoder = c.isRenderer() || c.isRigDecoder() ? QStringLiteral("tiny") : preset;
    // Encoders: ViT-Ti/16, ViT-S/16, ViT-B/16 at 224 px (REFERENCE.md section 2).
    c.imageSize = 224;
    c.patchSize = 16;
    c.mlpRatio = 4.0;
    if (encoder == QLatin1String("tiny")) {
        c.embedDim = 192, c.depth = 12, c.numHeads = 3;
        c.decoderEmbedDim = 128, c.decoderDepth = 2, c.decoderNumHeads = 4;
    } else if (encoder == QLatin1String("small")) {
        c.embedDim = 384, c.depth = 12, c.numHeads = 6;
        c.decoderEmbedDim = 256, c.decoderDepth = 4, c.decoderNumHeads = 8;
    } else {
        c.embedDim = 768, c.depth = 12, c.numHeads = 12;
        c.decoderEmbedDim = 512, c.decoderDepth = 8, c.decoderNumHeads = 16; // MAE's
    }
    c.maskRatio = 0.75;
    c.normPixLoss = true;
    c.embeddingSize = 16;
    c.bf16 = preset == QLatin1String("vit-b"); // CUDA only; ignored on CPU

    if (c.isMae()) {
        // MAE main_pretrain.py: AdamW(0.9, 0.95), wd 0.05, blr 1.5e-4, warm-up 40/800 epochs.
        c.optimizer = QStringLiteral("adamw");
        c.lr = 0;
        c.baseLr = 1.5e-4;
        c.weightDecay = 0.05;
        c.beta1 = 0.9;
        c.beta2 = 0.95;
        c.schedule = QStringLiteral("cosine");
        c.warmupFraction = 0.05;
        c.cropScaleMin = 0.2;
        c.randAugmentOps = 0;
        c.randomErasing = 0;
        c.batchSize = preset == QLatin1String("tiny") ? 64 : preset == QLatin1String("small") ? 128 : 256;
        c.steps = preset == QLatin1String("tiny") ? 5000 : preset == QLatin1String("small") ? 20000 : 100000;
        c.evalEvery = 0;
        c.sampleEvery = 500;
    } else {
        // FreeAvatar's triplet fine-tuning: SGD lr 0.002, momentum 0.9, wd 5e-5, batch 64.
        c.optimizer = QStringLiteral("sgd");
        c.lr = 0.002;
        c.baseLr = 0;
        c.weightDecay = 5e-5;
        c.momentum = 0.9;
        c.schedule = QStringLiteral("constant");
        c.warmupFraction = 0;
        c.cropScaleMin = 0.08;
        c.randAugmentOps = 2;
        c.randAugmentMagnitude = 9;
        c.randomErasing = 0.25;
        c.batchSize = 64;
        c.steps = preset == QLatin1String("tiny") ? 2000 : preset == QLatin1String("small") ? 5000 : 10000;
        c.evalEvery = 100;
        c.sampleEvery = 500;
    }
    c.logEvery = 10;
    c.checkpointEvery = 500;
    c.keepCheckpoints = 3;
    c.minLr = 0;
    c.clipNorm = 0;
    if (c.isRenderer())
        return rendererPreset(c, preset);
    if (c.isRigDecoder())
        return rigDecoderPreset(c, preset);
    return c;
}

} // namespace fa
