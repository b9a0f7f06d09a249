#pragma once

#include "training/training_config.h"

#include <QString>

namespace fa {

/// A rough upper estimate of the memory one training step of `config` needs, in bytes, so that
/// a configuration far beyond the machine is refused before it starts (issue 16: `--set
/// image_size=4096` was accepted and the process was killed for memory at 24 GB).
///
/// ViT kinds (mae, triplet): weights, gradients and the two AdamW moments (4 × 4 bytes per
/// parameter) plus, per transformer block, the activations the backward pass keeps, as counted
/// by Korthikanti et al. 2022 ("Reducing Activation Recomputation in Large Transformer Models",
/// arXiv 2205.05198, §4.1) for half precision, doubled for fp32: 2 × (34·s·b·h + 5·a·s²·b)
/// bytes for s tokens, batch b, width h and a heads. MAE's encoder sees the visible tokens
/// only, its decoder all of them; a triplet step encodes 3 × batch_size images.
/// Renderer: the transposed-convolution stack's activations at each resolution (BatchNorm and
/// ReLU keep theirs too: ×3) plus its weights with AdamW state. Rig decoder: 0 (its cost is set
/// by the encoder and renderer runs it uses, which were trained on this machine already).
double estimatedTrainingBytes(const TrainingConfig &config);

/// The machine's physical memory in bytes (0 when unknown).
double physicalMemoryBytes();

/// Empty when `config` fits into `availableBytes` (0: unknown, nothing is refused), else one
/// sentence: "image_size 4096, batch_size 64: one training step needs about 5300 GB, more than
/// this machine's 23 GB of memory; lower image_size or batch_size".
QString trainingMemoryProblem(const TrainingConfig &config, double availableBytes);

} // namespace fa
