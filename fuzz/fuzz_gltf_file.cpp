// Fuzz target: GltfFile (core/avatar/gltf_file.cpp) on arbitrary bytes in a file named .gltf:
// bytes starting with "glTF" take the GLB branch (header, JSON chunk), anything else the
// .gltf text branch; then every query of the parsed JSON. Contract: never a crash.

#include "fuzz_support.h"

#include "avatar/gltf_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string path = fa::fuzz::writeScratchFile("input.gltf", data, size);
    const fa::GltfFile file(QString::fromStdString(path));
    const QStringList extensions = file.unsupportedRequiredExtensions();
    (void)fa::GltfFile::describeExtensions(extensions);
    for (const QHash<QString, int> &types : file.morphWeightComponentTypes())
        for (auto it = types.begin(); it != types.end(); ++it)
            for (double weight : {0.0, 1.0, 3.48e-43, -1.0})
                (void)fa::GltfFile::decodeAssimpWeight(weight, it.value());
    FA_FUZZ_CHECK(file.isGltf() || extensions.isEmpty());
    return 0;
}
