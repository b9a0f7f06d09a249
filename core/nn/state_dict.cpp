#include "nn/state_dict.h"

#include "nn/atomic_write.h"
#include "nn/pickle_reader.h"
#include "nn/pickle_writer.h"
#include "nn/zip_directory.h"

#include <caffe2/serialize/inline_container.h>
#include <torch/nn/module.h>
#include <torch/utils.h>

#include <ATen/Functions.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace fa::nn {

namespace {

void appendModule(const torch::nn::Module &module, const std::string &prefix, StateDict &out)
{
    const auto copy = [](const at::Tensor &t) {
        return t.detach().to(at::TensorOptions().device(at::kCPU), /*non_blocking=*/false, /*copy=*/true).contiguous();
    };
    for (const auto &item : module.named_parameters(false))
        out.emplace_back(prefix + item.key(), copy(item.value()));
    for (const auto &item : module.named_buffers(false))
        out.emplace_back(prefix + item.key(), copy(item.value()));
    for (const auto &child : module.named_children())
        appendModule(*child.value(), prefix + child.key() + ".", out);
}

bool hasPrefix(const std::string &key, const std::vector<std::string> &prefixes)
{
    for (const auto &prefix : prefixes) {
        if (key.compare(0, prefix.size(), prefix) == 0)
            return true;
    }
    return false;
}

std::string shapeText(at::IntArrayRef sizes)
{
    std::ostringstream out;
    out << '[';
    for (size_t i = 0; i < sizes.size(); ++i)
        out << (i ? ", " : "") << sizes[i];
    out << ']';
    return out.str();
}

bool isTensorDict(const PickleValue &value)
{
    if (value.kind != PickleValue::Kind::Dict)
        return false;
    for (const auto &entry : value.entries) {
        if (entry.second->kind != PickleValue::Kind::Tensor)
            return false;
    }
    return true;
}

// The dict of tensors inside a loaded pickle: the root, or root['model'] / root['state_dict'].
const PickleValue *findStateDict(const PickleValue &root)
{
    if (root.kind != PickleValue::Kind::Dict)
        return nullptr;
    if (isTensorDict(root))
        return &root;
    for (const char *key : {"model", "state_dict"}) {
        const PickleValuePtr inner = root.find(key);
        if (inner && inner->kind == PickleValue::Kind::Dict)
            return inner.get();
    }
    return &root;
}

bool startsWithPickleMagic(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    char head[2] = {0, 0};
    in.read(head, 2);
    return in.gcount() == 2 && static_cast<unsigned char>(head[0]) == 0x80;
}

} // namespace

StateDict stateDictOf(const torch::nn::Module &module)
{
    StateDict out;
    appendModule(module, std::string(), out);
    return out;
}

bool saveStateDict(const StateDict &stateDict, const std::string &path, std::string *error)
{
    std::vector<char> bytes;
    try {
        std::vector<std::pair<std::string, at::Tensor>> tensors;
        tensors.reserve(stateDict.size());
        for (const auto &[name, tensor] : stateDict)
            tensors.emplace_back(name, tensor.detach().to(at::kCPU).contiguous());
        PickleWriter pickle;
        std::string pickleError;
        if (!pickle.writeStateDict(tensors, &pickleError)) {
            if (error)
                *error = path + ": " + pickleError;
            return false;
        }
        // Records as torch.save lays them out: data.pkl, data/<i>, then version (written by the
        // writer), all under the "archive/" folder.
        caffe2::serialize::PyTorchStreamWriter writer([&bytes](const void *data, size_t size) {
            const auto *begin = static_cast<const char *>(data);
            bytes.insert(bytes.end(), begin, begin + size);
            return size;
        });
        writer.writeRecord("data.pkl", pickle.bytes().data(), pickle.bytes().size());
        for (size_t i = 0; i < tensors.size(); ++i) {
            const at::Tensor &tensor = tensors[i].second;
            writer.writeRecord("data/" + std::to_string(i), tensor.data_ptr(), tensor.nbytes());
        }
        writer.writeEndOfFile();
    } catch (const c10::Error &e) {
        if (error)
            *error = path + ": cannot serialise the state dict (" + e.what_without_backtrace() + ")";
        return false;
    } catch (const std::exception &e) {
        if (error)
            *error = path + ": cannot serialise the state dict (" + e.what() + ")";
        return false;
    }
    return writeFileAtomically(path, bytes.data(), bytes.size(), error);
}

