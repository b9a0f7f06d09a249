#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QtGlobal>

#include <optional>

namespace fa {

/// "mae", "triplet", "renderer" or "rig-decoder": the kinds of training run.
bool isTrainingKind(const QString &kind);

/// Everything that defines a training run: MAE pre-training ("mae") or triplet fine-tuning of
/// the expression encoder ("triplet"), or an avatar's neural renderer, rig -> image
/// ("renderer", REFERENCE.md section 4). Written to RUN_DIR/config.yaml (toYaml) and read back
/// unchanged (fromYaml): a run folder's config.yaml is a complete, valid --config file.
///
/// Defaults come from a preset (training_presets.h: "tiny", "small", "vit-b" for each kind, with
/// the reference hyper-parameters of REFERENCE.md section 2). Every field has one YAML key
/// (snake_case, flat: `lr: 0.002`), also accepted by set() for `--set key=value`; keys() lists
/// them. Numbers are checked by validate() with one clear line per problem.
///
/// Learning rate: `lr` > 0 is used as it is; `lr: 0` derives it from `base_lr` with MAE's rule
/// lr = base_lr * batch_size / 256 (MAE main_pretrain.py, "blr"). The schedule (per step, MAE
/// util/lr_sched.py) is a linear warm-up over warmupSteps() steps then a half-cosine from lr to
/// min_lr ("cosine"), or lr throughout after the warm-up ("constant").
struct TrainingConfig
{
    // What is trained.
    QString kind = QStringLiteral("mae"); ///< "mae", "triplet", "renderer" or "rig-decoder"
    QString preset = QStringLiteral("tiny"); ///< the preset the defaults came from (informational)

    // Neural renderer (kind "renderer", nn/neural_renderer.h; data: one render set folder).
    int rendererSize = 64;       ///< output side in pixels: 64, 128 or 256 (the reference's)
    int rendererWidth = 16;      ///< ngf: channels of the widest-resolution layers (reference 128)
    double regionWeight = 10;    ///< weight of the L1 inside the mouth and eye boxes (reference 10)
    double heldOutFraction = 0.1; ///< share of the render set held out for validation, [0, 0.5]
                                  ///< (rig-decoder: of each render set and of each video's last frames)

    // Rig decoder (kind "rig-decoder", nn/rig_decoder.h; REFERENCE.md section 5). Data: videos
    // (faces with landmark-solver rig targets), image folders and projects (faces without), plus
    // each avatar's render set (the one its renderer run was trained on: rig and image targets).
    QString encoder;             ///< triplet run folder (or checkpoint folder) of the frozen encoder
    QStringList avatars;         ///< "AVATAR:RENDERER_RUN" (split at the last ':'), identity row = position
    double rigWeight = 10;       ///< weight of the rig MSE (reference 10)
    double embeddingWeight = 0.2; ///< weight of the expression-embedding MSE (reference 0.2)
    double imageWeight = 1;      ///< weight of the image L1 against the avatar's render (reference 1)
    double symmetryWeight = 0;   ///< weight of the left/right symmetry term (reference: not functional)
    QString expressionSpace = QStringLiteral("embedding"); ///< "embedding" (16-d) or "pooled" (the reference code's)
    double renderShare = 0.5;    ///< share of each batch drawn from the avatars' render sets, [0, 1]
    int rigHidden = 512;         ///< hidden width (reference 512)
    int rigBlocks = 2;           ///< residual blocks (reference 2)
    double rigDropout = 0.1;     ///< dropout after every hidden ReLU (reference 0.1)
    int identityRows = 10;       ///< rows of the identity table: the most avatars one decoder drives (reference 10)

    // Encoder (ViT, REFERENCE.md section 2): sizes in pixels / channels.
    int imageSize = 224;   ///< square input side; a multiple of patchSize
    int patchSize = 16;
    int embedDim = 192;    ///< multiple of numHeads and of 4 (2-D sin-cos position embedding)
    int depth = 12;
    int numHeads = 3;
    double mlpRatio = 4.0;
    int embeddingSize = 16; ///< triplet: size of the L2-normalised expression embedding

    // MAE decoder and masking (MAE models_mae.py).
    int decoderEmbedDim = 512;
    int decoderDepth = 8;
    int decoderNumHeads = 16;
    double maskRatio = 0.75;   ///< fraction of patches masked, in (0,1); at least one stays visible
    bool normPixLoss = true;   ///< MSE on per-patch normalised pixels (MAE --norm_pix_loss)

    // Data: project folders, folders of images, videos, triplet CSV files (see TrainingRun).
    QStringList data;
    QStringList validation;    ///< optional held-out data of the same kind (eval transform)
    QString init;              ///< run or checkpoint folder (its model.pt) or .pth/.pt state dict to start the encoder from
    QString imageDir;          ///< image folder of a triplet CSV; empty = the CSV's folder
    int videoFrameStep = 5;    ///< videos: every Nth frame is a training face
    int categoryTriplets = 0;  ///< folders with categories as triplet data: this many
                               ///< TWO_CLASS triplets (0 = 4 per face)

    // How faces are found in image folders and videos (FaceFinderOptions, as `project import`).
    QString detector = QStringLiteral("dlib"); ///< "dlib" (HOG) or "yunet"
    QString yunetModel;        ///< YuNet ONNX file, required for "yunet"
    int minFace = 40;          ///< smallest face kept: box height in pixels of the image
    bool allFaces = false;     ///< videos: every face of a scanned frame, not only the largest
    bool tiltSearch = false;   ///< also search images turned by +/-25 degrees

