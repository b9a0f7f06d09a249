#include "renderset/render_dataset_writer.h"

#include "common/atomic_file.h"
#include "common/atomic_file_writer.h"
#include "export/csv_table.h"
#include "render/avatar_renderer.h"
#include "render/offscreen_avatar_renderer.h"
#include "renderset/render_dataset.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QFuture>
#include <QImage>
#include <QImageWriter>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>
#include <deque>

namespace fa {

namespace {

/// PNG encodes waiting or running on the worker thread at most (bounds the memory).
constexpr int kMaxPendingImages = 4;

QString imageName(qsizetype index)
{
    return QStringLiteral("images/%1.png").arg(index, 6, 10, QLatin1Char('0'));
}

template<typename T>
void addBytes(QCryptographicHash &hash, const std::vector<T> &values)
{
    hash.addData(QByteArrayView(reinterpret_cast<const char *>(values.data()), qsizetype(values.size() * sizeof(T))));
}

/// "sha1:<hex>" of the avatar file, or of the loaded geometry for a procedural avatar.
QString avatarFingerprint(const Avatar &avatar, const QString &path, QString *of)
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    QFile file(path);
    if (!path.isEmpty() && file.open(QIODevice::ReadOnly) && hash.addData(&file)) {
        *of = QStringLiteral("file");
    } else {
        hash.reset();
        for (const AvatarMesh &mesh : avatar.meshes) {
            hash.addData(mesh.name.toUtf8());
            addBytes(hash, mesh.positions);
            addBytes(hash, mesh.indices);
            for (const MorphTarget &target : mesh.morphTargets) {
                hash.addData(target.name.toUtf8());
                addBytes(hash, target.positionDeltas);
            }
        }
        *of = QStringLiteral("geometry");
    }
    return QStringLiteral("sha1:") + QString::fromLatin1(hash.result().toHex());
}

QJsonArray boxJson(const QRect &box)
{
    if (box.isNull())
        return {};
    return {box.left(), box.top(), box.right() + 1, box.bottom() + 1};
}

QJsonValue boxValue(const QRect &box)
{
    return box.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(boxJson(box));
}

QJsonArray pointJson(const QPointF &p)
{
    return {p.x(), p.y()};
}

/// dataset.json without `complete` and render.gl_renderer: what identifies a request.
QJsonObject withoutRunFields(QJsonObject root)
{
    root.remove(QStringLiteral("complete"));
    QJsonObject render = root.value(QStringLiteral("render")).toObject();
    render.remove(QStringLiteral("gl_renderer"));
    root.insert(QStringLiteral("render"), render);
    return root;
}

/// Encodes an RGB888 image as PNG and writes it atomically; "" or the error.
QString writePng(const QImage &image, const QString &path)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, "png");
    // Qt maps PNG quality q to zlib level (100 - q) * 9 / 91: 80 is level 1, about twice as
    // fast to write as the default level 6 for files about 20 % larger (24 kB at 256x256).
    writer.setQuality(80);
    if (!writer.write(image))
        return QStringLiteral("%1: cannot encode the PNG: %2").arg(path, writer.errorString());
    QString error;
    return writeFileAtomically(path, bytes, &error) ? QString() : error;
}

} // namespace

bool RenderDatasetWriter::fail(Failure failure, const QString &error)
{
    m_failure = failure;
    m_error = error;
    return false;
}

