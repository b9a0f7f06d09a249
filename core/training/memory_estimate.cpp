#include "training/memory_estimate.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>

namespace fa {

namespace {

constexpr double kFloatBytes = 4.0;
constexpr double kAdamCopies = 4.0; // weights, gradients, two moments

// One stack of transformer blocks: parameters (about 12·h² per block) and kept activations.
double transformerBytes(double tokens, double batch, double width, double heads, double blocks, double mlpRatio)
{
    const double parameters = blocks * (4.0 + 2.0 * mlpRatio) * width * width;
    const double activations = blocks * 2.0 * (34.0 * tokens * batch * width + 5.0 * heads * tokens * tokens * batch);
    return parameters * kFloatBytes * kAdamCopies + activations;
}

} // namespace

double estimatedTrainingBytes(const TrainingConfig &c)
{
    if (c.isMae() || c.isTriplet()) {
        const double side = c.patchSize > 0 ? double(c.imageSize) / double(c.patchSize) : 0.0;
        const double patches = side * side;
        if (c.isMae()) {
            const double visible = std::ceil(patches * (1.0 - c.maskRatio)) + 1.0;
            return transformerBytes(visible, c.batchSize, c.embedDim, c.numHeads, c.depth, c.mlpRatio)
                   + transformerBytes(patches + 1.0, c.batchSize, c.decoderEmbedDim, c.decoderNumHeads, c.decoderDepth,
                                      c.mlpRatio);
        }
        return transformerBytes(patches + 1.0, 3.0 * c.batchSize, c.embedDim, c.numHeads, c.depth, c.mlpRatio);
    }
    if (c.isRenderer()) {
        // 8·width channels at 4×4, halving at each doubling of the side down to `width`, then
        // the 3-channel output at full size (nn/neural_renderer.h: 1024 → 512 → 256 → 128 for
        // the reference's width 128).
        double activations = 0;
        double parameters = 0;
        double channels = 8.0 * c.rendererWidth;
        for (double side = 4; side < c.rendererSize; side *= 2) {
            activations += 3.0 * channels * side * side * c.batchSize * kFloatBytes;
            const double next = std::max<double>(c.rendererWidth, channels / 2.0);
            parameters += 16.0 * channels * next;
            channels = next;
        }
        activations += 2.0 * 3.0 * double(c.rendererSize) * c.rendererSize * c.batchSize * kFloatBytes;
        return activations + parameters * kFloatBytes * kAdamCopies;
    }
    return 0.0;
}

double physicalMemoryBytes()
{
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long pageSize = ::sysconf(_SC_PAGESIZE);
    return pages > 0 && pageSize > 0 ? double(pages) * double(pageSize) : 0.0;
}

QString trainingMemoryProblem(const TrainingConfig &config, double availableBytes)
{
    const double needed = estimatedTrainingBytes(config);
    if (availableBytes <= 0 || needed <= availableBytes)
        return QString();
    const double gb = 1e9;
    const QString sizes = config.isRenderer()
        ? QStringLiteral("renderer_size %1, renderer_width %2, batch_size %3").arg(config.rendererSize).arg(config.rendererWidth).arg(config.batchSize)
        : QStringLiteral("image_size %1, patch_size %2, embed_dim %3, depth %4, batch_size %5")
              .arg(config.imageSize).arg(config.patchSize).arg(config.embedDim).arg(config.depth).arg(config.batchSize);
    return QStringLiteral("%1: one training step needs about %2 GB, more than this machine's %3 GB of memory; lower "
                          "image_size or batch_size")
        .arg(sizes).arg(std::ceil(needed / gb), 0, 'f', 0).arg(availableBytes / gb, 0, 'f', 0);
}

} // namespace fa
