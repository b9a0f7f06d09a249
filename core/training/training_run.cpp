#include "training/training_run.h"
#include "common/error_text.h"
#include "common/file_kind.h"

#include "nn/device.h"
#include "nn/lr_schedule.h"
#include "nn/optimizer_factory.h"
#include "nn/state_dict.h"
#include "nn/training_heap_scope.h"
#include "training/checkpoint.h"
#include "training/memory_estimate.h"
#include "training/metrics_log.h"
#include "training/trainer.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/optim/optimizer.h>
#include <torch/serialize/archive.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <mutex>
#include <set>

namespace fa {

namespace {


QString joined(const std::vector<std::string> &names, int limit = 12)
{
    QStringList list;
    for (std::size_t i = 0; i < names.size() && int(i) < limit; ++i)
        list << QString::fromStdString(names[i]);
    if (int(names.size()) > limit)
        list << QStringLiteral("... (%1 in all)").arg(names.size());
    return list.isEmpty() ? QStringLiteral("none") : list.join(QStringLiteral(", "));
}

QByteArray torchRngState()
{
    at::Generator generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    const at::Tensor state = generator.get_state().contiguous();
    return QByteArray(reinterpret_cast<const char *>(state.data_ptr()), qsizetype(state.numel() * state.element_size()));
}

void setTorchRngState(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return;
    at::Generator generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    at::Tensor state = torch::empty({qint64(bytes.size())}, torch::kUInt8);
    std::memcpy(state.data_ptr(), bytes.constData(), std::size_t(bytes.size()));
    generator.set_state(state);
}

/// The learning rate of step `step` (0-based): MAE's per-step warm-up + cosine, warm-up +
/// constant, or warm-up + cosine with warm restarts (torch's CosineAnnealingWarmRestarts).
double scheduledLearningRate(const TrainingConfig &c, qint64 step)
{
    const qint64 warmup = c.warmupSteps();
    const double peak = c.learningRate();
    if (c.schedule == QLatin1String("constant"))
        return step < warmup ? peak * double(step) / double(warmup) : peak;
    if (c.schedule == QLatin1String("restarts")) {
        if (step < warmup)
            return peak * double(step) / double(warmup);
        return nn::cosineWarmRestartsLearningRate(step - warmup, c.restartPeriod, double(c.restartMult), peak, c.minLr);
    }
    return nn::warmupCosineLearningRate(step, warmup, c.steps, peak, c.minLr);
}

bool allFinite(torch::nn::Module &module)
{
    torch::NoGradGuard noGrad;
    for (const torch::Tensor &p : module.parameters())
        if (!torch::isfinite(p).all().item<bool>())
            return false;
    return true;
}

} // namespace

struct TrainingRun::Private
{
    TrainingConfig config;
    QString runDir;
    qint64 step = 0;
    bool prepared = false;
    std::optional<CheckpointState> resumeState; ///< the checkpoint resume() continues from
    QString resumeDir;
    qint64 lastCheckpointStep = -1;

    std::unique_ptr<Trainer> trainer;
    std::unique_ptr<torch::optim::Optimizer> optimizer;
    torch::Device device = torch::kCPU;
    QString deviceText;
    QString fingerprint;
    QString initReport;

    /// RUN_DIR/.lock, held while this object lives: two processes (or two jobs) training one
    /// run folder wrote duplicated steps into metrics.jsonl (issue 16).
    std::unique_ptr<QLockFile> lock;

    MetricsLog metrics;
    double lossSum = 0;
    qint64 lossCount = 0;
    double elapsedBase = 0;            ///< training time before this session (resume)
    std::optional<TrainingMetrics> lastMetrics;

    QString path(const QString &name) const { return QDir(runDir).absoluteFilePath(name); }

    /// Appends a timestamped line to RUN_DIR/run.log (best effort: a log is no reason to fail).
    void log(const QString &line) const
    {
        QFile file(path(QStringLiteral("run.log")));
        if (file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text))
            file.write((QDateTime::currentDateTime().toString(Qt::ISODate) + QLatin1Char(' ') + line + QLatin1Char('\n')).toUtf8());
    }

    bool lockFolder(QString *error);
    bool loadWeights(const QString &file, const std::vector<std::string> &ignored, bool strict, QString *error);
    bool writeCheckpoint(double elapsed, const TrainingCallbacks &callbacks, QString *error);
};

