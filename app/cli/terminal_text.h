#pragma once

#include <QString>

namespace fa::cli {

/// `text` made safe to print on a terminal: control characters other than tab (a NUL or an
/// escape sequence that came from a file's content or name) are shown as \xNN, so that an
/// error stays one readable line (issue 16: a raw NUL byte was printed).
inline QString terminalText(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if ((u < 0x20 && u != u'\t') || u == 0x7f || (u >= 0x80 && u < 0xa0))
            out += QStringLiteral("\\x%1").arg(unsigned(u), 2, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

} // namespace fa::cli
