#include "nn/zip_directory.h"

#include <algorithm>
#include <fstream>

namespace fa::nn {

namespace {

constexpr uint32_t kEndOfDirectory = 0x06054b50;
constexpr uint32_t kZip64Locator = 0x07064b50;
constexpr uint32_t kZip64EndOfDirectory = 0x06064b50;
constexpr uint32_t kDirectoryEntry = 0x02014b50;
constexpr size_t kEndOfDirectorySize = 22;
constexpr size_t kZip64LocatorSize = 20;
constexpr size_t kZip64EndOfDirectorySize = 56;
constexpr size_t kDirectoryEntrySize = 46;
constexpr size_t kMaxComment = 0xFFFF;

uint64_t little(const unsigned char *p, int bytes)
{
    uint64_t value = 0;
    for (int i = bytes - 1; i >= 0; --i)
        value = (value << 8) | p[i];
    return value;
}

bool readAt(std::ifstream &in, uint64_t offset, size_t size, std::vector<unsigned char> *out)
{
    out->resize(size);
    in.clear();
    in.seekg(static_cast<std::streamoff>(offset));
    in.read(reinterpret_cast<char *>(out->data()), static_cast<std::streamsize>(size));
    return static_cast<size_t>(in.gcount()) == size;
}

// Replaces the 0xFFFFFFFF sizes of a directory entry with those of its zip64 extra field.
bool applyZip64Extra(const unsigned char *extra, size_t length, bool needUncompressed, bool needCompressed,
                     ZipEntry *entry)
{
    size_t at = 0;
    while (at + 4 <= length) {
        const uint64_t id = little(extra + at, 2);
        const size_t size = static_cast<size_t>(little(extra + at + 2, 2));
        if (at + 4 + size > length)
            return false;
        if (id == 0x0001) {
            size_t field = at + 4;
            const size_t end = at + 4 + size;
            if (needUncompressed) {
                if (field + 8 > end)
                    return false;
                entry->uncompressedSize = little(extra + field, 8);
                field += 8;
            }
            if (needCompressed) {
                if (field + 8 > end)
                    return false;
                entry->compressedSize = little(extra + field, 8);
            }
            return true;
        }
        at += 4 + size;
    }
    return !needUncompressed && !needCompressed;
}

} // namespace

std::optional<std::vector<ZipEntry>> readZipDirectory(const std::string &path, std::string *error)
{
    const auto fail = [error](const std::string &what) -> std::optional<std::vector<ZipEntry>> {
        if (error)
            *error = what;
        return std::nullopt;
    };
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in)
        return fail("cannot be opened");
    const auto end = in.tellg();
    if (end < 0)
        return fail("cannot be read");
    const uint64_t fileSize = static_cast<uint64_t>(end);
    if (fileSize < kEndOfDirectorySize)
        return fail("no end-of-central-directory record (too short for a zip file)");

    // The end-of-central-directory record: the last 22 bytes, unless a comment follows it.
    const size_t tailSize = static_cast<size_t>(std::min<uint64_t>(fileSize, kEndOfDirectorySize + kMaxComment));
    const uint64_t tailStart = fileSize - tailSize;
    std::vector<unsigned char> tail;
    if (!readAt(in, tailStart, tailSize, &tail))
        return fail("cannot be read");
    size_t eocd = tailSize - kEndOfDirectorySize + 1;
    bool found = false;
    while (eocd-- > 0) {
        if (little(&tail[eocd], 4) == kEndOfDirectory) {
            found = true;
            break;
        }
    }
    if (!found)
        return fail("no end-of-central-directory record");
    const unsigned char *e = &tail[eocd];
    uint64_t count = little(e + 10, 2);
    uint64_t directorySize = little(e + 12, 4);
    uint64_t directoryOffset = little(e + 16, 4);

    if (count == 0xFFFF || directorySize == 0xFFFFFFFF || directoryOffset == 0xFFFFFFFF) {
        const uint64_t eocdOffset = tailStart + eocd;
        std::vector<unsigned char> locator;
        if (eocdOffset < kZip64LocatorSize || !readAt(in, eocdOffset - kZip64LocatorSize, kZip64LocatorSize, &locator)
            || little(locator.data(), 4) != kZip64Locator)
            return fail("zip64 end-of-central-directory locator missing");
        const uint64_t zip64Offset = little(locator.data() + 8, 8);
        std::vector<unsigned char> record;
        if (zip64Offset > fileSize - kZip64EndOfDirectorySize
            || !readAt(in, zip64Offset, kZip64EndOfDirectorySize, &record)
            || little(record.data(), 4) != kZip64EndOfDirectory)
            return fail("zip64 end-of-central-directory record missing");
        count = little(record.data() + 32, 8);
        directorySize = little(record.data() + 40, 8);
        directoryOffset = little(record.data() + 48, 8);
    }
    if (directoryOffset > fileSize || directorySize > fileSize - directoryOffset)
        return fail("the central directory lies beyond the end of the file");
    // Every entry takes at least 46 bytes: a count beyond that is a lie (and no reservation).
    if (count > directorySize / kDirectoryEntrySize)
        return fail("the central directory claims " + std::to_string(count) + " entries in "
                    + std::to_string(directorySize) + " bytes");

    std::vector<unsigned char> directory;
    if (!readAt(in, directoryOffset, static_cast<size_t>(directorySize), &directory))
        return fail("cannot read the central directory");
    std::vector<ZipEntry> entries;
    entries.reserve(static_cast<size_t>(count));
    size_t at = 0;
    for (uint64_t i = 0; i < count; ++i) {
        if (at + kDirectoryEntrySize > directory.size() || little(&directory[at], 4) != kDirectoryEntry)
            return fail("central directory entry " + std::to_string(i) + " is malformed");
        const unsigned char *h = &directory[at];
        ZipEntry entry;
        entry.method = static_cast<uint16_t>(little(h + 10, 2));
        entry.compressedSize = little(h + 20, 4);
        entry.uncompressedSize = little(h + 24, 4);
        const size_t nameLength = static_cast<size_t>(little(h + 28, 2));
        const size_t extraLength = static_cast<size_t>(little(h + 30, 2));
        const size_t commentLength = static_cast<size_t>(little(h + 32, 2));
        const size_t next = at + kDirectoryEntrySize + nameLength + extraLength + commentLength;
        if (next > directory.size())
            return fail("central directory entry " + std::to_string(i) + " runs past the directory");
        entry.name.assign(reinterpret_cast<const char *>(h + kDirectoryEntrySize), nameLength);
        const bool bigUncompressed = entry.uncompressedSize == 0xFFFFFFFF;
        const bool bigCompressed = entry.compressedSize == 0xFFFFFFFF;
        if ((bigUncompressed || bigCompressed)
            && !applyZip64Extra(h + kDirectoryEntrySize + nameLength, extraLength, bigUncompressed, bigCompressed, &entry))
            return fail("central directory entry " + std::to_string(i) + " has a malformed zip64 extra field");
        entries.push_back(std::move(entry));
        at = next;
    }
    return entries;
}

} // namespace fa::nn
