#include "common/atomic_file_writer.h"

#include "common/file_kind.h"

namespace fa {

AtomicFileWriter::AtomicFileWriter(const QString &path)
    : m_path(path), m_file(path)
{
    m_buffer.reserve(kBlockSize + kBlockSize / 4);
}

AtomicFileWriter::~AtomicFileWriter()
{
    if (m_file.isOpen())
        m_file.cancelWriting();
}

bool AtomicFileWriter::open(QString *error)
{
    // QSaveFile renames a new file over the target: a FIFO or device would be replaced by a
    // plain file (issue 16), so only a missing target or a regular file is written.
    const QString problem = outputFileProblem(m_path);
    if (!problem.isEmpty()) {
        if (error)
            *error = problem;
        return false;
    }
    if (m_file.open(QIODevice::WriteOnly))
        return true;
    if (error)
        *error = QStringLiteral("%1: cannot open for writing: %2").arg(m_path, m_file.errorString());
    return false;
}

void AtomicFileWriter::write(const QByteArray &bytes)
{
    if (m_buffer.isEmpty() && bytes.size() >= kBlockSize) {
        if (!m_failed && m_file.write(bytes) != bytes.size())
            m_failed = true;
        return;
    }
    m_buffer += bytes;
    if (m_buffer.size() >= kBlockSize)
        flush();
}

void AtomicFileWriter::flush()
{
    if (m_buffer.isEmpty())
        return;
    if (!m_failed && m_file.write(m_buffer) != m_buffer.size())
        m_failed = true;
    m_buffer.resize(0); // keeps the capacity for the next block
}

bool AtomicFileWriter::commit(QString *error)
{
    flush();
    if (!m_failed && m_file.commit())
        return true;
    if (error)
        *error = QStringLiteral("%1: write failed: %2").arg(m_path, m_file.errorString());
    m_file.cancelWriting();
    return false;
}

} // namespace fa
