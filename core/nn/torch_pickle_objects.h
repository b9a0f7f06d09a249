#pragma once

// Internal to PickleReader: what the classes and persistent ids of a torch.save pickle become
// (see pickle_reader.h for the list). Problems are thrown as PickleError, which
// PickleReader::read turns into its error string.

#include "nn/pickle_reader.h"

#include <map>
#include <stdexcept>
#include <utility>

namespace fa::nn {

struct PickleError : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

class TorchPickleObjects
{
public:
    explicit TorchPickleObjects(const PickleReader::StorageLoader &storageLoader);

    /// GLOBAL / STACK_GLOBAL: returns `qualifiedName` when a torch.save file may name it (the
    /// classes and functions above, torch.<Type>Storage, the tensor classes, and the opaque
    /// argparse.Namespace / torch.Size / torch.device / numpy scalar of training checkpoints),
    /// else throws naming it. Nothing is ever called, but a pickle that names os.system (even to
    /// discard it) is not a checkpoint and is refused, as torch.load(weights_only=True) does.
    static std::string checkGlobal(std::string qualifiedName);

    /// REDUCE: callable(*args) for a GLOBAL callable and a tuple of arguments.
    PickleValuePtr reduce(const PickleValuePtr &callable, const PickleValuePtr &args);
    /// NEWOBJ: cls.__new__(cls, *args).
    PickleValuePtr newObject(const PickleValuePtr &cls, const PickleValuePtr &args);
    /// BINPERSID: ('storage', torch.<Type>Storage, key, location, numel) -> a storage value,
    /// loaded once per (key, dtype) and shared by every tensor that views it.
    PickleValuePtr persistentLoad(const PickleValuePtr &pid);

private:
    PickleValuePtr rebuildTensor(const std::vector<PickleValuePtr> &args);

    const PickleReader::StorageLoader &m_storageLoader;
    std::map<std::pair<std::string, int>, at::Tensor> m_storages;
};

} // namespace fa::nn
