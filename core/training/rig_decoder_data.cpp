#include "training/rig_decoder_data.h"

#include "common/arkit.h"
#include "common/error_text.h"
#include "project/project.h"
#include "projectio/import_file_list.h"
#include "renderset/render_dataset.h"
#include "training/image_augmentation.h"
#include "training/solved_video_faces.h"
#include "training/training_data.h"

#include <QCryptographicHash>
#include <QFileInfo>

#include <opencv2/imgcodecs.hpp>

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace fa {

namespace {

bool isMannequinArgument(const QString &avatar)
{
    return avatar.compare(QLatin1String("mannequin"), Qt::CaseInsensitive) == 0;
}

QString canonical(const QString &path)
{
    const QFileInfo info(path);
    const QString c = info.canonicalFilePath();
    return c.isEmpty() ? info.absoluteFilePath() : c;
}

/// Checks that the renderer run was trained for `avatar`; "RUN: what" otherwise.
bool rendererFitsAvatar(const RendererRun &run, const QString &avatar, QString *error)
{
    const QString trainedFor = run.info.avatarPath;
    if (isMannequinArgument(avatar)) {
        if (!trainedFor.isEmpty())
            return failWith(error, QStringLiteral("%1: a renderer of %2, not of the mannequin head").arg(run.runDir, trainedFor));
        return true;
    }
    if (!QFileInfo(avatar).isFile())
        return failWith(error, QStringLiteral("%1: no such avatar file").arg(avatar));
    if (trainedFor.isEmpty())
        return failWith(error, QStringLiteral("%1: a renderer of the mannequin head, not of %2").arg(run.runDir, avatar));
    if (canonical(trainedFor) != canonical(avatar))
        return failWith(error, QStringLiteral("%1: a renderer of %2, not of %3").arg(run.runDir, trainedFor, avatar));
    return true;
}

/// Per control, its ARKit shape index (any spelling) or -1; and its left/right mirror.
void mapControls(DecoderAvatarData &avatar)
{
    const QStringList &controls = avatar.renderer.info.controls;
    std::vector<int64_t> mirror;
    for (int c = 0; c < controls.size(); ++c) {
        const int shape = arkit::indexOf(controls[c]);
        avatar.arkitOfControl.push_back(shape);
        int64_t partner = c;
        if (shape >= 0) {
            QString name = arkit::canonicalName(shape);
            if (name.contains(QLatin1String("Left")))
                name.replace(QLatin1String("Left"), QLatin1String("Right"));
            else if (name.contains(QLatin1String("Right")))
                name.replace(QLatin1String("Right"), QLatin1String("Left"));
            const int other = arkit::indexOf(name);
            for (int d = 0; d < controls.size() && other != shape; ++d)
                if (arkit::indexOf(controls[d]) == other)
                    partner = d;
        }
        mirror.push_back(partner);
    }
    avatar.mirror = torch::tensor(mirror, torch::kLong);
}

/// Splits the data paths into videos (their faces get landmark-solver targets) and the rest
/// (projects, images: faces without targets). Folders that are not projects are walked.
bool partitionData(const QStringList &paths, QStringList *videos, QStringList *others, QString *error)
{
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (!info.exists())
            return failWith(error, QStringLiteral("%1: no such file or folder").arg(path));
        if (info.isDir() && Project::exists(path)) {
            *others << path;
            continue;
        }
        if (info.isFile() && importFileKindFromName(path) != ImportFileKind::Video) {
            *others << path;
            continue;
        }
        QStringList problems;
        for (const ImportFile &file : collectImportFiles({path}, &problems))
            (file.kind == ImportFileKind::Video ? *videos : *others) << file.path;
        if (!problems.isEmpty())
            return failWith(error, problems.first());
    }
    return true;
}

/// A fixed pseudo-random share of indices, independent of the run's seed (as RenderPairSet).
bool hashHeldOut(qsizetype index, double fraction)
{
    const quint64 h = (quint64(index) + 1) * 0x9E3779B97F4A7C15ull;
    return double((h >> 11) % 1000000) < fraction * 1e6;
}

} // namespace