bool RenderDatasetWriter::write(const RenderDatasetRequest &request, const Progress &progress,
                                const std::atomic_bool *cancel)
{
    m_failure = Failure::None;
    m_error.clear();
    m_imagesWritten = 0;
    m_elapsedSeconds = 0.0;
    const QString dir = QDir(QFileInfo(request.outputDirectory).absoluteFilePath()).absolutePath();
    if (!request.avatar)
        return fail(Failure::BadInput, QStringLiteral("no avatar to render"));
    const Avatar &avatar = *request.avatar;
    const RigDefinition rig = avatar.rig();
    const QString avatarLabel = request.avatarPath.isEmpty() ? avatar.name : request.avatarPath;
    if (rig.controlCount() == 0)
        return fail(Failure::BadInput, QStringLiteral("%1: the avatar has no morph targets (blendshapes) to render").arg(avatarLabel));
    if (request.count <= 0)
        return fail(Failure::BadInput, QStringLiteral("the count of images must be positive (got %1)").arg(request.count));
    if (request.size < 16 || request.size > 4096)
        return fail(Failure::BadInput, QStringLiteral("the image size must be within [16, 4096] (got %1)").arg(request.size));
    if (request.outputDirectory.isEmpty())
        return fail(Failure::BadInput, QStringLiteral("no output folder"));

    // Sampler, framing and the request's part of dataset.json.
    RigSampler sampler(rig, request.mixture);
    sampler.setRealFrames(request.realFrames);
    const FaceFraming framing(avatar);
    const OrbitCamera camera = framing.camera(request.eyeDistance, request.eyeLine, request.fovDegrees);
    const QSize size(request.size, request.size);
    const QRect mouthBox = framing.mouthBox(camera, size);
    const QRect eyeBox = framing.eyeBox(camera, size);
    const std::vector<RigSampleKind> kinds = sampler.kinds(request.count, request.seed);
    const std::array<double, kRigSampleKindCount> fractions = sampler.effectiveFractions();
    const std::array<qsizetype, kRigSampleKindCount> counts = sampler.kindCounts(request.count);

    QJsonObject root;
    root.insert(QStringLiteral("format"), QLatin1String(RenderDataset::kFormat));
    root.insert(QStringLiteral("version"), RenderDataset::kVersion);
    root.insert(QStringLiteral("complete"), false);
    QString fingerprintOf;
    const QString fingerprint = avatarFingerprint(avatar, request.avatarPath, &fingerprintOf);
    root.insert(QStringLiteral("avatar"),
                QJsonObject{{QStringLiteral("name"), avatar.name},
                            {QStringLiteral("path"), request.avatarPath.isEmpty() ? QString() : QFileInfo(request.avatarPath).absoluteFilePath()},
                            {QStringLiteral("fingerprint"), fingerprint},
                            {QStringLiteral("fingerprint_of"), fingerprintOf}});
    QJsonArray controls;
    for (const RigDefinition::Control &c : rig.controls())
        controls.append(QJsonObject{{QStringLiteral("name"), c.name},
                                    {QStringLiteral("min"), double(c.minimum)},
                                    {QStringLiteral("max"), double(c.maximum)}});
    root.insert(QStringLiteral("rig"), QJsonObject{{QStringLiteral("controls"), controls}});
    const QVector3D target = camera.target();
    QJsonObject render{
        {QStringLiteral("size"), request.size},
        {QStringLiteral("framing"), QJsonObject{{QStringLiteral("eye_distance"), double(request.eyeDistance)},
                                                {QStringLiteral("eye_line"), double(request.eyeLine)}}},
        {QStringLiteral("camera"), QJsonObject{{QStringLiteral("fov_degrees"), double(camera.fovDegrees())},
                                               {QStringLiteral("distance"), double(camera.distance())},
                                               {QStringLiteral("target"), QJsonArray{double(target.x()), double(target.y()), double(target.z())}},
                                               {QStringLiteral("yaw_degrees"), double(camera.yaw())},
                                               {QStringLiteral("pitch_degrees"), double(camera.pitch())}}},
        {QStringLiteral("background"), AvatarRenderer::backgroundColour().name()},
        {QStringLiteral("gl_renderer"), QString()}};
    root.insert(QStringLiteral("render"), render);
    // JSON numbers are doubles: seeds above 2^53 are written as decimal strings.
    root.insert(QStringLiteral("seed"), request.seed <= (std::uint64_t(1) << 53) ? QJsonValue(double(request.seed))
                                                                                 : QJsonValue(QString::number(request.seed)));
    root.insert(QStringLiteral("count"), double(request.count));
    root.insert(QStringLiteral("images"), QStringLiteral("images/%06d.png"));
    QJsonObject fractionJson, countJson;
    for (int k = 0; k < kRigSampleKindCount; ++k) {
        fractionJson.insert(rigSampleKindName(RigSampleKind(k)), fractions[size_t(k)]);
        countJson.insert(rigSampleKindName(RigSampleKind(k)), double(counts[size_t(k)]));
    }
    root.insert(QStringLiteral("mixture"),
                QJsonObject{{QStringLiteral("fractions"), fractionJson},
                            {QStringLiteral("counts"), countJson},
                            {QStringLiteral("active_controls"), QJsonArray{request.mixture.minActive, request.mixture.maxActive}},
                            {QStringLiteral("noise_sigma"), request.mixture.noiseSigma},
                            {QStringLiteral("real_sources"), QJsonArray::fromStringList(request.realSources)},
                            {QStringLiteral("real_frames"), double(sampler.realFrameCount())}});
    root.insert(QStringLiteral("mouth_box"), boxValue(mouthBox));
    root.insert(QStringLiteral("eye_box"), boxValue(eyeBox));
    root.insert(QStringLiteral("eyes"),
                QJsonObject{{QStringLiteral("left"), pointJson(FaceFraming::project(camera, size, framing.leftEye()))},
                            {QStringLiteral("right"), pointJson(FaceFraming::project(camera, size, framing.rightEye()))},
                            {QStringLiteral("source"), FaceFraming::eyeSourceName(framing.eyeSource())}});

    // The folder: empty, missing, or a set of this very request.
    const QString jsonPath = dir + QStringLiteral("/dataset.json");
    const QFileInfo dirInfo(dir);
    if (dirInfo.exists() && !dirInfo.isDir())
        return fail(Failure::BadInput, QStringLiteral("%1: exists and is not a folder").arg(dir));
    if (dirInfo.isDir() && !QDir(dir).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System)) {
        QFile existing(jsonPath);
        if (!existing.open(QIODevice::ReadOnly))
            return fail(Failure::BadInput, QStringLiteral("%1: the folder is not empty and holds no render set; "
                                                          "choose an empty or new folder").arg(dir));
        const QJsonObject old = QJsonDocument::fromJson(existing.readAll()).object();
        if (withoutRunFields(old) != withoutRunFields(root))
            return fail(Failure::BadInput, QStringLiteral("%1: the folder holds a different render set (another avatar, "
                                                          "rig, size, seed, count or mixture); choose another folder "
                                                          "or delete it").arg(dir));
    }

    // OpenGL (before anything is written, so a box without it leaves no folder behind).
    OffscreenAvatarRenderer renderer;
    QString error;
    if (!renderer.initialize(&error))
        return fail(Failure::OpenGL, error);
    if (!QDir().mkpath(dir + QStringLiteral("/images")))
        return fail(Failure::System, QStringLiteral("%1: cannot create the folder").arg(dir + QStringLiteral("/images")));
    m_glRenderer = renderer.rendererDescription();
    renderer.setAvatar(request.avatar);
    render.insert(QStringLiteral("gl_renderer"), m_glRenderer);
    root.insert(QStringLiteral("render"), render);
    if (!writeFileAtomically(jsonPath, QJsonDocument(root).toJson(QJsonDocument::Indented), &error))
        return fail(Failure::System, error);

    AtomicFileWriter csv(dir + QStringLiteral("/rigs.csv"));
    if (!csv.open(&error))
        return fail(Failure::System, error);
    QStringList header{QStringLiteral("image")};
    header << rig.names();
    CsvTable::appendRecord(csv.buffer(), header);

    // Render on this thread, encode and write PNGs on one worker, at most kMaxPendingImages
    // behind.
    QThreadPool pool;
    pool.setMaxThreadCount(1);
    std::deque<QFuture<QString>> pending;
    auto finishOne = [&]() {
        const QString writeError = pending.front().result();
        pending.pop_front();
        if (!writeError.isEmpty() && m_error.isEmpty()) {
            m_failure = Failure::System;
            m_error = writeError;
        }
        return writeError.isEmpty();
    };
    auto drain = [&]() {
        bool ok = true;
        while (!pending.empty())
            ok = finishOne() && ok;
        return ok;
    };

    if (progress)
        progress(0.0);
    QElapsedTimer timer;
    timer.start();
    for (qsizetype i = 0; i < request.count; ++i) {
        if (cancel && cancel->load()) {
            drain();
            return fail(Failure::Canceled, QStringLiteral("canceled"));
        }
        std::vector<float> values = sampler.sample(kinds[size_t(i)], request.seed, i);
        QStringList row{imageName(i)};
        for (int c = 0; c < rig.controlCount(); ++c) {
            const RigDefinition::Control &control = rig.control(c);
            const double rounded = std::round(double(values[size_t(c)]) * 1e6) / 1e6;
            values[size_t(c)] = std::clamp(float(rounded), control.minimum, control.maximum);
            row << QString::number(double(values[size_t(c)]), 'f', 6);
        }
        const QImage image = renderer.render(values, camera, size);
        if (image.isNull()) {
            drain();
            return fail(Failure::OpenGL, renderer.errorString());
        }
        while (int(pending.size()) >= kMaxPendingImages)
            if (!finishOne()) {
                drain();
                return false;
            }
        pending.push_back(QtConcurrent::run(&pool, writePng, image.convertToFormat(QImage::Format_RGB888),
                                            dir + QLatin1Char('/') + imageName(i)));
        CsvTable::appendRecord(csv.buffer(), row);
        csv.flush();
        m_imagesWritten = i + 1;
        if (progress)
            progress(double(i + 1) / double(request.count));
    }
    if (!drain())
        return false;
    m_elapsedSeconds = double(timer.nsecsElapsed()) / 1e9;
    if (!csv.commit(&error))
        return fail(Failure::System, error);
    root.insert(QStringLiteral("complete"), true);
    if (!writeFileAtomically(jsonPath, QJsonDocument(root).toJson(QJsonDocument::Indented), &error))
        return fail(Failure::System, error);
    return true;
}

} // namespace fa
