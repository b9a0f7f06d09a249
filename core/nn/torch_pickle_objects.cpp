#include "nn/torch_pickle_objects.h"

#include <ATen/Functions.h>

#include <set>

namespace fa::nn {

namespace {

// Object class of the storage values persistentLoad returns (not a Python class name).
const char *const kStorageClass = "<storage>";

std::string latin1FromUtf8(const std::string &text)
{
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
        } else if ((c & 0xE0) == 0xC0 && i + 1 < text.size()) {
            const unsigned code = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(text[++i]) & 0x3Fu);
            if (code > 0xFF)
                throw PickleError("_codecs.encode: character beyond latin-1");
            out.push_back(static_cast<char>(code));
        } else {
            throw PickleError("_codecs.encode: character beyond latin-1");
        }
    }
    return out;
}

std::vector<int64_t> intTuple(const PickleValuePtr &value, const char *what)
{
    if (!value || (value->kind != PickleValue::Kind::Tuple && value->kind != PickleValue::Kind::List))
        throw PickleError(std::string("tensor ") + what + " is not a tuple");
    std::vector<int64_t> out;
    for (const auto &item : value->items) {
        if (item->kind != PickleValue::Kind::Int)
            throw PickleError(std::string("tensor ") + what + " holds a " + item->typeName());
        out.push_back(item->integer);
    }
    return out;
}

} // namespace

std::string TorchPickleObjects::checkGlobal(std::string qualifiedName)
{
    static const std::set<std::string> known = {
        "collections.OrderedDict",
        "torch._utils._rebuild_tensor",
        "torch._utils._rebuild_tensor_v2",
        "torch._utils._rebuild_parameter",
        "torch._utils._rebuild_parameter_with_state",
        "torch._tensor._rebuild_from_type_v2",
        "torch.jit._pickle.restore_type_tag",
        "_codecs.encode",
        "torch.Tensor",
        "torch._tensor.Tensor",
        "torch.nn.parameter.Parameter",
        "argparse.Namespace",
        "torch.Size",
        "torch.device",
        "numpy.core.multiarray.scalar",
        "numpy.dtype",
    };
    const std::string storagePrefix = "torch.";
    const std::string storageSuffix = "Storage";
    const bool storageClass = qualifiedName.size() > storagePrefix.size() + storageSuffix.size()
        && qualifiedName.compare(0, storagePrefix.size(), storagePrefix) == 0
        && qualifiedName.compare(qualifiedName.size() - storageSuffix.size(), storageSuffix.size(), storageSuffix) == 0
        && qualifiedName.find('.', storagePrefix.size()) == std::string::npos;
    if (!storageClass && !known.count(qualifiedName)) {
        std::string shown = qualifiedName.substr(0, 120);
        for (char &c : shown) {
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
                c = '?';
        }
        throw PickleError("the pickle refers to " + shown
                          + ", which a state dict never holds (refused: only tensors, containers and torch's tensor "
                            "classes are read)");
    }
    return qualifiedName;
}

TorchPickleObjects::TorchPickleObjects(const PickleReader::StorageLoader &storageLoader)
    : m_storageLoader(storageLoader)
{
}

PickleValuePtr TorchPickleObjects::rebuildTensor(const std::vector<PickleValuePtr> &args)
{
    if (args.size() < 4 || args[0]->kind != PickleValue::Kind::Object || args[0]->text != kStorageClass)
        throw PickleError("unsupported tensor reconstruction arguments");
    const at::Tensor &storage = args[0]->tensor;
    if (args[1]->kind != PickleValue::Kind::Int)
        throw PickleError("tensor storage offset is not an integer");
    const int64_t offset = args[1]->integer;
    const std::vector<int64_t> size = intTuple(args[2], "size");
    const std::vector<int64_t> stride = intTuple(args[3], "stride");
    if (size.size() != stride.size())
        throw PickleError("tensor size and stride differ in length");
    int64_t last = offset; // highest element index touched
    bool empty = false;
    for (size_t i = 0; i < size.size(); ++i) {
        if (size[i] < 0 || stride[i] < 0)
            throw PickleError("negative tensor size or stride");
        empty = empty || size[i] == 0;
        if (size[i] > 0)
            last += (size[i] - 1) * stride[i];
    }
    if (offset < 0 || (!empty && last >= storage.numel()))
        throw PickleError("tensor view exceeds its storage of " + std::to_string(storage.numel()) + " elements");
    return PickleValue::fromTensor(storage.as_strided(size, stride, offset));
}

