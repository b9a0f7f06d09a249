#pragma once

#include <QString>

namespace fa {

/// Sets `*error` to `text` when `error` is given and returns false, for functions that report
/// failure as "false + error text": `return failWith(error, tr("PATH: what"));`.
inline bool failWith(QString *error, const QString &text)
{
    if (error)
        *error = text;
    return false;
}

} // namespace fa
