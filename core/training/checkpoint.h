#pragma once

#include "training/training_metrics.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QtGlobal>

#include <optional>
#include <vector>

namespace fa {

/// The layout of a run folder:
///
///   RUN_DIR/config.yaml            the run's TrainingConfig (toYaml)
///   RUN_DIR/metrics.jsonl          one JSON object per logged step (MetricsLog)
///   RUN_DIR/model.pt               latest checkpoint's weights: a state dict torch.load reads
///                                  (timm/MAE key names; MaskedAutoencoder for mae runs,
///                                  ExpressionEncoder for triplet runs)
///   RUN_DIR/run.log                human-readable events (start, resume, init report, errors)
///   RUN_DIR/checkpoints/step-00000500/{model.pt, optimizer.pt, state.json, config.yaml}
///
/// A checkpoint folder is written as step-XXXXXXXX.tmp, every file fsynced, then renamed: a
/// folder without the .tmp suffix is always complete. optimizer.pt is LibTorch's archive of
/// the optimizer (torch::serialize::OutputArchive: param groups and per-parameter state).
struct CheckpointInfo
{
    qint64 step = 0;
    QString directory;    ///< absolute path of the step-XXXXXXXX folder
    QDateTime written;    ///< state.json's modification time
    std::optional<double> loss; ///< the last logged training loss at that step, if any
    std::optional<double> validationAccuracy;
};

/// Contents of a checkpoint's state.json: what, besides weights and optimizer, makes a resume
/// continue exactly where the run stopped.
struct CheckpointState
{
    QString kind;                ///< "mae" or "triplet"
    qint64 step = 0;             ///< optimizer steps done
    quint64 seed = 0;
    QByteArray torchRngState;    ///< torch's default CPU generator (get_state())
    /// Reserved for the default CUDA generator's state; left empty: no training draw uses it
    /// (MAE's mask noise comes from a CPU generator seeded per step, augmentation from the
    /// loader's engines), so a CUDA run resumes exactly as far as its kernels are deterministic.
    QByteArray cudaRngState;
    QString dataFingerprint;     ///< training data's (and validation data's) fingerprint
    double elapsedSeconds = 0;   ///< training wall time so far
    double lossSum = 0;          ///< training losses since the last logged line ...
    qint64 lossCount = 0;        ///< ... and how many (so the next line's mean is exact)
    std::optional<TrainingMetrics> lastMetrics;
    QString device;              ///< where it was trained (deviceDescription)

    QByteArray toJson() const;
    /// nullopt with "what" in `error` for a file that is not such a JSON object.
    static std::optional<CheckpointState> fromJson(const QByteArray &json, QString *error);
};

/// "step-00000500".
QString checkpointFolderName(qint64 step);
/// RUN_DIR/checkpoints/step-XXXXXXXX.
QString checkpointDirectory(const QString &runDir, qint64 step);

/// Complete checkpoints of a run, oldest step first (.tmp folders and folders missing
/// model.pt, optimizer.pt or state.json are skipped).
std::vector<CheckpointInfo> listCheckpoints(const QString &runDir);

/// Reads DIR/state.json; "PATH: what" on failure.
std::optional<CheckpointState> readCheckpointState(const QString &checkpointDir, QString *error);

/// Atomic checkpoint folders (see the layout above).
class CheckpointFolder
{
public:
    /// Creates RUN_DIR/checkpoints/step-XXXXXXXX.tmp (an old one is removed first) and returns
    /// its path, or an empty string with "PATH: what".
    static QString begin(const QString &runDir, qint64 step, QString *error);
    /// fsyncs every file of the .tmp folder and the folder, replaces the final folder (a
    /// checkpoint of the same step written before a resume), renames, fsyncs the parent; then
    /// links (or copies) its model.pt to RUN_DIR/model.pt atomically; then removes all but the
    /// newest `keep` checkpoints (0 = keep all). Returns the final folder or an empty string.
    static QString commit(const QString &runDir, qint64 step, const QString &temporaryDir, int keep,
                          QString *error);
    /// Writes `data` to `path` and fsyncs it (inside a .tmp folder; no rename needed).
    static bool writeFile(const QString &path, const QByteArray &data, QString *error);
    /// fsync of a file or folder.
    static bool sync(const QString &path, QString *error);
};

} // namespace fa
