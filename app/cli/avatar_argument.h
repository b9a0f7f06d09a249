#pragma once

#include "avatar/avatar.h"

#include <QString>

#include <memory>

namespace fa::cli {

/// The avatar of an `--avatar` option: the built-in mannequin head when `path` is empty or
/// "mannequin" (and no file has that name), else
/// the file (AvatarLoader). nullptr + `error` ("PATH: what") when it cannot be read or has no
/// morph targets; `purpose` ends that message ("... to animate", "... to render").
std::unique_ptr<Avatar> loadAvatarArgument(const QString &path, const QString &purpose, QString *error);

} // namespace fa::cli
