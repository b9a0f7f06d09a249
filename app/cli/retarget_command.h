#pragma once

#include <QStringList>

namespace fa::cli {

/// `freeavatar retarget VIDEO [--avatar AVATAR] ...`: video → ARKit blendshape curves on an
/// avatar, written as CSV and FBX. See `freeavatar retarget --help`.
int runRetarget(const QStringList &arguments);

} // namespace fa::cli
