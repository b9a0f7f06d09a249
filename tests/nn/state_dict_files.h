#pragma once

// State-dict helpers shared by the Python interop tests of tests/nn: look up a tensor by key,
// compare tensors, load a .pt file, load it strictly into a module. Header-only.

#include "nn/state_dict.h"

#include <torch/torch.h>

#include <QString>
#include <QtGlobal>

#include <limits>
#include <optional>
#include <string>

namespace fa::test {

/// The tensor stored under `key`, or an undefined tensor.
inline torch::Tensor entry(const fa::nn::StateDict &dict, const std::string &key)
{
    for (const auto &[name, tensor] : dict)
        if (name == key)
            return tensor;
    return {};
}

/// Largest absolute difference; infinity when either is undefined or the shapes differ.
inline double maxAbsDiff(const torch::Tensor &a, const torch::Tensor &b)
{
    if (!a.defined() || !b.defined() || a.sizes() != b.sizes())
        return std::numeric_limits<double>::infinity();
    return (a.to(torch::kDouble) - b.to(torch::kDouble)).abs().max().item<double>();
}

/// The state dict of a .pt file; nullopt (and a warning) when it cannot be read.
inline std::optional<fa::nn::StateDict> loadStateDictFile(const QString &path)
{
    std::string error;
    auto dict = fa::nn::loadStateDict(path.toStdString(), &error);
    if (!dict)
        qWarning("%s", error.c_str());
    return dict;
}

/// Strict load: every key present on both sides with the same shape (warnings name the others).
inline bool loadStrict(torch::nn::Module &module, const QString &path)
{
    const auto dict = loadStateDictFile(path);
    if (!dict)
        return false;
    fa::nn::LoadReport report;
    std::string error;
    if (!fa::nn::loadStateDictInto(module, *dict, {}, &report, &error)) {
        qWarning("%s", error.c_str());
        return false;
    }
    for (const auto &key : report.missing)
        qWarning("missing %s", key.c_str());
    for (const auto &key : report.unexpected)
        qWarning("unexpected %s", key.c_str());
    return report.missing.empty() && report.unexpected.empty();
}

} // namespace fa::test
