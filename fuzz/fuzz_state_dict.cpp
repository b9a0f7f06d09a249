// Fuzz target: loadStateDict (core/nn/state_dict.cpp) on arbitrary bytes written to a .pt file:
// the zip container (LibTorch's caffe2 PyTorchStreamReader), data.pkl (PickleReader) and the
// storage records. Contract under test: nullopt + "PATH: what", never a throw or crash.

#include "fuzz_support.h"

#include "nn/state_dict.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string path = fa::fuzz::writeScratchFile("input.pt", data, size);
    std::string error;
    const std::optional<fa::nn::StateDict> stateDict = fa::nn::loadStateDict(path, &error);
    FA_FUZZ_CHECK(stateDict || error.rfind(path + ": ", 0) == 0);
    if (stateDict)
        for (const auto &[name, tensor] : *stateDict)
            FA_FUZZ_CHECK(tensor.defined());
    return 0;
}
