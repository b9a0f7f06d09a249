#include "training/training_config.h"

#include "common/file_kind.h"

#include "common/atomic_file.h"
#include "training/training_presets.h"

#include <QFile>
#include <QHash>
#include <QLocale>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

namespace fa {

namespace {

/// One YAML key: how to read it, write it and check its range.
struct Key
{
    QString name;
    QString comment;
    bool list = false;
    bool path = false; ///< a file or folder: quoted in YAML, may be empty
    std::function<QString(const TrainingConfig &)> get;
    /// Parses and assigns; returns the problem ("'abc' is not a number") or an empty string.
    std::function<QString(TrainingConfig &, const QString &)> set;
    std::function<void(TrainingConfig &, const QStringList &)> setList;
    std::function<QStringList(const TrainingConfig &)> getList;
    /// The range problem of the current value, or an empty string.
    std::function<QString(const TrainingConfig &)> check;
};

QString numberText(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

template <typename T>
Key integerKey(const char *name, T TrainingConfig::*member, qint64 min, qint64 max, const char *comment)
{
    Key k;
    k.name = QLatin1String(name);
    k.comment = QLatin1String(comment);
    k.get = [member](const TrainingConfig &c) { return QString::number(c.*member); };
    k.set = [member](TrainingConfig &c, const QString &text) {
        bool ok = false;
        const qlonglong v = text.trimmed().toLongLong(&ok);
        if (!ok)
            return QStringLiteral("'%1' is not an integer").arg(text);
        c.*member = T(v);
        if (qlonglong(c.*member) != v)
            return QStringLiteral("%1 is out of range").arg(text);
        return QString();
    };
    k.check = [member, min, max](const TrainingConfig &c) {
        const qint64 v = qint64(c.*member);
        if (v < min || v > max)
            return max == std::numeric_limits<qint64>::max()
                       ? QStringLiteral("%1 is below %2").arg(v).arg(min)
                       : QStringLiteral("%1 is outside %2..%3").arg(v).arg(min).arg(max);
        return QString();
    };
    return k;
}

Key seedKey()
{
    Key k;
    k.name = QStringLiteral("seed");
    k.comment = QStringLiteral("torch, data order, augmentation and masks");
    k.get = [](const TrainingConfig &c) { return QString::number(c.seed); };
    k.set = [](TrainingConfig &c, const QString &text) {
        bool ok = false;
        const qulonglong v = text.trimmed().toULongLong(&ok);
        if (!ok)
            return QStringLiteral("'%1' is not a non-negative integer").arg(text);
        c.seed = v;
        return QString();
    };
    k.check = [](const TrainingConfig &) { return QString(); };
    return k;
}

/// A real number in [min, max] (or (min, max] with minExclusive).
Key realKey(const char *name, double TrainingConfig::*member, double min, double max, bool minExclusive,
            const char *comment, bool maxExclusive = false)
{
    Key k;
    k.name = QLatin1String(name);
    k.comment = QLatin1String(comment);
    k.get = [member](const TrainingConfig &c) { return numberText(c.*member); };
    k.set = [member](TrainingConfig &c, const QString &text) {
        bool ok = false;
        const double v = text.trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(v))
            return QStringLiteral("'%1' is not a finite number").arg(text);
        c.*member = v;
        return QString();
    };
    k.check = [member, min, max, minExclusive, maxExclusive](const TrainingConfig &c) {
        const double v = c.*member;
        const bool low = minExclusive ? !(v > min) : !(v >= min);
        const bool high = maxExclusive ? !(v < max) : !(v <= max);
        if (low || high) {
            if (max == std::numeric_limits<double>::infinity())
                return QStringLiteral("%1 must be %2 %3").arg(numberText(v), minExclusive ? QStringLiteral(">") : QStringLiteral(">="), numberText(min));
            return QStringLiteral("%1 is outside %2%3, %4%5")
                .arg(numberText(v), minExclusive ? QStringLiteral("(") : QStringLiteral("["), numberText(min),
                     numberText(max), maxExclusive ? QStringLiteral(")") : QStringLiteral("]"));
        }
        return QString();
    };
    return k;
}

Key boolKey(const char *name, bool TrainingConfig::*member, const char *comment)
{
    Key k;
    k.name = QLatin1String(name);
    k.comment = QLatin1String(comment);
    k.get = [member](const TrainingConfig &c) { return c.*member ? QStringLiteral("true") : QStringLiteral("false"); };
    k.set = [member](TrainingConfig &c, const QString &text) {
        const QString t = text.trimmed().toLower();
        if (t == QLatin1String("true") || t == QLatin1String("yes") || t == QLatin1String("on") || t == QLatin1String("1"))
            c.*member = true;
        else if (t == QLatin1String("false") || t == QLatin1String("no") || t == QLatin1String("off") || t == QLatin1String("0"))
            c.*member = false;
        else
            return QStringLiteral("'%1' is not true or false").arg(text);
        return QString();
    };
    k.check = [](const TrainingConfig &) { return QString(); };
    return k;
}

Key choiceKey(const char *name, QString TrainingConfig::*member, const QStringList &choices, const char *comment)
{
    Key k;
    k.name = QLatin1String(name);
    k.comment = QLatin1String(comment);
    k.get = [member](const TrainingConfig &c) { return c.*member; };
    k.set = [member](TrainingConfig &c, const QString &text) {
        c.*member = text.trimmed().toLower();
        return QString();
    };
    k.check = [member, choices](const TrainingConfig &c) {
        if (!choices.contains(c.*member))
            return QStringLiteral("'%1' is not one of %2").arg(c.*member, choices.join(QStringLiteral(", ")));
        return QString();
    };
    return k;
}

Key pathKey(const char *name, QString TrainingConfig::*member, const char *comment)
{
    Key k;
    k.name = QLatin1String(name);
    k.comment = QLatin1String(comment);
    k.path = true;
    k.get = [member](const TrainingConfig &c) { return c.*member; };
    k.set = [member](TrainingConfig &c, const QString &text) {
        c.*member = text.trimmed();
        return QString();
    };
    k.check = [](const TrainingConfig &) { return QString(); };
    return k;
}

Key listKey(const char *name, QStringList TrainingConfig::*member, const char *comment)
{
    Key k;
    k.name = QLatin1String(name);
    k.comment = QLatin1String(comment);
    k.list = true;
    k.get = [member](const TrainingConfig &c) { return (c.*member).join(QLatin1Char(',')); };
    k.set = [member](TrainingConfig &c, const QString &text) {
        QStringList items;
        for (const QString &item : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
            if (!item.trimmed().isEmpty())
                items << item.trimmed();
        c.*member = items;
        return QString();
    };
    k.setList = [member](TrainingConfig &c, const QStringList &items) { c.*member = items; };
    k.getList = [member](const TrainingConfig &c) { return c.*member; };
    k.check = [](const TrainingConfig &) { return QString(); };
    return k;
}

const std::vector<Key> &keyTable()
{
    static const std::vector<Key> table = [] {
        using C = TrainingConfig;
        constexpr qint64 big = std::numeric_limits<qint64>::max();
        constexpr double inf = std::numeric_limits<double>::infinity();
        std::vector<Key> t;
        t.push_back(choiceKey("kind", &C::kind,
                              {QStringLiteral("mae"), QStringLiteral("triplet"), QStringLiteral("renderer"),
                               QStringLiteral("rig-decoder")},
                              "mae (pre-training), triplet (fine-tuning), renderer (rig -> image) or rig-decoder"));
        t.push_back(choiceKey("preset", &C::preset,
                              {QStringLiteral("tiny"), QStringLiteral("small"), QStringLiteral("vit-b"), QStringLiteral("paper")},
                              "defaults of the keys not given: tiny, small or vit-b (renderer, rig-decoder: tiny or paper)"));
        t.push_back(integerKey("renderer_size", &C::rendererSize, 64, 256, "renderer: output side, 64, 128 or 256 pixels"));
        t.push_back(integerKey("renderer_width", &C::rendererWidth, 1, 1024, "renderer: ngf, channels (reference 128)"));
        t.push_back(realKey("region_weight", &C::regionWeight, 0, inf, false, "renderer: weight of the L1 in the mouth and eye boxes"));
        t.push_back(realKey("held_out_fraction", &C::heldOutFraction, 0, 0.5, false,
                            "renderer, rig-decoder: share of the render sets (and of each video's end) held out"));
        t.push_back(pathKey("encoder", &C::encoder, "rig-decoder: the triplet run whose encoder reads the faces (frozen)"));
        t.push_back(listKey("avatars", &C::avatars, "rig-decoder: AVATAR:RENDERER_RUN, one per identity row"));
        t.push_back(realKey("rig_weight", &C::rigWeight, 0, inf, false, "rig-decoder: weight of the rig MSE"));
        t.push_back(realKey("embedding_weight", &C::embeddingWeight, 0, inf, false,
                            "rig-decoder: weight of the expression-embedding MSE"));
        t.push_back(realKey("image_weight", &C::imageWeight, 0, inf, false, "rig-decoder: weight of the image L1"));
        t.push_back(realKey("symmetry_weight", &C::symmetryWeight, 0, inf, false,
                            "rig-decoder: weight of the left/right symmetry term"));
        t.push_back(choiceKey("expression_space", &C::expressionSpace, {QStringLiteral("embedding"), QStringLiteral("pooled")},
                              "rig-decoder: compare in the 16-d embedding or the L2-normalised pooled feature"));
        t.push_back(realKey("render_share", &C::renderShare, 0, 1, false,
                            "rig-decoder: share of samples from the avatars' render sets (the rest: real faces)"));
        t.push_back(integerKey("rig_hidden", &C::rigHidden, 1, 65536, "rig-decoder: hidden width (reference 512)"));
        t.push_back(integerKey("rig_blocks", &C::rigBlocks, 0, 64, "rig-decoder: residual blocks (reference 2)"));
        t.push_back(realKey("rig_dropout", &C::rigDropout, 0, 1, false, "rig-decoder: dropout (reference 0.1)", true));
        t.push_back(integerKey("identity_rows", &C::identityRows, 1, 4096, "rig-decoder: identity table rows (reference 10)"));
        t.push_back(integerKey("image_size", &C::imageSize, 8, 4096, "input side, pixels"));
        t.push_back(integerKey("patch_size", &C::patchSize, 1, 1024, "pixels"));
        t.push_back(integerKey("embed_dim", &C::embedDim, 4, 8192, "encoder width"));
        t.push_back(integerKey("depth", &C::depth, 1, 256, "encoder blocks"));
        t.push_back(integerKey("num_heads", &C::numHeads, 1, 256, "encoder attention heads"));
        t.push_back(realKey("mlp_ratio", &C::mlpRatio, 0, 64, true, "MLP width / embed_dim"));
        t.push_back(integerKey("embedding_size", &C::embeddingSize, 1, 4096, "triplet: expression embedding size"));
        t.push_back(integerKey("decoder_embed_dim", &C::decoderEmbedDim, 4, 8192, "mae decoder width"));
        t.push_back(integerKey("decoder_depth", &C::decoderDepth, 1, 256, "mae decoder blocks"));
        t.push_back(integerKey("decoder_num_heads", &C::decoderNumHeads, 1, 256, "mae decoder heads"));
        t.push_back(realKey("mask_ratio", &C::maskRatio, 0, 1, true, "mae: fraction of patches masked", true));
        t.push_back(boolKey("norm_pix_loss", &C::normPixLoss, "mae: loss on per-patch normalised pixels"));
        t.push_back(listKey("data", &C::data, "projects, image folders, videos, triplet CSV files"));
        t.push_back(listKey("validation", &C::validation, "held-out data (eval transform)"));
        t.push_back(pathKey("init", &C::init, "run folder or .pth to start the encoder from"));
        t.push_back(pathKey("image_dir", &C::imageDir, "image folder of a triplet CSV (default: its folder)"));
        t.push_back(integerKey("video_frame_step", &C::videoFrameStep, 1, 100000, "videos: every Nth frame"));
        t.push_back(integerKey("category_triplets", &C::categoryTriplets, 0, 100000000,
                               "image folders as triplet data: TWO_CLASS triplets (0 = 4 per face)"));
        t.push_back(choiceKey("detector", &C::detector, {QStringLiteral("dlib"), QStringLiteral("yunet")},
                              "face detector for images and videos: dlib (HOG) or yunet"));
        t.push_back(pathKey("yunet_model", &C::yunetModel, "YuNet ONNX file for detector yunet"));
        t.push_back(integerKey("min_face", &C::minFace, 8, 4096, "smallest face kept, box height in pixels"));
        t.push_back(boolKey("all_faces", &C::allFaces, "videos: every face of a scanned frame, not only the largest"));
        t.push_back(boolKey("tilt_search", &C::tiltSearch, "also search images turned by +/-25 degrees (slower)"));
        t.push_back(integerKey("steps", &C::steps, 1, big, "optimizer steps in all"));
        t.push_back(integerKey("batch_size", &C::batchSize, 1, 1000000, "images (mae) or triplets (triplet) per step"));
        t.push_back(choiceKey("optimizer", &C::optimizer, {QStringLiteral("adamw"), QStringLiteral("sgd")}, "adamw or sgd"));
        t.push_back(realKey("lr", &C::lr, 0, inf, false, "peak learning rate; 0 = base_lr * batch_size / 256"));
        t.push_back(realKey("base_lr", &C::baseLr, 0, inf, false, "MAE's blr"));
        t.push_back(realKey("min_lr", &C::minLr, 0, inf, false, "end of the cosine"));
        t.push_back(realKey("weight_decay", &C::weightDecay, 0, inf, false, "decoupled (adamw) or L2 (sgd)"));
        t.push_back(realKey("momentum", &C::momentum, 0, 1, false, "sgd", true));
        t.push_back(realKey("beta1", &C::beta1, 0, 1, false, "adamw", true));
        t.push_back(realKey("beta2", &C::beta2, 0, 1, false, "adamw", true));
        t.push_back(choiceKey("schedule", &C::schedule,
                              {QStringLiteral("cosine"), QStringLiteral("constant"), QStringLiteral("restarts")},
                              "after the warm-up: cosine, constant or restarts (cosine with warm restarts)"));
        t.push_back(integerKey("restart_period", &C::restartPeriod, 1, big, "restarts: steps of the first cosine period"));
        t.push_back(integerKey("restart_mult", &C::restartMult, 1, 1000, "restarts: each period this many times the last"));
        t.push_back(realKey("warmup_fraction", &C::warmupFraction, 0, 1, false, "of steps, linear warm-up", true));
        t.push_back(realKey("clip_norm", &C::clipNorm, 0, inf, false, "gradient clipping by global norm; 0 = off"));
        t.push_back(boolKey("augmentation", &C::augmentation, "false: train through the eval transform"));
        t.push_back(realKey("crop_scale_min", &C::cropScaleMin, 0, 1, true, "RandomResizedCrop area fraction"));
        t.push_back(integerKey("rand_augment_ops", &C::randAugmentOps, 0, 16, "triplet: RandAugment ops; 0 = off"));
        t.push_back(integerKey("rand_augment_magnitude", &C::randAugmentMagnitude, 0, 30, "triplet: RandAugment magnitude"));
        t.push_back(realKey("random_erasing", &C::randomErasing, 0, 1, false, "triplet: probability per image"));
        t.push_back(seedKey());
        t.push_back(integerKey("log_every", &C::logEvery, 1, 100000000, "steps per metrics.jsonl line"));
        t.push_back(integerKey("eval_every", &C::evalEvery, 0, 100000000, "steps between validations; 0 = off"));
        t.push_back(integerKey("sample_every", &C::sampleEvery, 0, 100000000, "steps between samples; 0 = off"));
        t.push_back(integerKey("checkpoint_every", &C::checkpointEvery, 1, 100000000, "steps between checkpoints"));
        t.push_back(integerKey("keep_checkpoints", &C::keepCheckpoints, 0, 100000, "newest kept; 0 = all"));
        t.push_back(integerKey("workers", &C::workers, 0, 256, "loader threads; 0 = on the training thread"));
        t.push_back(integerKey("threads", &C::threads, 0, 1024, "CPU cores; 0 = every core"));
        t.push_back(choiceKey("device", &C::device, {QStringLiteral("auto"), QStringLiteral("cpu"), QStringLiteral("cuda")},
                              "auto, cpu or cuda"));
        t.push_back(boolKey("bf16", &C::bf16, "bf16 autocast on CUDA"));
        return t;
    }();
    return table;
}

const Key *findKey(const QString &name)
{
    for (const Key &key : keyTable())
        if (key.name == name)
            return &key;
    return nullptr;
}

/// YAML double-quoted scalar (paths may hold ':' '#' or leading blanks).
QString quoted(const QString &text)
{
    QString out = QStringLiteral("\"");
    for (const QChar ch : text) {
        if (ch == QLatin1Char('"') || ch == QLatin1Char('\\'))
            out += QLatin1Char('\\');
        if (ch == QLatin1Char('\n'))
            out += QStringLiteral("\\n");
        else
            out += ch;
    }
    return out + QLatin1Char('"');
}

QString unknownKeyText(const QString &key)
{
    return QStringLiteral("%1: unknown key (see freeavatar train --help for the keys)").arg(key);
}

} // namespace

bool isTrainingKind(const QString &kind)
{
    return kind == QLatin1String("mae") || kind == QLatin1String("triplet") || kind == QLatin1String("renderer")
           || kind == QLatin1String("rig-decoder");
}

double TrainingConfig::learningRate() const
{
    return lr > 0 ? lr : baseLr * batchSize / 256.0;
}

qint64 TrainingConfig::warmupSteps() const
{
    return qint64(std::llround(warmupFraction * double(steps)));
}

QString TrainingConfig::problems() const
{
    QStringList out;
    for (const Key &key : keyTable()) {
        const QString problem = key.check(*this);
        if (!problem.isEmpty())
            out << key.name + QStringLiteral(": ") + problem;
    }
    if (imageSize > 0 && patchSize > 0 && imageSize % patchSize != 0)
        out << QStringLiteral("image_size: %1 is not a multiple of patch_size %2").arg(imageSize).arg(patchSize);
    if (embedDim > 0 && numHeads > 0 && embedDim % numHeads != 0)
        out << QStringLiteral("embed_dim: %1 is not a multiple of num_heads %2").arg(embedDim).arg(numHeads);
    // MAE's get_2d_sincos_pos_embed splits the width in two halves of sin/cos pairs.
    if (embedDim % 4 != 0)
        out << QStringLiteral("embed_dim: %1 is not a multiple of 4 (2-D sin-cos position embedding)").arg(embedDim);
    if (isMae()) {
        if (decoderEmbedDim > 0 && decoderNumHeads > 0 && decoderEmbedDim % decoderNumHeads != 0)
            out << QStringLiteral("decoder_embed_dim: %1 is not a multiple of decoder_num_heads %2")
                       .arg(decoderEmbedDim).arg(decoderNumHeads);
        if (decoderEmbedDim % 4 != 0)
            out << QStringLiteral("decoder_embed_dim: %1 is not a multiple of 4 (2-D sin-cos position embedding)")
                       .arg(decoderEmbedDim);
        if (imageSize > 0 && patchSize > 0 && imageSize % patchSize == 0) {
            const int patches = (imageSize / patchSize) * (imageSize / patchSize);
            // MAE keeps int(N * (1 - mask_ratio)) patches: at least one must stay visible.
            if (int(patches * (1.0 - maskRatio)) < 1)
                out << QStringLiteral("mask_ratio: %1 leaves no visible patch of %2").arg(numberText(maskRatio)).arg(patches);
        }
    }
    if (rendererSize != 64 && rendererSize != 128 && rendererSize != 256)
        out << QStringLiteral("renderer_size: %1 is not 64, 128 or 256").arg(rendererSize);
    if ((isRenderer() || isRigDecoder()) && preset != QLatin1String("tiny") && preset != QLatin1String("paper"))
        out << QStringLiteral("preset: '%1' is not a %2 preset (tiny or paper)").arg(preset, kind);
    if (!isRenderer() && !isRigDecoder() && preset == QLatin1String("paper"))
        out << QStringLiteral("preset: 'paper' is a renderer or rig-decoder preset (encoders: tiny, small or vit-b)");
    if (isRigDecoder()) {
        if (encoder.isEmpty())
            out << QStringLiteral("encoder: a rig decoder needs the triplet run of its encoder");
        if (avatars.isEmpty())
            out << QStringLiteral("avatars: a rig decoder needs at least one AVATAR:RENDERER_RUN");
        if (avatars.size() > identityRows)
            out << QStringLiteral("avatars: %1 avatars do not fit identity_rows %2").arg(avatars.size()).arg(identityRows);
        if (!(rigWeight > 0 || embeddingWeight > 0 || imageWeight > 0))
            out << QStringLiteral("rig_weight: every loss weight is 0 (rig, embedding and image)");
    }
    if (detector == QLatin1String("yunet") && yunetModel.isEmpty())
        out << QStringLiteral("yunet_model: detector yunet needs its ONNX model file");
    if (!(learningRate() > 0))
        out << QStringLiteral("lr: the learning rate is 0 (set lr, or base_lr for lr = base_lr * batch_size / 256)");
    if (minLr > learningRate())
        out << QStringLiteral("min_lr: %1 is above the learning rate %2").arg(numberText(minLr), numberText(learningRate()));
    return out.join(QStringLiteral("; "));
}

bool TrainingConfig::validate(QString *error) const
{
    const QString p = problems();
    if (!p.isEmpty() && error)
        *error = p;
    return p.isEmpty();
}

bool TrainingConfig::set(const QString &key, const QString &value, QString *error)
{
    auto fail = [&](const QString &what) {
        if (error)
            *error = what;
        return false;
    };
    const Key *k = findKey(key.trimmed());
    if (!k)
        return fail(unknownKeyText(key.trimmed()));
    if (k->name == QLatin1String("kind") || k->name == QLatin1String("preset"))
        return fail(QStringLiteral("%1: chosen by the command and --preset, not by --set").arg(k->name));
    TrainingConfig changed = *this;
    QString problem = k->set(changed, value);
    if (problem.isEmpty())
        problem = k->check(changed);
    if (!problem.isEmpty())
        return fail(k->name + QStringLiteral(": ") + problem);
    *this = changed;
    return true;
}

QString TrainingConfig::value(const QString &key) const
{
    const Key *k = findKey(key);
    return k ? k->get(*this) : QString();
}

QStringList TrainingConfig::keys()
{
    QStringList names;
    for (const Key &key : keyTable())
        names << key.name;
    return names;
}

bool TrainingConfig::keyApplies(const QString &key, const QString &kind)
{
    static const QStringList rendererOnly = {QStringLiteral("renderer_size"), QStringLiteral("renderer_width"),
                                             QStringLiteral("region_weight")};
    static const QStringList decoderOnly = {
        QStringLiteral("encoder"), QStringLiteral("avatars"), QStringLiteral("rig_weight"),
        QStringLiteral("embedding_weight"), QStringLiteral("image_weight"), QStringLiteral("symmetry_weight"),
        QStringLiteral("expression_space"), QStringLiteral("render_share"), QStringLiteral("rig_hidden"),
        QStringLiteral("rig_blocks"), QStringLiteral("rig_dropout"), QStringLiteral("identity_rows")};
    // A rig decoder finds faces in its data (videos, folders) but takes its encoder's sizes from
    // the encoder run and trains on unaugmented faces.
    static const QStringList notForDecoders = {
        QStringLiteral("image_size"), QStringLiteral("patch_size"), QStringLiteral("embed_dim"), QStringLiteral("depth"),
        QStringLiteral("num_heads"), QStringLiteral("mlp_ratio"), QStringLiteral("embedding_size"),
        QStringLiteral("decoder_embed_dim"), QStringLiteral("decoder_depth"), QStringLiteral("decoder_num_heads"),
        QStringLiteral("mask_ratio"), QStringLiteral("norm_pix_loss"), QStringLiteral("validation"),
        QStringLiteral("image_dir"), QStringLiteral("category_triplets"), QStringLiteral("augmentation"),
        QStringLiteral("crop_scale_min"), QStringLiteral("rand_augment_ops"), QStringLiteral("rand_augment_magnitude"),
        QStringLiteral("random_erasing")};
    if (kind == QLatin1String("rig-decoder"))
        return !rendererOnly.contains(key) && !notForDecoders.contains(key);
    if (decoderOnly.contains(key))
        return false;
    if (key == QLatin1String("held_out_fraction"))
        return kind == QLatin1String("renderer");
    static const QStringList encoderOnly = {
        QStringLiteral("image_size"), QStringLiteral("patch_size"), QStringLiteral("embed_dim"), QStringLiteral("depth"),
        QStringLiteral("num_heads"), QStringLiteral("mlp_ratio"), QStringLiteral("embedding_size"),
        QStringLiteral("decoder_embed_dim"), QStringLiteral("decoder_depth"), QStringLiteral("decoder_num_heads"),
        QStringLiteral("mask_ratio"), QStringLiteral("norm_pix_loss"), QStringLiteral("validation"), QStringLiteral("init"),
        QStringLiteral("image_dir"), QStringLiteral("video_frame_step"), QStringLiteral("category_triplets"),
        QStringLiteral("detector"), QStringLiteral("yunet_model"), QStringLiteral("min_face"), QStringLiteral("all_faces"),
        QStringLiteral("tilt_search"), QStringLiteral("augmentation"), QStringLiteral("crop_scale_min"),
        QStringLiteral("rand_augment_ops"), QStringLiteral("rand_augment_magnitude"), QStringLiteral("random_erasing")};
    if (kind == QLatin1String("renderer"))
        return !encoderOnly.contains(key) && !decoderOnly.contains(key);
    return !rendererOnly.contains(key);
}

QByteArray TrainingConfig::toYaml() const
{
    QString out = QStringLiteral("# FreeAvatar Studio training run (freeavatar train --config accepts this file)\n");
    for (const Key &key : keyTable()) {
        if (key.list) {
            const QStringList items = key.getList(*this);
            out += key.name + QLatin1Char(':');
            if (items.isEmpty())
                out += QStringLiteral(" []");
            out += QStringLiteral("  # ") + key.comment + QLatin1Char('\n');
            for (const QString &item : items)
                out += QStringLiteral("  - ") + quoted(item) + QLatin1Char('\n');
            continue;
        }
        QString text = key.get(*this);
        if (key.path)
            text = quoted(text);
        out += key.name + QStringLiteral(": ") + text + QStringLiteral("  # ") + key.comment + QLatin1Char('\n');
    }
    return out.toUtf8();
}

std::optional<TrainingConfig> TrainingConfig::fromYaml(const QByteArray &text, QString *error,
                                                       const TrainingConfig *defaults)
{
    auto fail = [&](const QString &what) {
        if (error)
            *error = what;
        return std::nullopt;
    };
    YAML::Node root;
    try {
        root = YAML::Load(text.toStdString());
    } catch (const YAML::Exception &e) {
        return fail(QStringLiteral("%1:%2: %3").arg(e.mark.line + 1).arg(e.mark.column + 1)
                        .arg(QString::fromStdString(e.msg)));
    }
    if (!root.IsNull() && !root.IsMap())
        return fail(QStringLiteral("expected a mapping of keys (key: value), one per line"));

    auto lineOf = [](const YAML::Node &node) { return node.Mark().line + 1; };
    // Problems are located on the key's line (a missing value has no line of its own).
    auto scalarOf = [&](const YAML::Node &node, int line, const QString &key, QString *value) {
        if (node.IsNull()) {
            *value = QString();
            return true;
        }
        if (!node.IsScalar()) {
            if (error)
                *error = QStringLiteral("%1: %2: expected a single value").arg(line).arg(key);
            return false;
        }
        *value = QString::fromStdString(node.Scalar());
        return true;
    };

    try {
        // kind and preset first: they choose the defaults of every other key.
        QString kind = defaults ? defaults->kind : QStringLiteral("mae");
        QString preset = defaults ? defaults->preset : QStringLiteral("tiny");
        bool presetGiven = false;
        if (root.IsMap()) {
            if (const YAML::Node node = root["kind"]) {
                QString value;
                if (!scalarOf(node, lineOf(node), QStringLiteral("kind"), &value))
                    return std::nullopt;
                if (defaults && value != defaults->kind)
                    return fail(QStringLiteral("%1: kind: the file is for '%2' runs, not '%3'")
                                    .arg(lineOf(node)).arg(value, defaults->kind));
                kind = value;
            }
            if (const YAML::Node node = root["preset"]) {
                if (!scalarOf(node, lineOf(node), QStringLiteral("preset"), &preset))
                    return std::nullopt;
                presetGiven = true;
            }
        }
        TrainingConfig config;
        if (defaults && defaults->kind == kind && (!presetGiven || preset == defaults->preset)) {
            config = *defaults;
        } else {
            QString why;
            const std::optional<TrainingConfig> base = trainingPreset(kind, preset, &why);
            if (!base)
                return fail(why);
            config = *base;
        }
        if (!root.IsMap())
            return config;

        // yaml-cpp keeps both entries of a repeated key, and root["key"] finds the first: a
        // second value would be silently ignored or applied over the first (issue 16).
        QHash<QString, int> seen;
        for (const auto &entry : root) {
            const QString key = QString::fromStdString(entry.first.as<std::string>());
            const int line = lineOf(entry.first);
            if (seen.contains(key))
                return fail(QStringLiteral("%1: %2: given twice (first on line %3)").arg(line).arg(key).arg(seen.value(key)));
            seen.insert(key, line);
            if (key == QLatin1String("kind") || key == QLatin1String("preset"))
                continue;
            const Key *k = findKey(key);
            if (!k)
                return fail(QStringLiteral("%1: %2").arg(line).arg(unknownKeyText(key)));
            const YAML::Node &node = entry.second;
            QString problem;
            if (k->list && node.IsSequence()) {
                QStringList items;
                for (const YAML::Node &item : node) {
                    if (!item.IsScalar())
                        return fail(QStringLiteral("%1: %2: expected a list of paths").arg(line).arg(key));
                    items << QString::fromStdString(item.Scalar());
                }
                k->setList(config, items);
            } else {
                QString value;
                if (!scalarOf(node, line, key, &value))
                    return std::nullopt;
                if (node.IsNull() && !k->list && !k->path)
                    return fail(QStringLiteral("%1: %2: no value").arg(line).arg(key));
                problem = k->set(config, value);
            }
            if (problem.isEmpty())
                problem = k->check(config);
            if (!problem.isEmpty())
                return fail(QStringLiteral("%1: %2: %3").arg(line).arg(key, problem));
        }
        config.kind = kind;
        config.preset = preset == QLatin1String("base") ? QStringLiteral("vit-b") : preset;
        return config;
    } catch (const YAML::Exception &e) {
        return fail(QStringLiteral("%1:%2: %3").arg(e.mark.line + 1).arg(e.mark.column + 1)
                        .arg(QString::fromStdString(e.msg)));
    }
}

std::optional<TrainingConfig> TrainingConfig::fromYamlFile(const QString &path, QString *error,
                                                           const TrainingConfig *defaults)
{
    // A FIFO or device would block readAll() forever; a configuration is a few KiB.
    constexpr qint64 kMaxConfigBytes = 1 << 20;
    if (const QString problem = specialFileProblem(path); !problem.isEmpty()) {
        if (error)
            *error = problem;
        return std::nullopt;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("%1: cannot read: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    if (file.size() > kMaxConfigBytes) {
        if (error)
            *error = QStringLiteral("%1: %2 bytes is too large for a run configuration (at most 1 MiB)").arg(path).arg(file.size());
        return std::nullopt;
    }
    QString why;
    std::optional<TrainingConfig> config = fromYaml(file.readAll(), &why, defaults);
    // fromYaml's errors start with "LINE:" where they have a place in the file.
    if (!config && error)
        *error = path + (why.isEmpty() || !why.front().isDigit() ? QStringLiteral(": ") : QStringLiteral(":")) + why;
    return config;
}

bool TrainingConfig::writeYamlFile(const QString &path, QString *error) const
{
    return writeFileAtomically(path, toYaml(), error);
}

bool TrainingConfig::operator==(const TrainingConfig &other) const
{
    // Every field has a key and toYaml() writes numbers exactly: equal texts, equal configs.
    return toYaml() == other.toYaml();
}

bool splitAvatarSpec(const QString &spec, QString *avatar, QString *rendererRun)
{
    const qsizetype colon = spec.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0 || colon == spec.size() - 1)
        return false;
    *avatar = spec.left(colon).trimmed();
    *rendererRun = spec.mid(colon + 1).trimmed();
    return !avatar->isEmpty() && !rendererRun->isEmpty();
}

} // namespace fa