PickleValuePtr TorchPickleObjects::persistentLoad(const PickleValuePtr &pid)
{
    if (pid->kind != PickleValue::Kind::Tuple || pid->items.size() < 5 || pid->items[0]->kind != PickleValue::Kind::String
        || pid->items[0]->text != "storage")
        throw PickleError("unsupported persistent id (not a tensor storage)");
    const PickleValuePtr &type = pid->items[1];
    const PickleValuePtr &key = pid->items[2];
    const PickleValuePtr &numel = pid->items[4];
    if (type->kind != PickleValue::Kind::Global || key->kind != PickleValue::Kind::String
        || numel->kind != PickleValue::Kind::Int)
        throw PickleError("malformed storage persistent id");
    const auto dtype = PickleReader::storageDtype(type->text);
    if (!dtype)
        throw PickleError("unsupported storage type " + type->text);
    const auto cacheKey = std::make_pair(key->text, static_cast<int>(*dtype));
    auto it = m_storages.find(cacheKey);
    if (it == m_storages.end()) {
        if (!m_storageLoader)
            throw PickleError("tensor storage " + key->text + " without a storage source");
        std::string error;
        at::Tensor storage = m_storageLoader(key->text, *dtype, &error);
        if (!storage.defined())
            throw PickleError(error.empty() ? "cannot read tensor storage " + key->text : error);
        if (storage.numel() != numel->integer)
            throw PickleError("tensor storage " + key->text + " holds " + std::to_string(storage.numel())
                              + " elements, the pickle says " + std::to_string(numel->integer));
        it = m_storages.emplace(cacheKey, storage).first;
    }
    auto value = PickleValue::makeObject(kStorageClass, {});
    value->tensor = it->second;
    return value;
}

PickleValuePtr TorchPickleObjects::reduce(const PickleValuePtr &callable, const PickleValuePtr &args)
{
    if (callable->kind != PickleValue::Kind::Global)
        throw PickleError("REDUCE on a " + callable->typeName());
    if (args->kind != PickleValue::Kind::Tuple)
        throw PickleError("REDUCE arguments are a " + args->typeName());
    const std::string &name = callable->text;
    const std::vector<PickleValuePtr> &a = args->items;
    if (name == "collections.OrderedDict") {
        if (!a.empty())
            throw PickleError("unsupported OrderedDict construction arguments");
        return PickleValue::makeDict();
    }
    if (name == "torch._utils._rebuild_tensor_v2" || name == "torch._utils._rebuild_tensor")
        return rebuildTensor(a);
    if (name == "torch._utils._rebuild_parameter" || name == "torch._utils._rebuild_parameter_with_state") {
        if (a.empty() || a[0]->kind != PickleValue::Kind::Tensor)
            throw PickleError("parameter without tensor data");
        return a[0];
    }
    if (name == "torch._tensor._rebuild_from_type_v2") {
        if (a.size() < 3 || a[2]->kind != PickleValue::Kind::Tuple)
            throw PickleError("malformed _rebuild_from_type_v2");
        return reduce(a[0], a[2]);
    }
    if (name == "torch.jit._pickle.restore_type_tag") {
        if (a.empty())
            throw PickleError("malformed restore_type_tag");
        return a[0];
    }
    if (name == "_codecs.encode") {
        if (a.empty() || a[0]->kind != PickleValue::Kind::String)
            throw PickleError("malformed _codecs.encode");
        return PickleValue::fromBytes(latin1FromUtf8(a[0]->text));
    }
    return PickleValue::makeObject(name, a);
}
PickleValuePtr TorchPickleObjects::newObject(const PickleValuePtr &cls, const PickleValuePtr &args)
{
    if (cls->kind == PickleValue::Kind::Global && cls->text == "collections.OrderedDict")
        return PickleValue::makeDict();
    if (cls->kind == PickleValue::Kind::Global && args->kind == PickleValue::Kind::Tuple)
        return PickleValue::makeObject(cls->text, args->items);
    throw PickleError("NEWOBJ on a " + cls->typeName());
}

} // namespace fa::nn
