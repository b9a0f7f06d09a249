#include "training/training_presets.h"

namespace fa {

QStringList trainingPresetNames()
{
    return {QStringLiteral("tiny"), QStringLiteral("small"), QStringLiteral("vit-b")};
}

std::optional<TrainingConfig> trainingPreset(const QString &kind, const QString &name, QString *error)
{
    auto fail = [&](const QString &what) {
        if (error)
            *error = what;
        return std::nullopt;
    };
    if (kind != QLatin1String("mae") && kind != QLatin1String("triplet"))
        return fail(QStringLiteral("unknown kind '%1' (mae or triplet)").arg(kind));
    const QString preset = name == QLatin1String("base") ? QStringLiteral("vit-b") : name;
    if (!trainingPresetNames().contains(preset))
        return fail(QStringLiteral("unknown preset '%1' (tiny, small or vit-b)").arg(name));

    TrainingConfig c;
    c.kind = kind;
    c.preset = preset;
    // Encoders: ViT-Ti/16, ViT-S/16, ViT-B/16 at 224 px (REFERENCE.md section 2).
    c.imageSize = 224;
    c.patchSize = 16;
    c.mlpRatio = 4.0;
    if (preset == QLatin1String("tiny")) {
        c.embedDim = 192, c.depth = 12, c.numHeads = 3;
        c.decoderEmbedDim = 128, c.decoderDepth = 2, c.decoderNumHeads = 4;
    } else if (preset == QLatin1String("small")) {
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
    return c;
}

} // namespace fa