bool TrainingRun::Private::lockFolder(QString *error)
{
    auto file = std::make_unique<QLockFile>(path(QStringLiteral(".lock")));
    file->setStaleLockTime(0); // stale only when its process is gone, never by age (runs take days)
    if (file->tryLock(0)) {
        lock = std::move(file);
        return true;
    }
    if (file->error() == QLockFile::LockFailedError) {
        qint64 pid = 0;
        QString host;
        QString application;
        file->getLockInfo(&pid, &host, &application);
        return failWith(error, QStringLiteral("%1: is in use by another training process (pid %2 on %3); wait for it "
                                              "or stop it first")
                                   .arg(runDir).arg(pid).arg(host.isEmpty() ? QStringLiteral("this machine") : host));
    }
    return failWith(error, QStringLiteral("%1: cannot create the lock file .lock (is the folder writable?)").arg(runDir));
}

bool TrainingRun::Private::loadWeights(const QString &file, const std::vector<std::string> &ignored, bool strict,
                                       QString *error)
{
    std::string why;
    const std::optional<nn::StateDict> dict = nn::loadStateDict(file.toStdString(), &why);
    if (!dict)
        return failWith(error, QString::fromStdString(why));
    // Weights that are not finite make every loss NaN at the first step: name the file instead
    // (issue 16: --init with NaN weights failed later with "loss is NaN").
    for (const auto &[key, tensor] : *dict) {
        if (tensor.is_floating_point() && !torch::isfinite(tensor).all().item<bool>())
            return failWith(error, QStringLiteral("%1: tensor '%2' holds NaN or infinite values")
                                       .arg(file, QString::fromStdString(key)));
    }
    nn::LoadReport report;
    if (!nn::loadStateDictInto(trainer->module(), *dict, ignored, &report, &why)) {
        if (report.shapeMismatch.empty())
            return failWith(error, QStringLiteral("%1: %2").arg(file, QString::fromStdString(why).left(400)));
        // Typically weights of another model size: name one tensor and the sizes to use.
        QString what = QStringLiteral("%1: %2 tensors do not fit the network (e.g. %3)")
                           .arg(file).arg(report.shapeMismatch.size())
                           .arg(QString::fromStdString(report.shapeMismatch.front()));
        const QString otherConfig = QDir(QFileInfo(file).absolutePath()).absoluteFilePath(QStringLiteral("config.yaml"));
        if (const std::optional<TrainingConfig> other = TrainingConfig::fromYamlFile(otherConfig, nullptr))
            what += QStringLiteral("; that run has image_size %1, patch_size %2, embed_dim %3, depth %4, num_heads %5")
                        .arg(other->imageSize).arg(other->patchSize).arg(other->embedDim).arg(other->depth).arg(other->numHeads);
        return failWith(error, what);
    }
    // Nothing taken means the file belongs to another network (issue 16: such an --init trained
    // from random weights with exit 0).
    const std::set<std::string> unexpected(report.unexpected.begin(), report.unexpected.end());
    size_t taken = 0;
    for (const auto &item : *dict) {
        const bool ignoredKey = std::any_of(ignored.begin(), ignored.end(),
                                            [&](const std::string &prefix) { return item.first.rfind(prefix, 0) == 0; });
        taken += !ignoredKey && !unexpected.count(item.first);
    }
    if (taken == 0)
        return failWith(error, QStringLiteral("%1: none of its %2 tensors matches a key of the network (e.g. '%3'); "
                                              "is it a checkpoint of another model?")
                                   .arg(file).arg(dict->size())
                                   .arg(dict->empty() ? QString() : QString::fromStdString(dict->front().first)));
    if (strict && (!report.missing.empty() || !report.unexpected.empty()))
        return failWith(error, QStringLiteral("%1: does not match the network: missing %2; unexpected %3")
                                   .arg(file, joined(report.missing), joined(report.unexpected)));
    log(QStringLiteral("weights from %1: missing keys: %2; unexpected keys: %3; ignored prefixes: %4")
            .arg(file, joined(report.missing, 1000), joined(report.unexpected, 1000), joined(ignored)));
    if (!strict)
        initReport = QStringLiteral("missing keys: %1; unexpected keys: %2").arg(joined(report.missing), joined(report.unexpected));
    return true;
}

