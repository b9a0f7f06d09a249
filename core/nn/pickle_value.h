#pragma once

// The objects a torch.save pickle can hold, as read by PickleReader: Python scalars, strings,
// containers, tensors, and opaque objects (class name + constructor arguments) for classes the
// reader does not model (argparse.Namespace in MAE's training checkpoints, numpy scalars, ...).
// Containers are shared (pickle's memo refers to one object from several places).

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace fa::nn {

struct PickleValue;
using PickleValuePtr = std::shared_ptr<PickleValue>;

struct PickleValue
{
    enum class Kind { None, Bool, Int, Float, String, Bytes, Tuple, List, Dict, Global, Object, Tensor };

    Kind kind = Kind::None;
    bool boolean = false;
    int64_t integer = 0;
    double real = 0.0;
    /// String (UTF-8), Bytes, Global / Object class as "module.name".
    std::string text;
    /// Tuple and List elements; Object constructor arguments.
    std::vector<PickleValuePtr> items;
    /// Dict (also collections.OrderedDict) entries in insertion order.
    std::vector<std::pair<PickleValuePtr, PickleValuePtr>> entries;
    /// Tensor (CPU; possibly a strided view sharing its storage with other tensors).
    at::Tensor tensor;
    /// Containers: 1 + the deepest element's depth (0 for scalars and empty containers are 1).
    /// PickleReader bounds it (hostile pickles nest 100,000 levels to overflow the stack).
    int depth = 0;
    /// Set once the value is an element of another container; PickleReader refuses to change a
    /// sealed container (that is how a pickle builds a cycle, which torch.save never writes).
    bool sealed = false;

    static PickleValuePtr none();
    static PickleValuePtr fromBool(bool value);
    static PickleValuePtr fromInt(int64_t value);
    static PickleValuePtr fromFloat(double value);
    static PickleValuePtr fromString(std::string value);
    static PickleValuePtr fromBytes(std::string value);
    static PickleValuePtr fromGlobal(std::string qualifiedName);
    static PickleValuePtr fromTensor(at::Tensor value);
    static PickleValuePtr makeTuple(std::vector<PickleValuePtr> items);
    static PickleValuePtr makeList();
    static PickleValuePtr makeDict();
    static PickleValuePtr makeObject(std::string className, std::vector<PickleValuePtr> arguments);

    /// Dict entry whose key is the string `key` (the last one if repeated), or null.
    PickleValuePtr find(const std::string &key) const;
    /// Dict: sets `key` to `value`, replacing an equal string/int key as Python would.
    void setItem(PickleValuePtr key, PickleValuePtr value);
    /// Short human-readable type for error messages ("dict", "tensor", "argparse.Namespace").
    std::string typeName() const;

private:
    /// Dict: entry index per key (see setItem), so that a dict of n keys is built in O(n).
    std::unordered_map<std::string, size_t> m_keyIndex;
};

} // namespace fa::nn
