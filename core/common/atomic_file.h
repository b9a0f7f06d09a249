#pragma once

#include <QByteArray>
#include <QString>

namespace fa {

/// Writes `data` to `path` atomically (QSaveFile: a temporary file in the same folder, renamed
/// over the target only when every byte is on disk). On failure the previous file, if any, is
/// untouched, false is returned and `error` (when given) names the file and the cause.
bool writeFileAtomically(const QString &path, const QByteArray &data, QString *error = nullptr);

} // namespace fa
