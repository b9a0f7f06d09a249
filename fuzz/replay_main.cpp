// main() of a fuzz target in the normal build (no libFuzzer): feeds every file named on the
// command line, and every file under every folder named (recursively, sorted by path), to
// LLVMFuzzerTestOneInput once. With --path-as-input the path itself (UTF-8) is the input, not
// the file's bytes (for targets whose input is a file name). With --skip-missing, paths that do
// not exist are skipped, and when nothing is left the program exits 77 (CTest's SKIP_RETURN_CODE
// of the tests on the shared data). Exits 0 when every input ran;
// a crash or a failed property aborts the program (CTest reports the test failed), and the
// last "replaying PATH" line on stderr names the input.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {

std::vector<char> readBytes(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    return std::vector<char>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

} // namespace

int main(int argc, char **argv)
{
    namespace fs = std::filesystem;
    bool pathAsInput = false;
    bool skipMissing = false;
    std::vector<fs::path> inputs;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--path-as-input") == 0) {
            pathAsInput = true;
        } else if (std::strcmp(argv[i], "--skip-missing") == 0) {
            skipMissing = true;
        } else if (fs::is_directory(argv[i])) {
            std::vector<fs::path> files;
            for (const fs::directory_entry &entry : fs::recursive_directory_iterator(argv[i]))
                if (entry.is_regular_file())
                    files.push_back(entry.path());
            std::sort(files.begin(), files.end());
            inputs.insert(inputs.end(), files.begin(), files.end());
        } else if (fs::is_regular_file(argv[i])) {
            inputs.emplace_back(argv[i]);
        } else if (skipMissing) {
            std::fprintf(stderr, "%s: missing, skipped\n", argv[i]);
        } else {
            std::fprintf(stderr, "%s: no such file or folder\n", argv[i]);
            return 2;
        }
    }
    if (inputs.empty() && skipMissing) {
        std::printf("no inputs: skipped\n");
        return 77;
    }
    if (inputs.empty()) {
        std::fprintf(stderr, "usage: %s [--path-as-input] [--skip-missing] FILE_OR_FOLDER...\n", argv[0]);
        return 2;
    }
    for (const fs::path &input : inputs) {
        std::fprintf(stderr, "replaying %s\n", input.c_str());
        if (pathAsInput) {
            const std::string text = input.string();
            LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(text.data()), text.size());
        } else {
            const std::vector<char> bytes = readBytes(input);
            LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
        }
    }
    std::printf("replayed %zu inputs\n", inputs.size());
    return 0;
}
