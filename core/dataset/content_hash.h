#pragma once

#include <QByteArray>
#include <QString>

namespace fa {

/// The SHA-256 digest (FIPS 180-4) of the file's bytes as 64 lower-case hexadecimal characters,
/// the same text `sha256sum` prints. The file is streamed (QCryptographicHash::addData on the
/// open QFile), so memory stays small whatever its size. Identifies an image by content, so that
/// a renamed or re-imported copy is recognised as the same face.
/// Returns an empty array with "PATH: cannot read: reason" in `error` when the file cannot be
/// opened or read (missing, a folder, no permission, I/O error).
QByteArray fileContentHash(const QString &path, QString *error = nullptr);

} // namespace fa
