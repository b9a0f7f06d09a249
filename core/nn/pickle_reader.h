#pragma once

// A minimal unpickler for what torch.save writes (Python pickle protocol 2, plus the protocol
// 3-5 opcodes a newer Python may use for the same objects). LibTorch 1.13's own
// torch::pickle_load aborts on the collections.OrderedDict of a Python state dict
// (pytorch issue 100741), so state_dict.cpp reads data.pkl with this instead.
//
// Understood: PROTO, FRAME, STOP, MARK, POP, POP_MARK, DUP, (LONG_)BINPUT, MEMOIZE,
// (LONG_)BINGET, PUT/GET, NONE, NEWTRUE/NEWFALSE, BININT/BININT1/BININT2, LONG1/LONG4 (up to
// 64 bits), BINFLOAT, (SHORT_)BINUNICODE(8), (SHORT_)BINSTRING, (SHORT_)BINBYTES(8),
// EMPTY_DICT/LIST/TUPLE, TUPLE/TUPLE1/2/3, LIST, DICT, SETITEM(S), APPEND(S), GLOBAL,
// STACK_GLOBAL, REDUCE, NEWOBJ, BUILD, BINPERSID.
// Modelled classes (torch_pickle_objects.cpp): collections.OrderedDict (a dict; BUILD state such
// as a state dict's _metadata is ignored), torch._utils._rebuild_tensor(_v2),
// _rebuild_parameter(_with_state), torch._tensor._rebuild_from_type_v2 (the tensor),
// torch.jit._pickle.restore_type_tag (the tagged object, as torch::pickle_save writes),
// _codecs.encode (bytes). Any other class becomes an opaque Object value (argparse.Namespace in
// MAE's checkpoints). Persistent ids ('storage', torch.<Type>Storage, key, location, numel) are
// resolved through the StorageLoader; every tensor lands on the CPU.

#include "nn/pickle_value.h"

#include <c10/core/ScalarType.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace fa::nn {

class PickleReader
{
public:
    /// Returns the storage record `key` (torch.save's data/<key>) as a contiguous 1-D CPU tensor
    /// of `dtype`, or an undefined tensor with `error` set (e.g. record missing).
    using StorageLoader = std::function<at::Tensor(const std::string &key, c10::ScalarType dtype, std::string *error)>;

    explicit PickleReader(StorageLoader storageLoader = {});

    /// Unpickles `size` bytes. On any problem (truncated data, unsupported opcode, bad tensor
    /// metadata, storage loader failure) returns null and sets `error` to a sentence without a
    /// path ("unsupported pickle opcode 0x63 at byte 12"); never throws.
    PickleValuePtr read(const char *data, size_t size, std::string *error);

    /// dtype of a storage class name ("torch.FloatStorage" -> Float), nullopt if unknown.
    static std::optional<c10::ScalarType> storageDtype(const std::string &className);

private:
    StorageLoader m_storageLoader;
};

} // namespace fa::nn
