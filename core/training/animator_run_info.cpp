#include "training/animator_run_info.h"

#include "common/atomic_file.h"
#include "common/error_text.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace fa {

namespace {

const QLatin1String kAnimatorFormat("freeavatar-animator");

bool isMannequin(const QString &nameOrPath)
{
    return nameOrPath.isEmpty() || nameOrPath.compare(QLatin1String("mannequin"), Qt::CaseInsensitive) == 0;
}

} // namespace

const AnimatorAvatar *AnimatorRunInfo::findAvatar(const QString &nameOrPath) const
{
    const QString absolute = isMannequin(nameOrPath) ? QString() : QFileInfo(nameOrPath).absoluteFilePath();
    for (const AnimatorAvatar &avatar : avatars)
        if (avatar.avatarPath == absolute && (!absolute.isEmpty() || isMannequin(nameOrPath)))
            return &avatar;
    for (const AnimatorAvatar &avatar : avatars)
        if (!nameOrPath.isEmpty() && avatar.name == nameOrPath)
            return &avatar;
    return nullptr;
}

QStringList AnimatorRunInfo::avatarNames() const
{
    QStringList names;
    for (const AnimatorAvatar &avatar : avatars)
        names << (avatar.avatarPath.isEmpty() ? avatar.name : QStringLiteral("%1 (%2)").arg(avatar.name, avatar.avatarPath));
    return names;
}

QByteArray AnimatorRunInfo::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("format"), kAnimatorFormat);
    o.insert(QStringLiteral("version"), 1);
    o.insert(QStringLiteral("encoder_run"), encoderRun);
    o.insert(QStringLiteral("encoder_fingerprint"), encoderFingerprint);
    o.insert(QStringLiteral("encoder_image_size"), encoderImageSize);
    o.insert(QStringLiteral("feature_size"), featureSize);
    o.insert(QStringLiteral("embedding_size"), embeddingSize);
    o.insert(QStringLiteral("expression_space"), expressionSpace);
    o.insert(QStringLiteral("rig_size"), rigSize);
    o.insert(QStringLiteral("identity_rows"), identityRows);
    o.insert(QStringLiteral("hidden_size"), hiddenSize);
    o.insert(QStringLiteral("blocks"), blocks);
    o.insert(QStringLiteral("dropout"), dropout);
    QJsonArray list;
    for (const AnimatorAvatar &avatar : avatars) {
        QJsonObject a;
        a.insert(QStringLiteral("name"), avatar.name);
        a.insert(QStringLiteral("avatar_path"), avatar.avatarPath);
        a.insert(QStringLiteral("renderer_run"), avatar.rendererRun);
        a.insert(QStringLiteral("renderer_fingerprint"), avatar.rendererFingerprint);
        a.insert(QStringLiteral("controls"), QJsonArray::fromStringList(avatar.controls));
        a.insert(QStringLiteral("identity"), avatar.identity);
        list.append(a);
    }
    o.insert(QStringLiteral("avatars"), list);
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

