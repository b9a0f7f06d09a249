#include "common/stderr_capture.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include <unistd.h>

namespace fa {

namespace {

std::recursive_mutex &captureMutex()
{
    static std::recursive_mutex mutex;
    return mutex;
}

} // namespace

StderrCapture::StderrCapture()
{
    captureMutex().lock();
    std::fflush(stderr);
    char name[] = "/tmp/fa-stderr-XXXXXX";
    m_file = ::mkstemp(name);
    if (m_file < 0)
        return;
    ::unlink(name);
    m_saved = ::dup(STDERR_FILENO);
    if (m_saved < 0 || ::dup2(m_file, STDERR_FILENO) < 0) {
        if (m_saved >= 0)
            ::close(m_saved);
        ::close(m_file);
        m_saved = m_file = -1;
    }
}

StderrCapture::~StderrCapture()
{
    finish();
    captureMutex().unlock();
}

QByteArray StderrCapture::finish()
{
    if (m_finished)
        return m_text;
    m_finished = true;
    if (m_file < 0)
        return m_text;
    std::fflush(stderr);
    ::dup2(m_saved, STDERR_FILENO);
    ::close(m_saved);
    const off_t size = ::lseek(m_file, 0, SEEK_END);
    if (size > 0) {
        m_text.resize(qsizetype(std::min<off_t>(size, 1 << 16)));
        const ssize_t n = ::pread(m_file, m_text.data(), size_t(m_text.size()), 0);
        m_text.resize(n > 0 ? qsizetype(n) : 0);
    }
    ::close(m_file);
    return m_text;
}

} // namespace fa
