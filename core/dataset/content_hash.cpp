#include "dataset/content_hash.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>

namespace fa {

QByteArray fileContentHash(const QString &path, QString *error)
{
    auto fail = [&](const QString &reason) {
        if (error)
            *error = QStringLiteral("%1: cannot read: %2").arg(path, reason);
        return QByteArray();
    };
    if (QFileInfo(path).isDir())
        return fail(QStringLiteral("it is a folder"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(file.errorString());
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file) || file.error() != QFileDevice::NoError)
        return fail(file.errorString());
    return hash.result().toHex();
}

} // namespace fa
