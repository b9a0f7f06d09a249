#pragma once

#include <QString>
#include <QtGlobal>

#include <cstdio>

namespace fa::cli {

/// A one-line progress bar on stderr: bar, frames done/total, frames per second and ETA.
/// On a terminal it redraws in place at most 10 times a second; otherwise (logs, CI) it prints
/// a line at every 10 %.
class ProgressBar
{
public:
    explicit ProgressBar(FILE *stream = stderr);

    void update(qint64 done, qint64 total, double elapsedSeconds);
    /// The same bar for work measured as a fraction in [0,1], with a short label (e.g. the file
    /// being read) instead of frame counts.
    void updateFraction(double fraction, const QString &label, double elapsedSeconds);
    /// Ends the line on a terminal.
    void finish();

private:
    FILE *m_stream;
    bool m_terminal;
    double m_lastDraw = -1.0;
    int m_lastDecile = -1;
};

} // namespace fa::cli
