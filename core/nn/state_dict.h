#pragma once

// State-dict I/O compatible with Python's torch.save / torch.load and the timm / MAE key names.
// Files are PyTorch zip archives ("archive/data.pkl" + "archive/data/<key>" records).

#include <ATen/core/Tensor.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace torch::nn {
class Module;
}

namespace fa::nn {

/// Ordered (name, tensor) pairs, in Python's state_dict() order.
using StateDict = std::vector<std::pair<std::string, at::Tensor>>;

/// Parameters and buffers of `module` as nn.Module.state_dict() orders them (each module's own
/// parameters, then its own buffers, then its children in registration order), as detached,
/// contiguous CPU copies (they do not alias the module's tensors). Frozen parameters included.
StateDict stateDictOf(const torch::nn::Module &module);

/// Writes `stateDict` to `path` as Python's torch.save(model.state_dict()) would: a zip archive
/// (caffe2 PyTorchStreamWriter) whose data.pkl is an OrderedDict of tensors (PickleWriter), so
/// Python's torch.load -- also with weights_only=True, the default from PyTorch 2.6, which
/// refuses torch::pickle_save's restore_type_tag -- returns the state dict of CPU tensors.
/// Written atomically (temporary file, fsync, rename). False with `error` = "PATH: cause" on
/// failure (e.g. a complex tensor); a previous file stays untouched.
bool saveStateDict(const StateDict &stateDict, const std::string &path, std::string *error);

/// Reads a torch.save zip archive (also saveStateDict's and torch::pickle_save's) holding a
/// dict / OrderedDict of tensors, or such a dict under
/// the key "model" or "state_dict" (MAE's checkpoints: {'model': ..., 'optimizer': ..., ...};
/// the other entries are parsed and dropped). Tensors land on the CPU in the saved dtype; views
/// that shared a storage in Python share it here. Uses PickleReader, not torch::pickle_load
/// (LibTorch 1.13 aborts on OrderedDict, pytorch issue 100741). Errors (nullopt + `error`):
/// "PATH: cannot be opened", "PATH: not a PyTorch zip archive", "PATH: unsupported ..." (e.g.
/// a non-tensor entry, an unknown storage type, a TorchScript archive), "PATH: corrupt ...".
std::optional<StateDict> loadStateDict(const std::string &path, std::string *error);

struct LoadReport
{
    std::vector<std::string> missing;       ///< module keys absent from the state dict
    std::vector<std::string> unexpected;    ///< state-dict keys the module does not have
    std::vector<std::string> shapeMismatch; ///< "key: state dict [a, b], module [c, d]"
};

/// Copies the tensors of `stateDict` into the same-named parameters/buffers of `module` (dtype
/// and device converted, under NoGradGuard). Keys starting with one of `ignoredPrefixes` are
/// neither copied nor reported (on either side). Missing and unexpected keys are reported, not
/// errors (strict loading = check the report). Any shape mismatch is an error: nothing is
/// copied, false is returned and `error` lists the mismatches. `report` may be null.
bool loadStateDictInto(torch::nn::Module &module, const StateDict &stateDict,
                       const std::vector<std::string> &ignoredPrefixes, LoadReport *report, std::string *error);

} // namespace fa::nn