std::optional<RigDecoderData> RigDecoderData::load(const TrainingConfig &config, torch::Device device,
                                                   const Progress &progress, const std::atomic_bool *cancel,
                                                   QString *error)
{
    RigDecoderData data;
    auto report = [&](double fraction, const QString &status) {
        if (progress)
            progress(fraction, status);
    };
    report(0.0, QStringLiteral("loading the encoder"));
    std::optional<EncoderRun> encoder = loadEncoderRun(config.encoder, device, error);
    if (!encoder)
        return std::nullopt;
    data.m_encoder = std::move(*encoder);
    nn::freezeModule(*data.m_encoder.encoder);
    data.m_encoderFingerprint = fileFingerprint(data.m_encoder.modelPath, error);
    if (data.m_encoderFingerprint.isEmpty())
        return std::nullopt;

    for (const QString &spec : config.avatars) {
        QString avatarArgument, runDir;
        if (!splitAvatarSpec(spec, &avatarArgument, &runDir)) {
            failWith(error, QStringLiteral("avatars: '%1' is not AVATAR:RENDERER_RUN").arg(spec));
            return std::nullopt;
        }
        report(0.05, QStringLiteral("loading the renderer of %1").arg(avatarArgument));
        DecoderAvatarData avatar;
        avatar.avatarArgument = avatarArgument;
        std::optional<RendererRun> renderer = loadRendererRun(runDir, device, error);
        if (!renderer || !rendererFitsAvatar(*renderer, avatarArgument, error))
            return std::nullopt;
        avatar.renderer = std::move(*renderer);
        nn::freezeModule(*avatar.renderer.network);
        for (const DecoderAvatarData &other : data.m_avatars)
            if (other.renderer.info.avatarPath == avatar.renderer.info.avatarPath) {
                failWith(error, QStringLiteral("avatars: %1 is given twice (one identity row per avatar)").arg(avatarArgument));
                return std::nullopt;
            }
        avatar.rendererFingerprint = fileFingerprint(avatar.renderer.modelPath, error);
        if (avatar.rendererFingerprint.isEmpty())
            return std::nullopt;
        std::optional<RenderPairSet> set = RenderPairSet::open(avatar.renderer.info.renderSet, avatar.renderer.info.imageSize,
                                                               config.heldOutFraction, error);
        if (!set)
            return std::nullopt;
        if (set->fingerprint() != avatar.renderer.info.renderSetFingerprint) {
            failWith(error, QStringLiteral("%1: the render set changed since renderer %2 was trained on it")
                                .arg(avatar.renderer.info.renderSet, runDir));
            return std::nullopt;
        }
        if (set->controlNames() != avatar.renderer.info.controls) {
            failWith(error, QStringLiteral("%1: its controls are not those of renderer %2")
                                .arg(avatar.renderer.info.renderSet, runDir));
            return std::nullopt;
        }
        avatar.renders = std::make_shared<const RenderPairSet>(std::move(*set));
        mapControls(avatar);
        data.m_avatars.push_back(std::move(avatar));
    }
    if (data.m_avatars.empty()) {
        failWith(error, QStringLiteral("avatars: none given (AVATAR:RENDERER_RUN)"));
        return std::nullopt;
    }

    // Real faces: videos with landmark-solver targets first, then stills and project crops.
    QStringList videos, others;
    if (!partitionData(config.data, &videos, &others, error))
        return std::nullopt;
    if (!videos.isEmpty()) {
        SolvedVideoFacesOptions options;
        options.frameStep = config.videoFrameStep;
        options.cancel = cancel;
        options.progress = [&](double f, const QString &status) { report(0.1 + 0.3 * f, QStringLiteral("solving ") + status); };
        std::optional<SolvedVideoFaces> solved = loadSolvedVideoFaces(videos, options, error);
        if (!solved)
            return std::nullopt;
        data.m_faces = solved->faces;
        data.m_faceTargets = solved->arkit;
        for (qsizetype i = 0; i < data.m_faces.size(); ++i) {
            const int count = solved->facesPerVideo[std::size_t(solved->video[std::size_t(i)])];
            const int firstHeldOut = int(std::ceil(double(count) * (1.0 - config.heldOutFraction)));
            (solved->position[std::size_t(i)] >= firstHeldOut ? data.m_heldOutFaces : data.m_trainingFaces).push_back(i);
        }
    }
    if (!others.isEmpty()) {
        const DataLoadProgress stillProgress = [&](double f, const QString &status) { report(0.4 + 0.1 * f, status); };
        QStringList problems;
        std::optional<FaceCropDataset> stills =
            loadTrainingFaces(others, faceLoadOptions(config, cancel, stillProgress), &problems, error);
        if (!stills)
            return std::nullopt;
        for (qsizetype i = 0; i < stills->size(); ++i) {
            const qsizetype index = data.m_faces.append(stills->item(i));
            data.m_faceTargets.emplace_back();
            (hashHeldOut(index, config.heldOutFraction) ? data.m_heldOutFaces : data.m_trainingFaces).push_back(index);
        }
    }

    // The encoder's view of every source face, once.
    report(0.5, QStringLiteral("encoding %1 faces").arg(data.m_faces.size()));
    const FaceCropDataset &faces = data.m_faces;
    if (!encodeFaceImages(data.m_encoder, faces.size(), [&faces](qsizetype i, QString *why) { return faces.image(i, why); },
                      &data.m_facePatchMean, &data.m_faceEmbedding,
                      [&](double f) { report(0.5 + 0.2 * f, QStringLiteral("encoding faces")); }, cancel, error))
        return std::nullopt;
    for (std::size_t k = 0; k < data.m_avatars.size(); ++k) {
        DecoderAvatarData &avatar = data.m_avatars[k];
        const RenderDataset &set = avatar.renders->dataset();
        report(0.7, QStringLiteral("encoding %1 renders of %2").arg(set.size()).arg(avatar.name()));
        auto render = [&set](qsizetype i, QString *why) {
            const QString path = set.imagePath(i);
            cv::Mat image = cv::imread(path.toStdString(), cv::IMREAD_COLOR);
            if (image.empty())
                failWith(why, QStringLiteral("%1: cannot read the image").arg(path));
            return image;
        };
        const double begin = 0.7 + 0.3 * double(k) / double(data.m_avatars.size());
        const double span = 0.3 / double(data.m_avatars.size());
        if (!encodeFaceImages(data.m_encoder, set.size(), render, &avatar.renderPatchMean, &avatar.renderEmbedding,
                          [&](double f) { report(begin + span * f, QStringLiteral("encoding renders")); }, cancel, error))
            return std::nullopt;
    }

    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(data.m_encoderFingerprint.toUtf8());
    for (const DecoderAvatarData &avatar : data.m_avatars) {
        hash.addData(avatar.rendererFingerprint.toUtf8());
        hash.addData(avatar.renders->fingerprint().toUtf8());
    }
    hash.addData(faces.fingerprint());
    data.m_fingerprint = QString::fromLatin1(hash.result().toHex());
    report(1.0, QStringLiteral("data ready"));
    return data;
}