    // Optimisation.
    qint64 steps = 1000;
    int batchSize = 64;        ///< images (mae) or triplets (triplet) per step
    QString optimizer = QStringLiteral("adamw"); ///< "adamw" or "sgd" (adamw with weight_decay 0 is Adam)
    double lr = 0;             ///< absolute peak learning rate; 0 = base_lr * batch_size / 256
    double baseLr = 1.5e-4;    ///< MAE's blr
    double minLr = 0;
    double weightDecay = 0.05;
    double momentum = 0.9;     ///< sgd
    double beta1 = 0.9;        ///< adamw
    double beta2 = 0.95;       ///< adamw
    QString schedule = QStringLiteral("cosine"); ///< "cosine", "constant" or "restarts"
    double warmupFraction = 0.05; ///< of `steps`, in [0,1): MAE warms up 40 of 800 epochs
    /// "restarts": PyTorch's CosineAnnealingWarmRestarts stepped per iteration (the renderer's
    /// and rig decoder's schedule): first period restart_period steps, each next one
    /// restart_mult times longer, from lr down to min_lr (after the warm-up, if any).
    qint64 restartPeriod = 500;
    int restartMult = 2;
    double clipNorm = 0;       ///< gradient clipping by global norm; 0 = off

    // Augmentation (image_augmentation.h).
    bool augmentation = true;  ///< false: training batches through the eval transform (no randomness)
    double cropScaleMin = 0.2; ///< RandomResizedCrop's lower area fraction (mae 0.2, triplet 0.08)
    int randAugmentOps = 2;    ///< triplet training only; 0 = off
    int randAugmentMagnitude = 9;
    double randomErasing = 0.25; ///< triplet training only: probability per image

    // Running.
    quint64 seed = 0;          ///< torch, the loader's order and augmentation, MAE masks
    int logEvery = 10;         ///< steps per metrics.jsonl line (loss = mean over them)
    int evalEvery = 0;         ///< steps between validations (needs validation data); 0 = off
    int sampleEvery = 0;       ///< steps between samples (reconstructions / neighbours); 0 = off
    int checkpointEvery = 500; ///< steps between checkpoints (one is always written at the end)
    int keepCheckpoints = 3;   ///< newest checkpoints kept; 0 = all
    int workers = 2;           ///< loader threads decoding and augmenting; 0 = on the training thread
    int threads = 0;           ///< CPU cores for training; 0 = every core (nn::useCpuThreads: to BLAS for encoders, to torch for renderers)
    QString device = QStringLiteral("auto"); ///< "auto", "cpu" or "cuda"
    bool bf16 = false;         ///< bf16 autocast on CUDA (ignored on CPU)

    bool isMae() const { return kind == QLatin1String("mae"); }
    bool isTriplet() const { return kind == QLatin1String("triplet"); }
    bool isRenderer() const { return kind == QLatin1String("renderer"); }
    bool isRigDecoder() const { return kind == QLatin1String("rig-decoder"); }

    /// The peak learning rate: lr, or base_lr * batch_size / 256 when lr is 0.
    double learningRate() const;
    /// round(warmupFraction * steps).
    qint64 warmupSteps() const;

    /// One line per problem joined by "; ", empty when the values are usable. Does not look at
    /// the files in data/validation/init (TrainingRun does).
    QString problems() const;
    bool validate(QString *error) const;

    /// `--set key=value`: sets one field from text (lists comma-separated). False with
    /// "key: what is wrong" for an unknown key, a value of the wrong type or out of range
    /// (range checks: the ones of problems() that concern this key alone). `kind` and `preset`
    /// cannot be set (they choose the defaults: --preset / the command).
    bool set(const QString &key, const QString &value, QString *error);
    /// The value of a key as text (as set() takes it); empty for an unknown key.
    QString value(const QString &key) const;

    /// The whole configuration, every key, with comments naming the units. Numbers round-trip
    /// exactly (shortest representation).
    QByteArray toYaml() const;
    /// Reads a YAML mapping of keys. Keys missing from the text take the values of the preset
    /// it names (`kind`, `preset`), else of `defaults`' kind and preset, else of "mae"/"tiny";
    /// a `kind` that differs from `defaults`' is an error. Errors: "LINE:COL: what" for YAML
    /// syntax, "key: what" for an unknown key or a bad value, "missing kind" etc.
    static std::optional<TrainingConfig> fromYaml(const QByteArray &text, QString *error,
                                                  const TrainingConfig *defaults = nullptr);
    /// fromYaml on a file; errors "PATH: what".
    static std::optional<TrainingConfig> fromYamlFile(const QString &path, QString *error,
                                                      const TrainingConfig *defaults = nullptr);
    /// Writes toYaml() atomically.
    bool writeYamlFile(const QString &path, QString *error) const;

    /// Every key set() and fromYaml() accept, in toYaml() order.
    static QStringList keys();
    /// Whether `key` means anything to runs of `kind` (the Train workspace shows only those):
    /// the renderer keys only to "renderer" runs, the rig-decoder keys only to "rig-decoder"
    /// runs; the encoder, MAE, face-finder and augmentation keys not to renderers; encoder
    /// sizes, MAE and augmentation keys not to rig decoders; held_out_fraction to both.
    static bool keyApplies(const QString &key, const QString &kind);

    bool operator==(const TrainingConfig &other) const;
    bool operator!=(const TrainingConfig &other) const { return !(*this == other); }
};

/// A rig-decoder avatar, "AVATAR:RENDERER_RUN", split at its last ':' (an avatar path may hold
/// ':', a run folder may not); false when either side is empty.
bool splitAvatarSpec(const QString &spec, QString *avatar, QString *rendererRun);

} // namespace fa
