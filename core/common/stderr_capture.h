#pragma once

#include <QByteArray>

namespace fa {

/// Captures what the process writes to file descriptor 2 while it lives, for C libraries that
/// print straight to stderr (libjpeg's "Corrupt JPEG data: ...", libpng's "libpng error: ...",
/// both under OpenCV's imdecode): the text becomes part of the caller's own one-line message
/// instead of reaching the user's terminal (issue 16).
///
/// The capture goes to an anonymous temporary file (never blocks, whatever the amount) and is
/// process-wide, so captures are serialised by a mutex held for the object's life: keep the
/// scope to the library call. Anything another thread writes to stderr meanwhile is captured
/// too. When the temporary file cannot be made, nothing is captured.
class StderrCapture
{
public:
    StderrCapture();
    ~StderrCapture();
    StderrCapture(const StderrCapture &) = delete;
    StderrCapture &operator=(const StderrCapture &) = delete;

    /// Ends the capture (stderr restored) and returns the captured bytes; later calls return
    /// the same bytes.
    QByteArray finish();

private:
    int m_saved = -1;
    int m_file = -1;
    bool m_finished = false;
    QByteArray m_text;
};

} // namespace fa
