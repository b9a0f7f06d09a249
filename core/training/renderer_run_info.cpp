#include "training/renderer_run_info.h"
#include "common/error_text.h"

#include "common/atomic_file.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace fa {

namespace {

const QLatin1String kFormat("freeavatar-neural-renderer");

QJsonArray boxJson(const QRect &box)
{
    if (box.isNull())
        return {};
    return QJsonArray{box.left(), box.top(), box.right(), box.bottom()};
}

QRect boxFrom(const QJsonValue &value)
{
    const QJsonArray a = value.toArray();
    if (a.size() != 4)
        return {};
    return QRect(QPoint(a[0].toInt(), a[1].toInt()), QPoint(a[2].toInt(), a[3].toInt()));
}

} // namespace

QByteArray RendererRunInfo::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("format"), kFormat);
    o.insert(QStringLiteral("version"), 1);
    o.insert(QStringLiteral("controls"), QJsonArray::fromStringList(controls));
    o.insert(QStringLiteral("image_size"), imageSize);
    o.insert(QStringLiteral("width"), width);
    o.insert(QStringLiteral("avatar_name"), avatarName);
    o.insert(QStringLiteral("avatar_path"), avatarPath);
    o.insert(QStringLiteral("render_set"), renderSet);
    o.insert(QStringLiteral("render_set_fingerprint"), renderSetFingerprint);
    o.insert(QStringLiteral("mouth_box"), boxJson(mouthBox));
    o.insert(QStringLiteral("eye_box"), boxJson(eyeBox));
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

std::optional<RendererRunInfo> RendererRunInfo::fromJson(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        failWith(error, QStringLiteral("not a JSON object"));
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("format")).toString() != kFormat || o.value(QStringLiteral("version")).toInt() != 1) {
        failWith(error, QStringLiteral("not a freeavatar-neural-renderer description of version 1"));
        return std::nullopt;
    }
    RendererRunInfo info;
    for (const QJsonValue &name : o.value(QStringLiteral("controls")).toArray())
        info.controls << name.toString();
    info.imageSize = o.value(QStringLiteral("image_size")).toInt();
    info.width = o.value(QStringLiteral("width")).toInt();
    info.avatarName = o.value(QStringLiteral("avatar_name")).toString();
    info.avatarPath = o.value(QStringLiteral("avatar_path")).toString();
    info.renderSet = o.value(QStringLiteral("render_set")).toString();
    info.renderSetFingerprint = o.value(QStringLiteral("render_set_fingerprint")).toString();
    info.mouthBox = boxFrom(o.value(QStringLiteral("mouth_box")));
    info.eyeBox = boxFrom(o.value(QStringLiteral("eye_box")));
    if (info.controls.isEmpty() || info.controls.contains(QString())) {
        failWith(error, QStringLiteral("no control names"));
        return std::nullopt;
    }
    if (info.imageSize != 64 && info.imageSize != 128 && info.imageSize != 256) {
        failWith(error, QStringLiteral("image_size %1 is not 64, 128 or 256").arg(info.imageSize));
        return std::nullopt;
    }
    if (info.width < 1 || info.width > 1024) {
        failWith(error, QStringLiteral("width %1 is outside 1..1024").arg(info.width));
        return std::nullopt;
    }
    return info;
}

std::optional<RendererRunInfo> RendererRunInfo::read(const QString &runDir, QString *error)
{
    const QString path = QDir(runDir).absoluteFilePath(fileName());
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        failWith(error, QStringLiteral("%1: cannot read: %2").arg(path, file.errorString()));
        return std::nullopt;
    }
    if (file.size() > 16 * 1024 * 1024) {
        failWith(error, QStringLiteral("%1: too large for a renderer description").arg(path));
        return std::nullopt;
    }
    QString why;
    std::optional<RendererRunInfo> info = fromJson(file.readAll(), &why);
    if (!info)
        failWith(error, QStringLiteral("%1: %2").arg(path, why));
    return info;
}

bool RendererRunInfo::write(const QString &runDir, QString *error) const
{
    return writeFileAtomically(QDir(runDir).absoluteFilePath(fileName()), toJson(), error);
}

} // namespace fa
