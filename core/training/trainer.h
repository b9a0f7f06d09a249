#pragma once

// The kind-specific half of a TrainingRun (internal to core/training): MaeTrainer,
// TripletTrainer, RendererTrainer and RigDecoderTrainer own the data, the network and the
// loader; TrainingRun owns the loop, the optimizer, the schedule, checkpoints and metrics. A new
// kind of run is a new Trainer and one line in makeTrainer(). Torch headers: include only from
// .cpp files.

#include "nn/train_step.h"
#include "training/training_config.h"
#include "training/training_metrics.h"

#include <QString>
#include <QStringList>

#include <torch/nn/module.h>
#include <torch/types.h>

#include <atomic>
#include <functional>
#include <memory>

namespace fa {

class Trainer
{
public:
    using Progress = std::function<void(double fraction, const QString &status)>;

    virtual ~Trainer() = default;

    /// The device the run trains on, before loadData() (a trainer that runs networks while it
    /// loads its data, such as the rig decoder's frozen encoder, needs it then). Default: nothing.
    virtual void useDevice(torch::Device device) { Q_UNUSED(device); }

    /// Loads training and validation data (config.data / config.validation). "PATH: what".
    virtual bool loadData(const TrainingConfig &config, const Progress &progress, const std::atomic_bool *cancel,
                          QString *error) = 0;
    /// Writes the kind's own files into the run folder after loadData() (renderer: the rig and
    /// boxes it was trained for, renderer.json). Default: nothing.
    virtual bool writeRunFiles(const QString &runDir, QString *error)
    {
        Q_UNUSED(runDir);
        Q_UNUSED(error);
        return true;
    }
    /// Fingerprint of training + validation data (recorded in checkpoints).
    virtual QString dataFingerprint() const = 0;
    virtual qint64 trainingItemCount() const = 0;
    virtual qint64 validationItemCount() const = 0;

    /// Builds the network on `device` from torch's global generator (seeded by the caller).
    virtual bool buildModel(const TrainingConfig &config, torch::Device device, QString *error) = 0;
    /// The network (for the optimizer and the state dict).
    virtual torch::nn::Module &module() = 0;
    /// Key prefixes of an --init state dict to ignore (MAE-only keys for a triplet run).
    virtual std::vector<std::string> initIgnoredPrefixes() const = 0;

    /// Starts the background loader so that the next batch is that of `step`.
    virtual bool startLoader(qint64 step, QString *error) = 0;
    /// Stops the loader's threads (before destruction or a pause of any length).
    virtual void stopLoader() = 0;
    /// Runs optimizer step number `step` (0-based) on the loader's next batch. `waitSeconds`
    /// gets the time spent waiting for that batch. false + `error` when the loader failed.
    virtual bool trainStep(qint64 step, torch::optim::Optimizer &optimizer, const nn::StepOptions &options,
                           nn::StepResult *result, double *waitSeconds, QString *error) = 0;
    /// Images per step (a triplet counts 3).
    virtual int imagesPerStep() const = 0;

    /// Validation on the held-out data (no-op without it): fills the validation fields.
    virtual bool validate(TrainingMetrics *metrics, QString *error) = 0;
    /// Samples for the dashboard.
    virtual bool makeSamples(TrainingSamples *samples, QString *error) = 0;
};

std::unique_ptr<Trainer> makeMaeTrainer();
std::unique_ptr<Trainer> makeTripletTrainer();
std::unique_ptr<Trainer> makeRendererTrainer();
std::unique_ptr<Trainer> makeRigDecoderTrainer();

/// The trainer of config.kind (TrainingConfig::isTrainingKind); null for an unknown kind.
std::unique_ptr<Trainer> makeTrainer(const TrainingConfig &config);

} // namespace fa
