#pragma once

// Files for tests: the shared data folder, the test's own scratch folder, whole-file reads and
// writes. Header-only on purpose: FA_TEST_DATA_DIR and FA_TEST_OUTPUT_DIR are defined per test
// executable (cmake/FreeAvatarTesting.cmake).

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QString>

namespace fa::test {

/// A path inside the shared data folder (../shared/data), e.g. "videos/liveportrait_d3.mp4".
inline QString dataPath(const QString &relative)
{
    return QStringLiteral(FA_TEST_DATA_DIR "/") + relative;
}

/// This test executable's scratch folder, created on first use.
inline QString outputDir()
{
    const QString dir = QStringLiteral(FA_TEST_OUTPUT_DIR);
    QDir().mkpath(dir);
    return dir;
}

inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

/// The whole file, or an empty array when it cannot be read.
inline QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace fa::test