bool TrainingRun::Private::writeCheckpoint(double elapsed, const TrainingCallbacks &callbacks, QString *error)
{
    // A diverging step can leave finite losses but non-finite weights: never checkpoint those.
    if (!allFinite(trainer->module()))
        return failWith(error, QStringLiteral("step %1: the weights are not finite (is the learning rate too high?)").arg(step));
    const QString temporary = CheckpointFolder::begin(runDir, step, error);
    if (temporary.isEmpty())
        return false;
    std::string why;
    if (!nn::saveStateDict(nn::stateDictOf(trainer->module()), QDir(temporary).absoluteFilePath(QStringLiteral("model.pt")).toStdString(), &why))
        return failWith(error, QString::fromStdString(why));
    const QString optimizerPath = QDir(temporary).absoluteFilePath(QStringLiteral("optimizer.pt"));
    try {
        torch::serialize::OutputArchive archive;
        optimizer->save(archive);
        archive.save_to(optimizerPath.toStdString());
    } catch (const std::exception &e) {
        return failWith(error, QStringLiteral("%1: cannot write: %2").arg(optimizerPath, QString::fromUtf8(e.what())));
    }
    CheckpointState state;
    state.kind = config.kind;
    state.step = step;
    state.seed = config.seed;
    state.torchRngState = torchRngState();
    state.dataFingerprint = fingerprint;
    state.elapsedSeconds = elapsed;
    state.lossSum = lossSum;
    state.lossCount = lossCount;
    state.lastMetrics = lastMetrics;
    state.device = deviceText;
    if (!CheckpointFolder::writeFile(QDir(temporary).absoluteFilePath(QStringLiteral("state.json")), state.toJson(), error)
        || !CheckpointFolder::writeFile(QDir(temporary).absoluteFilePath(QStringLiteral("config.yaml")), config.toYaml(), error))
        return false;
    const QString final = CheckpointFolder::commit(runDir, step, temporary, config.keepCheckpoints, error);
    if (final.isEmpty())
        return false;
    lastCheckpointStep = step;
    log(QStringLiteral("checkpoint %1").arg(final));
    if (callbacks.checkpointWritten)
        callbacks.checkpointWritten(step, final);
    return true;
}

TrainingRun::TrainingRun()
    : d(std::make_unique<Private>())
{
}

TrainingRun::~TrainingRun()
{
    if (d->trainer)
        d->trainer->stopLoader();
}

std::unique_ptr<TrainingRun> TrainingRun::create(const TrainingConfig &config, const QString &runDir, QString *error)
{
    if (!config.validate(error))
        return nullptr;
    if (config.data.isEmpty()) {
        failWith(error, QStringLiteral("no training data given (data)"));
        return nullptr;
    }
    for (const QString &path : config.data + config.validation) {
        if (!QFileInfo::exists(path)) {
            failWith(error, QStringLiteral("%1: no such file or folder").arg(path));
            return nullptr;
        }
    }
    if (!config.init.isEmpty() && !QFileInfo::exists(config.init)) {
        failWith(error, QStringLiteral("%1: no such file or folder (init)").arg(config.init));
        return nullptr;
    }
    if (!config.yunetModel.isEmpty() && !QFileInfo(config.yunetModel).isFile()) {
        failWith(error, QStringLiteral("%1: no such file (yunet_model)").arg(config.yunetModel));
        return nullptr;
    }
    if (!config.imageDir.isEmpty() && !QFileInfo(config.imageDir).isDir()) {
        failWith(error, folderProblem(config.imageDir) + QStringLiteral(" (image_dir)"));
        return nullptr;
    }
    const QString dir = QFileInfo(runDir).absoluteFilePath();
    if (QFileInfo(dir).exists() && !QFileInfo(dir).isDir()) {
        failWith(error, QStringLiteral("%1: is a file, not a folder").arg(dir));
        return nullptr;
    }
    if (!QDir().mkpath(dir)) {
        failWith(error, QStringLiteral("%1: cannot create the folder").arg(dir));
        return nullptr;
    }
    std::unique_ptr<TrainingRun> run(new TrainingRun);
    run->d->config = config;
    run->d->runDir = dir;
    if (!run->d->lockFolder(error))
        return nullptr;
    // A run that never wrote a checkpoint (its data could not be loaded, say) holds nothing to
    // resume: its folder is reused.
    if (QFileInfo::exists(QDir(dir).absoluteFilePath(QStringLiteral("config.yaml"))) && !listCheckpoints(dir).empty()) {
        failWith(error, QStringLiteral("%1: already holds a training run (resume it, or choose another folder)").arg(dir));
        return nullptr;
    }
    if (!config.writeYamlFile(run->d->path(QStringLiteral("config.yaml")), error))
        return nullptr;
    run->d->log(QStringLiteral("created: %1 run, preset %2, %3 steps").arg(config.kind, config.preset).arg(config.steps));
    return run;
}