std::optional<AnimatorRunInfo> AnimatorRunInfo::fromJson(const QByteArray &json, QString *error)
{
    auto fail = [&](const QString &what) {
        failWith(error, what);
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return fail(QStringLiteral("not a JSON object"));
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("format")).toString() != kAnimatorFormat || o.value(QStringLiteral("version")).toInt() != 1)
        return fail(QStringLiteral("not a freeavatar-animator description of version 1"));
    AnimatorRunInfo info;
    info.encoderRun = o.value(QStringLiteral("encoder_run")).toString();
    info.encoderFingerprint = o.value(QStringLiteral("encoder_fingerprint")).toString();
    info.encoderImageSize = o.value(QStringLiteral("encoder_image_size")).toInt();
    info.featureSize = o.value(QStringLiteral("feature_size")).toInt();
    info.embeddingSize = o.value(QStringLiteral("embedding_size")).toInt();
    info.expressionSpace = o.value(QStringLiteral("expression_space")).toString();
    info.rigSize = o.value(QStringLiteral("rig_size")).toInt();
    info.identityRows = o.value(QStringLiteral("identity_rows")).toInt();
    info.hiddenSize = o.value(QStringLiteral("hidden_size")).toInt();
    info.blocks = o.value(QStringLiteral("blocks")).toInt(-1);
    info.dropout = o.value(QStringLiteral("dropout")).toDouble(-1);
    for (const QJsonValue &value : o.value(QStringLiteral("avatars")).toArray()) {
        const QJsonObject a = value.toObject();
        AnimatorAvatar avatar;
        avatar.name = a.value(QStringLiteral("name")).toString();
        avatar.avatarPath = a.value(QStringLiteral("avatar_path")).toString();
        avatar.rendererRun = a.value(QStringLiteral("renderer_run")).toString();
        avatar.rendererFingerprint = a.value(QStringLiteral("renderer_fingerprint")).toString();
        for (const QJsonValue &name : a.value(QStringLiteral("controls")).toArray())
            avatar.controls << name.toString();
        avatar.identity = a.value(QStringLiteral("identity")).toInt(-1);
        info.avatars.push_back(avatar);
    }
    if (info.encoderImageSize < 1 || info.featureSize < 1 || info.embeddingSize < 1 || info.rigSize < 1
        || info.identityRows < 1 || info.hiddenSize < 1 || info.blocks < 0 || !(info.dropout >= 0 && info.dropout < 1))
        return fail(QStringLiteral("a size is missing or out of range"));
    if (info.expressionSpace != QLatin1String("embedding") && info.expressionSpace != QLatin1String("pooled"))
        return fail(QStringLiteral("expression_space '%1' is not embedding or pooled").arg(info.expressionSpace));
    if (info.avatars.empty())
        return fail(QStringLiteral("no avatar"));
    for (const AnimatorAvatar &avatar : info.avatars) {
        if (avatar.controls.isEmpty() || avatar.controls.size() > info.rigSize)
            return fail(QStringLiteral("avatar '%1' has %2 controls (1 to rig_size %3)")
                            .arg(avatar.name).arg(avatar.controls.size()).arg(info.rigSize));
        if (avatar.identity < 0 || avatar.identity >= info.identityRows)
            return fail(QStringLiteral("avatar '%1': identity %2 outside the table of %3 rows")
                            .arg(avatar.name).arg(avatar.identity).arg(info.identityRows));
    }
    return info;
}

std::optional<AnimatorRunInfo> AnimatorRunInfo::read(const QString &runDir, QString *error)
{
    QString dir = runDir;
    if (!QFileInfo::exists(QDir(dir).absoluteFilePath(fileName())))
        dir = QDir(QDir(runDir).absoluteFilePath(QStringLiteral("../.."))).absolutePath(); // a checkpoint folder
    const QString path = QDir(dir).absoluteFilePath(fileName());
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        failWith(error, QStringLiteral("%1: not an animator model (no %2)").arg(runDir, fileName()));
        return std::nullopt;
    }
    if (file.size() > 16 * 1024 * 1024) {
        failWith(error, QStringLiteral("%1: too large for an animator description").arg(path));
        return std::nullopt;
    }
    QString why;
    std::optional<AnimatorRunInfo> info = fromJson(file.readAll(), &why);
    if (!info)
        failWith(error, QStringLiteral("%1: %2").arg(path, why));
    return info;
}

bool AnimatorRunInfo::write(const QString &runDir, QString *error) const
{
    return writeFileAtomically(QDir(runDir).absoluteFilePath(fileName()), toJson(), error);
}

QString fileFingerprint(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        failWith(error, QStringLiteral("%1: cannot read: %2").arg(path, file.errorString()));
        return {};
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file)) {
        failWith(error, QStringLiteral("%1: cannot read: %2").arg(path, file.errorString()));
        return {};
    }
    return QStringLiteral("sha256:") + QString::fromLatin1(hash.result().toHex());
}

} // namespace fa
