#include "training/checkpoint.h"
#include "common/error_text.h"

#include "training/metrics_log.h"
#include "training/training_config.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace fa {

namespace {

const QLatin1String kCheckpointsFolder("checkpoints");

QString systemError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}


} // namespace

QByteArray CheckpointState::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("kind"), kind);
    o.insert(QStringLiteral("step"), double(step));
    // 64-bit integers as text: JSON numbers are doubles.
    o.insert(QStringLiteral("seed"), QString::number(seed));
    o.insert(QStringLiteral("torch_rng_state"), QString::fromLatin1(torchRngState.toBase64()));
    o.insert(QStringLiteral("cuda_rng_state"), QString::fromLatin1(cudaRngState.toBase64()));
    o.insert(QStringLiteral("data_fingerprint"), dataFingerprint);
    o.insert(QStringLiteral("elapsed_s"), elapsedSeconds);
    o.insert(QStringLiteral("loss_sum"), lossSum);
    o.insert(QStringLiteral("loss_count"), double(lossCount));
    o.insert(QStringLiteral("device"), device);
    if (lastMetrics)
        o.insert(QStringLiteral("metrics"),
                 QJsonDocument::fromJson(MetricsLog::toJsonLine(*lastMetrics)).object());
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

std::optional<CheckpointState> CheckpointState::fromJson(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        failWith(error, QStringLiteral("not a JSON object: %1").arg(parseError.errorString()));
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    bool seedOk = false;
    CheckpointState s;
    s.kind = o.value(QStringLiteral("kind")).toString();
    s.step = qint64(o.value(QStringLiteral("step")).toDouble(-1));
    s.seed = o.value(QStringLiteral("seed")).toString().toULongLong(&seedOk);
    if (s.step < 0 || !seedOk || !isTrainingKind(s.kind)) {
        failWith(error, QStringLiteral("missing or bad kind, step or seed"));
        return std::nullopt;
    }
    s.torchRngState = QByteArray::fromBase64(o.value(QStringLiteral("torch_rng_state")).toString().toLatin1());
    s.cudaRngState = QByteArray::fromBase64(o.value(QStringLiteral("cuda_rng_state")).toString().toLatin1());
    s.dataFingerprint = o.value(QStringLiteral("data_fingerprint")).toString();
    s.elapsedSeconds = o.value(QStringLiteral("elapsed_s")).toDouble();
    s.lossSum = o.value(QStringLiteral("loss_sum")).toDouble();
    s.lossCount = qint64(o.value(QStringLiteral("loss_count")).toDouble());
    s.device = o.value(QStringLiteral("device")).toString();
    if (o.value(QStringLiteral("metrics")).isObject())
        s.lastMetrics = MetricsLog::fromJsonLine(
            QJsonDocument(o.value(QStringLiteral("metrics")).toObject()).toJson(QJsonDocument::Compact));
    return s;
}

QString checkpointFolderName(qint64 step)
{
    return QStringLiteral("step-%1").arg(step, 8, 10, QLatin1Char('0'));
}

QString checkpointDirectory(const QString &runDir, qint64 step)
{
    return QDir(runDir).absoluteFilePath(kCheckpointsFolder + QLatin1Char('/') + checkpointFolderName(step));
}

std::vector<CheckpointInfo> listCheckpoints(const QString &runDir)
{
    std::vector<CheckpointInfo> out;
    const QDir dir(QDir(runDir).absoluteFilePath(kCheckpointsFolder));
    static const QRegularExpression name(QStringLiteral("^step-(\\d{8,})$"));
    const QStringList entries = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &entry : entries) {
        const QRegularExpressionMatch match = name.match(entry);
        if (!match.hasMatch())
            continue;
        const QDir folder(dir.absoluteFilePath(entry));
        if (!folder.exists(QStringLiteral("model.pt")) || !folder.exists(QStringLiteral("optimizer.pt"))
            || !folder.exists(QStringLiteral("state.json")))
            continue;
        CheckpointInfo info;
        info.step = match.captured(1).toLongLong();
        info.directory = folder.absolutePath();
        info.written = QFileInfo(folder.absoluteFilePath(QStringLiteral("state.json"))).lastModified();
        if (const std::optional<CheckpointState> state = readCheckpointState(info.directory, nullptr)) {
            if (state->lastMetrics) {
                info.loss = state->lastMetrics->loss;
                info.validationAccuracy = state->lastMetrics->validationAccuracy;
            }
        }
        out.push_back(info);
    }
    std::sort(out.begin(), out.end(), [](const CheckpointInfo &a, const CheckpointInfo &b) { return a.step < b.step; });
    return out;
}

