#pragma once

#include <QRegularExpression>
#include <QString>

#include <exception>

namespace fa {

/// Sets `*error` to `text` when `error` is given and returns false, for functions that report
/// failure as "false + error text": `return failWith(error, tr("PATH: what"));`.
inline bool failWith(QString *error, const QString &text)
{
    if (error)
        *error = text;
    return false;
}

/// One line for an exception a library threw, for "FILE: what" messages: the first line of
/// what(), and for OpenCV's "OpenCV(4.6.0) /build/.../resize.cpp:4052: error: (-215:Assertion
/// failed) !ssize.empty() in function 'resize'" only "the image library refused it (Assertion
/// failed: !ssize.empty() in function 'resize')", without build paths (issue 16).
inline QString exceptionText(const std::exception &e)
{
    const QString text = QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0).trimmed();
    static const QRegularExpression openCv(QStringLiteral("^OpenCV\\([^)]*\\) \\S+: error: \\(-?\\d+:([^)]*)\\) (.*)$"));
    const QRegularExpressionMatch match = openCv.match(text);
    if (match.hasMatch())
        return QStringLiteral("the image library refused it (%1: %2)").arg(match.captured(1), match.captured(2));
    return text;
}

} // namespace fa