std::unique_ptr<TrainingRun> TrainingRun::resume(const QString &runDir, QString *error)
{
    const QString dir = QFileInfo(runDir).absoluteFilePath();
    const QString configPath = QDir(dir).absoluteFilePath(QStringLiteral("config.yaml"));
    if (!QFileInfo::exists(configPath)) {
        failWith(error, QStringLiteral("%1: no training run here (config.yaml is missing)").arg(dir));
        return nullptr;
    }
    const std::optional<TrainingConfig> config = TrainingConfig::fromYamlFile(configPath, error);
    if (!config)
        return nullptr;
    if (!config->validate(error))
        return nullptr;
    std::unique_ptr<TrainingRun> run(new TrainingRun);
    run->d->config = *config;
    run->d->runDir = dir;
    if (!run->d->lockFolder(error))
        return nullptr;
    const std::vector<CheckpointInfo> checkpoints = listCheckpoints(dir);
    if (!checkpoints.empty()) {
        std::optional<CheckpointState> state = readCheckpointState(checkpoints.back().directory, error);
        if (!state)
            return nullptr;
        if (state->kind != config->kind || state->step != checkpoints.back().step) {
            failWith(error, QStringLiteral("%1: state.json does not belong to this run").arg(checkpoints.back().directory));
            return nullptr;
        }
        if (state->step >= config->steps) {
            failWith(error, QStringLiteral("%1: the run is complete (step %2 of %3)").arg(dir).arg(state->step).arg(config->steps));
            return nullptr;
        }
        run->d->step = state->step;
        run->d->lastCheckpointStep = state->step;
        run->d->resumeState = state;
        run->d->resumeDir = checkpoints.back().directory;
    }
    return run;
}