std::optional<CheckpointState> readCheckpointState(const QString &checkpointDir, QString *error)
{
    const QString path = QDir(checkpointDir).absoluteFilePath(QStringLiteral("state.json"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        failWith(error, QStringLiteral("%1: cannot read: %2").arg(path, file.errorString()));
        return std::nullopt;
    }
    QString why;
    std::optional<CheckpointState> state = CheckpointState::fromJson(file.readAll(), &why);
    if (!state)
        failWith(error, QStringLiteral("%1: %2").arg(path, why));
    return state;
}

bool CheckpointFolder::sync(const QString &path, QString *error)
{
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return failWith(error, QStringLiteral("%1: cannot open to sync: %2").arg(path, systemError()));
    const bool ok = ::fsync(fd) == 0;
    const QString why = ok ? QString() : systemError();
    ::close(fd);
    if (!ok)
        return failWith(error, QStringLiteral("%1: fsync failed: %2").arg(path, why));
    return true;
}

bool CheckpointFolder::writeFile(const QString &path, const QByteArray &data, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return failWith(error, QStringLiteral("%1: cannot open for writing: %2").arg(path, file.errorString()));
    if (file.write(data) != data.size() || !file.flush())
        return failWith(error, QStringLiteral("%1: write failed: %2").arg(path, file.errorString()));
    if (::fsync(file.handle()) != 0)
        return failWith(error, QStringLiteral("%1: fsync failed: %2").arg(path, systemError()));
    return true;
}

QString CheckpointFolder::begin(const QString &runDir, qint64 step, QString *error)
{
    const QString temporary = checkpointDirectory(runDir, step) + QStringLiteral(".tmp");
    QDir old(temporary);
    if (old.exists() && !old.removeRecursively()) {
        failWith(error, QStringLiteral("%1: cannot remove a stale temporary checkpoint").arg(temporary));
        return QString();
    }
    if (!QDir().mkpath(temporary)) {
        failWith(error, QStringLiteral("%1: cannot create the folder").arg(temporary));
        return QString();
    }
    return temporary;
}

QString CheckpointFolder::commit(const QString &runDir, qint64 step, const QString &temporaryDir, int keep,
                                 QString *error)
{
    const QDir temporary(temporaryDir);
    const QStringList files = temporary.entryList(QDir::Files);
    for (const QString &file : files)
        if (!sync(temporary.absoluteFilePath(file), error))
            return QString();
    if (!sync(temporaryDir, error))
        return QString();

    const QString final = checkpointDirectory(runDir, step);
    const QString parent = QFileInfo(final).absolutePath();
    const QString replaced = final + QStringLiteral(".old");
    if (QDir(replaced).exists())
        QDir(replaced).removeRecursively();
    const bool hadOld = QDir(final).exists();
    if (hadOld && ::rename(QFile::encodeName(final).constData(), QFile::encodeName(replaced).constData()) != 0) {
        failWith(error, QStringLiteral("%1: cannot replace the checkpoint: %2").arg(final, systemError()));
        return QString();
    }
    if (::rename(QFile::encodeName(temporaryDir).constData(), QFile::encodeName(final).constData()) != 0) {
        failWith(error, QStringLiteral("%1: cannot rename to %2: %3").arg(temporaryDir, final, systemError()));
        return QString();
    }
    if (!sync(parent, error))
        return QString();
    if (hadOld)
        QDir(replaced).removeRecursively();

    // RUN_DIR/model.pt: a hard link to the checkpoint's file (no copy), renamed into place.
    const QString model = QDir(runDir).absoluteFilePath(QStringLiteral("model.pt"));
    const QString modelTemporary = model + QStringLiteral(".tmp");
    const QString source = QDir(final).absoluteFilePath(QStringLiteral("model.pt"));
    QFile::remove(modelTemporary);
    if (::link(QFile::encodeName(source).constData(), QFile::encodeName(modelTemporary).constData()) != 0) {
        if (!QFile::copy(source, modelTemporary) || !sync(modelTemporary, nullptr)) {
            failWith(error, QStringLiteral("%1: cannot copy %2").arg(modelTemporary, source));
            return QString();
        }
    }
    if (::rename(QFile::encodeName(modelTemporary).constData(), QFile::encodeName(model).constData()) != 0) {
        failWith(error, QStringLiteral("%1: cannot rename to %2: %3").arg(modelTemporary, model, systemError()));
        return QString();
    }
    if (!sync(QDir(runDir).absolutePath(), error))
        return QString();

    if (keep > 0) {
        const std::vector<CheckpointInfo> all = listCheckpoints(runDir);
        for (std::size_t i = 0; i + std::size_t(keep) < all.size(); ++i)
            QDir(all[i].directory).removeRecursively();
    }
    return final;
}

} // namespace fa
