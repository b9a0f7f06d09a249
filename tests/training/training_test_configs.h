#pragma once

// Tiny free-size training configurations for CPU tests (2 cores): 64 px images, 8 px patches,
// a 64-wide ViT of depth 2, so that a step takes milliseconds.

#include "training/training_config.h"
#include "training/training_presets.h"

#include "test_files.h"

#include <QStringList>

namespace fa::test {

inline TrainingConfig tinyConfig(const QString &kind)
{
    TrainingConfig c = *trainingPreset(kind, QStringLiteral("tiny"));
    c.imageSize = 64;
    c.patchSize = 8;
    c.embedDim = 64;
    c.depth = 2;
    c.numHeads = 4;
    c.decoderEmbedDim = 32;
    c.decoderDepth = 1;
    c.decoderNumHeads = 4;
    c.batchSize = 16;
    c.logEvery = 1;
    c.checkpointEvery = 1000;
    c.keepCheckpoints = 0;
    c.workers = 2;
    c.device = QStringLiteral("cpu");
    c.seed = 7;
    return c;
}

/// MAE on the face crops of a shared video (every 10th frame).
inline TrainingConfig tinyMaeConfig(const QString &video = QStringLiteral("videos/liveportrait_d3.mp4"))
{
    TrainingConfig c = tinyConfig(QStringLiteral("mae"));
    c.data = QStringList{dataPath(video)};
    c.videoFrameStep = 10;
    c.lr = 1e-3;
    return c;
}

} // namespace fa::test