bool TrainingRun::prepare(const std::function<void(double, const QString &)> &progress, QString *error,
                          const std::atomic_bool *cancel)
{
    if (d->prepared)
        return true;
    const TrainingConfig &c = d->config;
    try {
        // Every core unless the config says otherwise (LibTorch's default is 1 thread on some
        // machines), shared between torch and BLAS as nn::useCpuThreads explains.
        nn::useCpuThreads(c.threads, c.isRenderer() ? nn::CpuThreadUse::Torch : nn::CpuThreadUse::Blas);
        std::string why;
        d->device = nn::preferredDevice(c.device.toStdString(), &why);
        // "auto" falls back to the CPU silently; an explicit "cuda" that cannot be had is an error.
        if (!why.empty() && c.device != QLatin1String("auto"))
            return failWith(error, QStringLiteral("device: %1").arg(QString::fromStdString(why)));
        d->deviceText = QString::fromStdString(nn::deviceDescription(d->device));
        // On the CPU a configuration far beyond the machine's memory would be killed by the
        // system; on a GPU, running out of memory is an error LibTorch reports, and the host
        // memory is not the limit.
        if (d->device.is_cpu()) {
            if (const QString problem = trainingMemoryProblem(c, physicalMemoryBytes()); !problem.isEmpty())
                return failWith(error, problem);
        }

        d->trainer = makeTrainer(c);
        if (!d->trainer)
            return failWith(error, QStringLiteral("kind: unknown kind '%1'").arg(c.kind));
        d->trainer->useDevice(d->device);
        if (!d->trainer->loadData(c, progress, cancel, error) || !d->trainer->writeRunFiles(d->runDir, error))
            return false;
        d->fingerprint = d->trainer->dataFingerprint();
        if (d->resumeState && d->resumeState->dataFingerprint != d->fingerprint)
            return failWith(error, QStringLiteral("%1: the training data changed since the checkpoint of step %2 (data "
                                                  "fingerprint %3, now %4); train into a new folder instead")
                                       .arg(d->runDir).arg(d->step).arg(d->resumeState->dataFingerprint.left(12), d->fingerprint.left(12)));

        // Seeded before the network is built: the initial weights depend on the seed only.
        torch::manual_seed(c.seed);
        if (!d->trainer->buildModel(c, d->device, error))
            return false;
        if (d->resumeState) {
            if (!d->loadWeights(QDir(d->resumeDir).absoluteFilePath(QStringLiteral("model.pt")), {}, true, error))
                return false;
        } else if (!c.init.isEmpty()) {
            // A run folder (its model.pt) or a state-dict file such as MAE's mae_pretrain_vit_base.pth.
            const QString file = QFileInfo(c.init).isDir() ? QDir(c.init).absoluteFilePath(QStringLiteral("model.pt")) : c.init;
            if (!QFileInfo::exists(file))
                return failWith(error, QStringLiteral("%1: no model.pt (has the run written a checkpoint?)").arg(c.init));
            QString why2;
            if (!d->loadWeights(file, d->trainer->initIgnoredPrefixes(), false, &why2))
                return failWith(error, QStringLiteral("init: %1").arg(why2));
        }

        nn::OptimizerSettings settings;
        settings.kind = c.optimizer == QLatin1String("sgd") ? nn::OptimizerKind::Sgd : nn::OptimizerKind::AdamW;
        settings.lr = c.learningRate();
        settings.weightDecay = c.weightDecay;
        settings.beta1 = c.beta1;
        settings.beta2 = c.beta2;
        settings.momentum = c.momentum;
        d->optimizer = nn::makeOptimizer(d->trainer->module(), settings);

        if (d->resumeState) {
            const QString optimizerPath = QDir(d->resumeDir).absoluteFilePath(QStringLiteral("optimizer.pt"));
            try {
                torch::serialize::InputArchive archive;
                archive.load_from(optimizerPath.toStdString(), d->device);
                d->optimizer->load(archive);
            } catch (const std::exception &e) {
                return failWith(error, QStringLiteral("%1: cannot read: %2").arg(optimizerPath, QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0)));
            }
            setTorchRngState(d->resumeState->torchRngState);
            d->lossSum = d->resumeState->lossSum;
            d->lossCount = d->resumeState->lossCount;
            d->elapsedBase = d->resumeState->elapsedSeconds;
            d->lastMetrics = d->resumeState->lastMetrics;
            d->log(QStringLiteral("resumed at step %1 from %2").arg(d->step).arg(d->resumeDir));
        }
        if (!d->trainer->startLoader(d->step, error))
            return false;
        d->log(QStringLiteral("prepared: %1 training items, %2 validation items, device %3")
                   .arg(d->trainer->trainingItemCount()).arg(d->trainer->validationItemCount()).arg(d->deviceText));
    } catch (const std::exception &e) {
        // c10::Error derives from std::exception: out of memory, bad sizes ...
        return failWith(error, QStringLiteral("%1: %2").arg(d->runDir, QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0)));
    }
    d->prepared = true;
    return true;
}

