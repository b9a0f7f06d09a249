#pragma once

#include <QStringList>

namespace fa::cli {

/// `freeavatar info FILE`: prints what the studio sees in a video or an avatar.
int runInfo(const QStringList &arguments);

} // namespace fa::cli