std::optional<StateDict> loadStateDict(const std::string &path, std::string *error)
{
    const auto fail = [&](const std::string &what) -> std::optional<StateDict> {
        if (error)
            *error = path + ": " + what;
        return std::nullopt;
    };
    if (!std::ifstream(path, std::ios::binary).good())
        return fail("cannot be opened");

    // What each record inflates to, read before anything is inflated. torch.save stores its
    // records uncompressed, so no genuine record is larger than the whole file: a larger claim
    // is a zip bomb (issue 16: a 24 MB file whose entry inflates to 2 GiB), refused here.
    std::string directoryError;
    const std::optional<std::vector<ZipEntry>> entries = readZipDirectory(path, &directoryError);
    if (!entries) {
        if (startsWithPickleMagic(path))
            return fail("not a PyTorch zip archive (legacy torch.save format; re-save it with a PyTorch >= 1.6)");
        return fail("not a PyTorch zip archive (" + directoryError + ")");
    }
    std::map<std::string, uint64_t> recordSizes; // PyTorchStreamReader's names: after "archive/"
    uint64_t fileSize = 0;
    {
        std::ifstream in(path, std::ios::binary | std::ios::ate);
        fileSize = static_cast<uint64_t>(std::max<std::streamoff>(0, in.tellg()));
    }
    for (const ZipEntry &entry : *entries) {
        const size_t slash = entry.name.find('/');
        recordSizes[slash == std::string::npos ? entry.name : entry.name.substr(slash + 1)] = entry.uncompressedSize;
    }
    // PyTorchStreamReader's constructor throws after it opened its zip reader when the archive
    // has no version record, and LibTorch 1.13 then never frees that reader (found by
    // fuzz_state_dict: an empty zip leaked each time): refuse such archives first.
    if (!recordSizes.count("version"))
        return fail("not a PyTorch zip archive (no version record)");
    const auto checkSize = [&](const std::string &record, std::string *why) {
        const auto it = recordSizes.find(record);
        if (it != recordSizes.end() && it->second > fileSize) {
            *why = "corrupt archive: record " + record + " claims " + std::to_string(it->second)
                   + " bytes, more than the whole file (" + std::to_string(fileSize) + " bytes); refused before inflating";
            return false;
        }
        return true;
    };

    std::unique_ptr<caffe2::serialize::PyTorchStreamReader> reader;
    try {
        reader = std::make_unique<caffe2::serialize::PyTorchStreamReader>(path);
    } catch (const std::exception &) {
        if (startsWithPickleMagic(path))
            return fail("not a PyTorch zip archive (legacy torch.save format; re-save it with a PyTorch >= 1.6)");
        return fail("not a PyTorch zip archive");
    }

    try {
        if (!reader->hasRecord("data.pkl"))
            return fail("unsupported archive without data.pkl (a TorchScript module?)");
        std::string sizeError;
        if (!checkSize("data.pkl", &sizeError))
            return fail(sizeError);
        const auto [pickleData, pickleSize] = reader->getRecord("data.pkl");

        PickleReader pickle([&](const std::string &key, c10::ScalarType dtype, std::string *storageError) {
            const std::string record = "data/" + key;
            if (!reader->hasRecord(record)) {
                *storageError = "corrupt archive: tensor record " + record + " is missing";
                return at::Tensor();
            }
            if (!checkSize(record, storageError))
                return at::Tensor();
            const auto [data, bytes] = reader->getRecord(record);
            const size_t elementSize = c10::elementSize(dtype);
            if (bytes % elementSize != 0) {
                *storageError = "corrupt archive: record " + record + " is not a whole number of elements";
                return at::Tensor();
            }
            at::Tensor storage = at::empty({static_cast<int64_t>(bytes / elementSize)}, at::TensorOptions().dtype(dtype));
            if (bytes > 0)
                std::memcpy(storage.data_ptr(), data.get(), bytes);
            return storage;
        });
        std::string pickleError;
        const PickleValuePtr root =
            pickle.read(static_cast<const char *>(pickleData.get()), pickleSize, &pickleError);
        if (!root)
            return fail(pickleError.rfind("corrupt", 0) == 0 ? pickleError : "unsupported content: " + pickleError);

        const PickleValue *dict = findStateDict(*root);
        if (!dict)
            return fail("unsupported content: a " + root->typeName() + ", not a dict of tensors");
        StateDict out;
        out.reserve(dict->entries.size());
        for (const auto &[key, value] : dict->entries) {
            if (key->kind != PickleValue::Kind::String)
                return fail("unsupported content: a state-dict key is a " + key->typeName());
            if (value->kind != PickleValue::Kind::Tensor)
                return fail("unsupported content: entry '" + key->text + "' is a " + value->typeName()
                            + ", not a tensor");
            out.emplace_back(key->text, value->tensor);
        }
        return out;
    } catch (const c10::Error &e) {
        return fail(std::string("corrupt archive (") + e.what_without_backtrace() + ")");
    } catch (const std::exception &e) {
        return fail(std::string("corrupt archive (") + e.what() + ")");
    }
}

