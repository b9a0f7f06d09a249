#pragma once

#include "training/training_config.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace fa {

/// The presets of `freeavatar train --preset` and the Train workspace: "tiny", "small", "vit-b"
/// ("base" is accepted for "vit-b") for the encoder kinds, "tiny" and "paper" for "renderer"
/// (training_presets.cpp, rendererPreset(), says what each sets).
///
/// Encoders (REFERENCE.md section 2): tiny = ViT-Ti/16 (192 wide, 12 deep, 3 heads), small =
/// ViT-S/16 (384, 12, 6), vit-b = ViT-B/16 (768, 12, 12), all at 224x224 px.
///
/// mae (MAE main_pretrain.py / models_mae.py): AdamW betas (0.9, 0.95), weight decay 0.05,
/// lr = 1.5e-4 x batch / 256 (lr 0 + base_lr 1.5e-4), linear warm-up over 5 % of the steps (40 of
/// 800 epochs) then cosine to 0, mask ratio 0.75, norm_pix_loss, RandomResizedCrop scale 0.2-1 +
/// horizontal flip. Decoder: vit-b has MAE's 512 wide / 8 deep / 16 heads; the smaller
/// encoders get smaller decoders so that the decoder does not dominate the step time on a CPU
/// (the MAE paper's ablation, Table 1a/1b, shows a 1-2 block decoder still learns a useful
/// encoder): small 256/4/8, tiny 128/2/4. Batch: tiny 64, small 128, vit-b 256.
///
/// triplet (FreeAvatar's fine-tuning, REFERENCE.md section 2): SGD lr 0.002, momentum 0.9,
/// weight decay 5e-5, batch 64, margins 0.1 / 0.2 by triplet type; training augmentation
/// RandomResizedCrop(scale 0.08-1, ratio 7/8-8/7, bicubic) + RandAugment(2 ops, magnitude 9) +
/// random erasing p = 0.25; validation through the eval transform (resize 256, centre crop 224).
/// The reference names no lr schedule, so the lr is constant (`schedule: cosine` is available).
/// Validation every 100 steps when validation data is given.
QStringList trainingPresetNames(const QString &kind = QStringLiteral("mae"));

/// The preset `name` for `kind` ("mae", "triplet" or "renderer"), or nullopt with "unknown
/// preset 'x' (tiny, small, vit-b)" / "unknown kind 'x' (mae, triplet or renderer)" in `error`.
std::optional<TrainingConfig> trainingPreset(const QString &kind, const QString &name,
                                             QString *error = nullptr);

} // namespace fa
