// Fuzz target: PickleReader::read (core/nn/pickle_reader.cpp, pickle_value.cpp,
// torch_pickle_objects.cpp) on arbitrary bytes, as the data.pkl of a torch.save archive.
// Storage records are served by a stand-in loader: a zero tensor of the requested dtype whose
// length depends on the key (so that tensor metadata is checked against several storage sizes),
// or an error for the key "missing". Contract under test: null + error, never a throw or crash.

#include "fuzz_support.h"

#include "nn/pickle_reader.h"

#include <ATen/Functions.h>

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fa::nn::PickleReader reader([](const std::string &key, c10::ScalarType dtype, std::string *error) {
        if (key == "missing") {
            *error = "record missing";
            return at::Tensor();
        }
        const int64_t numel = int64_t(std::hash<std::string>()(key) % 17);
        return at::zeros({numel}, at::TensorOptions().dtype(dtype));
    });
    std::string error;
    const fa::nn::PickleValuePtr value = reader.read(reinterpret_cast<const char *>(data), size, &error);
    FA_FUZZ_CHECK(value || !error.empty());
    return 0;
}
