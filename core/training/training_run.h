#pragma once

#include "training/training_config.h"
#include "training/training_metrics.h"

#include <QString>
#include <QtGlobal>

#include <atomic>
#include <functional>
#include <memory>

namespace fa {

/// What a training run tells its owner (all called on the thread that runs run()).
struct TrainingCallbacks
{
    std::function<void(const TrainingMetrics &)> metricsLogged;    ///< every metrics.jsonl line
    std::function<void(const TrainingSamples &)> samplesReady;     ///< every sample_every steps
    std::function<void(qint64 step, const QString &checkpointDir)> checkpointWritten;
    std::function<void(double fraction, const QString &status)> progress; ///< loading, then per step
    std::function<bool()> stopRequested; ///< polled between steps; true = checkpoint and stop
    std::function<void()> pausePoint;    ///< called between steps; may block while paused
};

/// One MAE pre-training or triplet fine-tuning run in a run folder (layout: checkpoint.h).
///
/// Data (TrainingConfig::data / validation), by path:
/// - mae: project folders (their face crops), folders of images (faces detected and cropped as
///   the importer does), videos (every video_frame_step-th frame with a face).
/// - triplet: a project folder (its judged triplets, strict majority, as the reference export),
///   a reference CSV `anchor,positive,negative,type` (images relative to image_dir or the CSV's
///   folder), a FEC CSV (images in image_dir), or a folder of images named with emotion
///   categories and identities (category_triplets TWO_CLASS triplets, the Yale eval set).
/// Validation data goes through the eval transform (the reference validates with the training
/// augmentation, a defect: REFERENCE.md section 7).
///
/// Determinism: torch is seeded with `seed` before the model is built; the batch of step k
/// depends only on (seed, k) (BatchLoader); MAE's mask noise of step k comes from a CPU
/// generator seeded with (seed, k). A checkpoint holds weights, optimizer state, step, torch's
/// RNG state, the loss accumulated since the last log line, config and the data fingerprint,
/// so that on CPU with the same thread count a resumed run logs the same losses as an
/// uninterrupted one. Resuming refuses data whose fingerprint differs.
///
/// Failure: a non-finite loss stops the run (Failed, "step S: loss is NaN") without writing a
/// checkpoint: RUN_DIR/model.pt and the newest checkpoint stay those of the last good step.
/// Stop requests are honoured between steps by writing a checkpoint of the current step
/// (Stopped), from which resume() continues.
///
/// Not thread-safe; create/resume and run may happen on different threads, one at a time.
class TrainingRun
{
public:
    enum class Outcome { Finished, Stopped, Failed };

    /// A new run in `runDir` (created; it must not hold a run with a checkpoint already: the
    /// folder of a run that never wrote one is reused). Checks the config
    /// (validate()), that data is given and that every data/validation/init path exists, and
    /// writes RUN_DIR/config.yaml. Cheap: data and model are loaded by prepare()/run().
    /// Errors: "PATH: what" or the config's problems.
    static std::unique_ptr<TrainingRun> create(const TrainingConfig &config, const QString &runDir,
                                               QString *error);
    /// Reopens the run in `runDir` (config.yaml) to continue from its newest checkpoint (from
    /// step 0 when it has none). Fails when the folder holds no run or the run is complete.
    static std::unique_ptr<TrainingRun> resume(const QString &runDir, QString *error);

    ~TrainingRun();

    /// Loads the data, builds the model (from `init` or the checkpoint), the optimizer and the
    /// loader. run() calls it when it has not run yet; call it first to tell bad data (false,
    /// "PATH: what") from a failure while training. `progress` as TrainingCallbacks::progress.
    /// `cancel` (optional) stops a long data load; prepare() then fails with "cancelled".
    bool prepare(const std::function<void(double, const QString &)> &progress, QString *error,
                 const std::atomic_bool *cancel = nullptr);

    /// Trains up to config().steps. Blocks: call it on a worker thread. Returns Finished,
    /// Stopped (stopRequested, checkpoint written) or Failed (`error` set).
    Outcome run(const TrainingCallbacks &callbacks, QString *error);

    const TrainingConfig &config() const;
    /// Optimizer steps done (the checkpoint's step after resume()).
    qint64 step() const;
    QString runDir() const;
    /// "CPU, 2 threads" / "CUDA: <name>, <GiB> GiB"; empty before prepare().
    QString deviceDescription() const;
    /// Training (and validation) data sizes after prepare(): images (mae) or triplets.
    qint64 trainingItemCount() const;
    qint64 validationItemCount() const;
    /// After prepare() of a run started from `init`: which keys the network took from it,
    /// "missing keys: ...; unexpected keys: ..." (also in RUN_DIR/run.log); empty otherwise.
    QString initReport() const;

private:
    TrainingRun();
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace fa