std::vector<nn::DecoderAvatar> RigDecoderData::decoderAvatars() const
{
    std::vector<nn::DecoderAvatar> out;
    for (const DecoderAvatarData &avatar : m_avatars) {
        nn::DecoderAvatar a;
        a.renderer = avatar.renderer.network;
        a.mirror = avatar.mirror;
        out.push_back(a);
    }
    return out;
}

int RigDecoderData::rigSize() const
{
    int n = 0;
    for (const DecoderAvatarData &avatar : m_avatars)
        n = std::max(n, avatar.rigSize());
    return n;
}

int RigDecoderData::featureSize() const
{
    return m_encoder.config.embedDim;
}

int RigDecoderData::imageSize() const
{
    int size = 0;
    for (const DecoderAvatarData &avatar : m_avatars)
        size = std::max(size, avatar.renderer.info.imageSize);
    return size;
}

AnimatorRunInfo RigDecoderData::runInfo(const TrainingConfig &config) const
{
    AnimatorRunInfo info;
    info.encoderRun = m_encoder.runDir;
    info.encoderFingerprint = m_encoderFingerprint;
    info.encoderImageSize = m_encoder.config.imageSize;
    info.featureSize = featureSize();
    info.embeddingSize = m_encoder.config.embeddingSize;
    info.expressionSpace = config.expressionSpace;
    info.rigSize = rigSize();
    info.identityRows = config.identityRows;
    info.hiddenSize = config.rigHidden;
    info.blocks = config.rigBlocks;
    info.dropout = config.rigDropout;
    for (std::size_t k = 0; k < m_avatars.size(); ++k) {
        const DecoderAvatarData &avatar = m_avatars[k];
        AnimatorAvatar a;
        a.name = avatar.name();
        a.avatarPath = avatar.renderer.info.avatarPath;
        a.rendererRun = avatar.renderer.runDir;
        a.rendererFingerprint = avatar.rendererFingerprint;
        a.controls = avatar.renderer.info.controls;
        a.identity = int(k);
        info.avatars.push_back(a);
    }
    return info;
}

} // namespace fa
