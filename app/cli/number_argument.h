#pragma once

#include <QString>

#include <cmath>
#include <optional>

namespace fa::cli {

/// The number an option's text holds; nullopt when it is not a number or not finite. QString's
/// toDouble accepts "nan" and "inf", which every range check (`x < 0`) then lets through
/// (issue 16: `--start nan`, `--gold-rate nan` were accepted).
inline std::optional<double> finiteNumber(const QString &text)
{
    bool ok = false;
    const double value = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(value))
        return std::nullopt;
    return value;
}

} // namespace fa::cli