TrainingRun::Outcome TrainingRun::run(const TrainingCallbacks &callbacks, QString *error)
{
    const TrainingConfig &c = d->config;
    const nn::TrainingHeapScope heap; // freed activations reused step after step
    auto stopRequested = [&] { return callbacks.stopRequested && callbacks.stopRequested(); };
    if (!d->prepared) {
        std::atomic_bool cancel{false};
        const auto progress = [&](double fraction, const QString &status) {
            if (stopRequested())
                cancel.store(true);
            if (callbacks.progress)
                callbacks.progress(fraction, status);
        };
        QString why;
        if (!prepare(progress, &why, &cancel)) {
            if (cancel.load())
                return Outcome::Stopped;
            d->log(QStringLiteral("failed: %1").arg(why));
            failWith(error, why);
            return Outcome::Failed;
        }
    }
    auto fail = [&](const QString &why) {
        d->trainer->stopLoader();
        d->metrics.close();
        d->log(QStringLiteral("failed: %1").arg(why));
        failWith(error, why);
        return Outcome::Failed;
    };
    {
        // Lines of steps after the checkpoint being resumed are dropped (they will be redone).
        QString why;
        if (!d->metrics.open(d->path(QStringLiteral("metrics.jsonl")), d->step, &why))
            return fail(why);
    }

    QElapsedTimer clock;
    clock.start();
    double pausedSeconds = 0;
    auto elapsed = [&] { return d->elapsedBase + clock.nsecsElapsed() / 1e9 - pausedSeconds; };
    // Throughput window since the last metrics line (restarts with this session).
    double windowStart = elapsed();
    double windowWait = 0;
    double windowImages = 0;
    nn::StepOptions options;
    options.clipNorm = c.clipNorm;
    options.bf16Autocast = c.bf16 && d->device.is_cuda();

    try {
        while (d->step < c.steps) {
            if (callbacks.pausePoint) {
                const qint64 before = clock.nsecsElapsed();
                callbacks.pausePoint();
                pausedSeconds += (clock.nsecsElapsed() - before) / 1e9;
            }
            if (stopRequested()) {
                QString why;
                if (d->step > 0 && d->lastCheckpointStep != d->step && !d->writeCheckpoint(elapsed(), callbacks, &why))
                    return fail(why);
                d->trainer->stopLoader();
                d->metrics.close();
                d->log(QStringLiteral("stopped at step %1").arg(d->step));
                return Outcome::Stopped;
            }

            const double lr = scheduledLearningRate(c, d->step);
            nn::setLearningRate(*d->optimizer, lr);
            nn::StepResult result;
            double wait = 0;
            QString why;
            if (!d->trainer->trainStep(d->step, *d->optimizer, options, &result, &wait, &why))
                return fail(why);
            if (!result.finite) {
                // Nothing was changed by this step; RUN_DIR/model.pt and the newest checkpoint
                // stay those of the last good step.
                const QString what = std::isnan(result.loss) ? QStringLiteral("loss is NaN")
                                     : std::isinf(result.loss) ? QStringLiteral("loss is infinite")
                                                               : QStringLiteral("gradients are not finite");
                return fail(QStringLiteral("step %1: %2 (the last good checkpoint is step %3)")
                                .arg(d->step + 1).arg(what).arg(std::max<qint64>(d->lastCheckpointStep, 0)));
            }
            ++d->step;
            d->lossSum += result.loss;
            ++d->lossCount;
            windowWait += wait;
            windowImages += d->trainer->imagesPerStep();

            const bool last = d->step == c.steps;
            const bool validate = c.evalEvery > 0 && d->trainer->validationItemCount() > 0
                                  && (d->step % c.evalEvery == 0 || last);
            if (d->step % c.logEvery == 0 || validate || last) {
                TrainingMetrics m;
                m.step = d->step;
                m.totalSteps = c.steps;
                m.loss = d->lossSum / double(d->lossCount);
                m.learningRate = lr;
                const double now = elapsed();
                const double window = std::max(now - windowStart, 1e-9);
                m.imagesPerSecond = windowImages / window;
                m.loaderWaitFraction = std::clamp(windowWait / window, 0.0, 1.0);
                if (validate && !d->trainer->validate(&m, &why))
                    return fail(why);
                m.elapsedSeconds = elapsed();
                if (!d->metrics.append(m, &why))
                    return fail(why);
                d->lastMetrics = m;
                d->lossSum = 0;
                d->lossCount = 0;
                if (callbacks.metricsLogged)
                    callbacks.metricsLogged(m);
                windowStart = elapsed();
                windowWait = 0;
                windowImages = 0;
            }
            if (c.sampleEvery > 0 && d->step % c.sampleEvery == 0 && callbacks.samplesReady) {
                TrainingSamples samples;
                samples.step = d->step;
                if (!d->trainer->makeSamples(&samples, &why))
                    return fail(why);
                callbacks.samplesReady(samples);
            }
            if (d->step % c.checkpointEvery == 0 || last) {
                if (!d->writeCheckpoint(elapsed(), callbacks, &why))
                    return fail(why);
            }
            if (callbacks.progress)
                callbacks.progress(double(d->step) / double(c.steps),
                                   QStringLiteral("step %1/%2 loss %3").arg(d->step).arg(c.steps)
                                       .arg(QString::number(result.loss, 'g', 4)));
        }
    } catch (const std::exception &e) {
        return fail(QStringLiteral("step %1: %2").arg(d->step + 1).arg(QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0)));
    }
    d->trainer->stopLoader();
    d->metrics.close();
    d->log(QStringLiteral("finished at step %1").arg(d->step));
    return Outcome::Finished;
}

const TrainingConfig &TrainingRun::config() const
{
    return d->config;
}

qint64 TrainingRun::step() const
{
    return d->step;
}

QString TrainingRun::runDir() const
{
    return d->runDir;
}

QString TrainingRun::deviceDescription() const
{
    return d->deviceText;
}

qint64 TrainingRun::trainingItemCount() const
{
    return d->trainer ? d->trainer->trainingItemCount() : 0;
}

qint64 TrainingRun::validationItemCount() const
{
    return d->trainer ? d->trainer->validationItemCount() : 0;
}

QString TrainingRun::initReport() const
{
    return d->initReport;
}

} // namespace fa
