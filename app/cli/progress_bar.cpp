#include "progress_bar.h"

#include <algorithm>
#include <cmath>
#include <unistd.h>

namespace fa::cli {

ProgressBar::ProgressBar(FILE *stream)
    : m_stream(stream)
    , m_terminal(isatty(fileno(stream)) != 0)
{
}

void ProgressBar::update(qint64 done, qint64 total, double elapsedSeconds)
{
    total = std::max(total, done);
    const double fraction = total > 0 ? double(done) / double(total) : 0.0;
    const int decile = int(fraction * 10.0);
    if (m_terminal ? elapsedSeconds - m_lastDraw < 0.1 && done < total : decile == m_lastDecile)
        return;
    m_lastDraw = elapsedSeconds;
    m_lastDecile = decile;

    const double fps = elapsedSeconds > 0 ? done / elapsedSeconds : 0.0;
    const double eta = fps > 0 ? (total - done) / fps : 0.0;
    const int width = 30;
    const int filled = int(std::lround(fraction * width));
    char bar[width + 1];
    for (int i = 0; i < width; ++i)
        bar[i] = i < filled ? '#' : '-';
    bar[width] = '\0';
    std::fprintf(m_stream, "%s[%s] %lld/%lld frames  %6.1f fps  ETA %d:%02d%s",
                 m_terminal ? "\r" : "", bar, static_cast<long long>(done), static_cast<long long>(total), fps,
                 int(eta) / 60, int(eta) % 60, m_terminal ? "" : "\n");
    std::fflush(m_stream);
}

void ProgressBar::updateFraction(double fraction, const QString &label, double elapsedSeconds)
{
    fraction = std::clamp(fraction, 0.0, 1.0);
    const int decile = int(fraction * 10.0);
    if (m_terminal ? elapsedSeconds - m_lastDraw < 0.1 && fraction < 1.0 : decile == m_lastDecile)
        return;
    m_lastDraw = elapsedSeconds;
    m_lastDecile = decile;
    const double eta = fraction > 0 ? elapsedSeconds * (1.0 - fraction) / fraction : 0.0;
    const int width = 30;
    const int filled = int(std::lround(fraction * width));
    char bar[width + 1];
    for (int i = 0; i < width; ++i)
        bar[i] = i < filled ? '#' : '-';
    bar[width] = '\0';
    // Fixed width on a terminal, so that a shorter label overwrites a longer one.
    const QByteArray text = label.left(40).leftJustified(m_terminal ? 40 : 0).toLocal8Bit();
    std::fprintf(m_stream, "%s[%s] %5.1f %%  ETA %d:%02d  %s%s", m_terminal ? "\r" : "", bar, fraction * 100.0,
                 int(eta) / 60, int(eta) % 60, text.constData(), m_terminal ? "" : "\n");
    std::fflush(m_stream);
}

void ProgressBar::finish()
{
    if (m_terminal)
        std::fputc('\n', m_stream);
}

} // namespace fa::cli
