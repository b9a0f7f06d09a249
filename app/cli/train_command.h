#pragma once

#include <QStringList>

namespace fa::cli {

/// `freeavatar train mae|triplet --preset tiny|small|vit-b [--config FILE.yaml] [--set key=value ...]
/// --data PATH... [--init RUN_DIR] --steps N --out RUN_DIR [--resume]`: MAE pre-training or
/// triplet fine-tuning into a run folder. Ctrl+C stops after the current step with a checkpoint
/// that --resume continues. See `freeavatar train --help`.
int runTrain(const QStringList &arguments);

/// `freeavatar eval-triplets --checkpoint RUN_DIR --triplets CSV_OR_PROJECT_OR_FOLDER [--json]`:
/// triplet prediction accuracy, overall and per triplet type.
int runEvalTriplets(const QStringList &arguments);

/// `freeavatar embed IMAGE_OR_VIDEO --checkpoint RUN_DIR --out FILE.csv`: one expression
/// embedding per face (every frame with a face of a video).
int runEmbed(const QStringList &arguments);

/// freeavatar eval-retarget VIDEO --avatar AVATAR --solver NAME [--model RUN] --encoder RUN [--json]:
/// expression distances between the actor's faces and the avatar's renders of the solved rigs.
int runEvalRetarget(const QStringList &arguments);

/// freeavatar eval-encoder --checkpoint RUN --data VIDEOS... [--json]: expression vs identity probes.
int runEvalEncoder(const QStringList &arguments);

} // namespace fa::cli