bool loadStateDictInto(torch::nn::Module &module, const StateDict &stateDict,
                       const std::vector<std::string> &ignoredPrefixes, LoadReport *report, std::string *error)
{
    std::map<std::string, at::Tensor> targets;
    std::vector<std::string> order;
    for (const auto &[name, tensor] : stateDictOf(module)) {
        (void)tensor;
        order.push_back(name);
    }
    for (const auto &item : module.named_parameters(true))
        targets[item.key()] = item.value();
    for (const auto &item : module.named_buffers(true))
        targets[item.key()] = item.value();

    LoadReport local;
    std::vector<std::pair<at::Tensor, at::Tensor>> copies;
    std::set<std::string> seen;
    for (const auto &[key, tensor] : stateDict) {
        if (hasPrefix(key, ignoredPrefixes))
            continue;
        const auto it = targets.find(key);
        if (it == targets.end()) {
            local.unexpected.push_back(key);
        } else if (it->second.sizes() != tensor.sizes()) {
            local.shapeMismatch.push_back(key + ": state dict " + shapeText(tensor.sizes()) + ", module "
                                          + shapeText(it->second.sizes()));
        } else {
            copies.emplace_back(it->second, tensor);
            seen.insert(key);
        }
    }
    for (const auto &name : order) {
        if (!seen.count(name) && !hasPrefix(name, ignoredPrefixes))
            local.missing.push_back(name);
    }
    const bool ok = local.shapeMismatch.empty();
    if (!ok && error) {
        *error = "shape mismatch: ";
        for (size_t i = 0; i < local.shapeMismatch.size(); ++i)
            *error += (i ? "; " : "") + local.shapeMismatch[i];
    }
    if (ok) {
        try {
            torch::NoGradGuard noGrad;
            for (auto &[target, source] : copies)
                target.copy_(source);
        } catch (const c10::Error &e) {
            if (error)
                *error = std::string("cannot copy the state dict: ") + e.what_without_backtrace();
            if (report)
                *report = std::move(local);
            return false;
        }
    }
    if (report)
        *report = std::move(local);
    return ok;
}

} // namespace fa::nn
