#pragma once

// Atomic file writes for core/nn, which links only the standard library and LibTorch (the Qt
// side uses fa::writeFileAtomically from core/common). POSIX: a temporary file beside the target
// is written, fsync'ed and renamed over it, then the folder is fsync'ed.

#include <cstddef>
#include <string>

namespace fa::nn {

/// Writes `size` bytes to `path` atomically. On failure returns false, leaves any previous file
/// untouched, removes the temporary file, and sets `error` to "PATH: cause".
bool writeFileAtomically(const std::string &path, const char *data, size_t size, std::string *error);

} // namespace fa::nn
