#pragma once

#include <QByteArray>
#include <QSaveFile>
#include <QString>

namespace fa {

/// A file written atomically in pieces, for outputs too large to build in memory first (the
/// CSV of an hour of video): the pieces go to a temporary file in the same folder (QSaveFile),
/// renamed over the target by commit() only when every byte is on disk. Until then, and after
/// any failure, the previous file, if any, is untouched. Pieces are buffered and written in
/// blocks of kBlockSize.
class AtomicFileWriter
{
public:
    static constexpr qsizetype kBlockSize = 1 << 20;

    explicit AtomicFileWriter(const QString &path);
    ~AtomicFileWriter(); ///< an uncommitted file is discarded

    /// Opens the temporary file. False with "PATH: cannot open for writing: why".
    bool open(QString *error);
    /// Appends bytes (buffered; a failure is reported by commit()).
    void write(const QByteArray &bytes);
    /// The buffer to append to directly; flush() hands full blocks to the file.
    QByteArray &buffer() { return m_buffer; }
    void flush();
    /// Writes what is left and renames the file into place. False with "PATH: write failed: why".
    bool commit(QString *error);

private:
    QString m_path;
    QSaveFile m_file;
    QByteArray m_buffer;
    bool m_failed = false;
};

} // namespace fa
