#pragma once

// Writes the data.pkl of a torch.save archive holding a state dict, as Python's torch.save does
// for an nn.Module.state_dict(): protocol 2, a collections.OrderedDict of
// torch._utils._rebuild_tensor_v2(('storage', torch.<Type>Storage, key, 'cpu', numel), 0, size,
// stride, False, OrderedDict()) entries. Only classes on PyTorch's weights_only allow-list are
// used, so torch.load(..., weights_only=True) (the default from PyTorch 2.6) accepts it; the
// C++ torch::pickle_save instead tags the dict with torch.jit._pickle.restore_type_tag, which
// that loader refuses.

#include <ATen/core/Tensor.h>

#include <string>
#include <utility>
#include <vector>

namespace fa::nn {

class PickleWriter
{
public:
    /// `tensors`: (name, contiguous CPU tensor) pairs; tensor i must be stored by the caller as
    /// record "data/<i>" holding its numel * element size bytes. Returns false and sets `error`
    /// for a dtype torch.save has no storage class for (complex, quantized, ...).
    bool writeStateDict(const std::vector<std::pair<std::string, at::Tensor>> &tensors, std::string *error);

    /// The pickle bytes written so far.
    const std::string &bytes() const { return m_bytes; }

    /// "FloatStorage" for float32, ...; empty when there is none.
    static std::string storageClassName(c10::ScalarType dtype);

private:
    void op(char code) { m_bytes.push_back(code); }
    void global(const char *module, const char *name);
    void unicode(const std::string &text);
    void integer(int64_t value);
    void intTuple(at::IntArrayRef values);
    void emptyOrderedDict();

    std::string m_bytes;
};

} // namespace fa::nn
