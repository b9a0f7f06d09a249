#pragma once

#include <QImage>
#include <QString>
#include <QtGlobal>

#include <map>
#include <optional>
#include <vector>

namespace fa {

/// One logged point of a training run: a line of RUN_DIR/metrics.jsonl and the argument of
/// TrainingCallbacks::metricsLogged.
///
/// JSON keys (MetricsLog): step, total_steps, loss, lr, images_per_s, loader_wait_fraction,
/// elapsed_s, and when validated val_accuracy + val_accuracy_<type> (triplet) or val_loss (mae,
/// renderer, rig-decoder); rig-decoder runs add val_avatar_<metric>:<avatar>; renderer runs add val_l1, val_psnr, val_region_l1 (held-out rigs) and train_l1,
/// train_psnr, train_region_l1 (a fixed subset of the training rigs, eval mode).
struct TrainingMetrics
{
    qint64 step = 0;              ///< optimizer steps done (1-based after the first step)
    qint64 totalSteps = 0;
    double loss = 0;              ///< mean training loss of the steps since the previous line
    double learningRate = 0;      ///< lr of the last of those steps
    double imagesPerSecond = 0;   ///< images (a triplet counts 3) per second of wall time
    double loaderWaitFraction = 0; ///< share of that wall time spent waiting for batches, 0..1
    double elapsedSeconds = 0;    ///< training wall time since the run started, over resumes
    std::optional<double> validationAccuracy; ///< triplet prediction accuracy, 0..1
    /// Per triplet type: keys "one_class", "two_class", "three_class" (types present only).
    std::map<QString, double> validationAccuracyByType;
    std::optional<double> validationLoss; ///< mae: loss on the validation crops, fixed masks; renderer: on held-out rigs
    // Renderer (render_scores.h): images in [0, 1]; L1 per pixel and channel, PSNR in dB.
    std::optional<double> validationL1;
    std::optional<double> validationPsnr;
    std::optional<double> validationRegionL1; ///< inside the mouth and eye boxes
    std::optional<double> trainL1;
    std::optional<double> trainPsnr;
    std::optional<double> trainRegionL1;
    /// Rig decoder, per avatar, on held-out data: key "METRIC:AVATAR" with METRIC one of
    /// rig_mse (real frames against their landmark-solver targets, the avatar's mapped controls),
    /// render_rig_mse (held-out renders against their rigs), embedding_distance (Euclidean,
    /// expression space, between a face and the neural render of its decoded rig).
    /// JSON keys "val_avatar_METRIC:AVATAR".
    std::map<QString, double> avatarScores;
};

/// MAE: one validation (or training) crop, each image imageSize x imageSize RGB.
struct ReconstructionSample
{
    QImage masked;     ///< input with the masked patches greyed out
    QImage prediction; ///< decoder output, visible patches pasted from the input (MAE's demo)
    QImage target;     ///< the input crop
};

/// Triplet: a query face and its nearest faces by embedding distance (Euclidean, 16-d).
struct NeighbourSample
{
    QImage query;
    std::vector<QImage> neighbours; ///< nearest first (the query itself excluded)
    std::vector<double> distances;  ///< same order, in [0, 2] (unit-length embeddings)
};

/// Renderer: one fixed held-out rig, size x size RGB.
struct RenderSample
{
    QImage real;       ///< the avatar rendered by the studio's renderer (the render set's image)
    QImage neural;     ///< the neural renderer's image of the same rig
    QImage difference; ///< |real - neural| per channel, x4 (so that small errors show)
};

struct TrainingSamples
{
    qint64 step = 0;
    std::vector<ReconstructionSample> reconstructions; ///< mae runs
    std::vector<NeighbourSample> neighbours;           ///< triplet runs
    std::vector<RenderSample> renders;                 ///< renderer runs
};

} // namespace fa
