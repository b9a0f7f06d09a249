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
/// elapsed_s, and when validated val_accuracy + val_accuracy_<type> (triplet) or val_loss (mae).
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
    std::optional<double> validationLoss; ///< mae: loss on the validation crops, fixed masks
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

struct TrainingSamples
{
    qint64 step = 0;
    std::vector<ReconstructionSample> reconstructions; ///< mae runs
    std::vector<NeighbourSample> neighbours;           ///< triplet runs
};

} // namespace fa
