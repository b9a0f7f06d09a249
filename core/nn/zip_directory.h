#pragma once

// The central directory of a zip file (PKWARE APPNOTE 6.3.10, §4.3.12 and §4.3.16, with the
// zip64 end-of-central-directory record and extra field of §4.3.14, §4.3.15 and §4.5.3): each
// entry's name and sizes, read without inflating anything.
//
// loadStateDict needs the sizes before caffe2's PyTorchStreamReader inflates a record: a 24 MB
// checkpoint can hold an entry that inflates to 2 GiB, and getRecord allocates whatever the
// entry claims. core/nn builds with LibTorch and the standard library only (the GPU machine has
// nothing else), and LibTorch's bundled miniz has no public header, so this small reader is ours.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fa::nn {

struct ZipEntry
{
    std::string name;              ///< as stored (torch: "archive/data.pkl", "archive/data/0", ...)
    uint64_t compressedSize = 0;   ///< bytes in the file
    uint64_t uncompressedSize = 0; ///< bytes once inflated, as the entry claims
    uint16_t method = 0;           ///< 0 stored, 8 deflated, ...
};

/// The entries of the zip file at `path`, in directory order. nullopt with `error` set (a
/// sentence without the path: "no end-of-central-directory record") when the file cannot be
/// read or its directory is malformed (any offset or length beyond the file). Reads at most the
/// file's last 64 KiB and the directory itself; never throws.
std::optional<std::vector<ZipEntry>> readZipDirectory(const std::string &path, std::string *error);

} // namespace fa::nn
