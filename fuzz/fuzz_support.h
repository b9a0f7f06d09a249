#pragma once

// Helpers for the fuzz targets (fuzz/fuzz_*.cpp). Header-only and Qt-free, so a target links
// only the project sources it tests.
//
// Every target defines LLVMFuzzerTestOneInput(data, size). Built with FA_FUZZ=ON (clang,
// -fsanitize=fuzzer) libFuzzer supplies main(); in the normal build replay_main.cpp does, and
// feeds it the files named on the command line (CTest replays the corpora that way).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h>

namespace fa::fuzz {

/// A scratch folder of this process under $TMPDIR (or /tmp), made on first use and removed
/// (with the files fuzz targets wrote into it) when the process exits normally.
inline const std::string &scratchDir()
{
    static const std::string dir = [] {
        const char *tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/fa-fuzz-XXXXXX";
        if (!mkdtemp(pattern.data())) {
            std::perror("fa-fuzz: mkdtemp");
            std::abort();
        }
        return pattern;
    }();
    static const bool registered = [] {
        std::atexit([] {
            // Only the names the targets use; nothing else lands in the folder.
            for (const char *name : {"input.csv", "input.gltf", "input.pt", "input.jsonl", "output.csv"})
                unlink((scratchDir() + "/" + name).c_str());
            rmdir(scratchDir().c_str());
        });
        return true;
    }();
    (void)registered;
    return dir;
}

/// Writes `size` bytes to scratchDir()/name (replacing it) and returns the path. Aborts when
/// the file cannot be written: that is the harness failing, not the code under test.
inline std::string writeScratchFile(const char *name, const uint8_t *data, size_t size)
{
    const std::string path = scratchDir() + "/" + name;
    FILE *file = std::fopen(path.c_str(), "wb");
    if (!file || (size > 0 && std::fwrite(data, 1, size, file) != size) || std::fclose(file) != 0) {
        std::perror(("fa-fuzz: cannot write " + path).c_str());
        std::abort();
    }
    return path;
}

/// A property the target checks failed: print it and abort, so that libFuzzer records a crash
/// (and the replay program exits non-zero).
[[noreturn]] inline void propertyFailed(const char *what)
{
    std::fprintf(stderr, "fa-fuzz: property failed: %s\n", what);
    std::abort();
}

} // namespace fa::fuzz

#define FA_FUZZ_CHECK(condition)                                                                   \
    do {                                                                                           \
        if (!(condition))                                                                          \
            ::fa::fuzz::propertyFailed(#condition);                                                \
    } while (false)
